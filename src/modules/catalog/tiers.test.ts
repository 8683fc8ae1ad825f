import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apiErrorOf } from '../../../test/helpers/errors.ts';
import { lineAmount, lineAmountParts, validateTiers, type LinePrice, type PriceTier } from './tiers.ts';


const tier = (up_to: number | 'inf', unit_amount: bigint | null, flat_amount: bigint | null = null): PriceTier => ({
  up_to,
  unit_amount,
  flat_amount,
});

// Stripe's documented example shape: first 5 units $5 each, next 5 $4, then $3 (+ a $10 base fee).
const stepTiers = [tier(5, 500n, 1000n), tier(10, 400n), tier('inf', 300n)];
const graduated: LinePrice = { billing_scheme: 'tiered', tiers_mode: 'graduated', tiers: stepTiers };
const volume: LinePrice = { billing_scheme: 'tiered', tiers_mode: 'volume', tiers: stepTiers };

/** Ascending, valid tiers ending in 'inf', with non-negative amounts. */
const tiersArbitrary = (withFlat: boolean): fc.Arbitrary<PriceTier[]> =>
  fc
    .array(
      fc.record({
        step: fc.integer({ min: 1, max: 50 }),
        unit: fc.option(fc.bigInt({ min: 0n, max: 100_000n }), { nil: null }),
        decimal: fc.option(fc.bigInt({ min: 0n, max: 10n ** 14n }), { nil: null }),
        flat: withFlat ? fc.option(fc.bigInt({ min: 0n, max: 100_000n }), { nil: null }) : fc.constant(null),
      }),
      { minLength: 1, maxLength: 5 },
    )
    .map((rows) => {
      let upTo = 0;
      return rows.map((row, index): PriceTier => {
        upTo += row.step;
        const unitDecimal = row.unit === null && row.decimal !== null ? `${row.decimal / 10n ** 12n}.${(row.decimal % 10n ** 12n).toString().padStart(12, '0')}` : null;
        return {
          up_to: index === rows.length - 1 ? 'inf' : upTo,
          unit_amount: row.unit ?? (unitDecimal === null ? 0n : null),
          unit_amount_decimal: unitDecimal,
          flat_amount: row.flat,
        };
      });
    });

describe('per_unit prices', () => {
  it('charge unit_amount × quantity', () => {
    expect(lineAmount({ billing_scheme: 'per_unit', unit_amount: 1999n }, 3)).toBe(5997n);
    expect(lineAmount({ billing_scheme: 'per_unit', unit_amount: 1999n }, 0)).toBe(0n);
  });

  it('price fractions of a cent exactly and round the line once', () => {
    const halfCent: LinePrice = { billing_scheme: 'per_unit', unit_amount: null, unit_amount_decimal: '0.5' };
    expect(lineAmount(halfCent, 1)).toBe(1n); // 0.5 → 1, half away from zero
    expect(lineAmount(halfCent, 3)).toBe(2n); // 1.5 → 2, not 3 × round(0.5)
    expect(lineAmount(halfCent, 1001)).toBe(501n);
    const tiny: LinePrice = { billing_scheme: 'per_unit', unit_amount: null, unit_amount_decimal: '0.000000000001' };
    expect(lineAmount(tiny, 499_999_999_999)).toBe(0n);
    expect(lineAmount(tiny, 500_000_000_000)).toBe(1n);
    expect(lineAmountParts(halfCent, 3).parts).toEqual([
      { tier: null, units: 3, unitAmountDecimal: '0.5', flatAmountDecimal: '0', subtotalDecimal: '1.5' },
    ]);
  });

  it('charge whole packages with transform_quantity', () => {
    const perTen = (round: 'up' | 'down'): LinePrice => ({
      billing_scheme: 'per_unit',
      unit_amount: 500n,
      transform_quantity: { divide_by: 10, round },
    });
    expect([0, 1, 10, 11, 25].map((q) => lineAmount(perTen('up'), q))).toEqual([0n, 500n, 500n, 1000n, 1500n]);
    expect([0, 1, 10, 11, 25].map((q) => lineAmount(perTen('down'), q))).toEqual([0n, 0n, 500n, 500n, 1000n]);
    expect(lineAmountParts(perTen('up'), 25).parts[0]?.units).toBe(3);
  });

  it('never charge for a partial package when rounding down', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 1, max: 1000 }),
        fc.bigInt({ min: 0n, max: 10n ** 6n }),
        (quantity, divideBy, unitAmount) => {
          const price: LinePrice = {
            billing_scheme: 'per_unit',
            unit_amount: unitAmount,
            transform_quantity: { divide_by: divideBy, round: 'down' },
          };
          const packages = BigInt(quantity - (quantity % divideBy)) / BigInt(divideBy);
          expect(lineAmount(price, quantity)).toBe(unitAmount * packages);
          expect(unitAmount * BigInt(divideBy) * packages <= unitAmount * BigInt(quantity)).toBe(true);
        },
      ),
    );
  });

  it('is 0 at quantity 0', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 12n }), (unitAmount) => {
        expect(lineAmount({ billing_scheme: 'per_unit', unit_amount: unitAmount }, 0)).toBe(0n);
      }),
    );
  });
});

describe('graduated tiers', () => {
  it('charge each tier for the units that fall in it, plus the flat amount of every tier touched', () => {
    expect(lineAmount(graduated, 1)).toBe(1000n + 500n);
    expect(lineAmount(graduated, 5)).toBe(1000n + 2500n);
    expect(lineAmount(graduated, 6)).toBe(1000n + 2500n + 400n);
    expect(lineAmount(graduated, 12)).toBe(1000n + 2500n + 2000n + 600n);
    expect(lineAmountParts(graduated, 12).parts).toEqual([
      { tier: 0, units: 5, unitAmountDecimal: '500', flatAmountDecimal: '1000', subtotalDecimal: '3500' },
      { tier: 1, units: 5, unitAmountDecimal: '400', flatAmountDecimal: '0', subtotalDecimal: '2000' },
      { tier: 2, units: 2, unitAmountDecimal: '300', flatAmountDecimal: '0', subtotalDecimal: '600' },
    ]);
  });

  it('charge the first tier flat amount at quantity 0 (flat fee + usage)', () => {
    expect(lineAmount(graduated, 0)).toBe(1000n);
  });

  it('are non-decreasing in quantity', () => {
    fc.assert(
      fc.property(tiersArbitrary(true), fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 100 }), (tiers, q, dq) => {
        const price: LinePrice = { billing_scheme: 'tiered', tiers_mode: 'graduated', tiers };
        expect(lineAmount(price, q) <= lineAmount(price, q + dq)).toBe(true);
      }),
    );
  });

  it('are 0 at quantity 0 when no tier has a flat amount', () => {
    fc.assert(
      fc.property(tiersArbitrary(false), (tiers) => {
        expect(lineAmount({ billing_scheme: 'tiered', tiers_mode: 'graduated', tiers }, 0)).toBe(0n);
      }),
    );
  });

  it('split the quantity across tiers exactly', () => {
    fc.assert(
      fc.property(tiersArbitrary(true), fc.integer({ min: 0, max: 400 }), (tiers, quantity) => {
        const { parts } = lineAmountParts({ billing_scheme: 'tiered', tiers_mode: 'graduated', tiers }, quantity);
        expect(parts.reduce((sum, p) => sum + p.units, 0)).toBe(quantity);
      }),
    );
  });
});

describe('volume tiers', () => {
  it('price the whole quantity at the tier it falls in', () => {
    expect(lineAmount(volume, 5)).toBe(1000n + 2500n);
    expect(lineAmount(volume, 6)).toBe(2400n);
    expect(lineAmount(volume, 11)).toBe(3300n);
    expect(lineAmountParts(volume, 11).parts).toEqual([
      { tier: 2, units: 11, unitAmountDecimal: '300', flatAmountDecimal: '0', subtotalDecimal: '3300' },
    ]);
  });

  it('equal the matching tier’s unit_amount × quantity + flat_amount', () => {
    fc.assert(
      fc.property(tiersArbitrary(true), fc.integer({ min: 0, max: 400 }), (tiers, quantity) => {
        const matching = tiers.find((t) => t.up_to === 'inf' || quantity <= t.up_to);
        if (!matching || matching.unit_amount === null) return; // decimal tiers: covered below
        const expected = matching.unit_amount * BigInt(quantity) + (matching.flat_amount ?? 0n);
        expect(lineAmount({ billing_scheme: 'tiered', tiers_mode: 'volume', tiers }, quantity)).toBe(expected);
      }),
    );
  });

  it('round decimal unit amounts once for the line', () => {
    const tiers = [{ ...tier(10, null), unit_amount_decimal: '0.25' }, { ...tier('inf', null, 100n), unit_amount_decimal: '0.125' }];
    const price: LinePrice = { billing_scheme: 'tiered', tiers_mode: 'volume', tiers };
    expect(lineAmount(price, 10)).toBe(3n); // 2.5 → 3
    expect(lineAmount(price, 12)).toBe(102n); // 1.5 + 100 → 102
    expect(lineAmount({ ...price, tiers_mode: 'graduated' }, 12)).toBe(103n); // 2.5 + 0.25 + 100 = 102.75
  });
});

describe('validateTiers', () => {
  const paramOf = (tiers: PriceTier[]) => apiErrorOf(() => validateTiers(tiers)).param;

  it('accepts ascending tiers ending in inf', () => {
    expect(() => validateTiers(stepTiers)).not.toThrow();
    expect(() => validateTiers([{ ...tier('inf', null), unit_amount_decimal: '0.000000000001' }])).not.toThrow();
  });

  it('names the offending tier field', () => {
    expect(paramOf([])).toBe('tiers');
    expect(paramOf([tier(10, 1n), tier(10, 1n), tier('inf', 1n)])).toBe('tiers[1][up_to]');
    expect(paramOf([tier(10, 1n), tier(5, 1n), tier('inf', 1n)])).toBe('tiers[1][up_to]');
    expect(paramOf([tier(10, 1n), tier(20, 1n)])).toBe('tiers[1][up_to]');
    expect(paramOf([tier('inf', 1n), tier('inf', 1n)])).toBe('tiers[0][up_to]');
    expect(paramOf([tier(0, 1n), tier('inf', 1n)])).toBe('tiers[0][up_to]');
    expect(paramOf([tier(1.5, 1n), tier('inf', 1n)])).toBe('tiers[0][up_to]');
    expect(paramOf([tier(10, 1n), tier('inf', null, null)])).toBe('tiers[1][unit_amount]');
    expect(paramOf([tier(10, -1n), tier('inf', 1n)])).toBe('tiers[0][unit_amount]');
    expect(paramOf([tier(10, 1n), tier('inf', 1n, -5n)])).toBe('tiers[1][flat_amount]');
    expect(paramOf([{ ...tier('inf', null), unit_amount_decimal: '-0.5' }])).toBe('tiers[0][unit_amount_decimal]');
    expect(paramOf([{ ...tier('inf', null), unit_amount_decimal: '0.0000000000001' }])).toBe('tiers[0][unit_amount_decimal]');
    expect(paramOf([{ ...tier('inf', 1n), unit_amount_decimal: '1' }])).toBe('tiers[0][unit_amount]');
    expect(apiErrorOf(() => validateTiers([tier(1, 1n)], 'items[0][price_data][tiers]')).param).toBe('items[0][price_data][tiers][0][up_to]');
  });

  it('accepts every generated valid tier list', () => {
    fc.assert(fc.property(tiersArbitrary(true), (tiers) => validateTiers(tiers)));
  });
});
