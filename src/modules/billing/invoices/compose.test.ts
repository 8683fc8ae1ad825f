import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { composeInvoice, type DraftLine } from './compose.ts';

function line(id: string, amount: bigint, extra: Partial<DraftLine> = {}): DraftLine {
  return {
    id,
    amount,
    description: null,
    quantity: 1n,
    priceId: 'price_1',
    productId: 'prod_1',
    unitAmountDecimal: null,
    subscriptionId: null,
    subscriptionItemId: null,
    invoiceItemId: null,
    proration: false,
    period: { start: 0, end: 1 },
    discountable: true,
    taxRates: [],
    ...extra,
  };
}

describe('composing an invoice', () => {
  it('discounts, then taxes the discounted amount per line', () => {
    const { lines, totals } = composeInvoice(
      [line('a', 1000n, { taxRates: [{ id: 'txr_vat', percentage: '25', inclusive: false }] }), line('b', -300n, { proration: true, discountable: false })],
      [{ discountId: 'di_1', coupon: { id: 'co_10', percent_off: 10, amount_off: null, currency: null } }],
      'usd',
    );
    expect(lines[0]?.discountAmounts).toEqual([{ discount: 'di_1', coupon: 'co_10', amount: '100' }]);
    expect(lines[0]?.taxes).toEqual([{ tax_rate: 'txr_vat', amount: '225', inclusive: false, taxable_amount: '900' }]);
    expect(lines[1]?.discountAmounts).toEqual([]);
    expect(totals).toMatchObject({ subtotal: 700n, total: 825n, tax: 225n, amount_due: 825n });
  });

  it('property: totals reconcile with the lines, and no line goes negative after discount', () => {
    const arbitraryLine = fc.record({
      amount: fc.bigInt({ min: -100_000n, max: 1_000_000n }),
      proration: fc.boolean(),
      inclusive: fc.boolean(),
      percentage: fc.integer({ min: 0, max: 300_000 }).map((p) => (p / 10_000).toString()),
    });
    fc.assert(
      fc.property(fc.array(arbitraryLine, { minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 10_000 }), fc.bigInt({ min: 0n, max: 2_000_000n }), (specs, percent, amountOff) => {
        const lines = specs.map((s, i) =>
          line(`l${i}`, s.amount, { proration: s.proration, taxRates: [{ id: 'txr', percentage: s.percentage, inclusive: s.inclusive }] }),
        );
        const { lines: composed, totals } = composeInvoice(
          lines,
          [
            { discountId: 'di_p', coupon: { id: 'co_p', percent_off: (percent / 100).toFixed(2), amount_off: null, currency: null } },
            { discountId: 'di_a', coupon: { id: 'co_a', percent_off: null, amount_off: amountOff, currency: 'usd' } },
          ],
          'usd',
        );
        let subtotal = 0n;
        let discount = 0n;
        let exclusiveTax = 0n;
        for (const [i, c] of composed.entries()) {
          const lineDiscount = c.discountAmounts.reduce((sum, d) => sum + BigInt(d.amount), 0n);
          const amount = lines[i]?.amount ?? 0n;
          if (amount > 0n) expect(amount - lineDiscount).toBeGreaterThanOrEqual(0n);
          else expect(lineDiscount).toBe(0n);
          subtotal += amount;
          discount += lineDiscount;
          exclusiveTax += c.taxes.filter((t) => !t.inclusive).reduce((sum, t) => sum + BigInt(t.amount), 0n);
        }
        expect(totals.subtotal).toBe(subtotal);
        expect(totals.total).toBe(subtotal - discount + exclusiveTax);
      }),
    );
  });
});
