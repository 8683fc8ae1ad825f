import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import { ApiError, invalidRequest } from '../lib/errors.ts';
import { parseParams } from '../lib/params.ts';
import { auditRow } from '../modules/audit/service.ts';
import { authorize, type Authenticator, type Principal } from './auth.ts';
import type { RequestContext } from './context.ts';
import { applyExpansions, type Expanders } from './expand.ts';
import { checkIdempotencyKey, findStoredResponse, requestHash, type StoredResponse } from './idempotency.ts';
import { readParams } from './input.ts';
import type { SecretBox } from '../lib/secret-box.ts';
import type { Gateways } from '../modules/payments/gateways/registry.ts';
import type { RateLimiter } from './rate-limit.ts';
import { FileResponse, KeptFailure, type RouteSpec } from './route.ts';
import { flushPendingWrites, newPendingWrites } from './unit-of-work.ts';

export interface ApiDeps {
  db: Kysely<Database>;
  gateways: Gateways;
  authenticator: Authenticator;
  rateLimiter: RateLimiter;
  expanders: Expanders;
  secrets: SecretBox;
}

function omit(value: object, fields: string[]): object {
  return Object.fromEntries(Object.entries(value).filter(([key]) => !fields.includes(key)));
}

/** Thrown inside a write's transaction when a concurrent request with the same key won. */
class LostIdempotencyRace extends Error {}

function expandList(params: unknown): string[] | undefined {
  const expand = (params as { expand?: unknown }).expand;
  return Array.isArray(expand) ? (expand as string[]) : undefined;
}

function sendJson(reply: FastifyReply, response: StoredResponse, replayed: boolean): FastifyReply {
  if (replayed) reply.header('idempotent-replayed', 'true');
  return reply.code(response.status).type('application/json; charset=utf-8').send(response.body);
}

function contextFor(request: FastifyRequest, principal: Principal, db: RequestContext['db'], deps: ApiDeps): RequestContext {
  return {
    secrets: deps.secrets,
    db,
    gateways: deps.gateways,
    workspace: principal.workspace,
    actor: principal.actor,
    requestId: request.id,
    idempotencyKey: null,
    ip: request.ip,
    pending: newPendingWrites(),
    afterCommit: (task) => task(),
  };
}

/**
 * Mounts API routes. Every write runs in one transaction with its events, its audit
 * entry and its idempotency record: all of it commits or none of it does.
 */
export function mountApiRoutes(app: FastifyInstance, routes: RouteSpec[], deps: ApiDeps): void {
  const { db, authenticator, rateLimiter, expanders } = deps;

  for (const spec of routes) {
    app.route({
      method: spec.method,
      url: spec.path,
      handler: async (request, reply) => {
        const principal = await authenticator.authenticate(request);
        authorize(principal, spec.access, request);
        rateLimiter.take(principal.actor.id);
        const input = readParams(request);
        const params = parseParams(spec.params, input);
        const path = request.params as Record<string, string>;
        // Ids are PostgreSQL text, which cannot hold NUL: name the bad one instead of failing in a query.
        for (const [name, value] of Object.entries(path)) {
          if (value.includes('\u0000')) throw invalidRequest(`Invalid ${name}: must not contain NUL (\\u0000) characters.`, name);
        }

        if (spec.method === 'GET') {
          const ctx = contextFor(request, principal, db, deps);
          const answer = await spec.handler(ctx, params, path);
          if (answer instanceof FileResponse) {
            return reply.type(answer.contentType).header('content-disposition', `inline; filename="${answer.filename}"`).send(answer.body);
          }
          const result = await applyExpansions(ctx, answer, expandList(params), expanders);
          if (ctx.pending.events.length > 0 || ctx.pending.inserts.length > 0) throw new Error(`${spec.operationId} wrote on a read`);
          return reply.send(result);
        }

        const headerKey = spec.method === 'POST' ? request.headers['idempotency-key'] : undefined;
        const idempotencyKey = typeof headerKey === 'string' ? headerKey : null;
        if (idempotencyKey !== null) checkIdempotencyKey(idempotencyKey);
        const routePath = request.url.split('?')[0] ?? request.url;
        const hash = idempotencyKey ? requestHash(spec.method, routePath, input) : '';
        const afterCommit: Array<() => void> = [];

        let outcome: { response: StoredResponse; replayed: boolean };
        try {
          outcome = await db.transaction().execute(async (tx) => {
            if (idempotencyKey && spec.idempotencyCheck !== 'at-commit') {
              const stored = await findStoredResponse(tx, principal.workspace.id, idempotencyKey, hash);
              if (stored) return { response: stored, replayed: true };
            }
            const ctx: RequestContext = {
              ...contextFor(request, principal, tx, deps),
              idempotencyKey,
              afterCommit: (task) => afterCommit.push(task),
            };
            let result: { id?: unknown } | undefined;
            // A failure whose writes stand (a declined payment attempt) commits like a success.
            let kept: ApiError | undefined;
            try {
              const answer = await spec.handler(ctx, params, path);
              const expand = expandList(params);
              // Expanding reads the database: rows the handler deferred must be there first.
              if (expand && expand.length > 0) await flushPendingWrites(tx, ctx.pending);
              result = (await applyExpansions(ctx, answer, expand, expanders)) as { id?: unknown };
            } catch (error) {
              if (!(error instanceof KeptFailure)) throw error;
              kept = error.error;
            }
            const response = kept ? { status: kept.status, body: JSON.stringify(kept.toBody()) } : { status: 200, body: JSON.stringify(result) };
            ctx.pending.audit.push(
              auditRow({
              account_id: principal.workspace.accountId,
              workspace_id: spec.auditScope === 'account' ? null : principal.workspace.id,
              actor_type: principal.actor.type,
              actor_id: principal.actor.id,
              actor_label: principal.actor.label,
              action: spec.auditAction ?? spec.operationId,
              method: spec.method,
              path: routePath,
              object_id: typeof result?.id === 'string' ? result.id : kept ? (path.id ?? null) : null,
              status_code: response.status,
              ip: request.ip,
              request_id: request.id,
              }),
            );
            const idempotency = idempotencyKey
              ? {
                  workspace_id: principal.workspace.id,
                  key: idempotencyKey,
                  request_hash: hash,
                  method: spec.method,
                  path: routePath,
                  response_status: response.status,
                  response_body: spec.replayOmits && result ? JSON.stringify(omit(result, spec.replayOmits)) : response.body,
                }
              : undefined;
            if (!(await flushPendingWrites(tx, ctx.pending, { idempotency, commit: true }))) throw new LostIdempotencyRace();
            return { response, replayed: false };
          });
        } catch (error) {
          // The key was used before (found at commit, or a concurrent request won), or a
          // handler checked at commit failed where its first run had succeeded: the stored
          // response, if there is one, is the answer.
          const consultStore =
            idempotencyKey !== null &&
            (error instanceof LostIdempotencyRace || (spec.idempotencyCheck === 'at-commit' && error instanceof ApiError));
          if (!consultStore) throw error;
          const stored = await findStoredResponse(db, principal.workspace.id, idempotencyKey, hash);
          if (!stored) throw error;
          outcome = { response: stored, replayed: true };
        }
        for (const task of afterCommit) task();
        if (idempotencyKey) reply.header('idempotency-key', idempotencyKey);
        return sendJson(reply, outcome.response, outcome.replayed);
      },
    });
  }
}
