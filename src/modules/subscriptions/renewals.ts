/**
 * The billing run's step for due subscriptions: one batch, locked with SKIP LOCKED, each
 * subscription taking the step due at `now` (lifecycle.ts): renew (the next period's
 * invoice, made exactly once per period by the invoices_cycle unique index), end a trial,
 * cancel, expire, warn of a trial's end, resume collection. Everything a batch writes goes
 * out in a few multi-row statements.
 */
import { sql, type SqlBool } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { Gateways } from '../payments/gateways/registry.ts';
import { bulkUpdate } from '../../db/bulk.ts';
import type { WorkspaceRef } from '../../server/context.ts';
import { flushPendingWrites, newPendingWrites } from '../../server/unit-of-work.ts';
import { recordEvent, recordUpdate } from '../events/service.ts';
import { chargeAndFinalize, type Settlement } from '../billing/invoices/settle.ts';
import { buildInvoice, DRAFT_WINDOW_MS, recordInvoiceEvent, type BillingContext } from '../billing/invoices/lifecycle.ts';
import { billingKey, loadBillingData, type BillingData } from './billing-data.ts';
import { activeDiscounts, itemLines, pendingItemLines, remainingDiscounts } from './invoicing.ts';
import { dueStep, nextActionAt, type DueStep } from './lifecycle.ts';
import { markCanceled, type SubscriptionRow } from './models.ts';
import { subscriptionObject, PriceObjects } from './objects.ts';
import { periodContaining } from './periods.ts';
import { advanceSchedules } from './schedules/service.ts';
import { prorateSpan } from './proration.ts';
import { fromUnixSeconds, unixSeconds } from '../../lib/time.ts';

/** Which subscriptions a run looks at: all real-time ones, or one test clock's. */
export type BillingScope = { kind: 'live' } | { kind: 'clock'; workspaceId: string; clockId: string };


export function subscriptionTimes(sub: SubscriptionRow) {
  return {
    status: sub.status,
    created: unixSeconds(sub.created_at),
    currentPeriodEnd: unixSeconds(sub.current_period_end),
    trialEnd: sub.trial_end ? unixSeconds(sub.trial_end) : null,
    trialWillEndSent: sub.trial_will_end_sent,
    cancelAt: sub.cancel_at ? unixSeconds(sub.cancel_at) : null,
    cancelAtPeriodEnd: sub.cancel_at_period_end,
    pauseCollection: sub.pause_collection,
  };
}

/** next_action_at for the row as it now stands. */
export function nextActionDate(sub: SubscriptionRow): Date | null {
  const at = nextActionAt(subscriptionTimes(sub));
  return at === null ? null : fromUnixSeconds(at);
}

/** The subscription columns the billing run changes, for bulk updates. */
export const SUBSCRIPTION_STATE_COLUMNS: Readonly<Record<string, string>> = {
  workspace_id: 'text',
  id: 'text',
  status: 'text',
  current_period_start: 'timestamptz',
  current_period_end: 'timestamptz',
  trial_will_end_sent: 'boolean',
  canceled_at: 'timestamptz',
  ended_at: 'timestamptz',
  cancellation_details: 'jsonb',
  pause_collection: 'jsonb',
  discounts: 'jsonb',
  latest_invoice_id: 'text',
  schedule_id: 'text',
  next_action_at: 'timestamptz',
  updated_at: 'timestamptz',
};

export function subscriptionState(sub: SubscriptionRow): Record<string, unknown> {
  return Object.fromEntries(Object.keys(SUBSCRIPTION_STATE_COLUMNS).map((c) => [c, sub[c as keyof SubscriptionRow]]));
}

async function lockDue(db: Executor, scope: BillingScope, now: Date, limit: number) {
  let query = db
    .selectFrom('subscriptions as s')
    .innerJoin('workspaces as w', 'w.id', 's.workspace_id')
    .selectAll('s')
    .select(['w.mode', 'w.account_id'])
    .where('s.next_action_at', '<=', now)
    .orderBy('s.next_action_at')
    .limit(limit)
    .forUpdate('s')
    .skipLocked();
  query =
    scope.kind === 'live'
      ? query.where('s.test_clock_id', 'is', null).where(sql<SqlBool>`s.next_action_at IS NOT NULL`)
      : query.where('s.workspace_id', '=', scope.workspaceId).where('s.test_clock_id', '=', scope.clockId);
  return query.execute();
}

interface Work {
  sub: SubscriptionRow;
  before: SubscriptionRow;
  ctx: BillingContext;
  /** null: it moved on since it was queued (changed through the API); just requeued. */
  step: DueStep | null;
}

/**
 * Takes one batch of due subscriptions and runs each one's due step. Returns how many it
 * took. Runs inside the caller's transaction (the worker's, or a clock advance's).
 */
export async function renewDueSubscriptions(db: Executor, gateways: Gateways, now: Date, scope: BillingScope, limit: number): Promise<number> {
  const rows = await lockDue(db, scope, now, limit);
  if (rows.length === 0) return 0;
  const pending = newPendingWrites();
  const contexts = new Map<string, BillingContext>();
  const contextOf = (workspaceId: string, mode: WorkspaceRef['mode'], accountId: string): BillingContext => {
    let ctx = contexts.get(workspaceId);
    if (!ctx) {
      ctx = { db, gateways, workspace: { id: workspaceId, mode, accountId }, pending, requestId: null, idempotencyKey: null, gatewayErrors: 'defer' };
      contexts.set(workspaceId, ctx);
    }
    return ctx;
  };
  const nowSeconds = unixSeconds(now);
  const work: Work[] = [];
  for (const { mode, account_id, ...sub } of rows) {
    const step = dueStep(subscriptionTimes(sub), nowSeconds);
    const ctx = contextOf(sub.workspace_id, mode, account_id);
    work.push({ sub, before: { ...sub, discounts: [...sub.discounts] }, ctx, step });
  }
  // Schedules first: a phase that ends now changes the items the renewal bills.
  const scheduled = work.filter((w) => w.sub.schedule_id && (w.step?.kind === 'renew' || w.step?.kind === 'cancel'));
  const stepAt = new Map(scheduled.map((w) => [w.sub.id, fromUnixSeconds(w.step?.at ?? nowSeconds)]));
  if (scheduled.length > 0) await advanceSchedules(db, scheduled.map((w) => w.sub), (sub) => stepAt.get(sub.id) ?? now);
  const data = await loadBillingData(db, work.map((w) => w.sub), { withPendingItems: work.some((w) => w.step?.kind === 'renew') });

  const invoices: Settlement[] = [];
  const claimedItems = new Set<string>();
  for (const w of work) {
    const { sub, step } = w;
    sub.next_action_at = nextActionDate(sub);
    if (!step) continue;
    const at = fromUnixSeconds(step.at);
    sub.updated_at = now;
    switch (step.kind) {
      case 'expire':
        sub.status = 'incomplete_expired';
        break;
      case 'trial_will_end':
        sub.trial_will_end_sent = true;
        recordEvent(w.ctx, 'customer.subscription.trial_will_end', subscriptionObject(sub, data.itemsOf.get(billingKey(sub.workspace_id, sub.id)) ?? [], w.ctx.workspace));
        break;
      case 'resume_collection':
        if (sub.pause_collection?.resumes_at != null && sub.pause_collection.resumes_at <= nowSeconds) sub.pause_collection = null;
        break;
      case 'cancel':
        sub.status = 'canceled';
        sub.canceled_at = sub.canceled_at ?? at;
        sub.ended_at = at;
        break;
      case 'renew': {
        const made = renew(w, data, at, now, claimedItems);
        if (made) invoices.push(made);
        break;
      }
    }
    sub.next_action_at = nextActionDate(sub);
  }

  const numberAndWrite = await chargeAndFinalize(db, invoices, now);

  // Events for the subscriptions' own changes, then their rows.
  const prices = new Map<string, PriceObjects>();
  for (const w of work) {
    const items = data.itemsOf.get(billingKey(w.sub.workspace_id, w.sub.id)) ?? [];
    let priceObjects = prices.get(w.ctx.workspace.id);
    if (!priceObjects) prices.set(w.ctx.workspace.id, (priceObjects = new PriceObjects(w.ctx.workspace)));
    const after = subscriptionObject(w.sub, items, w.ctx.workspace, priceObjects);
    if (w.sub.status === 'canceled' && w.before.status !== 'canceled') {
      recordEvent(w.ctx, 'customer.subscription.deleted', after);
    } else {
      recordUpdate(w.ctx, 'customer.subscription.updated', subscriptionObject(w.before, items, w.ctx.workspace, priceObjects), after);
    }
  }
  pending.inserts.push(bulkUpdate('subscriptions', ['workspace_id', 'id'], SUBSCRIPTION_STATE_COLUMNS, work.map((w) => subscriptionState(w.sub))));
  // Everything that does not carry an invoice number goes first, then the numbered rest.
  await flushPendingWrites(db, pending);
  await numberAndWrite();
  await flushPendingWrites(db, pending);
  return rows.length;
}

/** The renewal of one subscription at `at` (its period end): the next period's invoice. */
function renew(w: Work, data: BillingData, at: Date, now: Date, claimedItems: Set<string>): Settlement | null {
  const { sub, ctx } = w;
  const customer = data.customers.get(billingKey(sub.workspace_id, sub.customer_id));
  const items = data.itemsOf.get(billingKey(sub.workspace_id, sub.id)) ?? [];
  if (!customer) throw new Error(`subscription ${sub.id}: customer ${sub.customer_id} not found`);
  const endingTrial = sub.status === 'trialing' && sub.trial_end !== null && sub.trial_end.getTime() <= at.getTime();
  const hasPaymentMethod = sub.default_payment_method_id !== null || customer.paymentSource !== null;
  if (endingTrial && !hasPaymentMethod && sub.collection_method === 'charge_automatically') {
    if (sub.trial_missing_payment_method === 'cancel') {
      markCanceled(sub, at, 'cancellation_requested');
      return null;
    }
    if (sub.trial_missing_payment_method === 'pause') {
      sub.status = 'paused';
      return null;
    }
  }
  if (endingTrial) sub.status = 'active';

  const period = periodContaining(unixSeconds(sub.billing_cycle_anchor), sub.interval, sub.interval_count, unixSeconds(at));
  const start = fromUnixSeconds(period.start);
  // A cancel_at inside the new period ends it there: the last renewal is prorated up to it.
  const cancelAt = sub.cancel_at !== null && sub.cancel_at.getTime() < period.end * 1000 ? unixSeconds(sub.cancel_at) : null;
  const end = fromUnixSeconds(cancelAt ?? period.end);
  const pendingItems = (data.pendingItems.get(billingKey(sub.workspace_id, sub.customer_id)) ?? []).filter(
    (item) => (item.subscription_id === sub.id || item.subscription_id === null) && item.currency === sub.currency && !claimedItems.has(item.id),
  );
  for (const item of pendingItems) claimedItems.add(item.id);
  const discounts = activeDiscounts(sub, data, start);
  const autoFinalizeAt = new Date(at.getTime() + DRAFT_WINDOW_MS);
  const invoice = buildInvoice({
    workspaceId: sub.workspace_id,
    customer,
    subscription: sub,
    currency: sub.currency,
    billingReason: 'subscription_cycle',
    period: { start: sub.current_period_start, end: sub.current_period_end },
    cyclePeriodStart: start,
    lines: [
      ...itemLines(sub, items, data, { start, end }).map((line) =>
        cancelAt === null
          ? line
          : { ...line, amount: prorateSpan({ unitAmount: line.amount, quantity: 1n, periodStart: period.start, periodEnd: period.end, spanStart: period.start, spanEnd: cancelAt }) },
      ),
      ...pendingItemLines(sub, pendingItems, data),
    ],
    discounts,
    now: at,
    autoFinalizeAt: sub.pause_collection?.behavior === 'keep_as_draft' ? null : autoFinalizeAt,
  });
  if (sub.pause_collection?.behavior === 'keep_as_draft') invoice.row.auto_advance = false;
  recordInvoiceEvent(ctx, 'invoice.created', invoice);
  sub.current_period_start = start;
  sub.current_period_end = end;
  sub.latest_invoice_id = invoice.row.id;
  sub.discounts = remainingDiscounts(sub, discounts, end);
  return {
    ctx,
    invoice,
    sub,
    finalizeNow: invoice.row.auto_advance && autoFinalizeAt.getTime() <= now.getTime(),
    customer,
    subscriptionPaymentSource: sub.default_payment_method_id ? (data.paymentSources.get(billingKey(sub.workspace_id, sub.default_payment_method_id)) ?? null) : null,
  };
}
