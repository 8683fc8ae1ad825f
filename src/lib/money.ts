/**
 * Money: integer minor units in `bigint`, an ISO 4217 currency, no floating point anywhere.
 *
 * Rounding happens once per line, half away from zero (`roundHalfAwayFromZero`); every
 * module that divides money goes through it or `mulDiv`.
 */
import { invalidRequest } from './errors.ts';

/** Lowercase ISO 4217 code, as Stripe's API spells currencies ("usd", "eur"). */
export type Currency = string;

/**
 * Minor-unit exponent of every active ISO 4217 currency (List One), keyed by uppercase code.
 * This follows ISO, NOT `Intl`: Node 20's ICU says IDR and HUF have 0 decimals, ISO says 2.
 * Codes whose minor unit ISO gives as "N.A." (XAU, XAG, XPD, XPT, XDR, XSU, XUA, XBA–XBD,
 * XTS, XXX) are not money Recur bills in and are left out.
 */
export const CURRENCIES: Readonly<Record<string, 0 | 2 | 3 | 4>> = Object.freeze({
  ...withExponent(0, 'BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF'),
  ...withExponent(3, 'BHD IQD JOD KWD LYD OMR TND'),
  ...withExponent(4, 'CLF UYW'),
  ...withExponent(
    2,
    'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP ' +
      'BYN BZD CAD CDF CHE CHF CHW CNY COP COU CRC CUC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR ' +
      'FJD FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW ' +
      'KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN ' +
      'NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD ' +
      'SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU ' +
      'UZS VED VES WST XCD XCG YER ZAR ZMW ZWG',
  ),
});

function withExponent<E extends 0 | 2 | 3 | 4>(exponent: E, codes: string): Record<string, E> {
  return Object.fromEntries(codes.split(' ').map((code) => [code, exponent]));
}

/**
 * The absurd-amount bound: no amount may exceed ±(10^15 − 1) minor units (a quadrillion
 * cents), far above any real invoice and well inside PostgreSQL's bigint.
 */
export const MAX_AMOUNT = 10n ** 15n - 1n;

export function isCurrency(code: string): boolean {
  return /^[a-z]{3}$/.test(code) && Object.hasOwn(CURRENCIES, code.toUpperCase());
}

/** Decimal places of the currency's minor unit (ISO 4217). Throws on an unknown code. */
export function minorUnitExponent(currency: Currency): number {
  const exponent = CURRENCIES[currency.toUpperCase()];
  if (exponent === undefined || !/^[a-zA-Z]{3}$/.test(currency)) {
    throw new RangeError(`Unknown currency: ${currency}`);
  }
  return exponent;
}

/** An API currency parameter, in any letter case, normalised to lowercase. */
export function parseCurrency(value: unknown, param: string): Currency {
  const code = typeof value === 'string' ? value.toLowerCase() : '';
  if (!isCurrency(code)) throw invalidRequest(`Invalid currency: ${String(value)}.`, param);
  return code;
}

/**
 * `numerator / denominator`, exact, rounded once to an integer, half away from zero
 * (2.5 → 3, −2.5 → −3). The denominator must be positive.
 */
export function roundHalfAwayFromZero(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new RangeError('roundHalfAwayFromZero needs a positive denominator');
  const magnitude = numerator < 0n ? -numerator : numerator;
  let quotient = magnitude / denominator;
  if ((magnitude % denominator) * 2n >= denominator) quotient += 1n;
  return numerator < 0n ? -quotient : quotient;
}

/** `amount × numerator / denominator`, rounded once, half away from zero. */
export function mulDiv(amount: bigint, numerator: bigint, denominator: bigint): bigint {
  return roundHalfAwayFromZero(amount * numerator, denominator);
}

/**
 * Splits `total` (≥ 0) into parts proportional to `weights` (each ≥ 0) that sum exactly to
 * `total`: each part gets the floor of its exact share, and the units left over go one each
 * to the largest remainders (ties: the earlier weight). Zero weights get nothing; if all
 * weights are zero every part is zero.
 */
export function allocateProportionally(total: bigint, weights: readonly bigint[]): bigint[] {
  if (total < 0n || weights.some((weight) => weight < 0n)) {
    throw new RangeError('allocateProportionally needs a non-negative total and weights');
  }
  const weightSum = weights.reduce((sum, weight) => sum + weight, 0n);
  if (weightSum === 0n) return weights.map(() => 0n);
  const parts = weights.map((weight) => (total * weight) / weightSum);
  let leftover = total - parts.reduce((sum, part) => sum + part, 0n);
  const byRemainder = weights
    .map((weight, index) => ({ index, remainder: (total * weight) % weightSum }))
    .sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
  for (const { index } of byRemainder) {
    if (leftover === 0n) break;
    parts[index] = (parts[index] ?? 0n) + 1n;
    leftover -= 1n;
  }
  return parts;
}

// --- Scaled decimals: a decimal string held exactly as an integer times 10^-places. ---

/**
 * "12.5" with 2 places → 1250n. Returns null if the text is not a plain decimal
 * (optional "-", digits, optional "." and digits) or has more than `places` decimals.
 */
export function parseScaledDecimal(text: string, places: number): bigint | null {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) return null;
  const [, sign = '', whole = '', fraction = ''] = match;
  if (fraction.length > places) return null;
  const scaled = BigInt(whole + fraction.padEnd(places, '0'));
  return sign === '-' ? -scaled : scaled;
}

/** 1250n with 2 places → "12.50"; `trimZeros` gives "12.5" (and "12" for 1200n). */
export function scaledToDecimalString(scaled: bigint, places: number, trimZeros = false): string {
  const negative = scaled < 0n;
  const digits = (negative ? -scaled : scaled).toString().padStart(places + 1, '0');
  const whole = digits.slice(0, digits.length - places);
  let fraction = digits.slice(digits.length - places);
  if (trimZeros) fraction = fraction.replace(/0+$/, '');
  return (negative ? '-' : '') + whole + (fraction ? `.${fraction}` : '');
}

// --- Amounts as decimal text ---

/** 1234n usd → "12.34"; −5n usd → "-0.05"; 1000n jpy → "1000". */
export function toDecimalString(amount: bigint, currency: Currency): string {
  return scaledToDecimalString(amount, minorUnitExponent(currency));
}

/** "12.34" usd → 1234n. Rejects non-numbers, extra decimals and amounts beyond MAX_AMOUNT. */
export function parseDecimalAmount(value: string, currency: Currency, param: string): bigint {
  const exponent = minorUnitExponent(currency);
  if (!/^-?\d+(?:\.\d+)?$/.test(value)) {
    throw invalidRequest(`Invalid amount: ${value} is not a decimal number.`, param);
  }
  const amount = parseScaledDecimal(value, exponent);
  if (amount === null) {
    throw invalidRequest(
      `Invalid amount: ${currency.toUpperCase()} amounts have at most ${exponent} decimal places.`,
      param,
    );
  }
  if (amount > MAX_AMOUNT || amount < -MAX_AMOUNT) {
    throw invalidRequest(`Invalid amount: ${value} is too large.`, param);
  }
  return amount;
}

/**
 * A display string ("$1,234.56", "Rp 1.234,56", "1.234,56 kr."). The fraction digits are
 * forced to the ISO exponent (so IDR shows 2 decimals). The amount reaches Intl as an exact
 * decimal string (Node 20 formats decimal strings without going through a double), so
 * amounts beyond 2^53 keep every digit.
 */
// Building an Intl.NumberFormat costs far more than formatting with one (the billing run
// formats every line's description), so each (currency, locale) gets one, kept.
const formatters = new Map<string, Intl.NumberFormat>();

function formatterFor(currency: Currency, locale: string): Intl.NumberFormat {
  const key = `${currency}\u0000${locale}`;
  let format = formatters.get(key);
  if (!format) {
    const exponent = minorUnitExponent(currency);
    format = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency: currency.toUpperCase(),
      minimumFractionDigits: exponent,
      maximumFractionDigits: exponent,
    });
    if (formatters.size < 1000) formatters.set(key, format);
  }
  return format;
}

export function formatAmount(amount: bigint, currency: Currency, locale: string): string {
  return formatterFor(currency, locale).format(toDecimalString(amount, currency) as Intl.StringNumericLiteral);
}
