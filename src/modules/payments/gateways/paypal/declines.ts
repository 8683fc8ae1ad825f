/**
 * PayPal's refusals in Stripe's vocabulary (`code` / `decline_code`), so that dunning treats
 * them as it treats Stripe's: soft declines are retried, hard ones (stolen, fraud, closed
 * account …, see dunning/schedule.ts) are not.
 *
 * PayPal refuses a charge in two ways: a capture whose status is DECLINED, carrying the card
 * processor's `processor_response.response_code`, or a 422 UNPROCESSABLE_ENTITY whose
 * `details[].issue` names the refusal (INSTRUMENT_DECLINED for a PayPal wallet …).
 */

export interface StripeDecline {
  code: string;
  declineCode: string;
  message: string;
}

const decline = (declineCode: string, message: string, code = 'card_declined'): StripeDecline => ({ code, declineCode, message });

const GENERIC = decline('generic_decline', 'Your card was declined.');
const PROCESSING = decline('processing_error', 'An error occurred while processing your card. Try again in a little bit.', 'processing_error');

/** Orders v2 `processor_response.response_code` (the card network's answer). */
const PROCESSOR_CODES: Readonly<Record<string, StripeDecline>> = {
  '00N7': decline('incorrect_cvc', "Your card's security code is incorrect.", 'incorrect_cvc'),
  '0100': decline('call_issuer', 'Your card was declined.'),
  '0390': decline('invalid_account', 'Your card was declined.'),
  '0500': decline('do_not_honor', 'Your card was declined.'),
  '0580': decline('transaction_not_allowed', 'Your card was declined.'),
  '0880': PROCESSING,
  '0890': decline('incorrect_pin', 'Your card was declined.'),
  '0960': PROCESSING,
  '10BR': decline('generic_decline', 'Your card was declined.'),
  '1310': decline('invalid_amount', 'Your card was declined.'),
  '1320': decline('currency_not_supported', 'Your card does not support this currency.'),
  '1330': decline('invalid_account', 'Your card was declined.'),
  '1335': decline('invalid_account', 'Your card was declined.'),
  '1352': decline('invalid_account', 'Your card was declined.'),
  '1380': decline('expired_card', 'Your card has expired.', 'expired_card'),
  '1382': decline('incorrect_cvc', "Your card's security code is incorrect.", 'incorrect_cvc'),
  '5100': GENERIC,
  '5110': decline('incorrect_cvc', "Your card's security code is incorrect.", 'incorrect_cvc'),
  '5120': decline('insufficient_funds', 'Your card has insufficient funds.'),
  '5130': decline('incorrect_pin', 'Your card was declined.'),
  '5135': decline('pin_try_exceeded', 'Your card was declined.'),
  '5140': decline('invalid_account', 'Your card was declined.'),
  '5150': decline('pickup_card', 'Your card was declined.'),
  '5160': decline('transaction_not_allowed', 'Your card was declined.'),
  '5170': decline('incorrect_zip', "Your card's postal code is incorrect.", 'incorrect_zip'),
  '5180': decline('restricted_card', 'Your card was declined.'),
  '5190': decline('incorrect_zip', "Your card's postal code is incorrect.", 'incorrect_zip'),
  '5200': decline('duplicate_transaction', 'Your card was declined.'),
  '5210': decline('transaction_not_allowed', 'Your card was declined.'),
  '5400': decline('expired_card', 'Your card has expired.', 'expired_card'),
  '5500': decline('incorrect_pin', 'Your card was declined.'),
  '5650': decline('authentication_required', 'Your card was declined. This transaction requires authentication.'),
  '5700': decline('transaction_not_allowed', 'Your card was declined.'),
  '5710': decline('card_velocity_exceeded', 'Your card was declined.'),
  '5800': GENERIC,
  '5900': decline('issuer_not_available', 'Your card was declined.'),
  '5910': decline('issuer_not_available', 'Your card was declined.'),
  '5920': decline('issuer_not_available', 'Your card was declined.'),
  '5930': decline('call_issuer', 'Your card was declined.'),
  '5950': decline('new_account_information_available', 'Your card was declined.'),
  '6300': decline('invalid_account', 'Your card was declined.'),
  '7700': decline('authentication_required', 'Your card was declined. This transaction requires authentication.'),
  '7710': decline('authentication_required', 'Your card was declined. This transaction requires authentication.'),
  '8000': PROCESSING,
  '8010': PROCESSING,
  '8020': PROCESSING,
  '8100': PROCESSING,
  '8110': PROCESSING,
  '8220': PROCESSING,
  '9100': decline('try_again_later', 'Your card was declined.'),
  '9500': decline('fraudulent', 'Your card was declined.'),
  '9510': decline('security_violation', 'Your card was declined.'),
  // PayPal does not tell lost from stolen; both are hard declines, so either name will do.
  '9520': decline('stolen_card', 'Your card was declined.'),
  '9530': decline('call_issuer', 'Your card was declined.'),
  '9540': decline('do_not_honor', 'Your card was declined.'),
  '9600': PROCESSING,
  PCVV: decline('incorrect_cvc', "Your card's security code is incorrect.", 'incorrect_cvc'),
  PP06: decline('invalid_account', 'Your card was declined.'),
  PPAB: decline('do_not_try_again', 'Your card was declined.'),
  PPEF: decline('expired_card', 'Your card has expired.', 'expired_card'),
  PPEX: decline('expired_card', 'Your card has expired.', 'expired_card'),
  PPRN: decline('do_not_try_again', 'Your card was declined.'),
  PPTR: decline('revocation_of_authorization', 'Your card was declined.'),
};

/** Orders v2 422 `details[].issue` values that refuse the buyer's payment source. */
const ISSUES: Readonly<Record<string, StripeDecline>> = {
  INSTRUMENT_DECLINED: decline('generic_decline', 'The payment method was declined.'),
  TRANSACTION_REFUSED: GENERIC,
  PAYMENT_SOURCE_DECLINED_BY_PROCESSOR: GENERIC,
  PAYMENT_SOURCE_CANNOT_BE_USED: GENERIC,
  PAYMENT_SOURCE_INFO_CANNOT_BE_VERIFIED: GENERIC,
  PAYER_CANNOT_PAY: GENERIC,
  CARD_EXPIRED: decline('expired_card', 'Your card has expired.', 'expired_card'),
  INVALID_EXPIRY_DATE: decline('expired_card', 'Your card has expired.', 'expired_card'),
  CARD_CLOSED: decline('invalid_account', 'Your card was declined.'),
  PAYER_ACCOUNT_LOCKED_OR_CLOSED: decline('invalid_account', 'The PayPal account is locked or closed.'),
  PAYER_ACCOUNT_RESTRICTED: decline('transaction_not_allowed', 'The PayPal account is restricted.'),
  // The buyer cancelled the agreement behind the vaulted PayPal wallet: never retry it.
  AGREEMENT_ALREADY_CANCELLED: decline('revocation_of_authorization', 'The buyer cancelled the PayPal billing agreement.'),
  BILLING_AGREEMENT_NOT_FOUND: decline('revocation_of_authorization', 'The buyer cancelled the PayPal billing agreement.'),
  COMPLIANCE_VIOLATION: decline('do_not_try_again', 'PayPal refused the transaction.'),
  PAYEE_BLOCKED_TRANSACTION: decline('do_not_try_again', 'PayPal refused the transaction.'),
  MAX_NUMBER_OF_PAYMENT_ATTEMPTS_EXCEEDED: decline('card_velocity_exceeded', 'Too many payment attempts.'),
  // The buyer must act (approve the setup token, pass 3-D Secure): impossible off-session.
  PAYER_ACTION_REQUIRED: decline('authentication_required', 'The payment needs the buyer to authenticate.'),
  CURRENCY_NOT_SUPPORTED: decline('currency_not_supported', 'PayPal does not support this currency.', 'currency_not_supported'),
};

/** The Stripe decline for a DECLINED/FAILED capture's processor response code. */
export function declineFromProcessorCode(responseCode: string | undefined): StripeDecline {
  return (responseCode !== undefined && PROCESSOR_CODES[responseCode.toUpperCase()]) || GENERIC;
}

/**
 * The Stripe decline for a 422's issues, or null when none of them refuses the payment
 * source (a request Recur got wrong: the caller should not present it as the card's fault).
 */
export function declineFromIssues(issues: readonly string[]): StripeDecline | null {
  for (const issue of issues) {
    const known = ISSUES[issue];
    if (known) return known;
  }
  return null;
}

/** Stripe's refund error codes for a refused refund (422 issues of Payments v2). */
export function refundFailureCode(issues: readonly string[]): string {
  for (const issue of issues) {
    if (issue === 'REFUND_AMOUNT_EXCEEDED' || issue === 'MAX_REFUND_LIMIT_EXCEEDED') return 'amount_too_large';
    if (issue === 'CAPTURE_FULLY_REFUNDED' || issue === 'CAPTURED_AMOUNT_FULLY_REFUNDED') return 'charge_already_refunded';
    if (issue === 'REFUND_TIME_LIMIT_EXCEEDED') return 'charge_expired_for_refund';
    if (issue === 'REFUND_CAPTURE_CURRENCY_MISMATCH') return 'currency_mismatch';
  }
  return issues[0]?.toLowerCase() ?? 'refund_failed';
}
