import { invalidRequest, resourceMissing } from '../../lib/errors.ts';
import { hasPrefix, newId } from '../../lib/ids.ts';
import { parseCurrency } from '../../lib/money.ts';
import { paginate } from '../../lib/pagination.ts';
import { applyMetadata } from '../../lib/params.ts';
import type { RequestContext } from '../../server/context.ts';
import { buildInvoice, paymentFailed, recordInvoiceEvent } from '../billing/invoices/lifecycle.ts';
import { settleInvoices, type Settlement } from '../billing/invoices/settle.ts';
import type { DraftLine } from '../billing/invoices/compose.ts';
import { linePriceIn } from '../catalog/prices/line-price.ts';
import { lineAmount } from '../catalog/tiers.ts';
import { referencedCustomer } from '../customers/service.ts';
import { recordEvent, recordUpdate } from '../events/service.ts';
import { prorationCredits, savePendingItems } from './changes.ts';
import { billingTime } from './test-clocks/service.ts';
import { billingKey, loadBillingData, type BillingData, type PriceRow } from './billing-data.ts';
import { activeDiscounts, itemLines, pendingItemLines, remainingDiscounts, taxRatesOf } from './invoicing.ts';
import { markCanceled, type SubscriptionItemRow, type SubscriptionRow } from './models.ts';
import { subscriptionObject, type SubscriptionObject } from './objects.ts';
import { periodContaining, validateRecurring } from './periods.ts';
import { prorateSpan } from './proration.ts';
import { checkDaysUntilDue, checkItemAmount, checkPaymentMethod, checkRecurringPrice, checkTaxRates, loadPrices, redeemDiscounts } from './references.ts';
import { nextActionDate } from './renewals.ts';
import type { CancelSubscriptionParams, CreateSubscriptionParams, ListSubscriptionsParams, ResumeSubscriptionParams } from './schema.ts';
import { fromUnixSeconds, unixSeconds } from '../../lib/time.ts';


export async function findSubscriptionRow(ctx: RequestContext, id: string, options: { lock?: boolean } = {}): Promise<SubscriptionRow> {
  let query = ctx.db.selectFrom('subscriptions').selectAll().where('workspace_id', '=', ctx.workspace.id).where('id', '=', id);
  if (options.lock) query = query.forUpdate();
  const row = hasPrefix(id, 'subscription') ? await query.executeTakeFirst() : undefined;
  if (!row) throw resourceMissing('subscription', id);
  return row;
}

/** The subscription as the API shows it, from its row and (re)loaded items. */
export async function subscriptionObjectOf(ctx: RequestContext, row: SubscriptionRow, data?: BillingData): Promise<SubscriptionObject> {
  const loaded = data ?? (await loadBillingData(ctx.db, [row], { withPendingItems: false, lockCustomers: false }));
  return subscriptionObject(row, loaded.itemsOf.get(billingKey(row.workspace_id, row.id)) ?? [], ctx.workspace);
}

/** One-off lines for `add_invoice_items` (setup fees). */
function oneOffLines(sub: SubscriptionRow, adds: CreateSubscriptionParams['add_invoice_items'], prices: Map<string, PriceRow>, data: BillingData, at: Date): DraftLine[] {
  return (adds ?? []).map((add, i) => {
    const price = prices.get(add.price) as PriceRow;
    const param = `add_invoice_items[${i}][price]`;
    if (price.type !== 'one_time') throw invalidRequest(`add_invoice_items takes one-time prices; ${price.id} is recurring.`, param);
    const linePrice = linePriceIn(price, sub.currency);
    if (!linePrice) throw invalidRequest(`The price ${price.id} has no amount in ${sub.currency}.`, param);
    const quantity = add.quantity ?? 1;
    checkItemAmount(price, sub.currency, quantity, `add_invoice_items[${i}][quantity]`);
    return {
      id: newId('invoiceLine', at.getTime()),
      amount: lineAmount(linePrice, quantity),
      description: null,
      quantity: BigInt(quantity),
      priceId: price.id,
      productId: price.product_id,
      unitAmountDecimal: price.unit_amount_decimal,
      subscriptionId: sub.id,
      subscriptionItemId: null,
      invoiceItemId: null,
      proration: false,
      period: { start: unixSeconds(at), end: unixSeconds(at) },
      discountable: true,
      taxRates: taxRatesOf(sub, add.tax_rates ?? null, data),
    };
  });
}

/**
 * Makes, finalizes and (unless told not to) charges an invoice for a subscription now, with
 * `lines` and the subscription's pending invoice items; the subscription's status follows.
 */
export async function invoiceSubscriptionNow(
  ctx: RequestContext,
  sub: SubscriptionRow,
  data: BillingData,
  lines: DraftLine[],
  options: { reason: 'subscription_create' | 'subscription_update'; at: Date; period: { start: Date; end: Date }; charge: boolean },
): Promise<Settlement> {
  const customer = data.customers.get(billingKey(sub.workspace_id, sub.customer_id));
  if (!customer) throw new Error(`customer ${sub.customer_id} not loaded`);
  const pending = (data.pendingItems.get(billingKey(sub.workspace_id, sub.customer_id)) ?? []).filter((i) => i.subscription_id === sub.id && i.currency === sub.currency);
  const discounts = activeDiscounts(sub, data, options.at);
  const invoice = buildInvoice({
    workspaceId: sub.workspace_id,
    customer,
    subscription: sub,
    currency: sub.currency,
    billingReason: options.reason,
    period: options.period,
    cyclePeriodStart: null,
    lines: [...lines, ...pendingItemLines(sub, pending, data)],
    discounts,
    now: options.at,
    autoFinalizeAt: null,
  });
  const settlement: Settlement = {
    ctx,
    invoice,
    sub,
    finalizeNow: true,
    chargeNow: options.charge,
    customer,
    subscriptionPaymentSource: sub.default_payment_method_id ? (data.paymentSources.get(billingKey(sub.workspace_id, sub.default_payment_method_id)) ?? null) : null,
  };
  recordInvoiceEvent(ctx, 'invoice.created', invoice);
  await settleInvoices(ctx.db, [settlement], options.at);
  sub.latest_invoice_id = invoice.row.id;
  sub.discounts = remainingDiscounts(sub, discounts, options.period.end);
  return settlement;
}

export async function createSubscription(ctx: RequestContext, params: CreateSubscriptionParams): Promise<SubscriptionObject> {
  if (params.items.length === 0) throw invalidRequest('A subscription needs at least one item.', 'items');
  const customer = await referencedCustomer(ctx, params.customer, { lock: true });
  const now = await billingTime(ctx, customer.test_clock_id);
  const prices = await loadPrices(ctx, [
    ...params.items.map((item, i) => ({ id: item.price, param: `items[${i}][price]` })),
    ...(params.add_invoice_items ?? []).map((add, i) => ({ id: add.price, param: `add_invoice_items[${i}][price]` })),
  ]);
  const first = prices.get(params.items[0]?.price ?? '') as PriceRow;
  const currency = params.currency !== undefined ? parseCurrency(params.currency, 'currency') : (customer.currency ?? first.currency);
  if (customer.currency !== null && customer.currency !== currency) {
    throw invalidRequest(`The customer is billed in ${customer.currency}; a subscription in ${currency} cannot be added.`, 'currency');
  }
  const seen = new Set<string>();
  for (const [i, item] of params.items.entries()) {
    const price = prices.get(item.price) as PriceRow;
    const param = `items[${i}][price]`;
    checkRecurringPrice(price, currency, param, true);
    if (price.recurring_interval !== first.recurring_interval || price.recurring_interval_count !== first.recurring_interval_count) {
      throw invalidRequest('All items of a subscription must share one billing interval.', param);
    }
    if (seen.has(price.id)) throw invalidRequest(`The price ${price.id} is given twice; use quantity instead.`, param);
    checkItemAmount(price, currency, item.quantity ?? 1, `items[${i}][quantity]`);
    seen.add(price.id);
  }
  const interval = validateRecurring({ interval: first.recurring_interval, interval_count: first.recurring_interval_count }, 'items[0][price]');
  await checkTaxRates(ctx, [
    { ids: params.default_tax_rates ?? [], param: 'default_tax_rates' },
    ...params.items.map((item, i) => ({ ids: item.tax_rates ?? [], param: `items[${i}][tax_rates]` })),
    ...(params.add_invoice_items ?? []).map((add, i) => ({ ids: add.tax_rates ?? [], param: `add_invoice_items[${i}][tax_rates]` })),
  ]);
  if (params.default_payment_method) await checkPaymentMethod(ctx, params.default_payment_method, customer.id, 'default_payment_method');
  checkDaysUntilDue(params.collection_method ?? 'charge_automatically', params.days_until_due);

  const nowSeconds = unixSeconds(now);
  let trialEnd: number | null = null;
  if (params.trial_end !== undefined && params.trial_end !== 'now') {
    if (params.trial_end <= nowSeconds) throw invalidRequest('trial_end must be in the future.', 'trial_end');
    trialEnd = params.trial_end;
  } else if (params.trial_period_days) {
    trialEnd = nowSeconds + params.trial_period_days * 86400;
  }
  const anchor = params.billing_cycle_anchor ?? trialEnd ?? nowSeconds;
  if (anchor < nowSeconds) throw invalidRequest('billing_cycle_anchor must not be in the past.', 'billing_cycle_anchor');
  if (trialEnd !== null && params.billing_cycle_anchor !== undefined && params.billing_cycle_anchor < trialEnd) {
    throw invalidRequest('billing_cycle_anchor must not be before trial_end.', 'billing_cycle_anchor');
  }
  if (params.cancel_at !== undefined && params.cancel_at <= nowSeconds) throw invalidRequest('cancel_at must be in the future.', 'cancel_at');

  // The first period: the trial, or up to the anchor (prorated), or a whole period from now.
  const firstEnd = trialEnd ?? (anchor > nowSeconds ? anchor : periodContaining(anchor, interval.interval, interval.interval_count, nowSeconds).end);
  const discounts = await redeemDiscounts(ctx, params.discounts ?? [], customer.id, currency, now);
  const id = newId('subscription', now.getTime());
  const sub: SubscriptionRow = {
    workspace_id: ctx.workspace.id,
    id,
    customer_id: customer.id,
    status: trialEnd !== null ? 'trialing' : 'active',
    currency,
    interval: interval.interval,
    interval_count: interval.interval_count,
    collection_method: params.collection_method ?? 'charge_automatically',
    days_until_due: params.collection_method === 'send_invoice' ? (params.days_until_due ?? 30) : null,
    default_payment_method_id: params.default_payment_method ?? null,
    default_tax_rate_ids: params.default_tax_rates ?? [],
    description: params.description ?? null,
    billing_cycle_anchor: fromUnixSeconds(anchor),
    current_period_start: now,
    current_period_end: fromUnixSeconds(firstEnd),
    start_date: now,
    trial_start: trialEnd !== null ? now : null,
    trial_end: trialEnd !== null ? fromUnixSeconds(trialEnd) : null,
    trial_missing_payment_method: params.trial_settings?.end_behavior.missing_payment_method ?? 'create_invoice',
    trial_will_end_sent: false,
    cancel_at: params.cancel_at !== undefined ? fromUnixSeconds(params.cancel_at) : null,
    cancel_at_period_end: params.cancel_at_period_end ?? false,
    canceled_at: null,
    ended_at: null,
    cancellation_details: null,
    pause_collection: null,
    discounts,
    latest_invoice_id: null,
    schedule_id: null,
    test_clock_id: customer.test_clock_id,
    next_action_at: null,
    metadata: applyMetadata({}, params.metadata),
    created_at: now,
    updated_at: now,
  };
  const items: SubscriptionItemRow[] = params.items.map((item) => ({
    workspace_id: ctx.workspace.id,
    id: newId('subscriptionItem', now.getTime()),
    subscription_id: id,
    price_id: item.price,
    quantity: BigInt(item.quantity ?? 1),
    tax_rate_ids: item.tax_rates ?? null,
    metadata: applyMetadata({}, item.metadata),
    created_at: now,
  }));
  await ctx.db.insertInto('subscriptions').values(subscriptionInsertable(sub)).execute();
  await ctx.db.insertInto('subscription_items').values(items.map((item) => ({ ...item, metadata: JSON.stringify(item.metadata) }))).execute();
  if (customer.currency === null) {
    await ctx.db.updateTable('customers').set({ currency }).where('workspace_id', '=', ctx.workspace.id).where('id', '=', customer.id).execute();
  }

  const data = await loadBillingData(ctx.db, [sub], { withPendingItems: true });
  const period = { start: now, end: sub.current_period_end };
  const entries = data.itemsOf.get(billingKey(sub.workspace_id, sub.id)) ?? [];
  let lines: DraftLine[] = [];
  if (trialEnd !== null) {
    // A trial's first invoice is for zero (Stripe makes one too), so the history shows it.
    lines = itemLines(sub, entries, data, period).map((line) => ({ ...line, amount: 0n, description: `Trial period for ${line.description?.replace(/ \(at .*\)$/, '') ?? ''}` }));
  } else {
    const full = periodContaining(anchor, interval.interval, interval.interval_count, nowSeconds - 1);
    lines = itemLines(sub, entries, data, period).map((line) =>
      anchor > nowSeconds
        ? { ...line, amount: prorateSpan({ unitAmount: line.amount, quantity: 1n, periodStart: full.start, periodEnd: full.end, spanStart: nowSeconds, spanEnd: anchor }) }
        : line,
    );
  }
  lines.push(...oneOffLines(sub, params.add_invoice_items, prices, data, now));
  const paymentBehavior = params.payment_behavior ?? 'allow_incomplete';
  const { invoice } = await invoiceSubscriptionNow(ctx, sub, data, lines, {
    reason: 'subscription_create',
    at: now,
    period,
    charge: paymentBehavior !== 'default_incomplete',
  });
  if (invoice.row.status === 'open' && invoice.row.collection_method === 'charge_automatically' && sub.status !== 'trialing') {
    if (paymentBehavior === 'error_if_incomplete') {
      throw paymentFailed(invoice.row.last_payment_error, 'The first payment failed.');
    }
    sub.status = 'incomplete';
  }
  sub.next_action_at = nextActionDate(sub);
  await ctx.db
    .updateTable('subscriptions')
    .set({ status: sub.status, latest_invoice_id: sub.latest_invoice_id, discounts: JSON.stringify(sub.discounts), next_action_at: sub.next_action_at })
    .where('workspace_id', '=', ctx.workspace.id)
    .where('id', '=', sub.id)
    .execute();
  const object = subscriptionObject(sub, entries, ctx.workspace);
  recordEvent(ctx, 'customer.subscription.created', object);
  return object;
}

export function subscriptionInsertable(sub: SubscriptionRow) {
  return {
    ...sub,
    cancellation_details: JSON.stringify(sub.cancellation_details),
    pause_collection: JSON.stringify(sub.pause_collection),
    discounts: JSON.stringify(sub.discounts),
    metadata: JSON.stringify(sub.metadata),
  };
}

export async function retrieveSubscription(ctx: RequestContext, id: string): Promise<SubscriptionObject> {
  return subscriptionObjectOf(ctx, await findSubscriptionRow(ctx, id));
}

export async function listSubscriptions(ctx: RequestContext, params: ListSubscriptionsParams): Promise<{ data: SubscriptionObject[]; hasMore: boolean }> {
  let query = ctx.db.selectFrom('subscriptions').selectAll().where('workspace_id', '=', ctx.workspace.id);
  if (params.customer) query = query.where('customer_id', '=', params.customer);
  if (params.test_clock) query = query.where('test_clock_id', '=', params.test_clock);
  // Stripe leaves canceled subscriptions out unless asked for them.
  if (params.status === 'ended') query = query.where('status', 'in', ['canceled', 'incomplete_expired']);
  else if (params.status && params.status !== 'all') query = query.where('status', '=', params.status);
  else if (!params.status) query = query.where('status', '!=', 'canceled');
  if (params.price) {
    const price = params.price;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('subscription_items as si')
          .select('si.id')
          .whereRef('si.workspace_id', '=', 'subscriptions.workspace_id')
          .whereRef('si.subscription_id', '=', 'subscriptions.id')
          .where('si.price_id', '=', price),
      ),
    );
  }
  const { rows, hasMore } = await paginate(query, params, 'id');
  return { data: await subscriptionObjectsOf(ctx, rows), hasMore };
}

/** A page of rows as API objects, their items loaded in one batch (the list and search). */
export async function subscriptionObjectsOf(ctx: RequestContext, rows: SubscriptionRow[]): Promise<SubscriptionObject[]> {
  const data = await loadBillingData(ctx.db, rows, { withPendingItems: false, lockCustomers: false });
  return rows.map((row) => subscriptionObject(row, data.itemsOf.get(billingKey(row.workspace_id, row.id)) ?? [], ctx.workspace));
}

/** Cancels now: `prorate` credits the unused time, `invoice_now` invoices what is pending. */
export async function cancelSubscription(ctx: RequestContext, id: string, params: CancelSubscriptionParams): Promise<SubscriptionObject> {
  const sub = await findSubscriptionRow(ctx, id, { lock: true });
  if (sub.status === 'canceled' || sub.status === 'incomplete_expired') {
    throw invalidRequest(`The subscription ${id} has already ended.`, undefined, 'subscription_canceled');
  }
  const now = await billingTime(ctx, sub.test_clock_id);
  const data = await loadBillingData(ctx.db, [sub], { withPendingItems: true });
  const entries = data.itemsOf.get(billingKey(sub.workspace_id, sub.id)) ?? [];
  const before = subscriptionObject(sub, entries, ctx.workspace);
  const credits: DraftLine[] = [];
  if (params.prorate && sub.status !== 'trialing') {
    credits.push(...prorationCredits(sub, entries, data, now));
  }
  if (params.invoice_now) {
    await invoiceSubscriptionNow(ctx, sub, data, credits, { reason: 'subscription_update', at: now, period: { start: now, end: now }, charge: true });
  } else if (credits.length > 0) {
    await savePendingItems(ctx, sub, credits);
  }
  markCanceled(sub, now, 'cancellation_requested', params.cancellation_details ?? {});
  sub.updated_at = now;
  await saveSubscription(ctx, sub);
  const after = subscriptionObject(sub, entries, ctx.workspace);
  recordEvent(ctx, 'customer.subscription.deleted', after, { status: before.status });
  return after;
}

/** Writes every column of a subscription row the API changes. */
export async function saveSubscription(ctx: RequestContext, sub: SubscriptionRow): Promise<void> {
  const { workspace_id: _w, id: _i, created_at: _c, ...rest } = subscriptionInsertable(sub);
  await ctx.db.updateTable('subscriptions').set(rest).where('workspace_id', '=', sub.workspace_id).where('id', '=', sub.id).execute();
}

/** Resumes a paused subscription (status `paused`): a new period from now, invoiced now. */
export async function resumeSubscription(ctx: RequestContext, id: string, _params: ResumeSubscriptionParams): Promise<SubscriptionObject> {
  const sub = await findSubscriptionRow(ctx, id, { lock: true });
  if (sub.status !== 'paused') throw invalidRequest(`Only a paused subscription can be resumed; ${id} is ${sub.status}.`);
  const now = await billingTime(ctx, sub.test_clock_id);
  const data = await loadBillingData(ctx.db, [sub], { withPendingItems: true });
  const entries = data.itemsOf.get(billingKey(sub.workspace_id, sub.id)) ?? [];
  const before = subscriptionObject(sub, entries, ctx.workspace);
  const nowSeconds = unixSeconds(now);
  sub.status = 'active';
  sub.billing_cycle_anchor = now;
  sub.current_period_start = now;
  sub.current_period_end = fromUnixSeconds(periodContaining(nowSeconds, sub.interval, sub.interval_count, nowSeconds).end);
  await invoiceSubscriptionNow(ctx, sub, data, itemLines(sub, entries, data, { start: now, end: sub.current_period_end }), {
    reason: 'subscription_update',
    at: now,
    period: { start: now, end: sub.current_period_end },
    charge: true,
  });
  sub.next_action_at = nextActionDate(sub);
  sub.updated_at = now;
  await saveSubscription(ctx, sub);
  const after = subscriptionObject(sub, entries, ctx.workspace);
  recordEvent(ctx, 'customer.subscription.resumed', after);
  recordUpdate(ctx, 'customer.subscription.updated', before, after);
  return after;
}
