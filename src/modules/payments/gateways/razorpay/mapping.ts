import { createHash } from 'node:crypto';
import { minorUnitExponent } from '../../../../lib/money.ts';

/** Pure translations between Razorpay's vocabulary and Recur's (Stripe's). */

/**
 * Razorpay's documented payment error `reason`s (razorpay.com/docs/errors, card error
 * codes) → Stripe's code / decline_code. Technical failures on the bank's or network's
 * side are processing_error (soft: dunning retries them); anything unknown is a generic
 * decline.
 */
const DECLINES: Readonly<Record<string, { code: string; declineCode: string }>> = {
  insufficient_funds: { code: 'card_declined', declineCode: 'insufficient_funds' },
  card_expired: { code: 'expired_card', declineCode: 'expired_card' },
  incorrect_cvv: { code: 'incorrect_cvc', declineCode: 'incorrect_cvc' },
  payment_risk_check_failed: { code: 'card_declined', declineCode: 'fraudulent' },
  transaction_limit_exceeded: { code: 'card_declined', declineCode: 'card_velocity_exceeded' },
  debit_instrument_blocked: { code: 'card_declined', declineCode: 'restricted_card' },
  debit_instrument_inactive: { code: 'card_declined', declineCode: 'card_not_supported' },
  card_not_enrolled: { code: 'card_declined', declineCode: 'card_not_supported' },
  card_disabled_for_online_payments: { code: 'card_declined', declineCode: 'card_not_supported' },
  authentication_failed: { code: 'card_declined', declineCode: 'authentication_required' },
  card_declined: { code: 'card_declined', declineCode: 'do_not_honor' },
  payment_declined: { code: 'card_declined', declineCode: 'generic_decline' },
  payment_failed: { code: 'card_declined', declineCode: 'generic_decline' },
  payment_cancelled: { code: 'card_declined', declineCode: 'generic_decline' },
  bank_technical_error: { code: 'processing_error', declineCode: 'processing_error' },
  gateway_technical_error: { code: 'processing_error', declineCode: 'processing_error' },
  payment_timed_out: { code: 'processing_error', declineCode: 'processing_error' },
  server_error: { code: 'processing_error', declineCode: 'processing_error' },
};

export function razorpayDecline(reason: string | null | undefined): { code: string; declineCode: string } {
  return (reason ? DECLINES[reason] : undefined) ?? { code: 'card_declined', declineCode: 'generic_decline' };
}

/** Razorpay's error reasons that mean the card was refused (not that our request was wrong). */
export function isDeclineReason(reason: string | null | undefined): boolean {
  return reason !== null && reason !== undefined && Object.hasOwn(DECLINES, reason);
}

/** A token's card `network` (as Razorpay spells it) → Stripe's brand names. */
export function cardBrand(network: string | null | undefined): string {
  const key = (network ?? '').toLowerCase().replace(/[\s_-]/g, '');
  const brands: Record<string, string> = {
    visa: 'visa',
    mastercard: 'mastercard',
    americanexpress: 'amex',
    amex: 'amex',
    dinersclub: 'diners',
    diners: 'diners',
    discover: 'discover',
    jcb: 'jcb',
    unionpay: 'unionpay',
    rupay: 'rupay',
    maestro: 'maestro',
  };
  return brands[key] ?? 'unknown';
}

/**
 * Recur minor units → Razorpay's `amount` (also "the smallest unit of the currency": ISO's,
 * JPY in yen). Razorpay wants a three-decimal currency's last digit 0; refused here, not
 * rounded, so money never changes silently.
 */
export function toRazorpayAmount(amount: bigint, currency: string): number {
  if (minorUnitExponent(currency) === 3 && amount % 10n !== 0n) throw new RangeError(`Razorpay needs ${currency.toUpperCase()} amounts to end in 0 (got ${amount}).`);
  if (amount > BigInt(Number.MAX_SAFE_INTEGER) || amount < 0n) throw new RangeError(`Amount ${amount} cannot be sent to Razorpay.`);
  return Number(amount);
}

/**
 * An order receipt for an idempotency key: Razorpay's receipt is at most 40 characters and
 * keys can be longer, so it is a hash, the same for the same key on every retry.
 */
export function receiptFor(idempotencyKey: string): string {
  return `rc_${createHash('sha256').update(idempotencyKey).digest('base64url').slice(0, 37)}`;
}

/** X-Refund-Idempotency allows 10+ characters of [A-Za-z0-9_-]: a hash of the key fits. */
export function refundIdempotencyKey(idempotencyKey: string): string {
  return `recur_refund_${createHash('sha256').update(idempotencyKey).digest('base64url')}`;
}
