import { sql, type Compilable, type Insertable, type RawBuilder } from 'kysely';
import { COMMIT_MARK } from '../db/client.ts';
import type { Executor } from '../db/database.ts';
import type { AuditLogTable } from '../modules/audit/models.ts';
import type { EventsTable } from '../modules/events/models.ts';
import type { IdempotencyKeysTable } from './idempotency.ts';

/**
 * The rows every write leaves beside its own: its events (the outbox), its audit entry and
 * its idempotency record. They are collected while the write runs and inserted together in
 * one statement that also commits: same transaction, one round trip instead of four.
 *
 * A service may defer its own inserts here too (`inserts`), when it knows the whole row
 * without asking the database (it makes the id and the timestamps): a create is then a
 * single message to PostgreSQL. A deferred row is not visible to queries made before the
 * flush, so a service defers only what it does not read back.
 */
export interface PendingWrites {
  /** Inserts (and bulk updates, db/bulk.ts) deferred to the flush. */
  inserts: (Compilable | RawBuilder<unknown>)[];
  events: Insertable<EventsTable>[];
  audit: Insertable<AuditLogTable>[];
}

export function newPendingWrites(): PendingWrites {
  return { inserts: [], events: [], audit: [] };
}

function isDuplicateIdempotencyKey(error: unknown): boolean {
  const e = error as { code?: string; constraint?: string };
  return e.code === '23505' && e.constraint === 'idempotency_keys_pkey';
}

/**
 * Inserts the pending rows, and the idempotency record when given, in one statement. With
 * `commit`, that statement also commits the transaction (src/db/client.ts): it must be the
 * transaction's last. Returns false when the idempotency record already existed (a
 * concurrent request with the same key committed first); nothing is then committed and the
 * caller's transaction rolls back.
 */
export async function flushPendingWrites(
  db: Executor,
  pending: PendingWrites,
  options: { idempotency?: Insertable<IdempotencyKeysTable> | undefined; commit?: boolean } = {},
): Promise<boolean> {
  const inserts = [
    ...pending.inserts,
    ...(pending.events.length > 0 ? [db.insertInto('events').values(pending.events)] : []),
    ...(pending.audit.length > 0 ? [db.insertInto('audit_log').values(pending.audit)] : []),
    ...(options.idempotency ? [db.insertInto('idempotency_keys').values(options.idempotency)] : []),
  ];
  pending.inserts = [];
  pending.events = [];
  pending.audit = [];
  const main = inserts.pop();
  if (!main) return true;
  const ctes = inserts.map((insert, i) => sql`${sql.raw(`w${i}`)} AS (${insert})`);
  const statement = ctes.length > 0 ? sql`WITH ${sql.join(ctes)} ${main}` : sql`${main}`;
  try {
    await (options.commit ? sql`${sql.raw(COMMIT_MARK)}${statement}` : statement).execute(db);
    return true;
  } catch (error) {
    if (isDuplicateIdempotencyKey(error)) return false;
    throw error;
  }
}
