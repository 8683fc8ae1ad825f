/**
 * Shared pieces of the Stripe fake (test/fakes/stripe.ts): Stripe's test PaymentMethods,
 * currencies, ids, form parameters and error shapes (docs.stripe.com/testing,
 * docs.stripe.com/api/errors).
 */
import { randomBytes } from 'node:crypto';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };
export interface Reply {
  status: number;
  body: JsonObject;
}

export interface Decline {
  code: string;
  decline_code: string;
  message: string;
}
interface TestCard {
  card: { brand: string; last4: string; funding: string; country: string };
  /** A decline at attach time (Stripe validates the card when it is attached). */
  attach?: Decline;
  /** A decline on every charge of the attached card. */
  charge?: Decline;
}

const generic: Decline = { code: 'card_declined', decline_code: 'generic_decline', message: 'Your card was declined.' };
const visa = (last4: string, funding = 'credit') => ({ brand: 'visa', last4, funding, country: 'US' });

/**
 * Stripe's test PaymentMethods. Stripe documents 0341 as the card that attaches and then
 * fails every charge; which other decline cards refuse the attach it does not list, so the
 * fake follows Recur's built-in test gateway: a generic decline, an expired card, a wrong CVC
 * and a processing error refuse the attach; insufficient funds, lost, stolen and fraudulent
 * cards attach and are declined when charged.
 */
export const TEST_PAYMENT_METHODS: Readonly<Record<string, TestCard>> = {
  pm_card_visa: { card: visa('4242') },
  pm_card_visa_debit: { card: visa('5556', 'debit') },
  pm_card_mastercard: { card: { brand: 'mastercard', last4: '4444', funding: 'credit', country: 'US' } },
  pm_card_chargeCustomerFail: { card: visa('0341'), charge: generic },
  pm_card_chargeDeclinedInsufficientFunds: { card: visa('9995'), charge: { code: 'card_declined', decline_code: 'insufficient_funds', message: 'Your card has insufficient funds.' } },
  pm_card_chargeDeclinedStolenCard: { card: visa('9979'), charge: { ...generic, decline_code: 'stolen_card' } },
  pm_card_chargeDeclinedLostCard: { card: visa('9987'), charge: { ...generic, decline_code: 'lost_card' } },
  pm_card_chargeDeclinedFraudulent: { card: visa('0019'), charge: { ...generic, decline_code: 'fraudulent' } },
  pm_card_chargeDeclined: { card: visa('0002'), attach: generic },
  pm_card_chargeDeclinedExpiredCard: { card: visa('0069'), attach: { code: 'expired_card', decline_code: 'expired_card', message: 'Your card has expired.' } },
  pm_card_chargeDeclinedIncorrectCvc: { card: visa('0127'), attach: { code: 'incorrect_cvc', decline_code: 'incorrect_cvc', message: "Your card's security code is incorrect." } },
  pm_card_chargeDeclinedProcessingError: {
    card: visa('0119'),
    attach: { code: 'processing_error', decline_code: 'processing_error', message: 'An error occurred while processing your card. Try again in a little bit.' },
  },
};

/** Stripe's zero-decimal currencies; ISK is whole króna but still counted in hundredths. */
const ZERO_DECIMAL = new Set(['bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'ugx', 'vnd', 'vuv', 'xaf', 'xof', 'xpf']);
const THREE_DECIMAL = new Set(['bhd', 'jod', 'kwd', 'omr', 'tnd']);
/** Minimum charge amounts (docs.stripe.com/currencies#minimum-and-maximum-charge-amounts), a few. */
const MINIMUM: Readonly<Record<string, number>> = { usd: 50, eur: 50, gbp: 30, jpy: 50, inr: 50, cad: 50, aud: 50 };

export const stripeDecimals = (currency: string): number => (ZERO_DECIMAL.has(currency) ? 0 : THREE_DECIMAL.has(currency) ? 3 : 2);
/** "$19.99 usd" style amounts, as Stripe's error messages show them. */
export function displayAmount(amount: number, currency: string): string {
  const decimals = stripeDecimals(currency);
  return `${(amount / 10 ** decimals).toFixed(decimals)} ${currency}`;
}

export const newId = (prefix: string): string => `${prefix}_${randomBytes(18).toString('base64url').replace(/[-_]/g, '').slice(0, 24)}`;
export const now = (): number => Math.floor(Date.now() / 1000);

export function errorReply(status: number, error: JsonObject): Reply {
  return { status, body: { error: { ...error, request_log_url: 'https://dashboard.stripe.com/test/logs' } } };
}
export const invalidRequest = (message: string, param?: string, code?: string): Reply =>
  errorReply(400, { type: 'invalid_request_error', message, ...(param ? { param } : {}), ...(code ? { code, doc_url: `https://stripe.com/docs/error-codes/${code.replace(/_/g, '-')}` } : {}) });
export const missing = (object: string, id: string, param = 'id'): Reply => errorReply(404, { type: 'invalid_request_error', code: 'resource_missing', message: `No such ${object}: '${id}'`, param });

/** Form parameters as the SDK sends them (`metadata[key]=…`, `expand[0]=…`), flat. */
export class Params {
  constructor(readonly all: URLSearchParams) {}
  get(name: string): string | undefined {
    return this.all.get(name) ?? undefined;
  }
  /** `prefix[key]=value` pairs as an object (metadata). */
  hash(prefix: string): Record<string, string> {
    const result: Record<string, string> = {};
    for (const [key, value] of this.all) {
      const match = new RegExp(`^${prefix}\\[([^\\]]+)\\]$`).exec(key);
      if (match) result[match[1] as string] = value;
    }
    return result;
  }
  /** Stripe refuses parameters it does not know: the first one not allowed, or null. */
  unknown(allowed: readonly (string | RegExp)[]): string | null {
    for (const key of this.all.keys()) {
      if (!allowed.some((rule) => (typeof rule === 'string' ? rule === key : rule.test(key)))) return key;
    }
    return null;
  }
}
export const unknownParam = (key: string): Reply => invalidRequest(`Received unknown parameter: ${key}`, key, 'parameter_unknown');

/** An amount Stripe's checks accept, or the error it answers. */
export function checkAmount(raw: string | undefined, currency: string, forCharge: boolean): number | Reply {
  if (raw === undefined) return invalidRequest('Missing required param: amount.', 'amount', 'parameter_missing');
  if (!/^\d+$/.test(raw)) return invalidRequest('Invalid integer: ' + raw, 'amount', 'parameter_invalid_integer');
  const amount = Number(raw);
  if (!forCharge) return amount;
  const minimum = MINIMUM[currency] ?? 1;
  if (amount < minimum) return invalidRequest(`Amount must be at least ${displayAmount(minimum, currency)}`, 'amount', 'amount_too_small');
  if (amount > 99_999_999) return invalidRequest(`Amount must be no more than ${displayAmount(99_999_999, currency)}`, 'amount', 'amount_too_large');
  if (currency === 'isk' && amount % 100 !== 0) {
    return invalidRequest('Invalid amount. Currency ISK has become effectively zero-decimal and charged amounts must be evenly divisible by 100.', 'amount', 'invalid_charge_amount_no_decimal_compatible');
  }
  return amount;
}
