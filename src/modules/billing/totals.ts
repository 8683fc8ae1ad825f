/**
 * Invoice totals from its lines, following Stripe's invoice fields as the API reference
 * defines them:
 *
 * - `subtotal`: "Total of all subscriptions, invoice items, and prorations on the invoice
 *   before any invoice level discount or exclusive tax is applied" = Σ line amounts. Line
 *   amounts include their inclusive tax, so the subtotal does too.
 * - `total_discount_amounts`: the discounts of all lines, summed per coupon.
 * - `total_excluding_tax`: "including all discounts but excluding all tax" =
 *   subtotal − discounts − inclusive tax (inclusive tax is inside the line amounts, so it is
 *   taken out here; exclusive tax was never in).
 * - `tax`: all tax, inclusive and exclusive (`total_taxes` per rate).
 * - `total`: "after discounts and taxes" = total_excluding_tax + tax
 *   = subtotal − discounts + exclusive tax.
 * - Customer balance (Stripe's sign: negative = credit the customer has, positive = money
 *   the customer owes): a credit pays the invoice first, up to its total; a debit is added
 *   to the amount due. `amount_due = max(0, total + applied_balance)`. A negative total
 *   (more credits than charges) is not due: it goes to the customer's balance.
 *
 * Stripe's `subtotal_excluding_tax` is left out: it needs the inclusive tax of the lines
 * before discounts, which the lines here do not carry.
 */
import type { DiscountAmount } from './discounts.ts';
import type { TaxAmount } from './tax.ts';

export interface TotalsLine {
  /** Line amount before discounts (including any inclusive tax). */
  amount: bigint;
  discountAmounts: readonly DiscountAmount[];
  taxAmounts: readonly TaxAmount[];
}

export interface InvoiceTotals {
  subtotal: bigint;
  total_discount_amounts: DiscountAmount[];
  total_excluding_tax: bigint;
  total_taxes: TaxAmount[];
  tax: bigint;
  total: bigint;
  /** The customer balance before this invoice (negative = credit). */
  starting_balance: bigint;
  /** The part of the starting balance taken into this invoice (≤ 0 for a credit). */
  applied_balance: bigint;
  amount_due: bigint;
  /** The customer balance after this invoice. */
  ending_balance: bigint;
}

function sum(values: readonly bigint[]): bigint {
  return values.reduce((total, value) => total + value, 0n);
}

/** Sums entries with the same key, keeping the order in which keys first appear. */
function groupSum<T extends { amount: bigint }>(entries: readonly T[], key: (entry: T) => string, merge: (a: T, b: T) => T): T[] {
  const groups = new Map<string, T>();
  for (const entry of entries) {
    const existing = groups.get(key(entry));
    groups.set(key(entry), existing ? merge(existing, entry) : { ...entry });
  }
  return [...groups.values()];
}

export function invoiceTotals(lines: readonly TotalsLine[], startingBalance = 0n): InvoiceTotals {
  const discounts = lines.flatMap((line) => line.discountAmounts);
  const taxes = lines.flatMap((line) => line.taxAmounts);
  const subtotal = sum(lines.map((line) => line.amount));
  const discount = sum(discounts.map((d) => d.amount));
  const inclusiveTax = sum(taxes.filter((t) => t.inclusive).map((t) => t.amount));
  const tax = sum(taxes.map((t) => t.amount));
  const totalExcludingTax = subtotal - discount - inclusiveTax;
  const total = totalExcludingTax + tax;

  // A credit (negative balance) covers at most the positive total; a debit is added whole.
  let appliedBalance = startingBalance;
  if (startingBalance < 0n) {
    const payable = total > 0n ? total : 0n;
    appliedBalance = startingBalance > -payable ? startingBalance : -payable;
  }
  const owed = total + appliedBalance;
  const amountDue = owed > 0n ? owed : 0n;
  const endingBalance = startingBalance - appliedBalance + (owed < 0n ? owed : 0n);

  return {
    subtotal,
    total_discount_amounts: groupSum(
      discounts,
      (d) => d.couponId,
      (a, b) => ({ couponId: a.couponId, amount: a.amount + b.amount }),
    ),
    total_excluding_tax: totalExcludingTax,
    total_taxes: groupSum(
      taxes,
      (t) => `${t.taxRateId}\u0000${t.inclusive}`,
      (a, b) => ({ ...a, amount: a.amount + b.amount, taxableAmount: a.taxableAmount + b.taxableAmount }),
    ),
    tax,
    total,
    starting_balance: startingBalance,
    applied_balance: appliedBalance,
    amount_due: amountDue,
    ending_balance: endingBalance,
  };
}
