import { invalidRequest, resourceMissing } from '../../../lib/errors.ts';
import { hasPrefix, newId } from '../../../lib/ids.ts';
import { MAX_AMOUNT, parseCurrency } from '../../../lib/money.ts';
import { paginate } from '../../../lib/pagination.ts';
import { applyMetadata } from '../../../lib/params.ts';
import { livemode, type RequestContext } from '../../../server/context.ts';
import { linePriceIn } from '../../catalog/prices/line-price.ts';
import { lineAmount } from '../../catalog/tiers.ts';
import { referencedCustomer } from '../../customers/service.ts';
import { recordEvent, recordUpdate } from '../../events/service.ts';
import { checkTaxRates, loadPrices } from '../../subscriptions/references.ts';
import { billingTime } from '../../subscriptions/test-clocks/service.ts';
import type { InvoiceItemRow } from '../invoices/models.ts';
import type { CreateInvoiceItemParams, InvoiceItemObject, ListInvoiceItemsParams, UpdateInvoiceItemParams } from './schema.ts';
import { fromUnixSeconds, unixSeconds } from '../../../lib/time.ts';


export function invoiceItemObject(row: InvoiceItemRow, ctx: Pick<RequestContext, 'workspace'>): InvoiceItemObject {
  return {
    id: row.id,
    object: 'invoiceitem',
    amount: Number(row.amount),
    currency: row.currency,
    customer: row.customer_id,
    date: unixSeconds(row.created_at),
    description: row.description,
    discountable: row.discountable,
    invoice: row.invoice_id,
    livemode: livemode(ctx.workspace),
    metadata: row.metadata,
    parent: row.subscription_id ? { type: 'subscription_details', subscription_details: { subscription: row.subscription_id } } : null,
    period: { start: unixSeconds(row.period_start), end: unixSeconds(row.period_end) },
    pricing: row.price_id
      ? { type: 'price_details', price_details: { price: row.price_id, product: row.product_id ?? '' }, unit_amount_decimal: row.unit_amount_decimal }
      : null,
    proration: row.proration,
    quantity: Number(row.quantity),
    tax_rates: row.tax_rate_ids ?? [],
    test_clock: row.test_clock_id,
  };
}

async function findRow(ctx: RequestContext, id: string, lock = false): Promise<InvoiceItemRow> {
  let query = ctx.db.selectFrom('invoice_items').selectAll().where('workspace_id', '=', ctx.workspace.id).where('id', '=', id);
  if (lock) query = query.forUpdate();
  const row = hasPrefix(id, 'invoiceItem') ? await query.executeTakeFirst() : undefined;
  if (!row) throw resourceMissing('invoiceitem', id);
  return row;
}

function jsonColumns(row: InvoiceItemRow) {
  return { ...row, metadata: JSON.stringify(row.metadata) };
}

/** A pending one-off charge (or credit) for the customer's next invoice. */
export async function createInvoiceItem(ctx: RequestContext, params: CreateInvoiceItemParams): Promise<InvoiceItemObject> {
  const customer = await referencedCustomer(ctx, params.customer);
  const priceId = params.pricing?.price ?? params.price;
  if ((priceId === undefined) === (params.amount === undefined)) throw invalidRequest('Give either amount (with currency) or a price.', 'amount');
  if (params.tax_rates) await checkTaxRates(ctx, [{ ids: params.tax_rates, param: 'tax_rates' }]);
  if (params.subscription !== undefined) {
    const sub = await ctx.db.selectFrom('subscriptions').select(['customer_id']).where('workspace_id', '=', ctx.workspace.id).where('id', '=', params.subscription).executeTakeFirst();
    if (!sub || sub.customer_id !== customer.id) throw invalidRequest("The subscription must be one of the customer's.", 'subscription');
  }
  const now = await billingTime(ctx, customer.test_clock_id);
  const quantity = params.quantity ?? 1;
  let amount: bigint;
  let currency: string;
  let product: string | null = null;
  let unitAmountDecimal: string | null = null;
  if (priceId !== undefined) {
    const param = params.pricing ? 'pricing[price]' : 'price';
    const price = (await loadPrices(ctx, [{ id: priceId, param }])).get(priceId);
    if (!price) throw invalidRequest(`No such price: '${priceId}'`, param);
    if (price.type !== 'one_time') throw invalidRequest(`Invoice items take one-time prices; ${price.id} is recurring.`, param);
    currency = params.currency !== undefined ? parseCurrency(params.currency, 'currency') : (customer.currency ?? price.currency);
    const linePrice = linePriceIn(price, currency);
    if (!linePrice) throw invalidRequest(`The price ${price.id} has no amount in ${currency}.`, param);
    amount = lineAmount(linePrice, quantity);
    product = price.product_id;
    unitAmountDecimal = price.unit_amount_decimal ?? (price.unit_amount === null ? null : String(price.unit_amount));
  } else {
    if (params.currency === undefined) throw invalidRequest('An amount needs its currency.', 'currency');
    currency = parseCurrency(params.currency, 'currency');
    amount = BigInt(params.amount as number);
  }
  if (amount > MAX_AMOUNT || amount < -MAX_AMOUNT) throw invalidRequest(`The amount exceeds ${MAX_AMOUNT} minor units.`, 'quantity');
  if (customer.currency !== null && customer.currency !== currency) throw invalidRequest(`The customer is billed in ${customer.currency}.`, 'currency');
  if (params.period && params.period.end < params.period.start) throw invalidRequest('period[end] must not be before period[start].', 'period[end]');
  const row: InvoiceItemRow = {
    workspace_id: ctx.workspace.id,
    id: newId('invoiceItem', now.getTime()),
    customer_id: customer.id,
    subscription_id: params.subscription ?? null,
    subscription_item_id: null,
    invoice_id: null,
    amount,
    currency,
    description: params.description ?? null,
    price_id: priceId ?? null,
    product_id: product,
    quantity: BigInt(quantity),
    unit_amount_decimal: unitAmountDecimal,
    proration: false,
    discountable: params.discountable ?? amount > 0n,
    period_start: params.period ? fromUnixSeconds(params.period.start) : now,
    period_end: params.period ? fromUnixSeconds(params.period.end) : now,
    tax_rate_ids: params.tax_rates ?? null,
    metadata: applyMetadata({}, params.metadata),
    test_clock_id: customer.test_clock_id,
    created_at: now,
  };
  await ctx.db.insertInto('invoice_items').values(jsonColumns(row)).execute();
  const object = invoiceItemObject(row, ctx);
  recordEvent(ctx, 'invoiceitem.created', object);
  return object;
}

function pendingOnly(row: InvoiceItemRow, action: string): void {
  if (row.invoice_id !== null) throw invalidRequest(`The invoice item is on the invoice ${row.invoice_id}; it cannot be ${action}.`, undefined, 'invoice_not_editable');
}

export async function updateInvoiceItem(ctx: RequestContext, id: string, params: UpdateInvoiceItemParams): Promise<InvoiceItemObject> {
  const row = await findRow(ctx, id, true);
  pendingOnly(row, 'changed');
  if (params.tax_rates) await checkTaxRates(ctx, [{ ids: params.tax_rates, param: 'tax_rates' }]);
  if (params.quantity !== undefined && row.price_id === null) throw invalidRequest('Only an item with a price has a quantity to change.', 'quantity');
  const before = invoiceItemObject(row, ctx);
  const next: InvoiceItemRow = {
    ...row,
    amount: params.amount !== undefined ? BigInt(params.amount) : params.quantity !== undefined ? (row.amount / row.quantity) * BigInt(params.quantity) : row.amount,
    quantity: params.quantity !== undefined ? BigInt(params.quantity) : row.quantity,
    description: params.description ?? row.description,
    discountable: params.discountable ?? row.discountable,
    tax_rate_ids: params.tax_rates ?? row.tax_rate_ids,
    metadata: applyMetadata(row.metadata, params.metadata),
  };
  const { workspace_id: _w, id: _i, ...set } = jsonColumns(next);
  await ctx.db.updateTable('invoice_items').set(set).where('workspace_id', '=', ctx.workspace.id).where('id', '=', id).execute();
  const after = invoiceItemObject(next, ctx);
  recordUpdate(ctx, 'invoiceitem.updated', before, after);
  return after;
}

export async function deleteInvoiceItem(ctx: RequestContext, id: string): Promise<{ id: string; object: 'invoiceitem'; deleted: true }> {
  const row = await findRow(ctx, id, true);
  pendingOnly(row, 'deleted');
  await ctx.db.deleteFrom('invoice_items').where('workspace_id', '=', ctx.workspace.id).where('id', '=', id).execute();
  recordEvent(ctx, 'invoiceitem.deleted', invoiceItemObject(row, ctx));
  return { id, object: 'invoiceitem', deleted: true };
}

export async function retrieveInvoiceItem(ctx: RequestContext, id: string): Promise<InvoiceItemObject> {
  return invoiceItemObject(await findRow(ctx, id), ctx);
}

export async function listInvoiceItems(ctx: RequestContext, params: ListInvoiceItemsParams): Promise<{ data: InvoiceItemObject[]; hasMore: boolean }> {
  let query = ctx.db.selectFrom('invoice_items').selectAll().where('workspace_id', '=', ctx.workspace.id);
  if (params.customer) query = query.where('customer_id', '=', params.customer);
  if (params.invoice) query = query.where('invoice_id', '=', params.invoice);
  if (params.pending !== undefined) query = query.where('invoice_id', params.pending ? 'is' : 'is not', null);
  const { rows, hasMore } = await paginate(query, params, 'id');
  return { data: rows.map((row) => invoiceItemObject(row, ctx)), hasMore };
}
