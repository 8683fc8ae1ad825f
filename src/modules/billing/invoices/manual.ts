/**
 * `POST /v1/invoices`: a draft invoice for a customer, made of their pending invoice items
 * (one-off charges) when `pending_invoice_items_behavior=include`. Finalize and pay it with
 * the invoice actions; with `auto_advance` the billing run finalizes it after an hour.
 */
import { z } from 'zod';
import { parseCurrency } from '../../../lib/money.ts';
import { applyMetadata, bool, expandParam, int, metadataParam, oneOf, str } from '../../../lib/params.ts';
import type { RequestContext } from '../../../server/context.ts';
import { referencedCustomer } from '../../customers/service.ts';
import { checkDaysUntilDue } from '../../subscriptions/references.ts';
import { billingTime } from '../../subscriptions/test-clocks/service.ts';
import type { TaxRate } from '../tax.ts';
import { invoiceItemLine } from './compose.ts';
import { buildInvoice, DRAFT_WINDOW_MS, recordInvoiceEvent } from './lifecycle.ts';
import { invoiceObject, type InvoiceObject } from './objects.ts';
import { settleInvoices } from './settle.ts';

export const createInvoiceParams = z.strictObject({
  customer: str(255),
  auto_advance: bool().optional(),
  collection_method: oneOf(['charge_automatically', 'send_invoice']).optional(),
  currency: str(10).optional(),
  days_until_due: int({ min: 0, max: 730 }).optional(),
  description: str(1500).optional(),
  metadata: metadataParam.optional(),
  pending_invoice_items_behavior: oneOf(['include', 'exclude']).optional(),
  expand: expandParam,
});
export type CreateInvoiceParams = z.output<typeof createInvoiceParams>;

export async function createInvoice(ctx: RequestContext, params: CreateInvoiceParams): Promise<InvoiceObject> {
  const customer = await referencedCustomer(ctx, params.customer, { lock: true });
  const collection = params.collection_method ?? 'charge_automatically';
  checkDaysUntilDue(collection, params.days_until_due);
  const now = await billingTime(ctx, customer.test_clock_id);
  const currency = params.currency !== undefined ? parseCurrency(params.currency, 'currency') : (customer.currency ?? 'usd');
  const items =
    params.pending_invoice_items_behavior === 'include'
      ? await ctx.db
          .selectFrom('invoice_items')
          .selectAll()
          .where('workspace_id', '=', ctx.workspace.id)
          .where('customer_id', '=', customer.id)
          .where('invoice_id', 'is', null)
          .where('currency', '=', currency)
          .orderBy('id')
          .forUpdate()
          .execute()
      : [];
  const rateIds = [...new Set(items.flatMap((i) => i.tax_rate_ids ?? []))];
  const rates = new Map<string, TaxRate>(
    rateIds.length
      ? (await ctx.db.selectFrom('tax_rates').select(['id', 'percentage', 'inclusive']).where('workspace_id', '=', ctx.workspace.id).where('id', 'in', rateIds).execute()).map((r) => [r.id, r])
      : [],
  );
  const lines = items.map((item) => invoiceItemLine(item, (item.tax_rate_ids ?? []).flatMap((id) => rates.get(id) ?? [])));
  const invoice = buildInvoice({
    workspaceId: ctx.workspace.id,
    customer: { ...customer, address: customer.address },
    subscription: null,
    currency,
    billingReason: 'manual',
    period: { start: now, end: now },
    cyclePeriodStart: null,
    lines,
    discounts: [],
    now,
    autoFinalizeAt: params.auto_advance ? new Date(now.getTime() + DRAFT_WINDOW_MS) : null,
    description: params.description ?? null,
    metadata: applyMetadata({}, params.metadata),
  });
  invoice.row.collection_method = collection;
  invoice.row.days_until_due = collection === 'send_invoice' ? (params.days_until_due ?? 30) : null;
  invoice.row.auto_advance = params.auto_advance ?? false;
  recordInvoiceEvent(ctx, 'invoice.created', invoice);
  await settleInvoices(ctx.db, [{ ctx, invoice, sub: null, finalizeNow: false }], now);
  if (customer.currency === null) {
    await ctx.db.updateTable('customers').set({ currency }).where('workspace_id', '=', ctx.workspace.id).where('id', '=', customer.id).execute();
  }
  return invoiceObject(invoice.row, invoice.lines, ctx.workspace);
}
