import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Interval, MAX_INTERVAL_COUNT, periodStart } from './periods.ts';
import {
  type ProrationItem,
  prorateChange,
  prorateSpan,
  prorationAmount,
  prorationNet,
} from './proration.ts';

const DAY = 86_400;
const abs = (x: bigint): bigint => (x < 0n ? -x : x);
const full = (item: ProrationItem): bigint => item.unitAmount * item.quantity;

/** Real billing periods from periods.ts: any anchor 1970–2100, interval, count and period number. */
const periodArb = fc
  .record({
    anchor: fc.integer({ min: 0, max: 4_102_444_799 }),
    interval: fc.constantFrom<Interval>('day', 'week', 'month', 'year'),
    countSeed: fc.nat(),
    n: fc.integer({ min: -20, max: 20 }),
  })
  .map(({ anchor, interval, countSeed, n }) => {
    const count = 1 + (countSeed % MAX_INTERVAL_COUNT[interval]);
    return {
      start: periodStart(anchor, interval, count, n),
      end: periodStart(anchor, interval, count, n + 1),
    };
  });

/** A period and a second within it, ends included. */
const changeArb = periodArb.chain((period) =>
  fc.record({
    period: fc.constant(period),
    at: fc.oneof(
      fc.integer({ min: period.start, max: period.end }),
      fc.constantFrom(period.start, period.end, period.start + 1, period.end - 1),
    ),
  }),
);

const itemArb = fc.record({
  priceId: fc.constantFrom('price_a', 'price_b', 'price_c', 'price_d'),
  unitAmount: fc.oneof(fc.bigInt({ min: 0n, max: 100_000n }), fc.bigInt({ min: 0n, max: 10n ** 12n })),
  quantity: fc.bigInt({ min: 0n, max: 10_000n }),
});
const itemsArb = fc.array(itemArb, { maxLength: 4 });

describe('prorationAmount (examples)', () => {
  it('charges the remaining part of the period, clamped into the period', () => {
    const period = { periodStart: 0, periodEnd: 30 * DAY };
    const price = { unitAmount: 2000n, quantity: 1n, ...period };
    expect(prorationAmount({ ...price, from: 15 * DAY })).toBe(1000n);
    expect(prorationAmount({ ...price, from: 0 })).toBe(2000n);
    expect(prorationAmount({ ...price, from: 30 * DAY })).toBe(0n);
    expect(prorationAmount({ ...price, from: -5 })).toBe(2000n);
    expect(prorationAmount({ ...price, from: 31 * DAY })).toBe(0n);
    expect(prorationAmount({ ...price, quantity: 3n, from: 20 * DAY })).toBe(2000n);
  });

  it('rounds once, half away from zero', () => {
    const at = (unitAmount: bigint, from: number, periodEnd: number) =>
      prorateSpan({ unitAmount, quantity: 1n, periodStart: 0, periodEnd, spanStart: from, spanEnd: periodEnd });
    expect(at(1n, 1, 2)).toBe(1n); // 0.5 → 1
    expect(at(-1n, 1, 2)).toBe(-1n); // −0.5 → −1
    expect(at(3n, 1, 2)).toBe(2n); // 1.5 → 2
    expect(at(-3n, 1, 2)).toBe(-2n);
    expect(at(1n, 2, 3)).toBe(0n); // 0.33 → 0
    expect(at(1n, 1, 3)).toBe(1n); // 0.67 → 1
    expect(at(-1n, 1, 3)).toBe(-1n);
    // 999 × 1 s of a 30-day month is 0.000385…: never rounded in pieces.
    expect(at(999n, 30 * DAY - 1, 30 * DAY)).toBe(0n);
  });

  it('refuses an empty period and fractional seconds (programming errors)', () => {
    expect(() => prorationAmount({ unitAmount: 1n, quantity: 1n, periodStart: 5, periodEnd: 5, from: 5 })).toThrow(
      RangeError,
    );
    expect(() => prorationAmount({ unitAmount: 1n, quantity: 1n, periodStart: 0, periodEnd: 9, from: 0.5 })).toThrow(
      RangeError,
    );
  });
});

describe('prorateChange (examples)', () => {
  const periodEnd = 30 * DAY;
  const at = 15 * DAY;

  it('credits $10 and charges $20 at the exact middle of a 30-day period: −500, +1000, net +500', () => {
    const lines = prorateChange({
      oldItems: [{ priceId: 'price_10', unitAmount: 1000n, quantity: 1n }],
      newItems: [{ priceId: 'price_20', unitAmount: 2000n, quantity: 1n }],
      periodStart: 0,
      periodEnd,
      at,
    });
    const period = { start: at, end: periodEnd };
    expect(lines).toEqual([
      { kind: 'unused_time', priceId: 'price_10', unitAmount: 1000n, quantity: 1n, amount: -500n, period },
      { kind: 'remaining_time', priceId: 'price_20', unitAmount: 2000n, quantity: 1n, amount: 1000n, period },
    ]);
    expect(prorationNet(lines)).toBe(500n);
  });

  it('credits the old quantity and charges the new one on a seat change; unchanged items give no lines', () => {
    const seats = { priceId: 'price_seat', unitAmount: 1200n };
    const support = { priceId: 'price_support', unitAmount: 5000n, quantity: 1n };
    const lines = prorateChange({
      oldItems: [support, { ...seats, quantity: 2n }],
      newItems: [{ ...seats, quantity: 5n }, support],
      periodStart: 0,
      periodEnd,
      at,
    });
    expect(lines.map(({ kind, priceId, quantity, amount }) => ({ kind, priceId, quantity, amount }))).toEqual([
      { kind: 'unused_time', priceId: 'price_seat', quantity: 2n, amount: -1200n },
      { kind: 'remaining_time', priceId: 'price_seat', quantity: 5n, amount: 3000n },
    ]);
    expect(prorationNet(lines)).toBe(1800n);
    expect(prorateChange({ oldItems: [support], newItems: [support], periodStart: 0, periodEnd, at })).toEqual([]);
  });
});

describe('proration (properties)', () => {
  it('matches a reference half-away-from-zero rounding, ties included (short periods make ties common)', () => {
    const reference = (numerator: bigint, denominator: bigint): bigint => {
      const magnitude = (2n * abs(numerator) + denominator) / (2n * denominator);
      return numerator < 0n ? -magnitude : magnitude;
    };
    fc.assert(
      fc.property(
        fc.bigInt({ min: -10_000n, max: 10_000n }),
        fc.integer({ min: 1, max: 12 }),
        fc.nat(),
        (unitAmount, length, seed) => {
          const from = seed % (length + 1);
          const amount = prorationAmount({ unitAmount, quantity: 1n, periodStart: 0, periodEnd: length, from });
          expect(amount).toBe(reference(unitAmount * BigInt(length - from), BigInt(length)));
        },
      ),
    );
  });

  it('is the full price at the period start and zero at the period end', () => {
    fc.assert(
      fc.property(periodArb, itemsArb, itemsArb, ({ start, end }, oldItems, newItems) => {
        const change = (at: number) => prorateChange({ oldItems, newItems, periodStart: start, periodEnd: end, at });
        for (const line of change(start)) {
          expect(line.amount).toBe(line.kind === 'unused_time' ? -full(line) : full(line));
        }
        for (const line of change(end)) expect(line.amount).toBe(0n);
      }),
    );
  });

  it('never gives a positive credit or a negative charge, nor more than the full price', () => {
    fc.assert(
      fc.property(changeArb, itemsArb, itemsArb, ({ period, at }, oldItems, newItems) => {
        const lines = prorateChange({ oldItems, newItems, periodStart: period.start, periodEnd: period.end, at });
        for (const line of lines) {
          if (line.kind === 'unused_time') expect(line.amount <= 0n).toBe(true);
          else expect(line.amount >= 0n).toBe(true);
          expect(abs(line.amount) <= full(line)).toBe(true);
          expect(line.period).toEqual({ start: at, end: period.end });
        }
      }),
    );
  });

  it('rounds each line once: within half a minor unit of the exact amount', () => {
    fc.assert(
      fc.property(changeArb, itemsArb, itemsArb, ({ period, at }, oldItems, newItems) => {
        const length = BigInt(period.end - period.start);
        const lines = prorateChange({ oldItems, newItems, periodStart: period.start, periodEnd: period.end, at });
        let exactNet = 0n; // × length
        for (const line of lines) {
          const sign = line.kind === 'unused_time' ? -1n : 1n;
          const exact = sign * full(line) * BigInt(period.end - at);
          exactNet += exact;
          expect(2n * abs(line.amount * length - exact) <= length).toBe(true);
          // Exactly half rounds away from zero.
          if (2n * abs(line.amount * length - exact) === length) {
            expect(abs(line.amount * length) > abs(exact)).toBe(true);
          }
        }
        // Net = new remaining − old remaining, each line within rounding.
        const net = prorationNet(lines);
        expect(2n * abs(net * length - exactNet) <= length * BigInt(lines.length)).toBe(true);
      }),
    );
  });

  it('splitting a period at any second and prorating both halves gives the full price within 1 minor unit', () => {
    fc.assert(
      fc.property(changeArb, itemArb, ({ period, at }, item) => {
        const span = (spanStart: number, spanEnd: number) =>
          prorateSpan({ ...item, periodStart: period.start, periodEnd: period.end, spanStart, spanEnd });
        const used = span(period.start, at);
        const unusedCredit = -prorationAmount({ ...item, periodStart: period.start, periodEnd: period.end, from: at });
        expect(unusedCredit).toBe(-span(at, period.end));
        expect(abs(used - unusedCredit - full(item)) <= 1n).toBe(true);
      }),
    );
  });

  it('gives no lines for unchanged items, whatever their order', () => {
    fc.assert(
      fc.property(changeArb, itemsArb, ({ period, at }, items) => {
        const lines = prorateChange({
          oldItems: items,
          newItems: [...items].reverse(),
          periodStart: period.start,
          periodEnd: period.end,
          at,
        });
        expect(lines).toEqual([]);
      }),
    );
  });

  it('charges less (never more) the later in the period it starts', () => {
    fc.assert(
      fc.property(changeArb, fc.nat(), itemArb, ({ period, at }, later, item) => {
        const amount = (from: number) =>
          prorationAmount({ ...item, periodStart: period.start, periodEnd: period.end, from });
        expect(amount(at + later) <= amount(at)).toBe(true);
      }),
    );
  });
});
