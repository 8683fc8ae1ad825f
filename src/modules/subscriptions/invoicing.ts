/**
 * The lines and discounts of a subscription's invoices, from loaded billing data. Pure (no
 * I/O, no clock): the billing run and the subscription service call it with their time.
 */
import { newId } from '../../lib/ids.ts';
import { formatAmount } from '../../lib/money.ts';
import type { Coupon } from '../billing/discounts.ts';
import { invoiceItemLine, type DraftLine } from '../billing/invoices/compose.ts';
import type { InvoiceItemRow } from '../billing/invoices/models.ts';
import type { TaxRate } from '../billing/tax.ts';
import { linePriceIn } from '../catalog/prices/line-price.ts';
import { lineAmount } from '../catalog/tiers.ts';
import type { BillingData, ItemWithPrice } from './billing-data.ts';
import { billingKey } from './billing-data.ts';
import type { StoredDiscount, SubscriptionRow } from './models.ts';
import { unixSeconds } from '../../lib/time.ts';


/** The amount one period of an item costs, in the subscription's currency. */
export function itemPeriodAmount(entry: ItemWithPrice, currency: string): bigint {
  const price = linePriceIn(entry.price, currency);
  if (!price) throw new RangeError(`price ${entry.price.id} has no ${currency} amount`);
  return lineAmount(price, Number(entry.item.quantity));
}

export function taxRatesOf(sub: SubscriptionRow, ids: readonly string[] | null, data: Pick<BillingData, 'taxRates'>): TaxRate[] {
  return (ids ?? sub.default_tax_rate_ids).flatMap((id) => data.taxRates.get(billingKey(sub.workspace_id, id)) ?? []);
}

function intervalLabel(entry: ItemWithPrice): string {
  const count = entry.price.recurring_interval_count ?? 1;
  const interval = entry.price.recurring_interval ?? 'month';
  return count === 1 ? interval : `${count} ${interval}s`;
}

/** Stripe's wording: "2 × Pro (at $20.00 / month)". */
export function itemDescription(entry: ItemWithPrice, currency: string): string {
  const quantity = Number(entry.item.quantity);
  const price = linePriceIn(entry.price, currency);
  if (price?.billing_scheme === 'per_unit' && price.unit_amount !== null && !price.transform_quantity) {
    return `${quantity} × ${entry.productName} (at ${formatAmount(price.unit_amount, currency, 'en-US')} / ${intervalLabel(entry)})`;
  }
  return `${quantity} × ${entry.productName} (per ${intervalLabel(entry)})`;
}

/** One line per item for the period [start, end). */
export function itemLines(sub: SubscriptionRow, items: readonly ItemWithPrice[], data: Pick<BillingData, 'taxRates'>, period: { start: Date; end: Date }): DraftLine[] {
  return items.map((entry) => ({
    id: newId('invoiceLine', period.start.getTime()),
    amount: itemPeriodAmount(entry, sub.currency),
    description: itemDescription(entry, sub.currency),
    quantity: entry.item.quantity,
    priceId: entry.price.id,
    productId: entry.price.product_id,
    unitAmountDecimal: entry.price.unit_amount_decimal ?? (entry.price.unit_amount === null ? null : String(entry.price.unit_amount)),
    subscriptionId: sub.id,
    subscriptionItemId: entry.item.id,
    invoiceItemId: null,
    proration: false,
    period: { start: unixSeconds(period.start), end: unixSeconds(period.end) },
    discountable: true,
    taxRates: taxRatesOf(sub, entry.item.tax_rate_ids, data),
  }));
}

/** Lines for pending invoice items (prorations, one-off charges). */
export function pendingItemLines(sub: SubscriptionRow, items: readonly InvoiceItemRow[], data: Pick<BillingData, 'taxRates'>): DraftLine[] {
  return items.map((item) => invoiceItemLine(item, taxRatesOf(sub, item.tax_rate_ids, data)));
}

/** The subscription's discounts that apply to an invoice for a period starting at `at`. */
export function activeDiscounts(
  sub: SubscriptionRow,
  data: Pick<BillingData, 'coupons'>,
  at: Date,
): { stored: StoredDiscount; coupon: Coupon & { duration: string } }[] {
  return sub.discounts.flatMap((stored) => {
    if (stored.end !== null && stored.end <= unixSeconds(at)) return [];
    const coupon = data.coupons.get(billingKey(sub.workspace_id, stored.coupon));
    if (!coupon) return [];
    // An amount-off coupon in another currency applies its amount for this one, if it has it.
    const option = coupon.currency && coupon.currency !== sub.currency ? coupon.currencyOptions[sub.currency] : undefined;
    return [{ stored, coupon: option ? { ...coupon, amount_off: BigInt(option.amount_off), currency: sub.currency } : coupon }];
  });
}

/**
 * The discounts left on the subscription after an invoice used `applied`: `once` coupons are
 * spent, `repeating` ones past their end are gone.
 */
export function remainingDiscounts(sub: SubscriptionRow, applied: readonly { stored: StoredDiscount; coupon: { duration: string } }[], at: Date): StoredDiscount[] {
  const spent = new Set(applied.filter((d) => d.coupon.duration === 'once').map((d) => d.stored.id));
  return sub.discounts.filter((d) => !spent.has(d.id) && (d.end === null || d.end > unixSeconds(at)));
}
