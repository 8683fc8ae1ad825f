import { invalidRequest, resourceMissing } from '../../../lib/errors.ts';
import { groupBy } from '../../../lib/group.ts';
import type { ChargeSource } from '../../payments/payment-methods/models.ts';
import { customerPaymentSource } from '../../payments/payment-methods/service.ts';
import { hasPrefix } from '../../../lib/ids.ts';
import { paginate } from '../../../lib/pagination.ts';
import type { RequestContext } from '../../../server/context.ts';
import { KeptFailure } from '../../../server/route.ts';
import { billingTime } from '../../subscriptions/test-clocks/service.ts';
import { settleExisting } from './due.ts';
import { paymentFailed, recordInvoiceEvent } from './lifecycle.ts';
import type { InvoiceLineRow, InvoiceRow } from './models.ts';
import { invoiceObject, type InvoiceObject } from './objects.ts';
import type { ListInvoicesParams } from './schema.ts';

async function findRow(ctx: RequestContext, id: string, options: { lock?: boolean } = {}): Promise<InvoiceRow> {
  let query = ctx.db.selectFrom('invoices').selectAll().where('workspace_id', '=', ctx.workspace.id).where('id', '=', id);
  if (options.lock) query = query.forUpdate();
  const row = hasPrefix(id, 'invoice') ? await query.executeTakeFirst() : undefined;
  if (!row) throw resourceMissing('invoice', id);
  return row;
}

async function linesOf(ctx: RequestContext, ids: readonly string[]): Promise<Map<string, InvoiceLineRow[]>> {
  if (ids.length === 0) return new Map();
  const rows = await ctx.db.selectFrom('invoice_lines').selectAll().where('workspace_id', '=', ctx.workspace.id).where('invoice_id', 'in', ids).orderBy('invoice_id').orderBy('position').execute();
  return groupBy(rows, (row) => row.invoice_id);
}

export async function invoiceWithLines(ctx: RequestContext, id: string): Promise<{ row: InvoiceRow; lines: InvoiceLineRow[] }> {
  const row = await findRow(ctx, id);
  return { row, lines: (await linesOf(ctx, [id])).get(id) ?? [] };
}

export async function retrieveInvoice(ctx: RequestContext, id: string): Promise<InvoiceObject> {
  const { row, lines } = await invoiceWithLines(ctx, id);
  return invoiceObject(row, lines, ctx.workspace);
}

export async function listInvoices(ctx: RequestContext, params: ListInvoicesParams): Promise<{ data: InvoiceObject[]; hasMore: boolean }> {
  let query = ctx.db.selectFrom('invoices').selectAll().where('workspace_id', '=', ctx.workspace.id);
  if (params.customer) query = query.where('customer_id', '=', params.customer);
  if (params.subscription) query = query.where('subscription_id', '=', params.subscription);
  if (params.status) query = query.where('status', '=', params.status);
  if (params.collection_method) query = query.where('collection_method', '=', params.collection_method);
  if (params.attempted !== undefined) query = query.where('attempted', '=', params.attempted);
  const { rows, hasMore } = await paginate(query, params, 'id');
  const lines = await linesOf(ctx, rows.map((r) => r.id));
  return { data: rows.map((row) => invoiceObject(row, lines.get(row.id) ?? [], ctx.workspace)), hasMore };
}

const wrongStatus = (row: InvoiceRow, action: string) =>
  invalidRequest(`This invoice is ${row.status}; it cannot be ${action}.`, undefined, 'invoice_not_editable');

async function settle(ctx: RequestContext, row: InvoiceRow, finalize: boolean, chargeNow: boolean, source?: ChargeSource): Promise<InvoiceObject> {
  const now = await billingTime(ctx, row.test_clock_id);
  const [settlement] = await settleExisting(ctx.db, ctx.gateways, [{ ...row, mode: ctx.workspace.mode, account_id: ctx.workspace.accountId }], now, {
    finalize,
    ctx,
    chargeNow,
    ...(source ? { source } : {}),
  });
  if (!settlement) throw new Error('settlement missing');
  return invoiceObject(settlement.invoice.row, settlement.invoice.lines, ctx.workspace);
}

/** Draft → open: numbered, the customer balance applied; charged by the billing run. */
export async function finalizeInvoice(ctx: RequestContext, id: string): Promise<InvoiceObject> {
  const row = await findRow(ctx, id, { lock: true });
  if (row.status !== 'draft') throw wrongStatus(row, 'finalized');
  return settle(ctx, row, true, false);
}

/**
 * Charges an open invoice now (a draft is finalized first); a failed charge is a 402 that
 * keeps the attempt (its count, error and event, a draft's finalization), as Stripe's does:
 * the gateway remembers the attempt's idempotency key, so the next attempt needs the next key.
 */
export async function payInvoice(ctx: RequestContext, id: string, params: { payment_method?: string | undefined } = {}): Promise<InvoiceObject> {
  const row = await findRow(ctx, id, { lock: true });
  if (row.status !== 'open' && row.status !== 'draft' && row.status !== 'uncollectible') throw wrongStatus(row, 'paid');
  const source = params.payment_method === undefined ? undefined : await customerPaymentSource(ctx, row.customer_id, params.payment_method);
  const invoice = await settle(ctx, row, row.status === 'draft', true, source);
  if (invoice.status !== 'paid') throw new KeptFailure(paymentFailed(invoice.last_payment_error, 'The payment failed.'));
  return invoice;
}

async function closeInvoice(ctx: RequestContext, id: string, to: 'void' | 'uncollectible'): Promise<InvoiceObject> {
  const row = await findRow(ctx, id, { lock: true });
  const allowed = to === 'void' ? row.status === 'open' || row.status === 'uncollectible' : row.status === 'open';
  if (!allowed) throw wrongStatus(row, to === 'void' ? 'voided' : 'marked uncollectible');
  const now = await billingTime(ctx, row.test_clock_id);
  const updated = await ctx.db
    .updateTable('invoices')
    .set(
      to === 'void'
        ? { status: 'void', voided_at: now, next_payment_attempt: null, updated_at: now }
        : { status: 'uncollectible', marked_uncollectible_at: now, next_payment_attempt: null, updated_at: now },
    )
    .where('workspace_id', '=', ctx.workspace.id)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  // Voiding gives back the customer balance the invoice had taken (Stripe, since 2019-12-03).
  const applied = row.ending_balance === null ? 0n : row.starting_balance - row.ending_balance;
  if (to === 'void' && applied !== 0n) {
    await ctx.db
      .updateTable('customers')
      .set((eb) => ({ balance: eb('balance', '+', applied) }))
      .where('workspace_id', '=', ctx.workspace.id)
      .where('id', '=', row.customer_id)
      .execute();
  }
  const lines = (await linesOf(ctx, [id])).get(id) ?? [];
  recordInvoiceEvent(ctx, to === 'void' ? 'invoice.voided' : 'invoice.marked_uncollectible', { row: updated, lines });
  return invoiceObject(updated, lines, ctx.workspace);
}

export const voidInvoice = (ctx: RequestContext, id: string) => closeInvoice(ctx, id, 'void');
export const markInvoiceUncollectible = (ctx: RequestContext, id: string) => closeInvoice(ctx, id, 'uncollectible');
