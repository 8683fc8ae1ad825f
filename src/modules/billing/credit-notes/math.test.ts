import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lineTax, type TaxRate } from '../tax.ts';
import { invoiceTotals } from '../totals.ts';
import {
  amountForQuantity,
  creditNoteTotals,
  creditOfLine,
  creditSplit,
  creditTotal,
  NOTHING_CREDITED,
  remainingAmount,
  spreadCredit,
  sumCredits,
  taxKey,
  unitAmount,
  type ChargedLine,
  type CreditedSoFar,
  type LineCredit,
} from './math.ts';

const rate: fc.Arbitrary<TaxRate> = fc.record({
  id: fc.constantFrom('txr_a', 'txr_b', 'txr_c'),
  percentage: fc.integer({ min: 0, max: 300_000 }).map((n) => (n / 10_000).toFixed(4)),
  inclusive: fc.boolean(),
});

/** A line built the way invoices build theirs: a discount, then tax on what remains. */
const chargedLine: fc.Arbitrary<ChargedLine> = fc
  .record({
    amount: fc.oneof(fc.bigInt({ min: 1n, max: 10_000_000n }), fc.bigInt({ min: -500_000n, max: 0n })),
    quantity: fc.option(fc.bigInt({ min: 1n, max: 40n }), { nil: null }),
    discountShare: fc.integer({ min: 0, max: 100 }),
    rates: fc.uniqueArray(rate, { maxLength: 2, selector: (r) => r.id }),
  })
  .map(({ amount, quantity, discountShare, rates }, ) => {
    // Negative lines (proration credits) are not discounted, as invoices do.
    const discount = amount > 0n ? (amount * BigInt(discountShare)) / 100n : 0n;
    const taxes = lineTax(amount - discount, rates).taxAmounts.map((t) => ({ taxRate: t.taxRateId, inclusive: t.inclusive, amount: t.amount, taxableAmount: t.taxableAmount }));
    return { id: '', amount, quantity, discounts: discount > 0n ? [{ discount: 'di_1', amount: discount }] : [], taxes };
  });

const invoiceLines = fc.array(chargedLine, { minLength: 1, maxLength: 6 }).map((lines) => lines.map((line, i) => ({ ...line, id: `il_${i}` })));

function invoiceTotal(lines: readonly ChargedLine[]): bigint {
  return invoiceTotals(
    lines.map((l) => ({
      amount: l.amount,
      discountAmounts: l.discounts.map((d) => ({ couponId: d.discount, amount: d.amount })),
      taxAmounts: l.taxes.map((t) => ({ taxRateId: t.taxRate, amount: t.amount, inclusive: t.inclusive, taxableAmount: t.taxableAmount })),
    })),
  ).total;
}

/** The credit notes issued so far, per line; a voided one is dropped from its list. */
type Ledger = Map<string, (LineCredit & { quantity: bigint | null; note: number })[]>;

const soFarOf = (ledger: Ledger, id: string): CreditedSoFar => sumCredits(ledger.get(id) ?? []);

function record(ledger: Ledger, note: number, credits: readonly { lineId: string; credit: LineCredit; quantity?: bigint | null }[]): void {
  for (const { lineId, credit, quantity } of credits) ledger.set(lineId, [...(ledger.get(lineId) ?? []), { ...credit, quantity: quantity ?? null, note }]);
}

/** Every component credited so far lies between zero and what was charged, on the charged side. */
function expectWithinLine(line: ChargedLine, soFar: CreditedSoFar): void {
  const within = (credited: bigint, charged: bigint) => (charged >= 0n ? credited >= 0n && credited <= charged : credited <= 0n && credited >= charged);
  expect(within(soFar.amount, line.amount)).toBe(true);
  for (const d of line.discounts) expect(within(soFar.discounts.get(d.discount) ?? 0n, d.amount)).toBe(true);
  for (const t of line.taxes) {
    expect(within(soFar.taxes.get(taxKey(t))?.amount ?? 0n, t.amount)).toBe(true);
    expect(within(soFar.taxes.get(taxKey(t))?.taxableAmount ?? 0n, t.taxableAmount)).toBe(true);
  }
}

/** The whole remainder of every line: afterwards each component is credited exactly. */
function creditTheRest(lines: readonly ChargedLine[], ledger: Ledger, note: number): bigint {
  const credits = lines.map((line) => ({ lineId: line.id, credit: creditOfLine(line, soFarOf(ledger, line.id), remainingAmount(line, soFarOf(ledger, line.id))) }));
  record(ledger, note, credits);
  return credits.reduce((sum, c) => sum + creditTotal(c.credit), 0n);
}

function expectWhollyCredited(lines: readonly ChargedLine[], ledger: Ledger): void {
  for (const line of lines) {
    const soFar = soFarOf(ledger, line.id);
    expect(soFar.amount).toBe(line.amount);
    for (const d of line.discounts) expect(soFar.discounts.get(d.discount)).toBe(d.amount);
    for (const t of line.taxes) expect(soFar.taxes.get(taxKey(t))).toEqual({ amount: t.amount, taxableAmount: t.taxableAmount });
  }
}

describe('credit note arithmetic', () => {
  it('credits a whole invoice to exactly its total, its tax and its discounts', () => {
    fc.assert(
      fc.property(invoiceLines, (lines) => {
        const credits = lines.map((line) => creditOfLine(line, NOTHING_CREDITED, line.amount));
        const totals = creditNoteTotals(credits);
        const invoice = invoiceTotals(
          lines.map((l) => ({
            amount: l.amount,
            discountAmounts: l.discounts.map((d) => ({ couponId: d.discount, amount: d.amount })),
            taxAmounts: l.taxes.map((t) => ({ taxRateId: t.taxRate, amount: t.amount, inclusive: t.inclusive, taxableAmount: t.taxableAmount })),
          })),
        );
        expect(totals.total).toBe(invoice.total);
        expect(totals.tax).toBe(invoice.tax);
        expect(totals.subtotal).toBe(invoice.subtotal);
        expect(totals.total_excluding_tax).toBe(invoice.total_excluding_tax);
        // An `amount` equal to all that is left credits every line whole, too.
        const spread = spreadCredit(lines.map((line) => ({ line, soFar: NOTHING_CREDITED })), invoice.total);
        expect(creditNoteTotals(spread.map((s) => s.credit)).total).toBe(invoice.total);
      }),
    );
  });

  it('spreads any amount up to what is left over the lines, summing to it exactly and never past a line', () => {
    fc.assert(
      fc.property(invoiceLines, fc.integer({ min: 1, max: 1000 }), (lines, permille) => {
        const entries = lines.map((line) => ({ line, soFar: NOTHING_CREDITED }));
        const positive = lines.filter((l) => l.amount > 0n).reduce((sum, l) => sum + creditTotal(creditOfLine(l, NOTHING_CREDITED, l.amount)), 0n);
        const total = (positive * BigInt(permille)) / 1000n;
        fc.pre(total > 0n);
        const spread = spreadCredit(entries, total);
        expect(spread.reduce((sum, s) => sum + creditTotal(s.credit), 0n)).toBe(total);
        for (const { lineId, credit } of spread) {
          const line = lines.find((l) => l.id === lineId) as ChargedLine;
          expectWithinLine(line, sumCredits([{ ...credit, quantity: null }]));
        }
        expect(creditNoteTotals(spread.map((s) => s.credit)).total).toBe(total);
      }),
    );
  });

  it('keeps every tax and discount within the line over many partial credits and voids, and ends exact', () => {
    const step = fc.record({
      kind: fc.constantFrom('amount', 'quantity', 'spread', 'void'),
      line: fc.nat(),
      permille: fc.integer({ min: 1, max: 1000 }),
    });
    fc.assert(
      fc.property(invoiceLines, fc.array(step, { maxLength: 12 }), (lines, steps) => {
        const ledger: Ledger = new Map();
        let note = 0;
        for (const s of steps) {
          note += 1;
          const line = lines[s.line % lines.length] as ChargedLine;
          const soFar = soFarOf(ledger, line.id);
          const left = remainingAmount(line, soFar);
          if (s.kind === 'void') {
            // Drop an earlier note everywhere: its credit is given back.
            const victim = (s.permille % note) + 1;
            for (const [id, list] of ledger) ledger.set(id, list.filter((c) => c.note !== victim));
          } else if (s.kind === 'amount' && left !== 0n) {
            record(ledger, note, [{ lineId: line.id, credit: creditOfLine(line, soFar, (left * BigInt(s.permille)) / 1000n) }]);
          } else if (s.kind === 'quantity' && line.quantity !== null && !soFar.byAmount && soFar.quantity < line.quantity) {
            const units = 1n + ((line.quantity - soFar.quantity - 1n) * BigInt(s.permille)) / 1000n;
            const amount = amountForQuantity(line, soFar, units);
            record(ledger, note, [{ lineId: line.id, credit: creditOfLine(line, soFar, amount), quantity: units }]);
          } else if (s.kind === 'spread') {
            const entries = lines.map((l) => ({ line: l, soFar: soFarOf(ledger, l.id) }));
            const room = entries.reduce((sum, e) => sum + (e.line.amount > 0n ? creditTotal(creditOfLine(e.line, e.soFar, remainingAmount(e.line, e.soFar))) : 0n), 0n);
            const total = (room * BigInt(s.permille)) / 1000n;
            if (total > 0n) {
              const spread = spreadCredit(entries, total);
              expect(spread.reduce((sum, c) => sum + creditTotal(c.credit), 0n)).toBe(total);
              record(ledger, note, spread);
            }
          }
          for (const l of lines) expectWithinLine(l, soFarOf(ledger, l.id));
        }
        // Whatever happened, crediting what is left brings every line to exactly its charge.
        const credited = [...ledger.values()].flat().reduce((sum, c) => sum + creditTotal(c), 0n);
        const rest = creditTheRest(lines, ledger, note + 1);
        expectWhollyCredited(lines, ledger);
        expect(credited + rest).toBe(invoiceTotal(lines));
      }),
    );
  });

  it('puts a credit note first against what is due on an open invoice, and after payment on a paid one', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 9n }), fc.bigInt({ min: 0n, max: 10n ** 9n }), fc.constantFrom('open' as const, 'paid' as const), (total, remaining, status) => {
        const { pre, post } = creditSplit(total, { status, amountRemaining: remaining });
        expect(pre + post).toBe(total);
        expect(pre >= 0n && post >= 0n).toBe(true);
        if (status === 'paid') expect(pre).toBe(0n);
        else expect(pre).toBe(total < remaining ? total : remaining);
      }),
    );
  });

  it('credits by quantity at the line’s unit price, the last unit taking what is left', () => {
    const line: ChargedLine = { id: 'il_1', amount: 1000n, quantity: 3n, discounts: [], taxes: [] };
    const first = amountForQuantity(line, NOTHING_CREDITED, 1n);
    expect(first).toBe(333n);
    const soFar = sumCredits([{ ...creditOfLine(line, NOTHING_CREDITED, first), quantity: 1n }]);
    expect(amountForQuantity(line, soFar, 2n)).toBe(667n);
    expect(unitAmount(1000n, 3n)).toEqual({ unit: null, decimal: null });
    expect(unitAmount(1000n, 4n)).toEqual({ unit: 250n, decimal: '250' });
    expect(unitAmount(1001n, 8n)).toEqual({ unit: null, decimal: '125.125' });
  });

  it('credits a 20% VAT line in proportion: half the line, half its tax', () => {
    const line: ChargedLine = {
      id: 'il_1',
      amount: 1000n,
      quantity: 1n,
      discounts: [{ discount: 'di_1', amount: 100n }],
      taxes: [{ taxRate: 'txr_vat', inclusive: false, amount: 180n, taxableAmount: 900n }],
    };
    const half = creditOfLine(line, NOTHING_CREDITED, 500n);
    expect(half).toEqual({
      amount: 500n,
      discounts: [{ discount: 'di_1', amount: 50n }],
      taxes: [{ taxRate: 'txr_vat', inclusive: false, amount: 90n, taxableAmount: 450n }],
    });
    expect(creditTotal(half)).toBe(540n);
  });
});
