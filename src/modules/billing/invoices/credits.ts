/**
 * What credit notes (billing/credit-notes) do to invoices, through this module: the invoice
 * held while it is credited, and its amounts after a credit note is issued or voided.
 */
import { inWorkspaceKeys } from '../../../db/bulk.ts';
import type { Executor } from '../../../db/database.ts';
import { resourceMissing } from '../../../lib/errors.ts';
import { hasPrefix } from '../../../lib/ids.ts';
import type { RequestContext } from '../../../server/context.ts';
import { recordUpdate, type EventContext } from '../../events/service.ts';
import { subscriptionAfterPaidInvoice } from './due.ts';
import { recordInvoiceEvent, type InvoiceWithLines } from './lifecycle.ts';
import { invoiceObject } from './objects.ts';

/** A request's context, or a webhook's (refunds settled later): what changing an invoice needs. */
export type CreditContext = EventContext & Pick<RequestContext, 'db'>;

/**
 * The invoice a parameter names, with its lines (a 404 naming the parameter when there is
 * none). `lock` holds it until commit: credit notes of one invoice are issued one at a time,
 * which numbers them and keeps their sum within the invoice's total.
 */
export async function invoiceToCredit(ctx: Pick<RequestContext, 'db' | 'workspace'>, id: string, param: string, options: { lock: boolean }): Promise<InvoiceWithLines> {
  let query = ctx.db.selectFrom('invoices').selectAll().where('workspace_id', '=', ctx.workspace.id).where('id', '=', id);
  if (options.lock) query = query.forUpdate();
  const row = hasPrefix(id, 'invoice') ? await query.executeTakeFirst() : undefined;
  if (!row) throw resourceMissing('invoice', id, param);
  const lines = await ctx.db.selectFrom('invoice_lines').selectAll().where('workspace_id', '=', ctx.workspace.id).where('invoice_id', '=', id).orderBy('position').execute();
  return { row, lines };
}

/**
 * A credit note's amounts on its invoice (negative when one is voided): the pre-payment part
 * comes off what is due and what remains, and an open invoice with nothing left to pay is
 * paid (Stripe: without a payment, `amount_paid` stays as it was); the post-payment part is
 * only counted. Records `invoice.updated`, and `invoice.paid` when it became paid.
 */
export async function applyCredit(ctx: CreditContext, invoice: InvoiceWithLines, change: { pre: bigint; post: bigint }, now: Date): Promise<void> {
  const before = { ...invoiceObject(invoice.row, invoice.lines, ctx.workspace), id: invoice.row.id };
  const row = invoice.row;
  row.amount_due -= change.pre;
  row.amount_remaining -= change.pre;
  row.pre_payment_credit_notes_amount += change.pre;
  row.post_payment_credit_notes_amount += change.post;
  row.updated_at = now;
  const paidNow = row.status === 'open' && change.pre > 0n && row.amount_remaining === 0n;
  if (paidNow) {
    row.status = 'paid';
    row.paid_at = now;
    row.next_payment_attempt = null;
  }
  await ctx.db
    .updateTable('invoices')
    .set({
      status: row.status,
      amount_due: row.amount_due,
      amount_remaining: row.amount_remaining,
      pre_payment_credit_notes_amount: row.pre_payment_credit_notes_amount,
      post_payment_credit_notes_amount: row.post_payment_credit_notes_amount,
      paid_at: row.paid_at,
      next_payment_attempt: row.next_payment_attempt,
      updated_at: now,
    })
    .where('workspace_id', '=', ctx.workspace.id)
    .where('id', '=', row.id)
    .execute();
  recordUpdate(ctx, 'invoice.updated', before, { ...invoiceObject(row, invoice.lines, ctx.workspace), id: row.id });
  if (paidNow) {
    recordInvoiceEvent(ctx, 'invoice.paid', invoice);
    await subscriptionAfterPaidInvoice(ctx, row);
  }
}

/** Invoices' numbers, keyed `<workspace>/<invoice>` (a refund's notice names its invoice). */
export async function invoiceNumbers(db: Executor, keys: readonly { workspace_id: string; id: string }[]): Promise<Map<string, string | null>> {
  if (keys.length === 0) return new Map();
  const rows = await db.selectFrom('invoices').select(['workspace_id', 'id', 'number']).where(inWorkspaceKeys(keys)).execute();
  return new Map(rows.map((row) => [`${row.workspace_id}/${row.id}`, row.number]));
}
