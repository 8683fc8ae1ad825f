/**
 * The billing run's invariants after a phase, from the database and the test gateway's ledger
 * (which the gateway writes outside the workers' transactions, so a kill cannot take a charge
 * back): one renewal invoice per subscription period, none missing; at the gateway, one charge
 * per invoice attempt and none Recur did not record; every paid invoice with exactly one
 * successful charge of its amount and no successful charge without a paid invoice; every
 * failed invoice's next attempt on the dunning schedule (first failure + 1 day, then + 2) and
 * its subscription past_due; every subscription moved exactly one period; invoice numbers
 * gap-free; each invoice's events exactly once.
 */
import { DEFAULT_DUNNING_POLICY } from '../../src/modules/payments/dunning/schedule.ts';
import type { FaultDatabase } from './database.ts';
import { DAY, N, NUMBER_PREFIX } from './options.ts';
import { problems } from './problems.ts';
import type { PlanRow } from './seed.ts';

interface InvoiceFacts {
  id: string;
  subscription_id: string;
  status: string;
  number: string | null;
  attempt_count: number;
  amount_due: string;
  amount_paid: string;
  payment_failed_at: Date | null;
  next_payment_attempt: Date | null;
  decline_code: string | null;
  cycle_period_start: Date;
  /** Ledger rows for this invoice's period: all, succeeded, lowest and highest attempt, … */
  charges: string;
  succeeded: string;
  first_attempt: number | null;
  last_attempt: number | null;
  succeeded_amount: string | null;
  last_succeeded: boolean | null;
  last_decline_code: string | null;
  created: string;
  finalized: string;
  paid: string;
  payment_succeeded: string;
  payment_failed: string;
}

interface SubscriptionFacts extends PlanRow {
  status: string;
  current_period_start: Date;
  current_period_end: Date;
  next_action_at: Date | null;
  latest_invoice_id: string | null;
  cycle_invoices: string;
}

export interface BillingFigures {
  subscriptions: number;
  invoices: number;
  paid: number;
  open: number;
  drafts: number;
  charges: number;
  succeededCharges: number;
  failedCharges: number;
  duplicates: number;
  events: number;
}

/** The invoice a subscription of `plan` should have after `phase`: status and attempts, or none. */
function expected(plan: PlanRow, phase: 1 | 2): { status: 'paid' | 'open' | 'draft'; attempts: number } | null {
  if (plan.batch === 'B') {
    if (phase === 1) return null;
    return plan.failing ? { status: 'open', attempts: 1 } : { status: 'paid', attempts: 1 };
  }
  if (plan.draft) {
    if (phase === 1) return { status: 'draft', attempts: 0 };
    return plan.failing ? { status: 'open', attempts: 1 } : { status: 'paid', attempts: 1 };
  }
  if (!plan.failing) return { status: 'paid', attempts: 1 };
  // Phase 2's clock is past the first retry (first failure + 1 day), which fails again.
  return { status: 'open', attempts: phase === 1 ? 1 : 2 };
}

export async function checkBilling(db: FaultDatabase, workspaceId: string, phase: 1 | 2): Promise<{ violations: string[]; figures: BillingFigures }> {
  const found = problems();
  const fail = found.fail;
  const seconds = (d: Date) => Math.floor(d.getTime() / 1000);
  // Fresh statistics: analyzed while the renewals did not exist, the tables look empty to
  // the planner, which then joins the ledger to the invoices by nested loops (minutes).
  await db.pool.query('ANALYZE invoices, test_gateway_charges, events, subscriptions');
  /** Double work found: a period invoiced twice, an invoice charged twice or for an attempt it did not record. */
  let doubles = 0;

  // One renewal invoice per subscription period: the unique index says so, the count checks it.
  const duplicates = await db.count(
    `SELECT count(*) AS n FROM (SELECT 1 FROM invoices WHERE workspace_id = $1 AND billing_reason = 'subscription_cycle'
       GROUP BY subscription_id, cycle_period_start HAVING count(*) > 1) d`,
    [workspaceId],
  );
  if (duplicates > 0) fail('more than one renewal invoice for a subscription period', `${duplicates} periods`);
  doubles += duplicates;

  const invoices = (
    await db.pool.query<InvoiceFacts>(
      `WITH charges AS (
         SELECT split_part(idempotency_key, ':', 2) AS subscription_id, to_timestamp(split_part(idempotency_key, ':', 3)::bigint) AS period,
                split_part(idempotency_key, ':', 4)::int AS attempt, status, amount, decline_code
         FROM test_gateway_charges WHERE workspace_id = $1 AND idempotency_key LIKE 'renewal:%'),
       per_invoice AS (
         SELECT i.id, count(c.attempt) AS charges, count(*) FILTER (WHERE c.status = 'succeeded') AS succeeded,
                min(c.attempt) AS first_attempt, max(c.attempt) AS last_attempt,
                sum(c.amount) FILTER (WHERE c.status = 'succeeded') AS succeeded_amount,
                bool_or(c.status = 'succeeded' AND c.attempt = i.attempt_count) AS last_succeeded,
                max(c.decline_code) FILTER (WHERE c.attempt = i.attempt_count) AS last_decline_code
         FROM invoices i LEFT JOIN charges c ON c.subscription_id = i.subscription_id AND c.period = i.cycle_period_start
         WHERE i.workspace_id = $1 AND i.billing_reason = 'subscription_cycle' GROUP BY i.id),
       events_of AS (
         SELECT object_id, count(*) FILTER (WHERE type = 'invoice.created') AS created, count(*) FILTER (WHERE type = 'invoice.finalized') AS finalized,
                count(*) FILTER (WHERE type = 'invoice.paid') AS paid, count(*) FILTER (WHERE type = 'invoice.payment_succeeded') AS payment_succeeded,
                count(*) FILTER (WHERE type = 'invoice.payment_failed') AS payment_failed
         FROM events WHERE workspace_id = $1 AND type LIKE 'invoice.%' GROUP BY object_id)
       SELECT i.id, i.subscription_id, i.status, i.number, i.attempt_count, i.amount_due::text, i.amount_paid::text, i.payment_failed_at,
              i.next_payment_attempt, i.last_payment_error->>'decline_code' AS decline_code, i.cycle_period_start,
              p.charges, p.succeeded, p.first_attempt, p.last_attempt, p.succeeded_amount::text, p.last_succeeded, p.last_decline_code,
              coalesce(e.created, 0) AS created, coalesce(e.finalized, 0) AS finalized, coalesce(e.paid, 0) AS paid,
              coalesce(e.payment_succeeded, 0) AS payment_succeeded, coalesce(e.payment_failed, 0) AS payment_failed
       FROM invoices i JOIN per_invoice p ON p.id = i.id LEFT JOIN events_of e ON e.object_id = i.id
       WHERE i.workspace_id = $1 AND i.billing_reason = 'subscription_cycle'`,
      [workspaceId],
    )
  ).rows;
  const invoiceOf = new Map(invoices.map((i) => [i.subscription_id, i]));

  const subscriptions = (
    await db.pool.query<SubscriptionFacts>(
      `SELECT p.*, s.status, s.current_period_start, s.current_period_end, s.next_action_at, s.latest_invoice_id,
              (SELECT count(*) FROM invoices i WHERE i.workspace_id = s.workspace_id AND i.subscription_id = s.id AND i.billing_reason = 'subscription_cycle') AS cycle_invoices
       FROM fault_plan p JOIN subscriptions s ON s.workspace_id = $1 AND s.id = p.subscription_id`,
      [workspaceId],
    )
  ).rows;
  if (subscriptions.length !== 2 * N) fail('seeded subscriptions missing', `${subscriptions.length} of ${2 * N}`);

  for (const sub of subscriptions) {
    const want = expected(sub, phase);
    const invoice = invoiceOf.get(sub.subscription_id);
    const cycleInvoices = Number(sub.cycle_invoices);
    if (!want) {
      // Not due yet: untouched.
      if (cycleInvoices !== 0) fail('renewal invoice for a subscription not yet due', sub.subscription_id);
      if (sub.current_period_end.getTime() !== sub.period_start.getTime() || sub.status !== 'active') fail('subscription not yet due was changed', sub.subscription_id);
      continue;
    }
    if (!invoice || cycleInvoices === 0) {
      fail('renewal invoice missing', sub.subscription_id);
      continue;
    }
    if (cycleInvoices !== 1) fail('more than one renewal invoice', `${sub.subscription_id}: ${cycleInvoices}`);
    if (invoice.cycle_period_start.getTime() !== sub.period_start.getTime()) fail('renewal invoice for the wrong period', sub.subscription_id);
    // Exactly one period further, and due again at its end.
    if (
      sub.current_period_start.getTime() !== sub.period_start.getTime() ||
      sub.current_period_end.getTime() !== sub.period_end.getTime() ||
      sub.next_action_at?.getTime() !== sub.period_end.getTime()
    ) {
      fail('subscription not advanced exactly one period', `${sub.subscription_id}: ${sub.current_period_start.toISOString()}–${sub.current_period_end.toISOString()}`);
    }
    if (sub.latest_invoice_id !== invoice.id) fail('latest_invoice is not the renewal', sub.subscription_id);
    if (invoice.status !== want.status || invoice.attempt_count !== want.attempts) {
      fail('invoice not in the expected state', `${invoice.id} (${sub.batch}${sub.failing ? ', failing card' : ''}${sub.draft ? ', draft' : ''}): ${invoice.status}/${invoice.attempt_count}, expected ${want.status}/${want.attempts}`);
    }
    const wantStatus = invoice.status === 'open' ? 'past_due' : 'active';
    if (sub.status !== wantStatus) fail(`subscription status is not ${wantStatus}`, `${sub.subscription_id}: ${sub.status}`);
  }

  const retryDays = DEFAULT_DUNNING_POLICY.retryDays;
  for (const invoice of invoices) {
    const charges = Number(invoice.charges);
    const succeeded = Number(invoice.succeeded);
    // At the gateway: exactly the attempts Recur recorded, 1…attempt_count, each once (the
    // ledger's key is the attempt's idempotency key); none Recur has no record of.
    if (charges !== invoice.attempt_count || (charges > 0 && (invoice.first_attempt !== 1 || invoice.last_attempt !== invoice.attempt_count))) {
      doubles += 1;
      fail('gateway charges do not match the recorded attempts', `${invoice.id}: ${charges} charges (attempts ${invoice.first_attempt}–${invoice.last_attempt}), attempt_count ${invoice.attempt_count}`);
    }
    if (succeeded > 1) {
      doubles += 1;
      fail('charged successfully more than once', `${invoice.id}: ${succeeded}`);
    }
    if (invoice.status === 'paid') {
      if (succeeded !== 1 || invoice.last_succeeded !== true) fail('paid without a successful charge', invoice.id);
      else if (invoice.succeeded_amount !== invoice.amount_paid || invoice.amount_paid !== invoice.amount_due) {
        fail('charged amount differs from the amount paid', `${invoice.id}: charged ${invoice.succeeded_amount}, paid ${invoice.amount_paid} of ${invoice.amount_due}`);
      }
    } else if (succeeded > 0) {
      fail('successful charge without a paid invoice', `${invoice.id} (${invoice.status})`);
    }
    if (invoice.status === 'open' && invoice.attempt_count > 0) {
      // Failed: retried on the dunning schedule, counted from the first failure.
      const days = retryDays[invoice.attempt_count - 1];
      const wanted = invoice.payment_failed_at && days !== undefined ? seconds(invoice.payment_failed_at) + days * DAY : null;
      const got = invoice.next_payment_attempt ? seconds(invoice.next_payment_attempt) : null;
      if (wanted === null || got !== wanted) {
        fail('failed invoice not scheduled for its retry', `${invoice.id}: next attempt ${invoice.next_payment_attempt?.toISOString()}, first failure ${invoice.payment_failed_at?.toISOString()}, attempts ${invoice.attempt_count}`);
      }
      if (invoice.decline_code !== invoice.last_decline_code) fail('recorded error differs from the gateway\'s answer', invoice.id);
    }
    if (invoice.status === 'draft' && (invoice.attempt_count !== 0 || charges !== 0 || invoice.number !== null)) fail('draft charged or numbered', invoice.id);
    // The outbox: each step's events exactly once.
    const want = {
      created: 1,
      finalized: invoice.status === 'draft' ? 0 : 1,
      paid: invoice.status === 'paid' ? 1 : 0,
      payment_succeeded: invoice.status === 'paid' ? 1 : 0,
      payment_failed: Math.max(0, invoice.attempt_count - succeeded),
    };
    const got = { created: Number(invoice.created), finalized: Number(invoice.finalized), paid: Number(invoice.paid), payment_succeeded: Number(invoice.payment_succeeded), payment_failed: Number(invoice.payment_failed) };
    if (JSON.stringify(got) !== JSON.stringify(want)) fail('invoice events not exactly once', `${invoice.id}: ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
  }

  // Charges for nothing: keys of no renewal invoice (e.g. an invoice made twice under two ids).
  const strays = await db.count(
    `SELECT count(*) AS n FROM test_gateway_charges c WHERE c.workspace_id = $1 AND (c.idempotency_key NOT LIKE 'renewal:%' OR NOT EXISTS (
       SELECT 1 FROM invoices i WHERE i.workspace_id = c.workspace_id AND i.subscription_id = split_part(c.idempotency_key, ':', 2)
         AND i.cycle_period_start = to_timestamp(split_part(c.idempotency_key, ':', 3)::bigint)))`,
    [workspaceId],
  );
  if (strays > 0) fail('gateway charges for no renewal invoice', `${strays} charges`);
  doubles += strays;
  // Events of invoices that do not exist: an event outside its batch's transaction.
  const orphanEvents = await db.count(
    `SELECT count(*) AS n FROM events e WHERE e.workspace_id = $1 AND e.type LIKE 'invoice.%'
       AND NOT EXISTS (SELECT 1 FROM invoices i WHERE i.workspace_id = e.workspace_id AND i.id = e.object_id)`,
    [workspaceId],
  );
  if (orphanEvents > 0) fail('events of invoices that do not exist', `${orphanEvents} events`);

  // Invoice numbers: gap-free after the seeded 2N (a killed batch gave its numbers back).
  const numbered = invoices.filter((i) => i.number !== null).map((i) => Number((i.number as string).slice(NUMBER_PREFIX.length + 1)));
  const distinct = new Set(numbered);
  const lowest = Math.min(...numbered);
  const highest = Math.max(...numbered);
  const next = Number((await db.one<{ next_number: string }>(`SELECT next_number FROM invoice_numbering WHERE workspace_id = $1`, [workspaceId])).next_number);
  if (numbered.length > 0 && (distinct.size !== numbered.length || lowest !== 2 * N + 1 || highest !== 2 * N + numbered.length || next !== highest + 1)) {
    fail('invoice numbers not gap-free', `${numbered.length} numbers (${distinct.size} distinct) from ${lowest} to ${highest}, next ${next}`);
  }

  const ledger = await db.one<{ n: string; succeeded: string; failed: string }>(
    `SELECT count(*) AS n, count(*) FILTER (WHERE status = 'succeeded') AS succeeded, count(*) FILTER (WHERE status = 'failed') AS failed
     FROM test_gateway_charges WHERE workspace_id = $1`,
    [workspaceId],
  );
  const eventCount = await db.count(`SELECT count(*) AS n FROM events WHERE workspace_id = $1`, [workspaceId]);
  return {
    violations: found.list(),
    figures: {
      subscriptions: subscriptions.filter((s) => expected(s, phase) !== null).length,
      invoices: invoices.length,
      paid: invoices.filter((i) => i.status === 'paid').length,
      open: invoices.filter((i) => i.status === 'open').length,
      drafts: invoices.filter((i) => i.status === 'draft').length,
      charges: Number(ledger.n),
      succeededCharges: Number(ledger.succeeded),
      failedCharges: Number(ledger.failed),
      duplicates: doubles,
      events: eventCount,
    },
  };
}
