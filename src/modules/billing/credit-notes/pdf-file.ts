import { resourceMissing } from '../../../lib/errors.ts';
import { hasPrefix } from '../../../lib/ids.ts';
import { unixSeconds } from '../../../lib/time.ts';
import type { RequestContext } from '../../../server/context.ts';
import { invoiceToCredit } from '../invoices/credits.ts';
import type { InvoicePdfAddress } from '../invoices/pdf.ts';
import { printedNames, type InvoicePdfFile } from '../invoices/pdf-file.ts';
import { renderCreditNotePdf } from './pdf.ts';

/** A credit note's PDF (`GET /v1/credit_notes/:id/pdf`): the customer as its invoice names them, in their language. */
export async function creditNotePdfFile(ctx: RequestContext, id: string): Promise<InvoicePdfFile> {
  const note = hasPrefix(id, 'creditNote')
    ? await ctx.db.selectFrom('credit_notes').selectAll().where('workspace_id', '=', ctx.workspace.id).where('id', '=', id).executeTakeFirst()
    : undefined;
  if (!note) throw resourceMissing('credit_note', id);
  const [lines, { row: invoice }] = await Promise.all([
    ctx.db.selectFrom('credit_note_lines').selectAll().where('workspace_id', '=', ctx.workspace.id).where('credit_note_id', '=', id).orderBy('position').execute(),
    invoiceToCredit(ctx, note.invoice_id, 'id', { lock: false }),
  ]);
  // A credit note's discounts are the invoice's: their coupons are named through it.
  const couponOf = new Map(invoice.total_discount_amounts.map((d) => [d.discount, d.coupon]));
  const names = await printedNames(
    ctx.db,
    ctx.workspace.id,
    note.discount_amounts.map((d) => couponOf.get(d.discount) ?? d.discount),
    note.total_taxes.map((t) => t.tax_rate),
  );
  const bytes = await renderCreditNotePdf({
    number: note.number,
    invoiceNumber: invoice.number,
    status: note.status,
    reason: note.reason,
    currency: note.currency,
    locale: invoice.customer_locale ?? 'en',
    issuedAt: unixSeconds(note.created_at),
    seller: { name: names.seller },
    customer: { name: invoice.customer_name, email: invoice.customer_email, address: invoice.customer_address as InvoicePdfAddress | null },
    lines: lines.map((line) => ({ description: line.description ?? '', quantity: line.quantity === null ? null : Number(line.quantity), amount: line.amount })),
    subtotal: note.subtotal,
    discounts: note.discount_amounts.map((d) => {
      const coupon = couponOf.get(d.discount) ?? d.discount;
      return { name: names.coupons.get(coupon) ?? coupon, amount: BigInt(d.amount) };
    }),
    taxes: note.total_taxes.map((t) => ({ name: names.taxRates.get(t.tax_rate) ?? t.tax_rate, inclusive: t.inclusive, amount: BigInt(t.amount) })),
    total: note.total,
    prePayment: note.pre_payment_amount,
    refunded: note.refund_amount,
    creditedToBalance: note.credit_amount,
    outOfBand: note.out_of_band_amount ?? 0n,
    memo: note.memo,
  });
  return { bytes, filename: `${note.number}.pdf` };
}
