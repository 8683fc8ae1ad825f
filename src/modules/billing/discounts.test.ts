import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../lib/errors.ts';
import { applyDiscounts, type Coupon, type DiscountableLine } from './discounts.ts';

const line = (id: string, amount: bigint, productId: string | null = 'prod_a', discountable = true): DiscountableLine => ({
  id,
  amount,
  productId,
  discountable,
});
const percent = (id: string, percent_off: number | string, products?: string[]): Coupon => ({
  id,
  percent_off,
  amount_off: null,
  currency: null,
  applies_to: products ? { products } : null,
});
const amountOff = (id: string, amount_off: bigint, products?: string[]): Coupon => ({
  id,
  percent_off: null,
  amount_off,
  currency: 'usd',
  applies_to: products ? { products } : null,
});

const after = (lines: DiscountableLine[], coupons: Coupon[]) => applyDiscounts(lines, coupons, 'usd').map((l) => l.amountAfterDiscount);

const linesArbitrary = fc.array(
  fc.record({
    id: fc.string(),
    amount: fc.bigInt({ min: -100_000n, max: 1_000_000n }),
    productId: fc.option(fc.constantFrom('prod_a', 'prod_b', 'prod_c'), { nil: null }),
    discountable: fc.boolean(),
  }),
  { maxLength: 8 },
);
const couponArbitrary: fc.Arbitrary<Coupon> = fc.record({
  id: fc.string({ minLength: 1 }),
  percent_off: fc.option(
    fc.integer({ min: 1, max: 10_000 }).map((hundredths) => hundredths / 100),
    { nil: null },
  ),
  amount_off: fc.bigInt({ min: 0n, max: 2_000_000n }),
  currency: fc.constant('usd'),
  applies_to: fc.option(fc.record({ products: fc.subarray(['prod_a', 'prod_b', 'prod_c']) }), { nil: null }),
});
const eligibleFor = (coupon: Coupon, l: DiscountableLine) =>
  l.discountable && l.amount > 0n && (!coupon.applies_to || (l.productId !== null && coupon.applies_to.products.includes(l.productId)));

describe('applyDiscounts', () => {
  it('takes percent_off per line, rounding each line half away from zero', () => {
    const result = applyDiscounts([line('a', 1000n), line('b', 999n), line('c', 5n)], [percent('c10', 12.5)], 'usd');
    expect(result).toEqual([
      { id: 'a', discountAmounts: [{ couponId: 'c10', amount: 125n }], amountAfterDiscount: 875n },
      // 999 × 12.5 % = 124.875 → 125
      { id: 'b', discountAmounts: [{ couponId: 'c10', amount: 125n }], amountAfterDiscount: 874n },
      // 5 × 12.5 % = 0.625 → 1
      { id: 'c', discountAmounts: [{ couponId: 'c10', amount: 1n }], amountAfterDiscount: 4n },
    ]);
    expect(after([line('a', 1000n)], [percent('p', '33.33')])).toEqual([667n]);
  });

  it('spreads amount_off over the lines in proportion, summing exactly', () => {
    const result = applyDiscounts([line('a', 100n), line('b', 100n), line('c', 100n)], [amountOff('c1', 100n)], 'usd');
    expect(result.map((l) => l.discountAmounts[0]?.amount)).toEqual([34n, 33n, 33n]);
    expect(after([line('a', 3000n), line('b', 1000n)], [amountOff('c1', 1000n)])).toEqual([2250n, 750n]);
  });

  it('caps amount_off at the eligible total', () => {
    expect(after([line('a', 1000n), line('b', 500n)], [amountOff('big', 20_000n)])).toEqual([0n, 0n]);
  });

  it('applies coupons in order, each on what remains', () => {
    const result = applyDiscounts([line('a', 1000n)], [percent('half', 50), amountOff('off100', 100n)], 'usd');
    expect(result[0]).toEqual({
      id: 'a',
      discountAmounts: [
        { couponId: 'half', amount: 500n },
        { couponId: 'off100', amount: 100n },
      ],
      amountAfterDiscount: 400n,
    });
    expect(after([line('a', 1000n)], [amountOff('off100', 100n), percent('half', 50)])).toEqual([450n]);
  });

  it('leaves other products, non-discountable and negative lines alone', () => {
    const lines = [line('a', 1000n, 'prod_a'), line('b', 1000n, 'prod_b'), line('c', 1000n, null), line('d', 1000n, 'prod_a', false), line('e', -500n, 'prod_a')];
    const result = applyDiscounts(lines, [amountOff('only_a', 300n, ['prod_a'])], 'usd');
    expect(result.map((l) => l.amountAfterDiscount)).toEqual([700n, 1000n, 1000n, 1000n, -500n]);
    expect(result.map((l) => l.discountAmounts.length)).toEqual([1, 0, 0, 0, 0]);
  });

  it('refuses an amount_off coupon in another currency', () => {
    const error = (() => {
      try {
        applyDiscounts([line('a', 1000n)], [{ ...amountOff('eur5', 500n), currency: 'eur' }], 'usd');
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(ApiError);
  });

  it('never makes a line negative and never discounts more than the eligible positive amounts', () => {
    fc.assert(
      fc.property(linesArbitrary, fc.array(couponArbitrary, { maxLength: 3 }), (lines, coupons) => {
        const result = applyDiscounts(lines, coupons, 'usd');
        let discounted = 0n;
        for (const [i, l] of lines.entries()) {
          const out = result[i];
          if (!out) throw new Error('missing line');
          const sum = out.discountAmounts.reduce((s, d) => s + d.amount, 0n);
          expect(out.amountAfterDiscount).toBe(l.amount - sum);
          if (l.amount >= 0n) expect(out.amountAfterDiscount >= 0n).toBe(true);
          else expect(out.amountAfterDiscount).toBe(l.amount);
          for (const d of out.discountAmounts) expect(d.amount >= 0n).toBe(true);
          discounted += sum;
        }
        const eligibleTotal = lines.filter((l) => coupons.some((c) => eligibleFor(c, l))).reduce((s, l) => s + l.amount, 0n);
        expect(discounted <= eligibleTotal).toBe(true);
      }),
    );
  });

  it('uses amount_off fully when the eligible total covers it', () => {
    fc.assert(
      fc.property(linesArbitrary, couponArbitrary, (lines, coupon) => {
        const fixed: Coupon = { ...coupon, percent_off: null };
        const eligibleTotal = lines.filter((l) => eligibleFor(fixed, l)).reduce((s, l) => s + l.amount, 0n);
        const used = applyDiscounts(lines, [fixed], 'usd')
          .flatMap((l) => l.discountAmounts)
          .reduce((s, d) => s + d.amount, 0n);
        const amountOffValue = fixed.amount_off ?? 0n;
        expect(used).toBe(eligibleTotal >= amountOffValue ? amountOffValue : eligibleTotal);
      }),
    );
  });

  it('zeroes every eligible line at 100 % off', () => {
    fc.assert(
      fc.property(linesArbitrary, (lines) => {
        const result = applyDiscounts(lines, [percent('free', 100)], 'usd');
        for (const [i, l] of lines.entries()) {
          expect(result[i]?.amountAfterDiscount).toBe(eligibleFor(percent('free', 100), l) ? 0n : l.amount);
        }
      }),
    );
  });
});
