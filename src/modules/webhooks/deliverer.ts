/**
 * The deliverer: takes due deliveries in batches (any number of workers share the queue),
 * POSTs each signed event to its endpoint, and records the answer: success, a retry on the
 * schedule (schedule.ts), or a final failure, which disables an endpoint that nothing has
 * reached meanwhile. Deliveries may go out concurrently and in any order, as Stripe's.
 */
import { sql, type Kysely } from 'kysely';
import type { Database, Executor } from '../../db/database.ts';
import { bulkUpdate, inWorkspaceKeys, type WorkspaceKey } from '../../db/bulk.ts';
import { resourceMissing } from '../../lib/errors.ts';
import { hasPrefix } from '../../lib/ids.ts';
import type { SecretBox } from '../../lib/secret-box.ts';
import type { RequestContext, WorkspaceRef } from '../../server/context.ts';
import { flushPendingWrites, newPendingWrites } from '../../server/unit-of-work.ts';
import type { DueWork } from '../../worker/runner.ts';
import type { EventRow } from '../events/dispatcher.ts';
import { eventObject, recordEvent } from '../events/service.ts';
import type { DeliveryRow, EndpointRow } from './models.ts';
import { nextAttemptAfterFailure } from './schedule.ts';
import type { WebhookDeliveryObject, WebhookEndpointObject } from './schema.ts';
import { SEND_TIMEOUT_MS, sendEvent, type SendResult } from './send.ts';
import { deliveryObject, endpointObject, findEndpoint, stopPendingDeliveries } from './service.ts';

/** Deliveries per batch: sent concurrently, so a batch lasts at most about one send timeout. */
export const DELIVERY_BATCH_SIZE = 50;
/** A claimed delivery is left alone this long; a worker that dies mid-attempt gives it back then. */
const CLAIM_MS = SEND_TIMEOUT_MS + 50_000;
const ENDPOINT_DISABLED = 'The endpoint was disabled.';

/** What the account owner is told about (notifications wire an email to it). */
export interface DisabledEndpoint {
  workspace: WorkspaceRef;
  endpoint: WebhookEndpointObject;
  /** The first attempt of the delivery that failed for good. */
  failingSince: Date;
  now: Date;
}

export interface DelivererOptions {
  secrets: SecretBox;
  /** Called in the transaction that disables an endpoint after persistent failure. */
  notifyOwner?: ((db: Executor, disabled: DisabledEndpoint) => Promise<void>) | undefined;
  batchSize?: number;
}

export function webhookDeliverer(options: DelivererOptions): DueWork {
  const batchSize = options.batchSize ?? DELIVERY_BATCH_SIZE;
  return {
    name: 'webhooks.deliver',
    batchSize,
    idleMs: 1000,
    runBatch: (db, now) => deliverDue(db, now, options, batchSize),
  };
}

/**
 * Claims up to `limit` due deliveries: counts their attempt and moves their next attempt
 * past the claim, in one statement that commits at once (no lock is held while sending).
 */
async function claimDue(db: Kysely<Database>, now: Date, limit: number): Promise<DeliveryRow[]> {
  const claimedUntil = new Date(now.getTime() + CLAIM_MS);
  const { rows } = await sql<DeliveryRow>`
    UPDATE webhook_deliveries d
    SET attempts = d.attempts + 1, first_attempt_at = coalesce(d.first_attempt_at, ${now}::timestamptz),
        last_attempt_at = ${now}::timestamptz, next_attempt_at = ${claimedUntil}::timestamptz
    FROM (
      SELECT workspace_id, id FROM webhook_deliveries
      WHERE status = 'pending' AND next_attempt_at <= ${now}::timestamptz
      ORDER BY next_attempt_at
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    ) due
    WHERE d.workspace_id = due.workspace_id AND d.id = due.id
    RETURNING d.*`.execute(db);
  return rows;
}

const keyOf = (workspaceId: string, id: string) => `${workspaceId}/${id}`;

function distinctKeys(keys: WorkspaceKey[]): WorkspaceKey[] {
  return [...new Map(keys.map((k) => [keyOf(k.workspace_id, k.id), k])).values()];
}

type EventWithWorkspace = EventRow & { mode: WorkspaceRef['mode']; account_id: string };

/** The claimed deliveries' endpoints and events (with their workspace), one query each. */
async function loadTargets(db: Kysely<Database>, claimed: DeliveryRow[]) {
  const endpoints = await db
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where(inWorkspaceKeys(distinctKeys(claimed.map((d) => ({ workspace_id: d.workspace_id, id: d.endpoint_id })))))
    .execute();
  const events: EventWithWorkspace[] = await db
    .selectFrom('events as e')
    .innerJoin('workspaces as w', 'w.id', 'e.workspace_id')
    .selectAll('e')
    .select(['w.mode', 'w.account_id'])
    .where(inWorkspaceKeys(distinctKeys(claimed.map((d) => ({ workspace_id: d.workspace_id, id: d.event_id }))), 'e.id', 'e.workspace_id'))
    .execute();
  return {
    endpoints: new Map<string, EndpointRow>(endpoints.map((e) => [keyOf(e.workspace_id, e.id), e])),
    events: new Map<string, EventWithWorkspace>(events.map((e) => [keyOf(e.workspace_id, e.id), e])),
  };
}

function workspaceOf(event: EventWithWorkspace): WorkspaceRef {
  return { id: event.workspace_id, accountId: event.account_id, mode: event.mode };
}

/** The answer's part of a delivery row. */
function answerColumns(result: SendResult) {
  return { last_status_code: result.statusCode, last_error: result.error, last_response: result.response };
}

interface Attempt {
  delivery: DeliveryRow;
  workspace: WorkspaceRef;
  /** null: not sent, because the endpoint was disabled after the delivery was queued. */
  result: SendResult | null;
}

async function attemptAll(db: Kysely<Database>, claimed: DeliveryRow[], now: Date, secrets: SecretBox): Promise<Attempt[]> {
  const targets = await loadTargets(db, claimed);
  const payloads = new Map<string, string>();
  const keys = new Map<string, string>();
  const attempts = claimed.map(async (delivery): Promise<Attempt | null> => {
    const endpoint = targets.endpoints.get(keyOf(delivery.workspace_id, delivery.endpoint_id));
    const event = targets.events.get(keyOf(delivery.workspace_id, delivery.event_id));
    // Deleted since it was claimed (its deliveries went with it): nothing to send or record.
    if (!endpoint || !event) return null;
    const workspace = workspaceOf(event);
    if (endpoint.status !== 'enabled') return { delivery, workspace, result: null };
    // Several endpoints often get one event: serialize it and open each secret once per batch.
    let payload = payloads.get(event.id);
    if (payload === undefined) {
      payload = JSON.stringify(eventObject(event, workspace));
      payloads.set(event.id, payload);
    }
    let secret = keys.get(endpoint.id);
    if (secret === undefined) {
      secret = secrets.open(endpoint.secret_sealed);
      keys.set(endpoint.id, secret);
    }
    return { delivery, workspace, result: await sendEvent(endpoint.url, payload, secret, now) };
  });
  return (await Promise.all(attempts)).filter((a): a is Attempt => a !== null);
}

/** What an automatic attempt leaves on its delivery. */
function afterAttempt({ delivery, result }: Attempt, now: Date) {
  const base = { workspace_id: delivery.workspace_id, id: delivery.id, attempts: delivery.attempts };
  if (result === null) return { ...base, status: 'failed', next_attempt_at: null, delivered_at: null, last_status_code: null, last_error: ENDPOINT_DISABLED, last_response: null };
  if (result.ok) return { ...base, status: 'succeeded', next_attempt_at: null, delivered_at: now.toISOString(), ...answerColumns(result) };
  const next = nextAttemptAfterFailure(delivery.first_attempt_at ?? now, delivery.attempts, now);
  return { ...base, status: next ? 'pending' : 'failed', next_attempt_at: next?.toISOString() ?? null, delivered_at: null, ...answerColumns(result) };
}

const RESULT_COLUMNS = {
  workspace_id: 'text',
  id: 'text',
  attempts: 'integer',
  status: 'text',
  next_attempt_at: 'timestamptz',
  delivered_at: 'timestamptz',
  last_status_code: 'integer',
  last_error: 'text',
  last_response: 'text',
} as const;

async function deliverDue(db: Kysely<Database>, now: Date, options: DelivererOptions, limit: number): Promise<number> {
  const claimed = await claimDue(db, now, limit);
  if (claimed.length === 0) return 0;
  const attempts = await attemptAll(db, claimed, now, options.secrets);
  const rows = attempts.map((a) => afterAttempt(a, now));
  await db.transaction().execute(async (tx) => {
    // Matched on the attempt count too: a manual retry made meanwhile has the last word.
    if (rows.length > 0) await bulkUpdate('webhook_deliveries', ['workspace_id', 'id', 'attempts'], RESULT_COLUMNS, rows).execute(tx);
    const givenUp = attempts.filter((a, i) => a.result !== null && rows[i]?.status === 'failed');
    await disableDeadEndpoints(tx, givenUp, now, options);
  });
  return claimed.length;
}

/**
 * A delivery that has failed for good (every attempt over three days) disables its endpoint
 * when nothing else reached it since that delivery's first attempt: the endpoint is gone
 * or broken, and keeping it would only pile up failures. The owner is told.
 */
async function disableDeadEndpoints(tx: Executor, givenUp: Attempt[], now: Date, options: DelivererOptions): Promise<void> {
  const failingSince = new Map<string, { attempt: Attempt; since: Date }>();
  for (const attempt of givenUp) {
    const key = keyOf(attempt.delivery.workspace_id, attempt.delivery.endpoint_id);
    const since = attempt.delivery.first_attempt_at ?? now;
    const known = failingSince.get(key);
    if (!known || since < known.since) failingSince.set(key, { attempt, since });
  }
  for (const { attempt, since } of failingSince.values()) {
    const { workspace } = attempt;
    const endpointId = attempt.delivery.endpoint_id;
    const reached = await tx
      .selectFrom('webhook_deliveries')
      .select('id')
      .where('workspace_id', '=', workspace.id)
      .where('endpoint_id', '=', endpointId)
      .where('status', '=', 'succeeded')
      .where('delivered_at', '>=', since)
      .limit(1)
      .executeTakeFirst();
    if (reached) continue;
    const row = await tx
      .updateTable('webhook_endpoints')
      .set({ status: 'disabled', disabled_at: now })
      .where('workspace_id', '=', workspace.id)
      .where('id', '=', endpointId)
      .where('status', '=', 'enabled')
      .returningAll()
      .executeTakeFirst();
    if (!row) continue;
    await stopPendingDeliveries(tx, workspace.id, endpointId);
    const endpoint = endpointObject(row, workspace);
    const pending = newPendingWrites();
    recordEvent({ workspace, requestId: null, idempotencyKey: null, pending }, 'webhook_endpoint.disabled', endpoint);
    await flushPendingWrites(tx, pending);
    await options.notifyOwner?.(tx, { workspace, endpoint, failingSince: since, now });
  }
}

/**
 * POST /v1/webhook_deliveries/:id/retry: one more attempt now, whatever the delivery's
 * status (also to a disabled endpoint: it is an explicit request). Success marks it
 * succeeded; a failure changes only the recorded answer, not the schedule.
 */
export async function retryDelivery(ctx: RequestContext, id: string): Promise<WebhookDeliveryObject> {
  const query = ctx.db.selectFrom('webhook_deliveries').selectAll().where('workspace_id', '=', ctx.workspace.id).where('id', '=', id).forUpdate();
  const delivery = hasPrefix(id, 'webhookDelivery') ? await query.executeTakeFirst() : undefined;
  if (!delivery) throw resourceMissing('webhook_delivery', id);
  const endpoint = await findEndpoint(ctx, delivery.endpoint_id);
  const event = await ctx.db
    .selectFrom('events')
    .selectAll()
    .where('workspace_id', '=', ctx.workspace.id)
    .where('id', '=', delivery.event_id)
    .executeTakeFirstOrThrow();
  const now = new Date();
  const result = await sendEvent(endpoint.url, JSON.stringify(eventObject(event, ctx.workspace)), ctx.secrets.open(endpoint.secret_sealed), now);
  const updated = await ctx.db
    .updateTable('webhook_deliveries')
    .set({
      attempts: delivery.attempts + 1,
      first_attempt_at: delivery.first_attempt_at ?? now,
      last_attempt_at: now,
      ...answerColumns(result),
      ...(result.ok ? { status: 'succeeded' as const, next_attempt_at: null, delivered_at: now } : {}),
    })
    .where('workspace_id', '=', ctx.workspace.id)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return deliveryObject({ ...updated, event_type: event.type }, ctx.workspace);
}
