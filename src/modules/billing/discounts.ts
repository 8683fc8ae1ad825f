/**
 * Coupons applied to invoice lines (BILLING.md "Discounts and tax").
 *
 * Rules, matching Stripe:
 * - Only discountable lines with a positive amount are discounted. Stripe: "By default,
 *   coupons no longer apply to invoice items with negative amounts" (API 2015-03-24), and
 *   prorations are not discountable (`discountable` "Always false for prorations").
 * - `applies_to.products` limits a coupon to lines of those products.
 * - `percent_off` discounts each eligible line by that percentage of what remains of it,
 *   rounded per line, half away from zero.
 * - `amount_off` is one amount for the whole invoice: spread over the eligible lines in
 *   proportion to what remains of them (largest remainder, so the parts sum exactly), never
 *   more than the eligible lines' total (Stripe: a $200 coupon on a $100 invoice gives $0).
 * - Several coupons apply in order, each on what the previous ones left.
 * - A discount never makes a line negative.
 */
import { invalidRequest } from '../../lib/errors.ts';
import { allocateProportionally, parseScaledDecimal, roundHalfAwayFromZero, type Currency } from '../../lib/money.ts';

export interface Coupon {
  id: string;
  /** Percentage with up to 2 decimals (12.5 = 12.5 %), 0 < percent_off ≤ 100; or null. */
  percent_off: number | string | null;
  /** Minor units off the invoice, in `currency`; or null. */
  amount_off: bigint | null;
  currency: Currency | null;
  applies_to?: { products: readonly string[] } | null;
}

export interface DiscountableLine {
  id: string;
  amount: bigint;
  productId: string | null;
  discountable: boolean;
}

export interface DiscountAmount {
  couponId: string;
  amount: bigint;
}

export interface DiscountedLine {
  id: string;
  /** One entry per coupon that applies to this line, in coupon order (amount may be 0). */
  discountAmounts: DiscountAmount[];
  amountAfterDiscount: bigint;
}

/** percent_off in hundredths of a percent (12.5 → 1250n); 100 % is 10000n. */
const PERCENT_PLACES = 2;
const HUNDRED_PERCENT = 10_000n;

function percentOff(coupon: Coupon): bigint {
  const percent = parseScaledDecimal(String(coupon.percent_off), PERCENT_PLACES);
  if (percent === null || percent <= 0n || percent > HUNDRED_PERCENT) {
    throw new RangeError(`Coupon ${coupon.id}: percent_off must be in (0, 100] with at most 2 decimals`);
  }
  return percent;
}

function appliesTo(coupon: Coupon, line: DiscountableLine): boolean {
  if (!line.discountable || line.amount <= 0n) return false;
  const products = coupon.applies_to?.products;
  if (!products) return true;
  return line.productId !== null && products.includes(line.productId);
}

/** How much of each remaining line amount one coupon takes (0 where it does not apply). */
function couponAmounts(coupon: Coupon, eligible: readonly boolean[], remaining: readonly bigint[], currency: Currency): bigint[] {
  if (coupon.percent_off !== null) {
    const percent = percentOff(coupon);
    return remaining.map((left, i) => (eligible[i] ? roundHalfAwayFromZero(left * percent, HUNDRED_PERCENT) : 0n));
  }
  if (coupon.amount_off === null || coupon.amount_off < 0n) {
    throw new RangeError(`Coupon ${coupon.id} needs percent_off or a non-negative amount_off`);
  }
  if (coupon.currency?.toLowerCase() !== currency.toLowerCase()) {
    // Stripe refuses to attach an amount_off coupon in another currency; reaching here is a bug upstream.
    throw invalidRequest(
      `Coupon ${coupon.id} is in ${coupon.currency ?? 'no currency'}, but the invoice is in ${currency}.`,
      'discounts',
    );
  }
  const weights = remaining.map((left, i) => (eligible[i] ? left : 0n));
  const eligibleTotal = weights.reduce((sum, weight) => sum + weight, 0n);
  const spread = coupon.amount_off < eligibleTotal ? coupon.amount_off : eligibleTotal;
  return allocateProportionally(spread, weights);
}

export function applyDiscounts(
  lines: readonly DiscountableLine[],
  coupons: readonly Coupon[],
  currency: Currency,
): DiscountedLine[] {
  const remaining = lines.map((line) => line.amount);
  const discountAmounts: DiscountAmount[][] = lines.map(() => []);
  for (const coupon of coupons) {
    const eligible = lines.map((line) => appliesTo(coupon, line));
    const amounts = couponAmounts(coupon, eligible, remaining, currency);
    for (const [i, applies] of eligible.entries()) {
      if (!applies) continue;
      const left = remaining[i] ?? 0n;
      const requested = amounts[i] ?? 0n;
      const amount = requested < left ? requested : left; // never below zero
      remaining[i] = left - amount;
      discountAmounts[i]?.push({ couponId: coupon.id, amount });
    }
  }
  return lines.map((line, i) => ({
    id: line.id,
    discountAmounts: discountAmounts[i] ?? [],
    amountAfterDiscount: remaining[i] ?? line.amount,
  }));
}
