import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lineAmount } from '../catalog/tiers.ts';
import { applyDiscounts } from './discounts.ts';
import { lineTax, type TaxRate } from './tax.ts';
import { invoiceTotals, type TotalsLine } from './totals.ts';

const vat20: TaxRate = { id: 'txr_vat', percentage: 20, inclusive: false };

/** Lines built the way an invoice builds them: discount, then tax on what remains. */
function buildLines(amounts: bigint[], taxRates: TaxRate[], percentOff: number | null): TotalsLine[] {
  const lines = amounts.map((amount, i) => ({ id: `il_${i}`, amount, productId: 'prod_a', discountable: true }));
  const coupons = percentOff === null ? [] : [{ id: 'co_1', percent_off: percentOff, amount_off: null, currency: null }];
  return applyDiscounts(lines, coupons, 'usd').map((discounted, i) => ({
    amount: amounts[i] ?? 0n,
    discountAmounts: discounted.discountAmounts,
    taxAmounts: lineTax(discounted.amountAfterDiscount, taxRates).taxAmounts,
  }));
}

const rateArbitrary: fc.Arbitrary<TaxRate> = fc.record({
  id: fc.constantFrom('txr_a', 'txr_b', 'txr_c'),
  percentage: fc.integer({ min: 0, max: 300_000 }).map((n) => (n / 10_000).toFixed(4)),
  inclusive: fc.boolean(),
});

describe('invoiceTotals', () => {
  it('follows Stripe’s fields for exclusive tax', () => {
    // Two seats at $10 with a 10 % coupon and 20 % exclusive VAT.
    const seats = lineAmount({ billing_scheme: 'per_unit', unit_amount: 1000n }, 2);
    const totals = invoiceTotals(buildLines([seats, 500n], [vat20], 10));
    expect(totals).toMatchObject({
      subtotal: 2500n,
      total_discount_amounts: [{ couponId: 'co_1', amount: 250n }],
      total_excluding_tax: 2250n,
      tax: 450n,
      total: 2700n,
      amount_due: 2700n,
      applied_balance: 0n,
      ending_balance: 0n,
    });
    expect(totals.total_taxes).toEqual([{ taxRateId: 'txr_vat', amount: 450n, inclusive: false, taxableAmount: 2250n }]);
  });

  it('takes inclusive tax out of total_excluding_tax but not out of total', () => {
    const totals = invoiceTotals(buildLines([1200n], [{ id: 'txr_inc', percentage: 20, inclusive: true }], null));
    expect(totals).toMatchObject({ subtotal: 1200n, total_excluding_tax: 1000n, tax: 200n, total: 1200n, amount_due: 1200n });
  });

  it('applies a customer credit before charging, and adds a debit', () => {
    const lines = buildLines([1000n], [], null);
    expect(invoiceTotals(lines, -300n)).toMatchObject({ applied_balance: -300n, amount_due: 700n, ending_balance: 0n });
    expect(invoiceTotals(lines, -5000n)).toMatchObject({ applied_balance: -1000n, amount_due: 0n, ending_balance: -4000n });
    expect(invoiceTotals(lines, 250n)).toMatchObject({ applied_balance: 250n, amount_due: 1250n, ending_balance: 0n });
  });

  it('credits a negative total to the customer balance', () => {
    const lines = buildLines([-1500n, 500n], [], null);
    expect(invoiceTotals(lines)).toMatchObject({ total: -1000n, amount_due: 0n, applied_balance: 0n, ending_balance: -1000n });
    expect(invoiceTotals(lines, -200n)).toMatchObject({ amount_due: 0n, applied_balance: 0n, ending_balance: -1200n });
    expect(invoiceTotals(lines, 400n)).toMatchObject({ amount_due: 0n, applied_balance: 400n, ending_balance: -600n });
  });

  it('equal the sums of their lines, and keep the customer balance whole', () => {
    fc.assert(
      fc.property(
        fc.array(fc.bigInt({ min: -100_000n, max: 1_000_000n }), { maxLength: 6 }),
        fc.array(rateArbitrary, { maxLength: 3 }),
        fc.option(fc.integer({ min: 1, max: 10_000 }).map((n) => n / 100), { nil: null }),
        fc.bigInt({ min: -2_000_000n, max: 2_000_000n }),
        (amounts, rates, percentOff, balance) => {
          const lines = buildLines(amounts, rates, percentOff);
          const totals = invoiceTotals(lines, balance);
          const discount = lines.flatMap((l) => l.discountAmounts).reduce((s, d) => s + d.amount, 0n);
          const exclusiveTax = lines.flatMap((l) => l.taxAmounts).filter((t) => !t.inclusive).reduce((s, t) => s + t.amount, 0n);
          const perLineTotal = lines.reduce((s, l) => s + l.amount, 0n) - discount + exclusiveTax;
          expect(totals.subtotal).toBe(amounts.reduce((s, a) => s + a, 0n));
          expect(totals.total).toBe(perLineTotal);
          expect(totals.total_discount_amounts.reduce((s, d) => s + d.amount, 0n)).toBe(discount);
          expect(totals.total_taxes.reduce((s, t) => s + t.amount, 0n)).toBe(totals.tax);
          expect(totals.amount_due >= 0n).toBe(true);
          expect(totals.amount_due).toBe(totals.total + totals.applied_balance > 0n ? totals.total + totals.applied_balance : 0n);
          // Nothing is lost: what was owed before plus this invoice is either due now or left on the balance.
          expect(totals.starting_balance + totals.total).toBe(totals.amount_due + totals.ending_balance);
          // A credit never turns into a charge, and is never used beyond the total.
          if (balance <= 0n) expect(totals.amount_due <= (totals.total > 0n ? totals.total : 0n)).toBe(true);
        },
      ),
    );
  });

  it('with a zero balance, amount_due is max(0, total)', () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: -1_000_000n, max: 1_000_000n }), { maxLength: 6 }), fc.array(rateArbitrary, { maxLength: 2 }), (amounts, rates) => {
        const totals = invoiceTotals(buildLines(amounts, rates, null));
        expect(totals.amount_due).toBe(totals.total > 0n ? totals.total : 0n);
      }),
    );
  });
});
