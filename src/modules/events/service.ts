import type { Selectable } from 'kysely';
import { z } from 'zod';
import type { Executor } from '../../db/database.ts';
import { API_VERSION } from '../../lib/api-version.ts';
import { resourceMissing } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { paginate, whereCreated, type ListParams } from '../../lib/pagination.ts';
import type { RangeFilter } from '../../lib/params.ts';
import { livemode, type RequestContext, type WorkspaceRef } from '../../server/context.ts';
import { unixSeconds } from '../../lib/time.ts';
import type { EventData, EventsTable } from './models.ts';

type EventRow = Selectable<EventsTable>;

export const eventSchema = z.object({
  id: z.string(),
  object: z.literal('event'),
  api_version: z.string(),
  created: z.number().int(),
  data: z.object({
    object: z.record(z.string(), z.unknown()),
    previous_attributes: z.record(z.string(), z.unknown()).optional(),
  }),
  livemode: z.boolean(),
  request: z.object({ id: z.string().nullable(), idempotency_key: z.string().nullable() }),
  type: z.string(),
});
export type EventObject = z.infer<typeof eventSchema>;

export function eventObject(row: EventRow, workspace: WorkspaceRef): EventObject {
  return {
    id: row.id,
    object: 'event',
    api_version: row.api_version,
    created: unixSeconds(row.created_at),
    data: JSON.parse(row.data) as EventData,
    livemode: livemode(workspace),
    request: { id: row.request_id, idempotency_key: row.idempotency_key },
    type: row.type,
  };
}

/**
 * Records an event with the caller's write: it is inserted in the same transaction, just
 * before commit (see server/unit-of-work.ts). This is the outbox that webhooks, emails,
 * automation and analytics consume; nothing leaves the process from here.
 */
/** What recording an event needs: a request's context, or the billing run's (no request). */
export interface EventContext {
  workspace: RequestContext['workspace'];
  requestId: string | null;
  idempotencyKey: string | null;
  pending: RequestContext['pending'];
}

export function recordEvent(
  ctx: EventContext,
  type: string,
  object: { id: string },
  previousAttributes?: Record<string, unknown>,
): string {
  const data = previousAttributes ? { object, previous_attributes: previousAttributes } : { object };
  return pushEvent(ctx, type, object.id, JSON.stringify(data));
}

/**
 * Records several events about one object as it now stands (e.g. invoice.paid and
 * invoice.payment_succeeded), serializing it once. Returns their ids in order.
 */
export function recordEvents(ctx: EventContext, types: readonly string[], object: { id: string }): string[] {
  const data = JSON.stringify({ object });
  return types.map((type) => pushEvent(ctx, type, object.id, data));
}

function pushEvent(ctx: EventContext, type: string, objectId: string, data: string): string {
  const id = newId('event');
  ctx.pending.events.push({
    workspace_id: ctx.workspace.id,
    id,
    type,
    api_version: API_VERSION,
    object_id: objectId,
    data,
    request_id: ctx.requestId,
    idempotency_key: ctx.idempotencyKey,
  });
  return id;
}

/** The fields of `after` that differ from `before`, with their old values (Stripe's previous_attributes). */
export function previousAttributes(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, unknown> {
  const changed: Record<string, unknown> = {};
  for (const key of Object.keys(after)) {
    if (!sameJson(before[key], after[key])) changed[key] = before[key] ?? null;
  }
  return changed;
}

/** Whether two values serialize to the same JSON (up to key order); stops at the first difference. */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (a instanceof Date || b instanceof Date) return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((value, i) => sameJson(value, b[i]));
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  // JSON leaves out undefined-valued keys, so they do not count.
  const keys = Object.keys(left).filter((k) => left[k] !== undefined);
  if (keys.length !== Object.keys(right).filter((k) => right[k] !== undefined).length) return false;
  return keys.every((k) => sameJson(left[k], right[k]));
}

/**
 * Records `type` (e.g. customer.updated) with Stripe's `previous_attributes`, if anything
 * visible changed. `ignoring` names fields that change on every update (e.g. `updated`).
 */
export function recordUpdate(
  ctx: EventContext,
  type: string,
  before: { id: string } & Record<string, unknown>,
  after: { id: string } & Record<string, unknown>,
  ignoring: string[] = [],
): void {
  const changed = previousAttributes(before, after);
  for (const field of ignoring) delete changed[field];
  if (Object.keys(changed).length > 0) recordEvent(ctx, type, after, changed);
}

export async function getEvent(db: Executor, workspace: WorkspaceRef, id: string): Promise<EventObject> {
  const row = await db.selectFrom('events').selectAll().where('workspace_id', '=', workspace.id).where('id', '=', id).executeTakeFirst();
  if (!row) throw resourceMissing('event', id);
  return eventObject(row, workspace);
}

export async function listEvents(
  db: Executor,
  workspace: WorkspaceRef,
  params: ListParams & {
    type?: string | undefined;
    types?: string[] | undefined;
    object_id?: string | undefined;
    created?: RangeFilter | undefined;
  },
): Promise<{ data: EventObject[]; hasMore: boolean }> {
  let query = db.selectFrom('events').selectAll().where('workspace_id', '=', workspace.id);
  if (params.object_id) query = query.where('object_id', '=', params.object_id);
  // `customer.*` matches every customer event, as in Stripe.
  const patterns = [...(params.type ? [params.type] : []), ...(params.types ?? [])];
  if (patterns.length > 0) {
    query = query.where((eb) =>
      eb.or(patterns.map((p) => (p.includes('*') ? eb('type', 'like', p.replace(/[%_]/g, '\\$&').replace(/\*/g, '%')) : eb('type', '=', p)))),
    );
  }
  query = whereCreated(query, params.created, 'created_at');
  const { rows, hasMore } = await paginate(query, params, 'id');
  return { data: rows.map((r) => eventObject(r, workspace)), hasMore };
}
