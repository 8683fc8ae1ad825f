/**
 * Authorize.net's response reason codes (developer.authorize.net, "Response Reason Codes")
 * in Stripe's vocabulary. Authorize.net does not tell an insufficient-funds decline from any
 * other: the issuer's refusal is reason 2 ("This transaction has been declined."), which is
 * Stripe's generic_decline.
 */
export interface Decline {
  /** Stripe's error code: card_declined, expired_card, incorrect_cvc, processing_error … */
  code: string;
  /** Stripe's decline code. */
  declineCode: string;
  message: string;
}

type Mapped = readonly [code: string, declineCode: string];

const DECLINED: Mapped = ['card_declined', 'generic_decline'];
const PROCESSING: Mapped = ['processing_error', 'processing_error'];

const BY_REASON: ReadonlyMap<number, Mapped> = new Map<number, Mapped>([
  [2, DECLINED],
  [3, ['card_declined', 'call_issuer']], // referral: the issuer wants a call
  [4, ['card_declined', 'pickup_card']], // the issuer asks for the card to be picked up
  [6, ['incorrect_number', 'incorrect_number']],
  [37, ['incorrect_number', 'incorrect_number']],
  [200, ['incorrect_number', 'incorrect_number']],
  [315, ['incorrect_number', 'incorrect_number']],
  [7, ['invalid_expiry_year', 'invalid_expiry_year']],
  [201, ['invalid_expiry_year', 'invalid_expiry_year']],
  [316, ['invalid_expiry_year', 'invalid_expiry_year']],
  [8, ['expired_card', 'expired_card']],
  [317, ['expired_card', 'expired_card']],
  [17, ['card_declined', 'card_not_supported']],
  [28, ['card_declined', 'card_not_supported']],
  [27, ['incorrect_zip', 'incorrect_zip']], // AVS mismatch (the merchant's AVS filter)
  [127, ['incorrect_zip', 'incorrect_zip']],
  [44, ['incorrect_cvc', 'incorrect_cvc']], // card code mismatch (the processor's filter)
  [45, ['incorrect_cvc', 'incorrect_cvc']], // AVS and card code (the merchant's filters)
  [65, ['incorrect_cvc', 'incorrect_cvc']], // card code mismatch (the merchant's filter)
  [78, ['incorrect_cvc', 'incorrect_cvc']],
  [250, ['card_declined', 'fraudulent']], // blocked IP / Fraud Detection Suite
  [251, ['card_declined', 'fraudulent']],
  [254, ['card_declined', 'fraudulent']], // declined after review
  ...[19, 20, 21, 22, 23, 25, 26, 35, 57, 58, 59, 60, 61, 62, 63, 120, 121, 122, 180, 181].map((reason): [number, Mapped] => [reason, PROCESSING]),
]);

/**
 * A refused transaction (response code 2 "declined" or 3 "error") in Stripe's codes. Unknown
 * reasons fall back on the response code: a decline is a generic decline, an error a
 * processing error (one the dunning schedule may retry).
 */
export function mapDecline(responseCode: string, reasonCode: string, reasonText: string | undefined): Decline {
  const mapped = BY_REASON.get(Number(reasonCode)) ?? (responseCode === '2' ? DECLINED : PROCESSING);
  return { code: mapped[0], declineCode: mapped[1], message: reasonText || 'Your card was declined.' };
}

/** Response code 4 and these reasons: the transaction is held for review, neither paid nor refused. */
export const HELD_REASONS: ReadonlySet<string> = new Set(['193', '252', '253']);

/** Response reason 11: "A duplicate transaction has been submitted." */
export const DUPLICATE_REASON = '11';

/** Why a refund was refused, in Stripe's words where it has them. */
export function refundFailureCode(reasonCode: string): string {
  switch (reasonCode) {
    case '55': // "The sum of credits against the referenced transaction would exceed original debit amount."
      return 'amount_too_large';
    case '54': // "The referenced transaction does not meet the criteria for issuing a credit."
      return 'charge_not_refundable';
    default:
      return 'refund_failed';
  }
}
