import { createHash } from 'node:crypto';
import { minorUnitExponent, toDecimalString } from '../../../../lib/money.ts';

/**
 * Pure translations between Recur and Braintree: declines into Stripe's code/decline_code
 * vocabulary, card details, transaction statuses, amounts, and the order ids that stand in
 * for idempotency keys.
 */

export interface Decline {
  /** Stripe's error code: card_declined, expired_card, incorrect_cvc, processing_error … */
  code: string;
  /** Stripe's decline code: insufficient_funds, stolen_card, do_not_honor … */
  declineCode: string;
}

const declined = (declineCode: string): Decline => ({ code: 'card_declined', declineCode });
const itself = (code: string): Decline => ({ code, declineCode: code });
const PROCESSING_ERROR: Decline = { code: 'processing_error', declineCode: 'processing_error' };

/**
 * Braintree's processor responses (developer.paypal.com/braintree/docs/reference/general/
 * processor-responses/authorization-responses): 2000–2999 are the issuer's or processor's
 * declines, 3000 the processor network being down. Codes not listed are generic declines.
 */
const PROCESSOR_RESPONSES: Readonly<Record<string, Decline>> = {
  '2000': declined('do_not_honor'), // Do Not Honor
  '2001': declined('insufficient_funds'), // Insufficient Funds
  '2002': declined('card_velocity_exceeded'), // Limit Exceeded
  '2003': declined('card_velocity_exceeded'), // Cardholder's Activity Limit Exceeded
  '2004': itself('expired_card'), // Expired Card
  '2005': itself('incorrect_number'), // Invalid Credit Card Number
  '2006': itself('invalid_expiry_year'), // Invalid Expiration Date
  '2007': declined('invalid_account'), // No Account
  '2008': itself('incorrect_number'), // Card Account Length Error
  '2009': declined('invalid_account'), // No Such Issuer
  '2010': itself('incorrect_cvc'), // Card Issuer Declined CVV
  '2011': declined('call_issuer'), // Voice Authorization Required
  '2012': declined('lost_card'), // Processor Declined – Possible Lost Card
  '2013': declined('stolen_card'), // Processor Declined – Possible Stolen Card
  '2014': declined('fraudulent'), // Processor Declined – Fraud Suspected
  '2015': declined('transaction_not_allowed'), // Transaction Not Allowed
  '2016': declined('duplicate_transaction'), // Duplicate Transaction
  '2017': declined('revocation_of_authorization'), // Cardholder Stopped Billing
  '2018': declined('revocation_of_all_authorizations'), // Cardholder Stopped All Billing
  '2019': declined('transaction_not_allowed'), // Invalid Transaction
  '2020': declined('security_violation'), // Violation
  '2021': declined('security_violation'), // Security Violation
  '2022': declined('new_account_information_available'), // Declined – Updated Cardholder Available
  '2023': declined('card_not_supported'), // Processor Does Not Support This Feature
  '2024': declined('card_not_supported'), // Card Type Not Enabled
  '2025': PROCESSING_ERROR, // Set Up Error – Merchant
  '2026': PROCESSING_ERROR, // Invalid Merchant ID
  '2027': PROCESSING_ERROR, // Set Up Error – Amount
  '2028': PROCESSING_ERROR, // Set Up Error – Hierarchy
  '2029': PROCESSING_ERROR, // Set Up Error – Card
  '2030': PROCESSING_ERROR, // Set Up Error – Terminal
  '2031': PROCESSING_ERROR, // Encryption Error
  '2032': declined('not_permitted'), // Surcharge Not Permitted
  '2033': PROCESSING_ERROR, // Inconsistent Data
  '2034': declined('no_action_taken'), // No Action Taken
  '2038': declined('generic_decline'), // Processor Declined
  '2041': declined('call_issuer'), // Declined – Call For Approval
  '2043': declined('do_not_try_again'), // Error – Do Not Retry, Call Issuer
  '2044': declined('call_issuer'), // Declined – Call Issuer
  '2046': declined('generic_decline'), // Declined
  '2047': declined('pickup_card'), // Call Issuer. Pick Up Card
  '2048': declined('invalid_amount'), // Invalid Amount
  '2053': declined('stolen_card'), // Card reported as lost or stolen
  '2057': declined('restricted_card'), // Issuer or Cardholder has put a restriction on the card
  '2059': itself('incorrect_zip'), // Address Verification Failed
  '2060': itself('incorrect_cvc'), // Address Verification and Card Security Code Failed
  '3000': { code: 'processing_error', declineCode: 'try_again_later' }, // Processor Network Unavailable – Try Again
};

/** A processor response code (as Braintree sends it, a string) in Stripe's terms. */
export function processorDecline(responseCode: string | null | undefined): Decline {
  return (responseCode ? PROCESSOR_RESPONSES[responseCode] : undefined) ?? declined('generic_decline');
}

/**
 * Braintree's own refusals (gateway_rejected), by `gatewayRejectionReason`: the merchant's
 * fraud, AVS/CVV and duplicate rules, or an account not set up to process.
 */
export function gatewayRejection(reason: string | null | undefined): Decline {
  switch (reason) {
    case 'cvv':
    case 'avs_and_cvv':
      return itself('incorrect_cvc');
    case 'avs':
      return itself('incorrect_zip');
    case 'fraud':
    case 'risk_threshold':
      return declined('fraudulent');
    case 'duplicate':
      return declined('duplicate_transaction');
    case 'three_d_secure':
      return itself('authentication_required');
    case 'excessive_retry':
      return declined('do_not_try_again');
    case 'application_incomplete':
    case 'token_issuance':
      return PROCESSING_ERROR;
    default:
      return declined('generic_decline');
  }
}

/** Why a transaction or verification that did not succeed failed, in Stripe's terms. */
export function failureOf(outcome: { status: string; processorResponseCode?: string | null | undefined; gatewayRejectionReason?: string | null | undefined }): Decline {
  if (outcome.status === 'gateway_rejected') return gatewayRejection(outcome.gatewayRejectionReason);
  return processorDecline(outcome.processorResponseCode);
}

/** Braintree's card types (CreditCard.CardType) → Stripe's brand names; others lower-cased. */
const BRANDS: Readonly<Record<string, string>> = {
  Visa: 'visa',
  MasterCard: 'mastercard',
  'American Express': 'amex',
  Discover: 'discover',
  JCB: 'jcb',
  'Diners Club': 'diners',
  'China UnionPay': 'unionpay',
};

export function cardBrand(cardType: string | null | undefined): string {
  if (!cardType) return 'unknown';
  return BRANDS[cardType] ?? cardType.toLowerCase();
}

/** Braintree's "Yes"/"No"/"Unknown" card indicators → Stripe's funding. */
export function cardFunding(card: { debit?: string | undefined; prepaid?: string | undefined }): string {
  if (card.prepaid === 'Yes') return 'prepaid';
  if (card.debit === 'Yes') return 'debit';
  if (card.debit === 'No') return 'credit';
  return 'unknown';
}

/**
 * A sale's status as a payment. `submitted_for_settlement` already counts as succeeded: the
 * card is authorised and the capture is queued; what can still go wrong later
 * (settlement_declined) arrives by webhook. Voided sales are handled by the caller.
 */
export function saleStatus(status: string): 'succeeded' | 'pending' | 'failed' {
  switch (status) {
    case 'submitted_for_settlement':
    case 'settling':
    case 'settled':
    case 'settlement_confirmed':
    case 'settlement_pending':
      return 'succeeded';
    case 'processor_declined':
    case 'gateway_rejected':
    case 'failed':
    case 'settlement_declined':
    case 'authorization_expired':
      return 'failed';
    default:
      // authorizing, authorized, and any status newer than this adapter.
      return 'pending';
  }
}

/** A refund (credit transaction)'s status as a refund. */
export function refundStatus(status: string): 'succeeded' | 'pending' | 'failed' {
  switch (status) {
    case 'submitted_for_settlement':
    case 'settling':
    case 'settled':
    case 'settlement_confirmed':
      return 'succeeded';
    case 'processor_declined':
    case 'gateway_rejected':
    case 'failed':
    case 'settlement_declined':
    case 'voided':
    case 'authorization_expired':
      return 'failed';
    default:
      return 'pending';
  }
}

/** Minor units → Braintree's decimal amount ("12.34", "1500" for JPY). */
export function toBraintreeAmount(amount: bigint, currency: string): string {
  return toDecimalString(amount, currency);
}

/**
 * Braintree's decimal amount → minor units. Extra decimals are accepted only when they are
 * zeros ("1500.00" JPY is 1500): anything finer than the currency's unit is refused.
 */
export function fromBraintreeAmount(text: string, currency: string): bigint {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!match) throw new RangeError(`Braintree amount '${text}' is not a decimal number`);
  const exponent = minorUnitExponent(currency);
  const [, whole = '0', fraction = ''] = match;
  if (/[1-9]/.test(fraction.slice(exponent))) throw new RangeError(`Braintree amount '${text}' is finer than ${currency.toUpperCase()} allows`);
  return BigInt(whole + fraction.slice(0, exponent).padEnd(exponent, '0'));
}

/**
 * The order id that marks a charge or refund made with an idempotency key: Braintree has no
 * idempotency keys, and order ids are at most 255 characters, so the key is hashed (sha256,
 * hex: lower-case letters and digits only, so that Braintree's text search matches it
 * exactly). The kind keeps a charge's and a refund's keys apart.
 */
export function orderIdFor(kind: 'charge' | 'refund', idempotencyKey: string): string {
  return createHash('sha256').update(`${kind}\u0000${idempotencyKey}`).digest('hex');
}
