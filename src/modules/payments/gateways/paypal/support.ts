import { createHash } from 'node:crypto';
import { ApiError as PayPalApiError } from '@paypal/paypal-server-sdk';
import { parseDecimalAmount, toDecimalString } from '../../../../lib/money.ts';

/** A PayPal error response: `{ name, message, debug_id, details: [{ issue, description }] }`. */
export interface PayPalError {
  status: number;
  name: string;
  message: string;
  debugId: string | null;
  issues: string[];
  /** "ISSUE: description" of each detail, for messages and logs. */
  detail: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** The PayPal error an SDK call threw, or null for anything else (network, timeout, bugs). */
export function readPayPalError(error: unknown): PayPalError | null {
  if (!(error instanceof PayPalApiError)) return null;
  // The SDK parses the body only for the statuses an operation declares; read it otherwise.
  let body: unknown = error.result;
  if (body === undefined && typeof error.body === 'string') {
    try {
      body = JSON.parse(error.body);
    } catch {
      body = undefined;
    }
  }
  const record = isRecord(body) ? body : {};
  const details = Array.isArray(record['details']) ? record['details'].filter(isRecord) : [];
  const issues = details.map((d) => text(d['issue'])).filter((issue): issue is string => issue !== null);
  return {
    status: error.statusCode,
    // OAuth errors are `{ error, error_description }` instead.
    name: text(record['name']) ?? text(record['error']) ?? `HTTP_${error.statusCode}`,
    message: text(record['message']) ?? text(record['error_description']) ?? error.message,
    debugId: text(record['debug_id']) ?? error.headers['paypal-debug-id'] ?? null,
    issues,
    detail: details.map((d) => `${text(d['issue']) ?? '?'}: ${text(d['description']) ?? ''}`.trim()).join('; '),
  };
}

/** One line about a PayPal error, with the debug id PayPal support asks for. */
export function explain(error: PayPalError): string {
  const debug = error.debugId ? ` (debug_id ${error.debugId})` : '';
  return `PayPal ${error.status} ${error.name}: ${error.detail || error.message}${debug}`;
}

/**
 * The `PayPal-Request-Id` for an idempotency key. PayPal takes at most 108 characters, and a
 * header carries only visible ASCII safely; other keys are hashed (sha256, base64url), which
 * is deterministic, so a retry with the same key sends the same id.
 */
export function paypalRequestId(idempotencyKey: string): string {
  if (/^[\x21-\x7e]{1,108}$/.test(idempotencyKey)) return idempotencyKey;
  return `sha256-${createHash('sha256').update(idempotencyKey).digest('base64url')}`;
}

/**
 * PayPal accepts no decimals for these currencies although ISO 4217 gives HUF and TWD two
 * (PayPal's currency codes reference); JPY has none either way.
 */
const WHOLE_UNITS_ONLY = new Set(['HUF', 'JPY', 'TWD']);

/** Minor units as PayPal's `value` ("12.34", JPY "1000"); null if PayPal cannot express it. */
export function toPayPalValue(amount: bigint, currency: string): string | null {
  const decimal = toDecimalString(amount, currency);
  if (!WHOLE_UNITS_ONLY.has(currency.toUpperCase())) return decimal;
  const [whole = '', fraction = ''] = decimal.split('.');
  return /^0*$/.test(fraction) ? whole : null;
}

/** PayPal's `{ currency_code, value }` in minor units of Recur's (ISO) currency. */
export function fromPayPalValue(value: string, currencyCode: string): bigint {
  return parseDecimalAmount(value, currencyCode.toLowerCase(), 'amount');
}
