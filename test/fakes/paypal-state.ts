/**
 * The PayPal fake's records and PayPal's documented shapes for them (Orders v2, Payments v2,
 * Vault v3, REST error responses). Amounts are kept in PayPal's own units: cents for most
 * currencies, whole units for HUF, JPY and TWD, which PayPal takes without decimals.
 */
import { randomBytes, randomUUID } from 'node:crypto';

export interface Money {
  currency_code: string;
  value: string;
}

export interface FakeCard {
  name: string;
  number: string;
  /** YYYY-MM, as PayPal writes it. */
  expiry: string;
}

export interface FakeWallet {
  email_address: string;
  payer_id: string;
  country_code: string;
}

export interface FakeSetupToken {
  id: string;
  /** APPROVED once the buyer approved it in PayPal's UI; PAYER_ACTION_REQUIRED until then. */
  status: 'APPROVED' | 'PAYER_ACTION_REQUIRED';
  card: FakeCard | null;
  paypal: FakeWallet | null;
  customerId: string;
  paymentTokenId: string | null;
}

export interface FakePaymentToken {
  id: string;
  customer: { id: string; merchant_customer_id?: string };
  card: FakeCard | null;
  paypal: FakeWallet | null;
}

export interface FakeRefund {
  id: string;
  captureId: string;
  status: 'COMPLETED';
  amount: Money;
  createTime: string;
}

export interface FakeCapture {
  id: string;
  orderId: string;
  status: 'COMPLETED' | 'DECLINED' | 'PARTIALLY_REFUNDED' | 'REFUNDED';
  amount: Money;
  invoiceId: string | null;
  /** Processor response code of a card capture ('0000' approved). */
  responseCode: string | null;
  refunds: FakeRefund[];
  createTime: string;
}

export interface FakeOrder {
  id: string;
  status: 'CREATED' | 'APPROVED' | 'COMPLETED';
  source: { kind: 'card' | 'paypal'; token: FakePaymentToken };
  amount: Money;
  invoiceId: string | null;
  description: string | null;
  capture: FakeCapture | null;
  createTime: string;
}

/** A PayPal error response, thrown by handlers and written by the server. */
export class PayPalFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(`${status} ${JSON.stringify(body)}`);
  }
}

const MESSAGES: Record<string, string> = {
  INVALID_REQUEST: 'Request is not well-formed, syntactically incorrect, or violates schema.',
  RESOURCE_NOT_FOUND: 'The specified resource does not exist.',
  UNPROCESSABLE_ENTITY: 'The requested action could not be performed, semantically incorrect, or failed business validation.',
  INTERNAL_SERVER_ERROR: 'An internal server error has occurred.',
};

/** `{ name, message, debug_id, details: [{ issue, description }], links }`, PayPal's error body. */
export function failure(status: number, name: string, issue: string | null, description = '', field?: string): PayPalFailure {
  const details = issue ? [{ ...(field ? { field, location: 'body' } : {}), issue, description }] : undefined;
  return new PayPalFailure(status, {
    name,
    message: MESSAGES[name] ?? name,
    debug_id: debugId(),
    ...(details ? { details } : {}),
    links: [{ href: `https://developer.paypal.com/docs/api/orders/v2/#error-${issue ?? name}`, rel: 'information_link', method: 'GET' }],
  });
}

export const unprocessable = (issue: string, description: string, field?: string): PayPalFailure =>
  failure(422, 'UNPROCESSABLE_ENTITY', issue, description, field);

export const notFound = (): PayPalFailure =>
  failure(404, 'RESOURCE_NOT_FOUND', 'INVALID_RESOURCE_ID', 'Specified resource ID does not exist. Please check the resource ID and try again.');

export const debugId = (): string => randomBytes(7).toString('hex').slice(0, 13);

/** PayPal's 17-character upper-case ids ("5O190127TN364715T"). */
export function paypalId(): string {
  const alphabet = '0123456789ABCDEFGHJKLMNPRSTUVWXY';
  return Array.from(randomBytes(17), (byte) => alphabet[byte % alphabet.length]).join('');
}

export const webhookEventId = (): string => `WH-${paypalId()}-${paypalId()}`;
export const transmissionId = (): string => randomUUID();
export const now = (): string => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Currencies PayPal's REST APIs accept, and which of them take no decimals. */
const CURRENCIES = new Set('AUD BRL CAD CNY CZK DKK EUR HKD HUF ILS JPY MYR MXN TWD NZD NOK PHP PLN GBP SGD SEK CHF THB USD'.split(' '));
const NO_DECIMALS = new Set(['HUF', 'JPY', 'TWD']);

/**
 * A request's amount in PayPal units, or the 422 PayPal answers. PayPal checks the currency
 * (CURRENCY_NOT_SUPPORTED) and the decimals it allows (DECIMAL_PRECISION).
 */
export function units(money: unknown, field: string): { currency: string; units: bigint } {
  if (typeof money !== 'object' || money === null) throw failure(400, 'INVALID_REQUEST', 'MISSING_REQUIRED_PARAMETER', 'A required field / parameter is missing.', field);
  const { currency_code: currency, value } = money as Record<string, unknown>;
  if (typeof currency !== 'string' || typeof value !== 'string') {
    throw failure(400, 'INVALID_REQUEST', 'MISSING_REQUIRED_PARAMETER', 'A required field / parameter is missing.', field);
  }
  if (!CURRENCIES.has(currency)) throw unprocessable('CURRENCY_NOT_SUPPORTED', 'Currency code is not currently supported.', `${field}/currency_code`);
  const places = NO_DECIMALS.has(currency) ? 0 : 2;
  const match = /^(\d{1,15})(?:\.(\d+))?$/.exec(value);
  if (!match) throw failure(400, 'INVALID_REQUEST', 'INVALID_PARAMETER_SYNTAX', 'The value of a field does not conform to the expected format.', `${field}/value`);
  const fraction = match[2] ?? '';
  if (fraction.length > places) {
    throw unprocessable('DECIMAL_PRECISION', 'If the currency supports decimals, only two decimal place precision is supported.', `${field}/value`);
  }
  return { currency, units: BigInt((match[1] ?? '0') + fraction.padEnd(places, '0')) };
}

export function money(currency: string, amount: bigint): Money {
  const places = NO_DECIMALS.has(currency) ? 0 : 2;
  const digits = amount.toString().padStart(places + 1, '0');
  const value = places === 0 ? digits : `${digits.slice(0, -places)}.${digits.slice(-places)}`;
  return { currency_code: currency, value };
}

export const unitsOf = (value: Money): bigint => units(value, '/amount').units;

/** PayPal's card brand for a test card number. */
export function brandOf(number: string): string {
  if (/^3[47]/.test(number)) return 'AMEX';
  if (/^(5[1-5]|2[2-7])/.test(number)) return 'MASTERCARD';
  if (/^6(011|5)/.test(number)) return 'DISCOVER';
  if (/^3(0[0-5]|[68])/.test(number)) return 'DINERS';
  if (/^4/.test(number)) return 'VISA';
  return 'UNKNOWN';
}
