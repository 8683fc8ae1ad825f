import type { z } from 'zod';
import type { ApiError } from '../lib/errors.ts';
import type { RequestContext } from './context.ts';

/**
 * Who may call a route:
 * - read: any secret key, any dashboard user;
 * - write: secret keys, owners and admins (support users are read-only);
 * - team: owners and admins signed in to the dashboard (keys cannot manage keys or users).
 */
export type Access = 'read' | 'write' | 'team';

export interface RouteSpec<P extends z.ZodType = z.ZodType> {
  method: 'GET' | 'POST' | 'DELETE';
  /** Fastify path syntax, e.g. `/v1/customers/:id`. */
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  access: Access;
  /** Body for POST, query string for GET and DELETE. */
  params: P;
  /** The response object's schema, for the OpenAPI document. */
  response: z.ZodType;
  /** The audit log's name for what a write did, e.g. `customer.created`. */
  auditAction?: string;
  /** Account-wide writes (team members) are audited without a workspace. */
  auditScope?: 'workspace' | 'account';
  /**
   * Response fields shown once (a new key, an invitation link): left out of the response
   * stored for idempotent replays, so they are neither kept in the database nor shown twice.
   */
  replayOmits?: string[];
  /**
   * When a repeated Idempotency-Key is noticed. 'before' (the default) looks the key up
   * before the handler runs. 'at-commit' skips that round trip: the handler runs, and the
   * key's record conflicts at commit, rolling everything back before the stored response is
   * replayed. Only for handlers whose every effect is in the database transaction: never
   * for one that calls a payment gateway or sends anything.
   */
  idempotencyCheck?: 'before' | 'at-commit';
  handler: (ctx: RequestContext, params: z.output<P>, path: Record<string, string>) => Promise<unknown>;
}

/** Keeps each route's params and handler types tied together. */
export function route<P extends z.ZodType>(spec: RouteSpec<P>): RouteSpec {
  return spec as unknown as RouteSpec;
}

/** A route answer that is a file (an invoice PDF), sent as is instead of as JSON. */
export class FileResponse {
  constructor(
    readonly contentType: string,
    readonly body: Buffer,
    readonly filename: string,
  ) {}
}

/**
 * An error answer whose writes stand. A handler throws it (instead of `error` itself) when
 * what it did must be kept although the request failed: a payment attempt that reached the
 * gateway, which remembers it (decisions.md §25). The transaction commits with its events,
 * audit entry and idempotency record (a replay answers the same error); the client gets `error`.
 */
export class KeptFailure extends Error {
  constructor(readonly error: ApiError) {
    super(error.message);
    this.name = 'KeptFailure';
  }
}
