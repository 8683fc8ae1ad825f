import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apiErrorOf } from '../../test/helpers/errors.ts';
import {
  CURRENCIES,
  allocateProportionally,
  MAX_AMOUNT,
  formatAmount,
  isCurrency,
  minorUnitExponent,
  mulDiv,
  parseCurrency,
  parseDecimalAmount,
  parseScaledDecimal,
  roundHalfAwayFromZero,
  scaledToDecimalString,
  toDecimalString,
} from './money.ts';


const amount = fc.bigInt({ min: -MAX_AMOUNT, max: MAX_AMOUNT });
const currency = fc.constantFrom(...Object.keys(CURRENCIES).map((code) => code.toLowerCase()));

describe('currencies', () => {
  it('follow ISO 4217, not Intl', () => {
    const exponents = Object.fromEntries(
      ['usd', 'eur', 'gbp', 'dkk', 'idr', 'huf', 'jpy', 'krw', 'clp', 'vnd', 'isk', 'bhd', 'kwd', 'jod', 'omr', 'tnd', 'iqd', 'lyd', 'uyw', 'clf'].map(
        (code) => [code, minorUnitExponent(code)],
      ),
    );
    expect(exponents).toEqual({
      usd: 2, eur: 2, gbp: 2, dkk: 2, idr: 2, huf: 2,
      jpy: 0, krw: 0, clp: 0, vnd: 0, isk: 0,
      bhd: 3, kwd: 3, jod: 3, omr: 3, tnd: 3, iqd: 3, lyd: 3,
      uyw: 4, clf: 4,
    });
    // Node's ICU disagrees for IDR; that is exactly why the table exists.
    expect(new Intl.NumberFormat('en', { style: 'currency', currency: 'IDR' }).resolvedOptions().maximumFractionDigits).toBe(0);
    expect(Object.keys(CURRENCIES).length).toBeGreaterThan(150);
  });

  it('are lowercase three-letter codes; parseCurrency normalises and names the param', () => {
    expect(isCurrency('usd')).toBe(true);
    expect(isCurrency('USD')).toBe(false);
    expect(isCurrency('xau')).toBe(false);
    expect(isCurrency('abc')).toBe(false);
    expect(isCurrency('constructor')).toBe(false);
    expect(parseCurrency('EUR', 'currency')).toBe('eur');
    for (const bad of ['zzz', 'usdx', '', 12, null, 'toString']) {
      const error = apiErrorOf(() => parseCurrency(bad, 'currency'));
      expect([error.status, error.param]).toEqual([400, 'currency']);
      expect(error.message).toMatch(/^Invalid currency/);
    }
    expect(() => minorUnitExponent('zzz')).toThrow(RangeError);
  });
});

describe('roundHalfAwayFromZero', () => {
  it('rounds halves away from zero, symmetric for negatives', () => {
    const cases: [bigint, bigint, bigint][] = [
      [5n, 2n, 3n], [-5n, 2n, -3n], [7n, 2n, 4n], [4n, 3n, 1n], [5n, 3n, 2n], [-5n, 3n, -2n],
      [0n, 7n, 0n], [1n, 3n, 0n], [-1n, 3n, 0n], [149n, 100n, 1n], [150n, 100n, 2n], [-150n, 100n, -2n],
    ];
    for (const [n, d, q] of cases) expect([n, d, roundHalfAwayFromZero(n, d)]).toEqual([n, d, q]);
    expect(() => roundHalfAwayFromZero(1n, 0n)).toThrow(RangeError);
    expect(() => roundHalfAwayFromZero(1n, -2n)).toThrow(RangeError);
  });

  it('is within half a unit of the exact quotient, and odd', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.bigInt({ min: 1n, max: 10n ** 18n }), (n, d) => {
        const q = roundHalfAwayFromZero(n, d);
        const error = q * d - n; // q − n/d, scaled by d
        expect(2n * (error < 0n ? -error : error) <= d).toBe(true);
        expect(roundHalfAwayFromZero(-n, d)).toBe(-q);
      }),
    );
  });

  it('mulDiv is the rounded exact product', () => {
    expect(mulDiv(1000n, 1n, 3n)).toBe(333n);
    expect(mulDiv(1000n, 2n, 3n)).toBe(667n);
    expect(mulDiv(-1000n, 2n, 3n)).toBe(-667n);
    expect(mulDiv(999n, 50n, 100n)).toBe(500n);
  });
});

describe('allocateProportionally', () => {
  it('splits by largest remainder, ties to the earlier weight', () => {
    expect(allocateProportionally(100n, [1n, 1n, 1n])).toEqual([34n, 33n, 33n]);
    expect(allocateProportionally(10n, [3n, 0n, 1n])).toEqual([8n, 0n, 2n]); // 7.5, 0, 2.5
    expect(allocateProportionally(5n, [0n, 0n])).toEqual([0n, 0n]);
    expect(() => allocateProportionally(-1n, [1n])).toThrow(RangeError);
  });

  it('sums exactly, with each part within one unit of its exact share', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n }), fc.array(fc.bigInt({ min: 0n, max: 10n ** 9n }), { minLength: 1, maxLength: 8 }), (total, weights) => {
        const parts = allocateProportionally(total, weights);
        const weightSum = weights.reduce((s, w) => s + w, 0n);
        expect(parts.reduce((s, p) => s + p, 0n)).toBe(weightSum === 0n ? 0n : total);
        for (const [i, part] of parts.entries()) {
          const weight = weights[i] ?? 0n;
          if (weightSum === 0n || weight === 0n) expect(part).toBe(0n);
          else {
            const floor = (total * weight) / weightSum;
            expect(part === floor || part === floor + 1n).toBe(true);
          }
        }
      }),
    );
  });
});

describe('decimal strings', () => {
  it('print amounts in major units by the ISO exponent', () => {
    expect(toDecimalString(1234n, 'usd')).toBe('12.34');
    expect(toDecimalString(-5n, 'usd')).toBe('-0.05');
    expect(toDecimalString(0n, 'usd')).toBe('0.00');
    expect(toDecimalString(1000n, 'jpy')).toBe('1000');
    expect(toDecimalString(1n, 'bhd')).toBe('0.001');
    expect(toDecimalString(123456n, 'idr')).toBe('1234.56');
    expect(scaledToDecimalString(500000000000n, 12, true)).toBe('0.5');
    expect(scaledToDecimalString(1200n, 2, true)).toBe('12');
  });

  it('read back what they print', () => {
    fc.assert(
      fc.property(amount, currency, (value, code) => {
        expect(parseDecimalAmount(toDecimalString(value, code), code, 'amount')).toBe(value);
      }),
    );
  });

  it('parse amounts, rejecting non-numbers, extra decimals and absurd amounts', () => {
    expect(parseDecimalAmount('12.34', 'usd', 'amount')).toBe(1234n);
    expect(parseDecimalAmount('12.3', 'usd', 'amount')).toBe(1230n);
    expect(parseDecimalAmount('12', 'usd', 'amount')).toBe(1200n);
    expect(parseDecimalAmount('-0.05', 'usd', 'amount')).toBe(-5n);
    expect(parseDecimalAmount('1000', 'jpy', 'amount')).toBe(1000n);
    expect(parseDecimalAmount('9999999999999.99', 'usd', 'amount')).toBe(MAX_AMOUNT);
    for (const [text, code] of [
      ['12.345', 'usd'], ['1.5', 'jpy'], ['abc', 'usd'], ['', 'usd'], ['1e3', 'usd'], ['.5', 'usd'],
      ['1.', 'usd'], [' 1', 'usd'], ['+1', 'usd'], ['10000000000000.00', 'usd'], ['-10000000000000', 'usd'],
      ['0x10', 'usd'], ['NaN', 'usd'], ['1,5', 'eur'],
    ] as const) {
      const error = apiErrorOf(() => parseDecimalAmount(text, code, 'unit_amount'));
      expect([text, error.status, error.param]).toEqual([text, 400, 'unit_amount']);
    }
    expect(parseScaledDecimal('0.000000000001', 12)).toBe(1n);
    expect(parseScaledDecimal('0.0000000000001', 12)).toBeNull();
  });
});

describe('formatAmount', () => {
  // ICU separates with no-break spaces (U+00A0, U+202F); compare with plain spaces.
  const display = (value: bigint, code: string, locale: string) => formatAmount(value, code, locale).replace(/\s/g, ' ');

  it('formats in each locale with the ISO number of decimals', () => {
    const rows: [string, bigint, string[]][] = [
      ['usd', 123456789n, ['$1,234,567.89', 'US$1.234.567,89', '1.234.567,89 US$', '1 234 567,89 $US', '1.234.567,89 USD']],
      ['eur', 123456789n, ['€1,234,567.89', '€1.234.567,89', '1.234.567,89 €', '1 234 567,89 €', '1.234.567,89 €']],
      ['dkk', 123456789n, ['DKK 1,234,567.89', 'DKK 1.234.567,89', '1.234.567,89 kr.', '1 234 567,89 DKK', '1.234.567,89 DKK']],
      ['idr', 123456789n, ['IDR 1,234,567.89', 'Rp 1.234.567,89', '1.234.567,89 IDR', '1 234 567,89 IDR', '1.234.567,89 IDR']],
      ['jpy', 1234567n, ['¥1,234,567', 'JP¥1.234.567', '1.234.567 JP¥', '1 234 567 JPY', '1.234.567 JPY']],
      ['bhd', 1234567n, ['BHD 1,234.567', 'BHD 1.234,567', '1.234,567 BHD', '1 234,567 BHD', '1234,567 BHD']],
    ];
    for (const [code, value, expected] of rows) {
      expect(['en', 'id', 'da', 'fr', 'it'].map((locale) => display(value, code, locale))).toEqual(expected);
    }
  });

  it('keeps small, negative and huge amounts exact', () => {
    expect(display(-5n, 'usd', 'en')).toBe('-$0.05');
    expect(display(0n, 'usd', 'en')).toBe('$0.00');
    expect(display(5n, 'idr', 'id')).toBe('Rp 0,05');
    // Beyond 2^53: a float would lose the last digits.
    expect(display(900719925474099301n, 'usd', 'en')).toBe('$9,007,199,254,740,993.01');
  });

  it('always shows exactly the ISO exponent of decimals', () => {
    fc.assert(
      fc.property(amount, currency, (value, code) => {
        const decimals = minorUnitExponent(code);
        const text = formatAmount(value, code, 'en');
        const fraction = /\.(\d+)/.exec(text)?.[1] ?? '';
        expect(fraction.length).toBe(decimals);
      }),
      { numRuns: 200 },
    );
  });
});
