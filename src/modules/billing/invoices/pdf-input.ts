import type { InvoicePdfInput } from './pdf.ts';
import type { InvoiceLineRow, InvoiceRow } from './models.ts';
import { unixSeconds, unixSecondsOrNull } from '../../../lib/time.ts';


/** The customer balance taken into a finalized invoice (≤ 0 for a credit; billing/totals.ts). */
function appliedBalance(row: InvoiceRow): bigint {
  if (row.ending_balance === null) return 0n;
  if (row.total >= 0n) return row.amount_due - row.total;
  return row.starting_balance > 0n ? row.starting_balance : 0n;
}

/** What the PDF shows of a stored invoice, in the customer's locale. */
export function pdfInputOf(row: InvoiceRow, lines: readonly InvoiceLineRow[], sellerName: string, names: { coupons: Map<string, string>; taxRates: Map<string, string> }): InvoicePdfInput {
  const address = row.customer_address as InvoicePdfInput['customer']['address'];
  return {
    number: row.number,
    status: row.status,
    currency: row.currency,
    locale: row.customer_locale ?? 'en',
    issuedAt: unixSeconds(row.finalized_at ?? row.created_at),
    dueDate: unixSecondsOrNull(row.due_date),
    paidAt: unixSecondsOrNull(row.paid_at),
    seller: { name: sellerName },
    customer: { name: row.customer_name, email: row.customer_email, address },
    lines: lines.map((line) => ({
      description: line.description ?? '',
      quantity: line.quantity === null ? null : Number(line.quantity),
      amount: line.amount,
      periodStart: unixSecondsOrNull(line.period_start),
      periodEnd: unixSecondsOrNull(line.period_end),
    })),
    subtotal: row.subtotal,
    discounts: row.total_discount_amounts.map((d) => ({ name: names.coupons.get(d.coupon) ?? d.coupon, amount: BigInt(d.amount) })),
    taxes: row.total_taxes.map((t) => ({ name: names.taxRates.get(t.tax_rate) ?? t.tax_rate, inclusive: t.inclusive, amount: BigInt(t.amount) })),
    total: row.total,
    appliedBalance: appliedBalance(row),
    amountDue: row.amount_due,
    amountPaid: row.amount_paid,
    footer: row.footer,
  };
}
