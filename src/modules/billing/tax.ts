/**
 * Tax rates applied to one invoice line, on its amount after discounts, rounded per line
 * half away from zero (Stripe rounds tax per line item; BILLING.md "Discounts and tax").
 *
 * - Exclusive rate p: `tax = round(amount × p / 100)`, added on top of the line.
 * - Inclusive rates: the tax is already inside the amount. With inclusive rates p1…pn on a
 *   line, the combined tax is `round(amount × P / (100 + P))` with P = Σ pi (= amount − amount
 *   / (1 + P/100)), split between the rates in proportion to pi by largest remainder, so the
 *   parts sum exactly to the combined tax.
 * - `taxableAmount` is what the rate was applied to, as in Stripe's `taxable_amount`: for
 *   inclusive rates the amount net of the inclusive tax; for exclusive rates the same net
 *   amount (which is the whole line amount when no inclusive rate is present), so that an
 *   exclusive rate never taxes an inclusive tax. Every exclusive rate uses that same base.
 * - A negative line (a credit) gets exactly the negative of the positive line's tax.
 */
import { allocateProportionally, parseScaledDecimal, roundHalfAwayFromZero } from '../../lib/money.ts';

export interface TaxRate {
  id: string;
  /** Percentage with up to 4 decimals: 19 = 19 %, 8.875 = 8.875 %. */
  percentage: number | string;
  inclusive: boolean;
}

export interface TaxAmount {
  taxRateId: string;
  amount: bigint;
  inclusive: boolean;
  taxableAmount: bigint;
}

export interface LineTax {
  /** One entry per tax rate, in the order the rates were given. */
  taxAmounts: TaxAmount[];
}

const PERCENTAGE_PLACES = 4;
/** 100 %, in the 10^-4 percent units percentages are held in. */
const HUNDRED_PERCENT = 100n * 10n ** BigInt(PERCENTAGE_PLACES);

function scaledPercentage(rate: TaxRate): bigint {
  const percentage = parseScaledDecimal(String(rate.percentage), PERCENTAGE_PLACES);
  if (percentage === null || percentage < 0n) {
    throw new RangeError(`Tax rate ${rate.id}: percentage must be ≥ 0 with at most 4 decimals`);
  }
  return percentage;
}

/** The tax amounts of one line whose (discounted) amount is `amount`. */
export function lineTax(amount: bigint, rates: readonly TaxRate[]): LineTax {
  const sign = amount < 0n ? -1n : 1n;
  const magnitude = amount * sign;
  const percentages = rates.map(scaledPercentage);

  const inclusiveWeights = rates.map((rate, i) => (rate.inclusive ? (percentages[i] ?? 0n) : 0n));
  const inclusivePercentage = inclusiveWeights.reduce((sum, p) => sum + p, 0n);
  const inclusiveTax = roundHalfAwayFromZero(magnitude * inclusivePercentage, HUNDRED_PERCENT + inclusivePercentage);
  const inclusiveParts = allocateProportionally(inclusiveTax, inclusiveWeights);
  const net = magnitude - inclusiveTax;

  return {
    taxAmounts: rates.map((rate, i) => {
      const tax = rate.inclusive
        ? (inclusiveParts[i] ?? 0n)
        : roundHalfAwayFromZero(net * (percentages[i] ?? 0n), HUNDRED_PERCENT);
      return { taxRateId: rate.id, amount: tax * sign, inclusive: rate.inclusive, taxableAmount: net * sign };
    }),
  };
}

/** `lineTax` for every line, each with its own tax rates (amounts already discounted). */
export function applyTaxRates(
  lines: readonly { id: string; amount: bigint; taxRates: readonly TaxRate[] }[],
): (LineTax & { id: string })[] {
  return lines.map((line) => ({ id: line.id, ...lineTax(line.amount, line.taxRates) }));
}
