import { sql, type Compilable, type Insertable, type RawBuilder } from 'kysely';
import { COMMIT_MARK } from '../db/client.ts';
import { copyInto } from '../db/copy.ts';
import type { Executor } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
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
  /** Inserts (and bulk updates, db/bulk.ts) deferred to the flush, run in this order. */
  inserts: (Compilable | RawBuilder<unknown> | DeferredCopy)[];
  events: Insertable<EventsTable>[];
  audit: Insertable<AuditLogTable>[];
}

/** A COPY deferred to the flush (db/copy.ts): a statement of its own, not part of the flush's one. */
interface DeferredCopy {
  copy: RawBuilder<unknown>;
}

/** From this many rows, a deferred insert goes by COPY: the billing run's batches, never a request's few rows. */
const COPY_MIN_ROWS = 50;

export function newPendingWrites(): PendingWrites {
  return { inserts: [], events: [], audit: [] };
}

/** Defers inserting `rows` into `table`: by COPY when there are many, else in the flush's statement. */
export function deferRows<T extends keyof Database & string>(pending: PendingWrites, db: Executor, table: T, rows: readonly Insertable<Database[T]>[]): void {
  if (rows.length > 0) pending.inserts.push(insertion(db, table, rows));
}

/** The insert of `rows`: a COPY when there are many, else an INSERT for the flush's statement. */
function insertion<T extends keyof Database & string>(db: Executor, table: T, rows: readonly Insertable<Database[T]>[]): PendingWrites['inserts'][number] {
  const copy = rows.length >= COPY_MIN_ROWS ? copyInto(table, rows as readonly Record<string, unknown>[]) : null;
  return copy ? { copy } : db.insertInto(table).values(rows as never);
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
  const writes = [...pending.inserts];
  if (pending.events.length > 0) writes.push(insertion(db, 'events', pending.events));
  if (pending.audit.length > 0) writes.push(db.insertInto('audit_log').values(pending.audit));
  if (options.idempotency) writes.push(db.insertInto('idempotency_keys').values(options.idempotency));
  pending.inserts = [];
  pending.events = [];
  pending.audit = [];

  // Consecutive inserts share one statement; a COPY runs on its own, in its place in the order.
  let statement: (Compilable | RawBuilder<unknown>)[] = [];
  for (const write of writes) {
    if (!('copy' in write)) {
      statement.push(write);
      continue;
    }
    if (statement.length > 0) await inOneStatement(statement).execute(db);
    statement = [];
    await write.copy.execute(db);
  }
  if (statement.length === 0) return true;
  try {
    const combined = inOneStatement(statement);
    await (options.commit ? sql`${sql.raw(COMMIT_MARK)}${combined}` : combined).execute(db);
    return true;
  } catch (error) {
    if (isDuplicateIdempotencyKey(error)) return false;
    throw error;
  }
}

/** Writes as one statement: all but the last as data-modifying CTEs. */
function inOneStatement(writes: readonly (Compilable | RawBuilder<unknown>)[]): RawBuilder<unknown> {
  const main = writes.at(-1) as Compilable | RawBuilder<unknown>;
  const ctes = writes.slice(0, -1).map((insert, i) => sql`${sql.raw(`w${i}`)} AS (${insert})`);
  return ctes.length > 0 ? sql`WITH ${sql.join(ctes)} ${main}` : sql`${main}`;
}
