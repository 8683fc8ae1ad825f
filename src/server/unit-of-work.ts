import { sql, type Insertable } from 'kysely';
import type { Executor } from '../db/database.ts';
import type { AuditLogTable } from '../modules/audit/models.ts';
import type { EventsTable } from '../modules/events/models.ts';
import type { IdempotencyKeysTable } from './idempotency.ts';

/**
 * The rows every write leaves beside its own: its events (the outbox), its audit entry and
 * its idempotency record. They are collected while the write runs and inserted together in
 * one statement just before commit: same transaction, one round trip instead of three.
 */
export interface PendingWrites {
  events: Insertable<EventsTable>[];
  audit: Insertable<AuditLogTable>[];
}

export function newPendingWrites(): PendingWrites {
  return { events: [], audit: [] };
}

/**
 * Inserts the pending rows, and the idempotency record when given. Returns false when that
 * record already existed (a concurrent request with the same key committed first); the
 * caller must then roll back.
 */
export async function flushPendingWrites(
  db: Executor,
  pending: PendingWrites,
  idempotency?: Insertable<IdempotencyKeysTable>,
): Promise<boolean> {
  const inserts = [
    ...(pending.events.length > 0 ? [db.insertInto('events').values(pending.events)] : []),
    ...(pending.audit.length > 0 ? [db.insertInto('audit_log').values(pending.audit)] : []),
  ];
  pending.events = [];
  pending.audit = [];
  if (idempotency) {
    const record = db
      .insertInto('idempotency_keys')
      .values(idempotency)
      .onConflict((oc) => oc.columns(['workspace_id', 'key']).doNothing())
      .returning('key');
    const ctes = inserts.map((insert, i) => sql`${sql.raw(`w${i}`)} AS (${insert})`);
    const statement = ctes.length > 0 ? sql<{ key: string }>`WITH ${sql.join(ctes)} ${record}` : sql<{ key: string }>`${record}`;
    const { rows } = await statement.execute(db);
    return rows.length === 1;
  }
  const last = inserts.pop();
  if (!last) return true;
  const ctes = inserts.map((insert, i) => sql`${sql.raw(`w${i}`)} AS (${insert})`);
  await (ctes.length > 0 ? sql`WITH ${sql.join(ctes)} ${last}` : sql`${last}`).execute(db);
  return true;
}
