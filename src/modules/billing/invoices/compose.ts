/**
 * An invoice from its lines: discounts, then tax on the discounted amounts, then totals
 * (BILLING.md "Rounding": every line rounded once; the invoice is the sum of its lines).
 * Pure: the services gather the lines, coupons and tax rates; this does the arithmetic.
 */
import { newId } from '../../../lib/ids.ts';
import type { Currency } from '../../../lib/money.ts';
import { applyDiscounts, type Coupon } from '../discounts.ts';
import { lineTax, type TaxRate } from '../tax.ts';
import { invoiceTotals, type InvoiceTotals } from '../totals.ts';
import type { InvoiceItemRow, StoredDiscountAmount, StoredTaxAmount } from './models.ts';
import { unixSeconds } from '../../../lib/time.ts';

export interface DraftLine {
  id: string;
  amount: bigint;
  description: string | null;
  quantity: bigint | null;
  priceId: string | null;
  productId: string | null;
  unitAmountDecimal: string | null;
  subscriptionId: string | null;
  subscriptionItemId: string | null;
  invoiceItemId: string | null;
  proration: boolean;
  /** Unix seconds, end exclusive. */
  period: { start: number; end: number };
  discountable: boolean;
  taxRates: readonly TaxRate[];
}

/** The line an invoice item (a proration, a one-off charge) becomes, with its tax rates. */
export function invoiceItemLine(item: InvoiceItemRow, taxRates: readonly TaxRate[]): DraftLine {
  return {
    id: newId('invoiceLine', item.created_at.getTime()),
    amount: item.amount,
    description: item.description,
    quantity: item.quantity,
    priceId: item.price_id,
    productId: item.product_id,
    unitAmountDecimal: item.unit_amount_decimal,
    subscriptionId: item.subscription_id,
    subscriptionItemId: item.subscription_item_id,
    invoiceItemId: item.id,
    proration: item.proration,
    period: { start: unixSeconds(item.period_start), end: unixSeconds(item.period_end) },
    discountable: item.discountable,
    taxRates,
  };
}

/** A discount on the invoice: the coupon's math, keyed by the discount's id (`di_…`). */
export interface InvoiceDiscount {
  discountId: string;
  coupon: Coupon;
}

export interface ComposedLine extends DraftLine {
  discountAmounts: StoredDiscountAmount[];
  taxes: StoredTaxAmount[];
}

export interface ComposedInvoice {
  lines: ComposedLine[];
  totals: InvoiceTotals;
}

export function composeInvoice(
  lines: readonly DraftLine[],
  discounts: readonly InvoiceDiscount[],
  currency: Currency,
  startingBalance = 0n,
): ComposedInvoice {
  const couponOf = new Map(discounts.map((d) => [d.discountId, d.coupon.id]));
  const discounted = applyDiscounts(
    lines.map((line) => ({ id: line.id, amount: line.amount, productId: line.productId, discountable: line.discountable && !line.proration })),
    discounts.map((d) => ({ ...d.coupon, id: d.discountId })),
    currency,
  );
  const composed = lines.map((line, i) => {
    const discount = discounted[i];
    const discountAmounts = discount?.discountAmounts ?? [];
    const tax = lineTax(discount?.amountAfterDiscount ?? line.amount, line.taxRates);
    return {
      line,
      discountAmounts,
      taxAmounts: tax.taxAmounts,
    };
  });
  const totals = invoiceTotals(
    composed.map((c) => ({ amount: c.line.amount, discountAmounts: c.discountAmounts, taxAmounts: c.taxAmounts })),
    startingBalance,
  );
  return {
    lines: composed.map((c) => ({
      ...c.line,
      discountAmounts: c.discountAmounts.map((d) => ({ discount: d.couponId, coupon: couponOf.get(d.couponId) ?? d.couponId, amount: d.amount.toString() })),
      taxes: c.taxAmounts.map((t) => ({
        tax_rate: t.taxRateId,
        amount: t.amount.toString(),
        inclusive: t.inclusive,
        taxable_amount: t.taxableAmount.toString(),
      })),
    })),
    totals,
  };
}
