/**
 * The billing run's invoice steps: drafts whose hour is up are finalized and charged;
 * open invoices whose next payment attempt has come are charged. Batches are locked with
 * SKIP LOCKED; subscriptions whose status a payment changes are saved with their events.
 */
import { groupBy } from '../../../lib/group.ts';
import type { ChargeSource } from '../../payments/payment-methods/models.ts';
import type { Executor } from '../../../db/database.ts';
import { bulkUpdate, inWorkspaceKeys } from '../../../db/bulk.ts';
import { flushPendingWrites, newPendingWrites } from '../../../server/unit-of-work.ts';
import { recordEvent, recordUpdate, type EventContext } from '../../events/service.ts';
import type { Gateways } from '../../payments/gateways/registry.ts';
import { billingKey, loadBillingData, loadInvoiceCustomers, loadPaymentSources } from '../../subscriptions/billing-data.ts';
import type { SubscriptionRow } from '../../subscriptions/models.ts';
import { subscriptionObject } from '../../subscriptions/objects.ts';
import { nextActionDate, SUBSCRIPTION_STATE_COLUMNS, subscriptionState, type BillingScope } from '../../subscriptions/renewals.ts';
import type { BillingContext } from './lifecycle.ts';
import type { InvoiceRow } from './models.ts';
import { settleInvoices, statusAfterPayment, type Settlement } from './settle.ts';

async function lockDueInvoices(db: Executor, kind: 'finalize' | 'collect', scope: BillingScope, now: Date, limit: number) {
  const column = kind === 'finalize' ? 'automatically_finalizes_at' : 'next_payment_attempt';
  let query = db
    .selectFrom('invoices as i')
    .innerJoin('workspaces as w', 'w.id', 'i.workspace_id')
    .selectAll('i')
    .select(['w.mode', 'w.account_id'])
    .where('i.status', '=', kind === 'finalize' ? 'draft' : 'open')
    .where(`i.${column}`, '<=', now)
    .orderBy(`i.${column}`)
    .limit(limit)
    .forUpdate('i')
    .skipLocked();
  query =
    scope.kind === 'live'
      ? query.where('i.test_clock_id', 'is', null)
      : query.where('i.workspace_id', '=', scope.workspaceId).where('i.test_clock_id', '=', scope.clockId);
  return query.execute();
}

/**
 * Settles loaded invoices of any workspaces (finalizing drafts when `finalize`), then saves
 * the subscriptions whose status the payments changed. Used by the run and by the API.
 */
export async function settleExisting(
  db: Executor,
  gateways: Gateways,
  rows: readonly (InvoiceRow & { mode: 'sandbox' | 'live'; account_id: string })[],
  now: Date,
  options: { finalize: boolean; ctx?: BillingContext; chargeNow?: boolean; /** Charge this payment method rather than the default. */ source?: ChargeSource },
): Promise<Settlement[]> {
  if (rows.length === 0) return [];
  const pending = options.ctx?.pending ?? newPendingWrites();
  const lineRows = await db
    .selectFrom('invoice_lines')
    .selectAll()
    .where(inWorkspaceKeys(rows, 'invoice_id'))
    .orderBy('invoice_id')
    .orderBy('position')
    .execute();
  const linesOf = groupBy(lineRows, (line) => billingKey(line.workspace_id, line.invoice_id));
  const subKeys = rows.filter((r) => r.subscription_id).map((r) => ({ workspace_id: r.workspace_id, id: r.subscription_id as string }));
  const subs = subKeys.length
    ? await db.selectFrom('subscriptions').selectAll().where(inWorkspaceKeys(subKeys)).orderBy('workspace_id').orderBy('id').forUpdate().execute()
    : [];
  const subOf = new Map(subs.map((s) => [billingKey(s.workspace_id, s.id), s]));
  const before = new Map(subs.map((s) => [billingKey(s.workspace_id, s.id), { ...s }]));
  const [customers, paymentSources] = await Promise.all([
    loadInvoiceCustomers(db, rows.map((r) => ({ workspace_id: r.workspace_id, id: r.customer_id }))),
    loadPaymentSources(db, subs.filter((s) => s.default_payment_method_id).map((s) => ({ workspace_id: s.workspace_id, id: s.default_payment_method_id as string }))),
  ]);
  const settlements: Settlement[] = rows.map(({ mode, account_id, ...row }) => {
    const sub = row.subscription_id ? (subOf.get(billingKey(row.workspace_id, row.subscription_id)) ?? null) : null;
    return {
      ctx: options.ctx ?? { db, gateways, workspace: { id: row.workspace_id, mode, accountId: account_id }, pending, requestId: null, idempotencyKey: null, gatewayErrors: 'defer' },
      invoice: { row, lines: linesOf.get(billingKey(row.workspace_id, row.id)) ?? [] },
      sub,
      finalizeNow: options.finalize,
      isNew: false,
      ...(options.chargeNow !== undefined ? { chargeNow: options.chargeNow } : {}),
      customer: customers.get(billingKey(row.workspace_id, row.customer_id)),
      ...(options.source ? { paymentSource: options.source } : {}),
      subscriptionPaymentSource: sub?.default_payment_method_id ? (paymentSources.get(billingKey(sub.workspace_id, sub.default_payment_method_id)) ?? null) : null,
    };
  });
  await settleInvoices(db, settlements, now);
  await saveStatusChanges(db, settlements, before);
  if (!options.ctx) await flushPendingWrites(db, pending);
  return settlements;
}

async function saveStatusChanges(
  db: Executor,
  settlements: readonly { sub: SubscriptionRow | null; ctx: EventContext }[],
  before: Map<string, SubscriptionRow>,
): Promise<void> {
  const changed = new Map<string, { sub: SubscriptionRow; ctx: EventContext }>();
  for (const s of settlements) {
    if (!s.sub) continue;
    const k = billingKey(s.sub.workspace_id, s.sub.id);
    if (before.get(k)?.status !== s.sub.status) changed.set(k, { sub: s.sub, ctx: s.ctx });
  }
  if (changed.size === 0) return;
  const list = [...changed.values()];
  const data = await loadBillingData(db, list.map((c) => c.sub), { withPendingItems: false });
  for (const { sub, ctx } of list) {
    sub.updated_at = new Date();
    const items = data.itemsOf.get(billingKey(sub.workspace_id, sub.id)) ?? [];
    const old = before.get(billingKey(sub.workspace_id, sub.id)) as SubscriptionRow;
    sub.next_action_at = nextActionDate(sub);
    const after = subscriptionObject(sub, items, ctx.workspace);
    // Dunning's final action may have canceled it.
    if (sub.status === 'canceled') recordEvent(ctx, 'customer.subscription.deleted', after, { status: old.status });
    else recordUpdate(ctx, 'customer.subscription.updated', subscriptionObject(old, items, ctx.workspace), after);
  }
  list[0]?.ctx.pending.inserts.push(bulkUpdate('subscriptions', ['workspace_id', 'id'], SUBSCRIPTION_STATE_COLUMNS, list.map(({ sub }) => subscriptionState(sub))));
}

export async function finalizeDueInvoices(db: Executor, gateways: Gateways, now: Date, scope: BillingScope, limit: number): Promise<number> {
  const rows = await lockDueInvoices(db, 'finalize', scope, now, limit);
  await settleExisting(db, gateways, rows, now, { finalize: true });
  return rows.length;
}

export async function collectDueInvoices(db: Executor, gateways: Gateways, now: Date, scope: BillingScope, limit: number): Promise<number> {
  const rows = await lockDueInvoices(db, 'collect', scope, now, limit);
  await settleExisting(db, gateways, rows, now, { finalize: false });
  return rows.length;
}

/**
 * An invoice paid other than by a charge (a credit note took what was left): its
 * subscription's status follows as after a payment (past_due, unpaid or incomplete → active).
 */
export async function subscriptionAfterPaidInvoice(ctx: EventContext & { db: Executor }, invoice: InvoiceRow): Promise<void> {
  if (invoice.subscription_id === null) return;
  const sub = await ctx.db
    .selectFrom('subscriptions')
    .selectAll()
    .where('workspace_id', '=', invoice.workspace_id)
    .where('id', '=', invoice.subscription_id)
    .forUpdate()
    .executeTakeFirst();
  if (!sub) return;
  const old = { ...sub };
  sub.status = statusAfterPayment(sub.status, invoice.billing_reason, true);
  await saveStatusChanges(ctx.db, [{ sub, ctx }], new Map([[billingKey(sub.workspace_id, sub.id), old]]));
}

