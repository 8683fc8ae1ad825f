/**
 * Credit note arithmetic, as pure functions (property-tested in math.test.ts).
 *
 * Crediting part of an invoice line credits its discounts and taxes in proportion. The
 * proportion is taken of the line's cumulative credit, not of each credit note alone: after
 * credit notes have credited A of a line of amount L, a component v of the line (a tax, a
 * discount) has been credited round(v × A / L) in all, each credit note taking the step from
 * what was credited before. So however a line is credited, in one note or in many, its
 * credited tax never exceeds its tax, and once the whole line is credited its tax and
 * discounts are credited exactly: a whole invoice credited equals its total to the cent.
 *
 * Amounts are the invoice's: a line's `amount` is gross (before discounts, an inclusive tax
 * inside it), and its total is amount − discounts + exclusive taxes (billing/totals.ts).
 */
import { allocateProportionally, mulDiv, scaledToDecimalString } from '../../../lib/money.ts';
import { invoiceTotals, type InvoiceTotals, type TotalsLine } from '../totals.ts';

export interface LineDiscount {
  discount: string;
  amount: bigint;
}

export interface LineTax {
  taxRate: string;
  inclusive: boolean;
  amount: bigint;
  taxableAmount: bigint;
}

/** An invoice line as it was charged. */
export interface ChargedLine {
  id: string;
  amount: bigint;
  quantity: bigint | null;
  discounts: readonly LineDiscount[];
  taxes: readonly LineTax[];
}

/** What the issued credit notes have credited of one line, summed. */
export interface CreditedSoFar {
  amount: bigint;
  /** Units credited by quantity. */
  quantity: bigint;
  /** Some credit was by amount: the line's units are then no longer counted. */
  byAmount: boolean;
  discounts: ReadonlyMap<string, bigint>;
  /** Keyed by `taxKey`. */
  taxes: ReadonlyMap<string, { amount: bigint; taxableAmount: bigint }>;
}

/** One credit of a line (or a custom line): its gross amount, discounts and taxes. */
export interface LineCredit {
  amount: bigint;
  discounts: LineDiscount[];
  taxes: LineTax[];
}

export const NOTHING_CREDITED: CreditedSoFar = { amount: 0n, quantity: 0n, byAmount: false, discounts: new Map(), taxes: new Map() };

export const taxKey = (tax: Pick<LineTax, 'taxRate' | 'inclusive'>): string => `${tax.taxRate}\u0000${tax.inclusive}`;

const abs = (value: bigint): bigint => (value < 0n ? -value : value);

/** Sums what earlier credits of one line gave back (their stored lines). */
export function sumCredits(credits: readonly (LineCredit & { quantity: bigint | null })[]): CreditedSoFar {
  const discounts = new Map<string, bigint>();
  const taxes = new Map<string, { amount: bigint; taxableAmount: bigint }>();
  let amount = 0n;
  let quantity = 0n;
  let byAmount = false;
  for (const credit of credits) {
    amount += credit.amount;
    if (credit.quantity === null) byAmount = true;
    else quantity += credit.quantity;
    for (const d of credit.discounts) discounts.set(d.discount, (discounts.get(d.discount) ?? 0n) + d.amount);
    for (const t of credit.taxes) {
      const before = taxes.get(taxKey(t)) ?? { amount: 0n, taxableAmount: 0n };
      taxes.set(taxKey(t), { amount: before.amount + t.amount, taxableAmount: before.taxableAmount + t.taxableAmount });
    }
  }
  return { amount, quantity, byAmount, discounts, taxes };
}

/** What is left to credit of the line's gross amount. */
export function remainingAmount(line: ChargedLine, soFar: CreditedSoFar): bigint {
  return line.amount - soFar.amount;
}

/**
 * The step from `before` to round(v × |after| / |L|), never backwards: the part of component
 * `v` a credit bringing the line's cumulative credit to `after` gives back.
 */
function step(v: bigint, before: bigint, after: bigint, lineAmount: bigint): bigint {
  if (lineAmount === 0n) return 0n;
  const increment = mulDiv(v, abs(after), abs(lineAmount)) - before;
  return v >= 0n ? (increment > 0n ? increment : 0n) : increment < 0n ? increment : 0n;
}

/**
 * Credits `amount` more of the line's gross amount (same sign as the line, at most what is
 * left), with its discounts and taxes in proportion.
 */
export function creditOfLine(line: ChargedLine, soFar: CreditedSoFar, amount: bigint): LineCredit {
  const after = soFar.amount + amount;
  if (amount !== 0n && (amount < 0n) !== (line.amount < 0n)) throw new RangeError('a credit has the sign of its line');
  if (abs(after) > abs(line.amount)) throw new RangeError('a line cannot be credited beyond its amount');
  return {
    amount,
    discounts: line.discounts.map((d) => ({ discount: d.discount, amount: step(d.amount, soFar.discounts.get(d.discount) ?? 0n, after, line.amount) })),
    taxes: line.taxes.map((t) => {
      const before = soFar.taxes.get(taxKey(t));
      return {
        taxRate: t.taxRate,
        inclusive: t.inclusive,
        amount: step(t.amount, before?.amount ?? 0n, after, line.amount),
        taxableAmount: step(t.taxableAmount, before?.taxableAmount ?? 0n, after, line.amount),
      };
    }),
  };
}

/** The gross amount `quantity` more units of the line come to (a line never credited by amount). */
export function amountForQuantity(line: ChargedLine, soFar: CreditedSoFar, quantity: bigint): bigint {
  if (line.quantity === null || line.quantity <= 0n) throw new RangeError('the line has no quantity');
  const amount = mulDiv(line.amount, soFar.quantity + quantity, line.quantity) - soFar.amount;
  // Credit notes voided in between can leave the sum of the rest a unit off the exact share.
  const left = remainingAmount(line, soFar);
  return line.amount >= 0n ? clamp(amount, 0n, left) : clamp(amount, left, 0n);
}

const clamp = (value: bigint, low: bigint, high: bigint): bigint => (value < low ? low : value > high ? high : value);

/** What a credit takes off the invoice's total: gross − discounts + exclusive taxes. */
export function creditTotal(credit: LineCredit): bigint {
  const discounts = credit.discounts.reduce((sum, d) => sum + d.amount, 0n);
  const exclusive = credit.taxes.filter((t) => !t.inclusive).reduce((sum, t) => sum + t.amount, 0n);
  return credit.amount - discounts + exclusive;
}

/**
 * Credits `total` (taxes included) spread over the lines, in proportion to what is left of
 * each (the lines a credit note with just an `amount` credits, and a refund's). Crediting
 * exactly all that is left credits every line whole; otherwise the lines with something
 * left take a share each (largest remainder, so the shares sum to `total`), and each
 * share's gross amount absorbs the rounding of its taxes, so the credits sum to `total`
 * exactly. `total` must be at most what is left of the lines (the caller checks that
 * against the invoice, which may have custom credits as well). Lines crediting nothing are
 * left out.
 */
export function spreadCredit(lines: readonly { line: ChargedLine; soFar: CreditedSoFar }[], total: bigint): { lineId: string; credit: LineCredit }[] {
  const whole = lines.map(({ line, soFar }) => creditOfLine(line, soFar, remainingAmount(line, soFar)));
  const left = whole.map(creditTotal);
  if (total === left.reduce((sum, value) => sum + value, 0n)) {
    return lines.map(({ line }, i) => ({ lineId: line.id, credit: whole[i] as LineCredit })).filter(({ credit }) => !isEmpty(credit));
  }
  const weights = lines.map(({ line, soFar }, i) => (line.amount > 0n && remainingAmount(line, soFar) > 0n && (left[i] ?? 0n) > 0n ? (left[i] as bigint) : 0n));
  if (total > weights.reduce((sum, w) => sum + w, 0n)) throw new RangeError('more than the lines have left to credit');
  const shares = allocateProportionally(total, weights);
  const credits: { lineId: string; credit: LineCredit }[] = [];
  lines.forEach(({ line, soFar }, i) => {
    const share = shares[i] ?? 0n;
    if (share === 0n) return;
    const rest = remainingAmount(line, soFar);
    const full = left[i] as bigint;
    const gross = share === full ? rest : clamp(mulDiv(rest, share, full), 0n, rest);
    const credit = creditOfLine(line, soFar, gross);
    // The taxes and discounts were rounded on `gross`; the gross takes up the difference.
    credit.amount += share - creditTotal(credit);
    if (credit.amount < 0n || credit.amount > rest) throw new RangeError('a share does not fit its line');
    credits.push({ lineId: line.id, credit });
  });
  return credits;
}

function isEmpty(credit: LineCredit): boolean {
  return credit.amount === 0n && credit.discounts.every((d) => d.amount === 0n) && credit.taxes.every((t) => t.amount === 0n);
}

/** A credit note's totals from its line credits, by the invoice's own definitions. */
export function creditNoteTotals(credits: readonly LineCredit[]): InvoiceTotals {
  return invoiceTotals(credits.map(totalsLine));
}

function totalsLine(credit: LineCredit): TotalsLine {
  return {
    amount: credit.amount,
    // totals.ts groups discounts by the key it calls couponId; here it is the discount's id.
    discountAmounts: credit.discounts.map((d) => ({ couponId: d.discount, amount: d.amount })),
    taxAmounts: credit.taxes.map((t) => ({ taxRateId: t.taxRate, amount: t.amount, inclusive: t.inclusive, taxableAmount: t.taxableAmount })),
  };
}

/**
 * Where a credit note's total goes on an invoice (Stripe's rule): first off what is still
 * due on an open invoice (pre-payment), the rest (post-payment) to the card, the customer's
 * balance or outside Recur, which the caller must say and which must add up to it.
 */
export function creditSplit(total: bigint, invoice: { status: 'open' | 'paid'; amountRemaining: bigint }): { pre: bigint; post: bigint } {
  const pre = invoice.status === 'open' ? (total < invoice.amountRemaining ? total : invoice.amountRemaining) : 0n;
  return { pre, post: total - pre };
}

/** A line's unit price for `amount` over `quantity` units: whole minor units when exact, else a decimal of up to 12 places. */
export function unitAmount(amount: bigint, quantity: bigint): { unit: bigint | null; decimal: string | null } {
  if (quantity <= 0n) return { unit: null, decimal: null };
  if (amount % quantity === 0n) return { unit: amount / quantity, decimal: (amount / quantity).toString() };
  const scaled = amount * 10n ** 12n;
  return { unit: null, decimal: scaled % quantity === 0n ? scaledToDecimalString(scaled / quantity, 12, true) : null };
}
