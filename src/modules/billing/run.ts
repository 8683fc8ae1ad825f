/**
 * The billing run: renewals, then drafts to finalize, then payments due, as background work
 * (any number of workers share the queues with SKIP LOCKED) and as a test clock's advance
 * (everything due up to the new time, in time order).
 */
import { sql, type Kysely } from 'kysely';
import type { Database, Executor } from '../../db/database.ts';
import type { DueWork } from '../../worker/runner.ts';
import { renewDueSubscriptions } from '../subscriptions/renewals.ts';
import type { Gateways } from '../payments/gateways/registry.ts';
import { collectDueInvoices, finalizeDueInvoices } from './invoices/due.ts';

/** Rows per batch: big enough that a batch's few statements carry hundreds of renewals. */
export const BILLING_BATCH_SIZE = 500;

/**
 * A batch in its own transaction. Its COMMIT is not carried by the last statement (as API
 * writes do): that would inline a batch's thousands of values as literals, which costs more
 * CPU than the round trip it saves.
 */
function inTransaction(db: Kysely<Database>, step: (tx: Executor) => Promise<number>): Promise<number> {
  return db.transaction().execute(step);
}

/**
 * The billing run's three queues as background work, charging through `gateways`.
 */
export function billingWork(gateways: Gateways, batchSize = BILLING_BATCH_SIZE): DueWork[] {
  return [
    {
      name: 'billing.renewals',
      batchSize,
      idleMs: 1000,
      runBatch: (db, now) => inTransaction(db, (tx) => renewDueSubscriptions(tx, gateways, now, { kind: 'live' }, batchSize)),
    },
    {
      name: 'billing.finalize',
      batchSize,
      idleMs: 1000,
      runBatch: (db, now) => inTransaction(db, (tx) => finalizeDueInvoices(tx, gateways, now, { kind: 'live' }, batchSize)),
    },
    {
      name: 'billing.collect',
      batchSize,
      idleMs: 1000,
      runBatch: (db, now) => inTransaction(db, (tx) => collectDueInvoices(tx, gateways, now, { kind: 'live' }, batchSize)),
    },
  ];
}

/** The earliest time anything of this clock is due, or null. */
async function nextDueOnClock(db: Executor, workspaceId: string, clockId: string): Promise<Date | null> {
  const { rows } = await sql<{ at: Date | null }>`
    SELECT least(
      (SELECT min(next_action_at) FROM subscriptions WHERE workspace_id = ${workspaceId} AND test_clock_id = ${clockId} AND next_action_at IS NOT NULL),
      (SELECT min(automatically_finalizes_at) FROM invoices WHERE workspace_id = ${workspaceId} AND test_clock_id = ${clockId} AND status = 'draft'),
      (SELECT min(next_payment_attempt) FROM invoices WHERE workspace_id = ${workspaceId} AND test_clock_id = ${clockId} AND status = 'open')
    ) AS at`.execute(db);
  return rows[0]?.at ?? null;
}

/**
 * Runs everything of a test clock due up to `target`, in time order: at each instant
 * something is due, renewals first, then finalizations, then payments; then the next.
 * Runs in the caller's transaction.
 */
export async function advanceClockTo(db: Executor, gateways: Gateways, workspaceId: string, clockId: string, target: Date): Promise<void> {
  const scope = { kind: 'clock' as const, workspaceId, clockId };
  for (;;) {
    const at = await nextDueOnClock(db, workspaceId, clockId);
    if (at === null || at.getTime() > target.getTime()) return;
    let handled = 0;
    handled += await renewDueSubscriptions(db, gateways, at, scope, BILLING_BATCH_SIZE);
    handled += await finalizeDueInvoices(db, gateways, at, scope, BILLING_BATCH_SIZE);
    handled += await collectDueInvoices(db, gateways, at, scope, BILLING_BATCH_SIZE);
    if (handled === 0) throw new Error(`test clock ${clockId}: something is due at ${at.toISOString()} but no step took it`);
  }
}
