/**
 * Changing a subscription (POST /v1/subscriptions/:id): items, prices and quantities with
 * prorations (create_prorations → pending invoice items; always_invoice → invoiced now;
 * none), an interval change (new anchor, invoiced now with the unused-time credit),
 * trial_end=now, billing_cycle_anchor=now, cancellation at period end or at a date, pausing
 * collection, and the plain fields.
 */
import { invalidRequest } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { applyMetadata } from '../../lib/params.ts';
import type { RequestContext } from '../../server/context.ts';
import type { DraftLine } from '../billing/invoices/compose.ts';
import { buildInvoice } from '../billing/invoices/lifecycle.ts';
import { recordEvent, recordUpdate } from '../events/service.ts';
import { retryWithNewCard } from '../payments/dunning/service.ts';
import { billingKey, loadBillingData, type BillingData, type ItemWithPrice } from './billing-data.ts';
import { activeDiscounts, itemLines, itemPeriodAmount, pendingItemLines, taxRatesOf } from './invoicing.ts';
import type { SubscriptionItemRow, SubscriptionRow } from './models.ts';
import { subscriptionObject, type SubscriptionObject } from './objects.ts';
import { periodContaining } from './periods.ts';
import { prorateChange } from './proration.ts';
import { checkDaysUntilDue, checkItemAmount, checkPaymentMethod, checkRecurringPrice, checkTaxRates, loadPrices, redeemDiscounts } from './references.ts';
import { nextActionDate } from './renewals.ts';
import type { UpdateSubscriptionParams } from './schema.ts';
import { findSubscriptionRow, invoiceSubscriptionNow, saveSubscription } from './service.ts';
import { billingTime } from './test-clocks/service.ts';
import { fromUnixSeconds, unixSeconds } from '../../lib/time.ts';

const dateLabel = (at: Date) => at.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

/**
 * The proration lines of changing a subscription's items from `current` to `next` at `at`
 * (prorateChange: unchanged items have none), as invoice lines naming their item and plan.
 * Each item is prorated on its whole period amount, so tiered prices prorate like the rest.
 */
function changeProrations(sub: SubscriptionRow, current: readonly ItemWithPrice[], next: readonly ItemWithPrice[], data: BillingData, at: Date): DraftLine[] {
  const asItem = (entry: ItemWithPrice) => ({ priceId: entry.price.id, unitAmount: itemPeriodAmount(entry, sub.currency), quantity: 1n, ref: entry });
  const lines = prorateChange({
    oldItems: current.map(asItem),
    newItems: next.map(asItem),
    periodStart: unixSeconds(sub.current_period_start),
    periodEnd: unixSeconds(sub.current_period_end),
    at: unixSeconds(at),
  });
  return lines.flatMap((line) => {
    const entry = line.ref;
    if (!entry || line.amount === 0n) return [];
    const name = `${Number(entry.item.quantity)} × ${entry.productName}`;
    return [
      {
        id: newId('invoiceLine', at.getTime()),
        amount: line.amount,
        description: `${line.kind === 'unused_time' ? 'Unused time on' : 'Remaining time on'} ${name} after ${dateLabel(at)}`,
        quantity: entry.item.quantity,
        priceId: entry.price.id,
        productId: entry.price.product_id,
        unitAmountDecimal: null,
        subscriptionId: sub.id,
        subscriptionItemId: entry.item.id,
        invoiceItemId: null,
        proration: true,
        period: line.period,
        discountable: false,
        taxRates: taxRatesOf(sub, entry.item.tax_rate_ids, data),
      },
    ];
  });
}

/** Credits for the unused rest of the current period of every item (cancel with prorate). */
export function prorationCredits(sub: SubscriptionRow, entries: readonly ItemWithPrice[], data: BillingData, at: Date): DraftLine[] {
  return changeProrations(sub, entries, [], data, at);
}

/** Saves proration lines as the subscription's pending invoice items (for its next invoice). */
export async function savePendingItems(ctx: RequestContext, sub: SubscriptionRow, lines: readonly DraftLine[]): Promise<void> {
  if (lines.length === 0) return;
  const now = new Date();
  await ctx.db
    .insertInto('invoice_items')
    .values(
      lines.map((line) => ({
        workspace_id: sub.workspace_id,
        id: newId('invoiceItem', now.getTime()),
        customer_id: sub.customer_id,
        subscription_id: sub.id,
        subscription_item_id: line.subscriptionItemId,
        invoice_id: null,
        amount: line.amount,
        currency: sub.currency,
        description: line.description,
        price_id: line.priceId,
        product_id: line.productId,
        quantity: line.quantity ?? 1n,
        unit_amount_decimal: line.unitAmountDecimal,
        proration: line.proration,
        discountable: line.discountable,
        period_start: fromUnixSeconds(line.period.start),
        period_end: fromUnixSeconds(line.period.end),
        tax_rate_ids: line.taxRates.map((r) => r.id),
        metadata: '{}',
        test_clock_id: sub.test_clock_id,
        created_at: now,
      })),
    )
    .execute();
}

/** The item set after `items` params: kept, changed, added and removed items, checked. */
async function nextItems(ctx: RequestContext, sub: SubscriptionRow, current: readonly ItemWithPrice[], params: NonNullable<UpdateSubscriptionParams['items']>, now: Date) {
  const prices = await loadPrices(ctx, params.filter((p) => p.price !== undefined).map((p) => ({ id: p.price as string, param: `items[${params.indexOf(p)}][price]` })));
  const next = current.map((entry) => ({ ...entry, item: { ...entry.item } }));
  const removed: ItemWithPrice[] = [];
  for (const [i, p] of params.entries()) {
    const param = `items[${i}]`;
    if (p.id !== undefined) {
      const index = next.findIndex((e) => e.item.id === p.id);
      if (index === -1) throw invalidRequest(`The subscription has no item ${p.id}.`, `${param}[id]`);
      const entry = next[index] as ItemWithPrice;
      if (p.deleted) {
        removed.push(...next.splice(index, 1));
        continue;
      }
      if (p.price !== undefined && p.price !== entry.price.id) {
        const price = prices.get(p.price);
        if (!price) throw invalidRequest(`No such price: '${p.price}'`, `${param}[price]`);
        checkRecurringPrice(price, sub.currency, `${param}[price]`, true);
        entry.price = price;
        entry.item.price_id = price.id;
        entry.productName = await productName(ctx, sub, price.product_id);
      }
      if (p.quantity !== undefined) entry.item.quantity = BigInt(p.quantity);
      if (p.tax_rates !== undefined) entry.item.tax_rate_ids = p.tax_rates;
      if (p.metadata !== undefined) entry.item.metadata = applyMetadata(entry.item.metadata, p.metadata);
    } else {
      if (p.deleted) throw invalidRequest('deleted needs the id of the item to delete.', `${param}[deleted]`);
      if (p.price === undefined) throw invalidRequest('A new item needs a price.', `${param}[price]`);
      const price = prices.get(p.price);
      if (!price) throw invalidRequest(`No such price: '${p.price}'`, `${param}[price]`);
      checkRecurringPrice(price, sub.currency, `${param}[price]`, true);
      const item: SubscriptionItemRow = {
        workspace_id: sub.workspace_id,
        id: newId('subscriptionItem', now.getTime()),
        subscription_id: sub.id,
        price_id: price.id,
        quantity: BigInt(p.quantity ?? 1),
        tax_rate_ids: p.tax_rates ?? null,
        metadata: applyMetadata({}, p.metadata),
        created_at: now,
      };
      next.push({ item, price, productName: await productName(ctx, sub, price.product_id) });
    }
  }
  if (next.length === 0) throw invalidRequest('A subscription needs at least one item; cancel it instead.', 'items');
  for (const [i, p] of params.entries()) {
    const entry = next.find((e) => (p.id !== undefined ? e.item.id === p.id : e.price.id === p.price));
    if (entry) checkItemAmount(entry.price, sub.currency, Number(entry.item.quantity), `items[${i}][quantity]`);
  }
  const first = next[0] as ItemWithPrice;
  for (const entry of next) {
    if (entry.price.recurring_interval !== first.price.recurring_interval || entry.price.recurring_interval_count !== first.price.recurring_interval_count) {
      throw invalidRequest('All items of a subscription must share one billing interval.', 'items');
    }
    if (next.filter((e) => e.price.id === entry.price.id).length > 1) throw invalidRequest(`The price ${entry.price.id} is on two items; use quantity instead.`, 'items');
  }
  await checkTaxRates(ctx, params.map((p, i) => ({ ids: p.tax_rates ?? [], param: `items[${i}][tax_rates]` })));
  return { next, removed };
}

async function productName(ctx: RequestContext, sub: SubscriptionRow, productId: string): Promise<string> {
  const product = await ctx.db.selectFrom('products').select('name').where('workspace_id', '=', sub.workspace_id).where('id', '=', productId).executeTakeFirstOrThrow();
  return product.name;
}

export async function updateSubscription(ctx: RequestContext, id: string, params: UpdateSubscriptionParams): Promise<SubscriptionObject> {
  const sub = await findSubscriptionRow(ctx, id, { lock: true });
  if (sub.status === 'canceled' || sub.status === 'incomplete_expired') {
    throw invalidRequest(`The subscription ${id} has ended and cannot be changed.`, undefined, 'subscription_canceled');
  }
  const now = await billingTime(ctx, sub.test_clock_id);
  const nowSeconds = unixSeconds(now);
  const data = await loadBillingData(ctx.db, [sub], { withPendingItems: true });
  const current = data.itemsOf.get(billingKey(sub.workspace_id, sub.id)) ?? [];
  const before = subscriptionObject(sub, current, ctx.workspace);
  const original = { ...sub };
  let entries = current;

  if (params.default_payment_method) await checkPaymentMethod(ctx, params.default_payment_method, sub.customer_id, 'default_payment_method');
  if (params.default_tax_rates) await checkTaxRates(ctx, [{ ids: params.default_tax_rates, param: 'default_tax_rates' }]);
  if (params.cancel_at != null && params.cancel_at <= nowSeconds) throw invalidRequest('cancel_at must be in the future.', 'cancel_at');
  if (params.trial_end !== undefined && params.trial_end !== 'now' && params.trial_end <= nowSeconds) throw invalidRequest('trial_end must be in the future.', 'trial_end');

  const behavior = params.proration_behavior ?? 'create_prorations';
  const at = params.proration_date !== undefined ? fromUnixSeconds(params.proration_date) : now;
  if (at.getTime() < sub.current_period_start.getTime() || at.getTime() > sub.current_period_end.getTime()) {
    throw invalidRequest('proration_date must be within the current period.', 'proration_date');
  }
  let invoiceLines: DraftLine[] | null = null;
  let resetAnchor = params.billing_cycle_anchor === 'now' || params.trial_end === 'now';

  if (params.items) {
    const { next, removed } = await nextItems(ctx, sub, current, params.items, now);
    const intervalChange = (next[0] as ItemWithPrice).price.recurring_interval !== sub.interval || (next[0] as ItemWithPrice).price.recurring_interval_count !== sub.interval_count;
    if (intervalChange) resetAnchor = true;
    if (!resetAnchor && sub.status !== 'trialing' && behavior !== 'none') {
      const lines = changeProrations(sub, current, next, data, at);
      if (behavior === 'always_invoice') invoiceLines = lines;
      else await savePendingItems(ctx, sub, lines);
    }
    if (resetAnchor && sub.status !== 'trialing') invoiceLines = prorationCredits(sub, current, data, now);
    if (intervalChange) {
      const first = next[0] as ItemWithPrice;
      sub.interval = first.price.recurring_interval ?? sub.interval;
      sub.interval_count = first.price.recurring_interval_count ?? sub.interval_count;
    }
    await saveItems(ctx, sub, current, next, removed);
    entries = next;
  } else if (resetAnchor && sub.status !== 'trialing') {
    invoiceLines = prorationCredits(sub, current, data, now);
  }

  if (resetAnchor) {
    // A new anchor (interval change, billing_cycle_anchor=now, trial_end=now): a whole new
    // period from now, invoiced now with the credit for the old period's unused time.
    if (sub.status === 'trialing') {
      sub.status = 'active';
      sub.trial_end = now;
      // Stripe sends trial_will_end when a trial is ended early with trial_end=now too.
      if (!sub.trial_will_end_sent) recordEvent(ctx, 'customer.subscription.trial_will_end', subscriptionObject(sub, entries, ctx.workspace));
      sub.trial_will_end_sent = true;
    }
    sub.billing_cycle_anchor = now;
    sub.current_period_start = now;
    sub.current_period_end = fromUnixSeconds(periodContaining(nowSeconds, sub.interval, sub.interval_count, nowSeconds).end);
    data.itemsOf.set(billingKey(sub.workspace_id, sub.id), entries);
    invoiceLines = [...(invoiceLines ?? []), ...itemLines(sub, entries, data, { start: now, end: sub.current_period_end })];
  } else if (params.trial_end !== undefined && params.trial_end !== 'now') {
    sub.trial_end = fromUnixSeconds(params.trial_end);
    sub.current_period_end = sub.trial_end;
    sub.status = 'trialing';
  }

  if (params.discounts !== undefined) sub.discounts = await redeemDiscounts(ctx, params.discounts, sub.customer_id, sub.currency, now);
  if (params.cancel_at_period_end !== undefined) {
    sub.cancel_at_period_end = params.cancel_at_period_end;
    sub.canceled_at = params.cancel_at_period_end ? now : null;
  }
  if (params.cancel_at !== undefined) {
    sub.cancel_at = params.cancel_at === null ? null : fromUnixSeconds(params.cancel_at);
    sub.canceled_at = params.cancel_at === null ? (sub.cancel_at_period_end ? sub.canceled_at : null) : now;
  }
  if (params.cancellation_details) {
    sub.cancellation_details = {
      comment: params.cancellation_details.comment ?? null,
      feedback: params.cancellation_details.feedback ?? null,
      reason: 'cancellation_requested',
    };
  }
  if (params.pause_collection !== undefined) {
    sub.pause_collection = params.pause_collection === null ? null : { behavior: params.pause_collection.behavior, resumes_at: params.pause_collection.resumes_at ?? null };
  }
  if (params.default_payment_method !== undefined) sub.default_payment_method_id = params.default_payment_method;
  if (params.default_tax_rates !== undefined) sub.default_tax_rate_ids = params.default_tax_rates;
  if (params.description !== undefined) sub.description = params.description;
  if (params.metadata !== undefined) sub.metadata = applyMetadata(sub.metadata, params.metadata);
  const collectionMethod = params.collection_method ?? sub.collection_method;
  checkDaysUntilDue(collectionMethod, params.days_until_due);
  sub.collection_method = collectionMethod;
  sub.days_until_due = collectionMethod === 'send_invoice' ? (params.days_until_due ?? sub.days_until_due ?? 30) : null;

  if (invoiceLines !== null) {
    // New defaults need their tax rates and the payment method's gateway reference loaded.
    const reloaded = params.default_payment_method || params.default_tax_rates ? await loadBillingData(ctx.db, [sub], { withPendingItems: true }) : data;
    reloaded.itemsOf.set(billingKey(sub.workspace_id, sub.id), entries);
    await invoiceSubscriptionNow(ctx, sub, reloaded, invoiceLines, {
      reason: 'subscription_update',
      at: now,
      period: { start: original.current_period_start, end: now },
      charge: true,
    });
  }
  sub.next_action_at = nextActionDate(sub);
  sub.updated_at = now;
  await saveSubscription(ctx, sub);
  const after = subscriptionObject(sub, entries, ctx.workspace);
  recordUpdate(ctx, 'customer.subscription.updated', before, after);
  if (params.default_payment_method && params.default_payment_method !== original.default_payment_method_id) {
    // Its new card pays what dunning is waiting for, now (the status change is its own event).
    const settled = await retryWithNewCard(ctx, { customerId: sub.customer_id, subscriptionId: sub.id, testClockId: sub.test_clock_id });
    const status = settled.find((s) => s.sub?.id === sub.id)?.sub?.status;
    if (status && status !== sub.status) return subscriptionObject({ ...sub, status }, entries, ctx.workspace);
  }
  return after;
}

async function saveItems(ctx: RequestContext, sub: SubscriptionRow, current: readonly ItemWithPrice[], next: readonly ItemWithPrice[], removed: readonly ItemWithPrice[]): Promise<void> {
  if (removed.length > 0) {
    await ctx.db.deleteFrom('subscription_items').where('workspace_id', '=', sub.workspace_id).where('id', 'in', removed.map((e) => e.item.id)).execute();
  }
  for (const entry of next) {
    const old = current.find((e) => e.item.id === entry.item.id);
    const values = { price_id: entry.item.price_id, quantity: entry.item.quantity, tax_rate_ids: entry.item.tax_rate_ids, metadata: JSON.stringify(entry.item.metadata) };
    if (!old) await ctx.db.insertInto('subscription_items').values({ ...entry.item, metadata: values.metadata }).execute();
    else if (JSON.stringify({ ...old.item, quantity: String(old.item.quantity) }) !== JSON.stringify({ ...entry.item, quantity: String(entry.item.quantity) })) {
      await ctx.db.updateTable('subscription_items').set(values).where('workspace_id', '=', sub.workspace_id).where('id', '=', entry.item.id).execute();
    }
  }
}

/**
 * What a change would invoice, without making it (POST /v1/invoices/create_preview): the
 * proration lines, and with create_prorations the next renewal they would join.
 */
export async function previewSubscriptionChange(
  ctx: RequestContext,
  id: string,
  details: { items?: NonNullable<UpdateSubscriptionParams['items']>; proration_behavior?: 'create_prorations' | 'always_invoice' | 'none'; proration_date?: number },
) {
  const sub = await findSubscriptionRow(ctx, id);
  const now = await billingTime(ctx, sub.test_clock_id);
  const data = await loadBillingData(ctx.db, [sub], { withPendingItems: true, lockCustomers: false });
  const current = data.itemsOf.get(billingKey(sub.workspace_id, sub.id)) ?? [];
  const at = details.proration_date !== undefined ? fromUnixSeconds(details.proration_date) : now;
  const behavior = details.proration_behavior ?? 'create_prorations';
  let next = current;
  let lines: DraftLine[] = [];
  if (details.items) {
    const changed = await nextItems(ctx, sub, current, details.items, now);
    next = changed.next;
    if (sub.status !== 'trialing' && behavior !== 'none') lines = changeProrations(sub, current, next, data, at);
  }
  const pending = pendingItemLinesFor(sub, data);
  const nextPeriod = periodContaining(unixSeconds(sub.billing_cycle_anchor), sub.interval, sub.interval_count, unixSeconds(sub.current_period_end));
  const renewal =
    behavior === 'always_invoice'
      ? []
      : itemLines(sub, next, data, { start: sub.current_period_end, end: fromUnixSeconds(nextPeriod.end) });
  const customer = data.customers.get(billingKey(sub.workspace_id, sub.customer_id));
  if (!customer) throw new Error('customer not loaded');
  return buildInvoice({
    workspaceId: sub.workspace_id,
    customer,
    subscription: sub,
    currency: sub.currency,
    billingReason: behavior === 'always_invoice' ? 'subscription_update' : 'subscription_cycle',
    period: { start: sub.current_period_start, end: sub.current_period_end },
    cyclePeriodStart: behavior === 'always_invoice' ? null : sub.current_period_end,
    lines: [...lines, ...pending, ...renewal],
    discounts: activeDiscounts(sub, data, behavior === 'always_invoice' ? now : sub.current_period_end),
    now,
    autoFinalizeAt: null,
  });
}

function pendingItemLinesFor(sub: SubscriptionRow, data: BillingData): DraftLine[] {
  const items = (data.pendingItems.get(billingKey(sub.workspace_id, sub.customer_id)) ?? []).filter((i) => i.subscription_id === sub.id || i.subscription_id === null);
  return pendingItemLines(sub, items, data);
}
