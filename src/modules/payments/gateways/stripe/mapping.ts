import { minorUnitExponent } from '../../../../lib/money.ts';

/**
 * Pure translations between Recur and Stripe's API: amounts (Recur counts ISO 4217 minor
 * units, Stripe has its own list of zero-decimal currencies) and declines.
 */

/** Stripe's zero-decimal currencies (docs.stripe.com/currencies#zero-decimal). */
const STRIPE_ZERO_DECIMAL = new Set(['bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'ugx', 'vnd', 'vuv', 'xaf', 'xof', 'xpf']);
/**
 * Whole-unit currencies that Stripe still counts in hundredths for backwards compatibility
 * (ISK: "an amount of 100 represents 1 króna", docs.stripe.com/currencies#special-cases).
 */
const STRIPE_TWO_DECIMAL_OVERRIDES = new Set(['isk']);

/** Decimal places Stripe's `amount` fields use for a currency. */
export function stripeExponent(currency: string): number {
  const code = currency.toLowerCase();
  if (STRIPE_ZERO_DECIMAL.has(code)) return 0;
  if (STRIPE_TWO_DECIMAL_OVERRIDES.has(code)) return 2;
  return minorUnitExponent(code);
}

/**
 * Recur minor units → Stripe's `amount`. Where Stripe counts coarser units than ISO (MGA:
 * ISO 2 decimals, Stripe 0) an amount with a fraction Stripe cannot express is refused
 * rather than rounded: money is never silently changed.
 */
export function toStripeAmount(amount: bigint, currency: string): number {
  const shift = stripeExponent(currency) - minorUnitExponent(currency);
  let value = amount;
  if (shift > 0) value = amount * 10n ** BigInt(shift);
  if (shift < 0) {
    const divisor = 10n ** BigInt(-shift);
    if (amount % divisor !== 0n) throw new RangeError(`${currency.toUpperCase()} amounts sent to Stripe must be whole units; ${amount} minor units is not.`);
    value = amount / divisor;
  }
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`Amount ${amount} is too large for Stripe.`);
  return Number(value);
}

/** Stripe's `amount` → Recur minor units (exact: Stripe's amounts are integers). */
export function fromStripeAmount(amount: number, currency: string): bigint {
  const shift = stripeExponent(currency) - minorUnitExponent(currency);
  const value = BigInt(amount);
  if (shift > 0) return value / 10n ** BigInt(shift);
  if (shift < 0) return value * 10n ** BigInt(-shift);
  return value;
}

/** Error codes that are their own decline reason when Stripe gives no decline_code. */
const SELF_DESCRIBING_CODES = new Set(['expired_card', 'incorrect_cvc', 'incorrect_number', 'invalid_cvc', 'invalid_expiry_month', 'invalid_expiry_year', 'processing_error', 'authentication_required']);

/**
 * A Stripe card error's `code` / `decline_code`, normalised: Stripe already speaks the
 * vocabulary Recur stores, but leaves `decline_code` out on some errors (an expired card,
 * a processing error, a 3DS requirement off-session), where the code itself is the reason.
 */
export function stripeDecline(code: string | undefined, declineCode: string | undefined): { code: string; declineCode: string } {
  const normalisedCode = code && code.length > 0 ? code : 'card_declined';
  if (declineCode && declineCode.length > 0) return { code: normalisedCode, declineCode };
  return { code: normalisedCode, declineCode: SELF_DESCRIBING_CODES.has(normalisedCode) ? normalisedCode : 'generic_decline' };
}
