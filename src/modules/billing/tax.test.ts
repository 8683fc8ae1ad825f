import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyTaxRates, lineTax, type TaxRate } from './tax.ts';

const rate = (id: string, percentage: number | string, inclusive: boolean): TaxRate => ({ id, percentage, inclusive });
const amounts = (amount: bigint, rates: TaxRate[]) => lineTax(amount, rates).taxAmounts.map((t) => t.amount);

const rateArbitrary: fc.Arbitrary<TaxRate> = fc.record({
  id: fc.string(),
  // Up to 4 decimals, 0 % to 100 %.
  percentage: fc.integer({ min: 0, max: 1_000_000 }).map((tenThousandths) => (tenThousandths / 10_000).toFixed(4)),
  inclusive: fc.boolean(),
});
const amountArbitrary = fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n });

describe('lineTax', () => {
  it('adds exclusive tax on top, rounded per line', () => {
    expect(lineTax(1000n, [rate('vat', 19, false)])).toEqual({
      taxAmounts: [{ taxRateId: 'vat', amount: 190n, inclusive: false, taxableAmount: 1000n }],
    });
    expect(amounts(999n, [rate('ny', '8.875', false)])).toEqual([89n]); // 88.66125
    expect(amounts(1000n, [rate('x', '0.05', false)])).toEqual([1n]); // 0.5 → 1
    expect(amounts(1000n, [rate('state', 6, false), rate('city', '2.5', false)])).toEqual([60n, 25n]);
  });

  it('finds inclusive tax inside the amount', () => {
    // 1190 includes 19 %: net 1000, tax 190.
    expect(lineTax(1190n, [rate('vat', 19, true)])).toEqual({
      taxAmounts: [{ taxRateId: 'vat', amount: 190n, inclusive: true, taxableAmount: 1000n }],
    });
    expect(amounts(1000n, [rate('vat', 25, true)])).toEqual([200n]);
    expect(amounts(999n, [rate('vat', 20, true)])).toEqual([167n]); // 166.5 → 167
  });

  it('splits a combined inclusive tax between rates by largest remainder', () => {
    // 5 % + 9.975 % (GST + QST) inside 1000: combined 130.23… → 130.
    const taxes = lineTax(1000n, [rate('gst', 5, true), rate('qst', '9.975', true)]).taxAmounts;
    expect(taxes.map((t) => t.amount)).toEqual([43n, 87n]);
    expect(taxes.map((t) => t.taxableAmount)).toEqual([870n, 870n]);
    expect(amounts(1n, [rate('a', 50, true), rate('b', 50, true)])).toEqual([1n, 0n]);
  });

  it('taxes exclusive rates on the amount net of inclusive tax', () => {
    expect(lineTax(1100n, [rate('inc', 10, true), rate('exc', 5, false)]).taxAmounts).toEqual([
      { taxRateId: 'inc', amount: 100n, inclusive: true, taxableAmount: 1000n },
      { taxRateId: 'exc', amount: 50n, inclusive: false, taxableAmount: 1000n },
    ]);
  });

  it('has no tax without rates and zero tax at 0 %', () => {
    expect(lineTax(1000n, [])).toEqual({ taxAmounts: [] });
    expect(amounts(1000n, [rate('zero', 0, true), rate('zero2', '0', false)])).toEqual([0n, 0n]);
  });

  it('never finds more inclusive tax than the line amount', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.array(rateArbitrary, { maxLength: 4 }), (amount, rates) => {
        const inclusive = lineTax(amount, rates).taxAmounts.filter((t) => t.inclusive);
        const total = inclusive.reduce((s, t) => s + t.amount, 0n);
        expect(total >= 0n && total <= amount).toBe(true);
      }),
    );
  });

  it('gives non-negative exclusive tax on a non-negative amount', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.array(rateArbitrary, { maxLength: 4 }), (amount, rates) => {
        for (const t of lineTax(amount, rates).taxAmounts) expect(t.amount >= 0n).toBe(true);
      }),
    );
  });

  it('taxes a negative line (a credit) as the negative of the positive line', () => {
    fc.assert(
      fc.property(amountArbitrary, fc.array(rateArbitrary, { maxLength: 4 }), (amount, rates) => {
        const positive = lineTax(amount, rates).taxAmounts;
        const negative = lineTax(-amount, rates).taxAmounts;
        expect(negative.map((t) => [t.amount, t.taxableAmount])).toEqual(positive.map((t) => [-t.amount, -t.taxableAmount]));
      }),
    );
  });

  it('is within half a unit of the exact exclusive tax', () => {
    fc.assert(
      fc.property(amountArbitrary, fc.integer({ min: 0, max: 1_000_000 }), (amount, tenThousandths) => {
        const [tax] = amounts(amount, [rate('r', (tenThousandths / 10_000).toFixed(4), false)]);
        const exactScaled = amount * BigInt(tenThousandths); // tax × 1_000_000
        const error = (tax ?? 0n) * 1_000_000n - exactScaled;
        expect(2n * (error < 0n ? -error : error) <= 1_000_000n).toBe(true);
      }),
    );
  });

  it('taxes each line with its own rates', () => {
    const result = applyTaxRates([
      { id: 'l1', amount: 1000n, taxRates: [rate('vat', 20, false)] },
      { id: 'l2', amount: 500n, taxRates: [] },
    ]);
    expect(result.map((l) => [l.id, l.taxAmounts.map((t) => t.amount)])).toEqual([
      ['l1', [200n]],
      ['l2', []],
    ]);
  });

  it('rejects malformed percentages', () => {
    expect(() => lineTax(1000n, [rate('bad', '1.23456', false)])).toThrow(RangeError);
    expect(() => lineTax(1000n, [rate('bad', -5, false)])).toThrow(RangeError);
  });
});
