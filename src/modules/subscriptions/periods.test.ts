import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../lib/errors.ts';
import {
  type Interval,
  MAX_INTERVAL_COUNT,
  nextBoundaryAfter,
  periodContaining,
  periodStart,
  validateRecurring,
} from './periods.ts';

const utc = (iso: string): number => Temporal.Instant.from(iso).epochMilliseconds / 1000;
const iso = (seconds: number): string => Temporal.Instant.fromEpochMilliseconds(seconds * 1000).toString();
const dateTime = (seconds: number) =>
  Temporal.Instant.fromEpochMilliseconds(seconds * 1000).toZonedDateTimeISO('UTC');

function starts(anchor: number, interval: Interval, count: number, ns: number[]): string[] {
  return ns.map((n) => iso(periodStart(anchor, interval, count, n)));
}

const timeOfDayArb = fc.integer({ min: 0, max: 86_399 });
const dateArb = fc
  .record({
    year: fc.integer({ min: 1970, max: 2100 }),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.oneof(fc.integer({ min: 1, max: 31 }), fc.constantFrom(28, 29, 30, 31)),
  })
  .map((fields) => Temporal.PlainDate.from(fields, { overflow: 'constrain' }));
const leapDayArb = fc
  .integer({ min: 0, max: 31 })
  .map((k) => Temporal.PlainDate.from({ year: 1972 + 4 * k, month: 2, day: 29 }));

/** Anchors across 1970–2100, biased towards month ends and Feb 29, at any second of the day. */
const anchorArb = fc
  .tuple(fc.oneof({ arbitrary: dateArb, weight: 4 }, { arbitrary: leapDayArb, weight: 1 }), timeOfDayArb)
  .map(([date, second]) => date.toZonedDateTime({ timeZone: 'UTC' }).epochMilliseconds / 1000 + second);

/** Any interval with any count within the 3-year limit. */
const recurringArb = fc
  .constantFrom<Interval>('day', 'week', 'month', 'year')
  .chain((interval) =>
    fc.record({
      interval: fc.constant(interval),
      count: fc.oneof(fc.integer({ min: 1, max: MAX_INTERVAL_COUNT[interval] }), fc.constant(1)),
    }),
  );

const YEAR = 365.2425 * 86_400;
/** Period numbers that keep boundaries within about 150 years of the anchor. */
const nArb = fc.integer({ min: -50, max: 50 });
/** A time within ±200 years of the anchor. */
const offsetArb = fc.integer({ min: -Math.floor(200 * YEAR), max: Math.floor(200 * YEAR) });

describe('validateRecurring', () => {
  const refused = (interval: string, interval_count: unknown, param: string) => {
    try {
      validateRecurring({ interval, interval_count }, 'recurring');
    } catch (error) {
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).param).toBe(param);
      expect((error as ApiError).status).toBe(400);
      return;
    }
    throw new Error(`${interval} × ${String(interval_count)} was accepted`);
  };

  it('accepts periods up to 3 years', () => {
    expect(validateRecurring({ interval: 'year', interval_count: 3 }, 'recurring')).toEqual({
      interval: 'year',
      interval_count: 3,
    });
    expect(validateRecurring({ interval: 'month', interval_count: 36 }, 'recurring').interval_count).toBe(36);
    expect(validateRecurring({ interval: 'week', interval_count: 156 }, 'recurring').interval_count).toBe(156);
    expect(validateRecurring({ interval: 'day', interval_count: 1095 }, 'recurring').interval_count).toBe(1095);
    expect(validateRecurring({ interval: 'month' }, 'recurring').interval_count).toBe(1);
  });

  it('refuses longer periods, counts below 1, fractions and unknown intervals', () => {
    refused('month', 37, 'recurring[interval_count]');
    refused('year', 4, 'recurring[interval_count]');
    refused('week', 157, 'recurring[interval_count]');
    refused('day', 1096, 'recurring[interval_count]');
    refused('month', 0, 'recurring[interval_count]');
    refused('month', -1, 'recurring[interval_count]');
    refused('month', 1.5, 'recurring[interval_count]');
    refused('month', '2', 'recurring[interval_count]');
    refused('fortnight', 1, 'recurring[interval]');
  });
});

describe('period boundaries (examples)', () => {
  it('clamp a Jan 31 monthly anchor to the month end, from the anchor each time', () => {
    expect(starts(utc('2023-01-31T14:05:09Z'), 'month', 1, [0, 1, 2, 3, 4, 12, 13])).toEqual([
      '2023-01-31T14:05:09Z',
      '2023-02-28T14:05:09Z',
      '2023-03-31T14:05:09Z',
      '2023-04-30T14:05:09Z',
      '2023-05-31T14:05:09Z',
      '2024-01-31T14:05:09Z',
      '2024-02-29T14:05:09Z',
    ]);
  });

  it('bring a Feb 29 yearly anchor back to Feb 29 in leap years only', () => {
    expect(starts(utc('2024-02-29T00:00:00Z'), 'year', 1, [-1, 0, 1, 2, 3, 4])).toEqual([
      '2023-02-28T00:00:00Z',
      '2024-02-29T00:00:00Z',
      '2025-02-28T00:00:00Z',
      '2026-02-28T00:00:00Z',
      '2027-02-28T00:00:00Z',
      '2028-02-29T00:00:00Z',
    ]);
  });

  it('go back before the anchor for a backdated start', () => {
    expect(starts(utc('2024-03-31T08:00:00Z'), 'month', 1, [-1, -2, -3])).toEqual([
      '2024-02-29T08:00:00Z',
      '2024-01-31T08:00:00Z',
      '2023-12-31T08:00:00Z',
    ]);
  });

  it('step a week at a time, and a quarter at a time from a month end', () => {
    expect(starts(utc('2024-12-25T23:59:59Z'), 'week', 2, [0, 1, 2, -1])).toEqual([
      '2024-12-25T23:59:59Z',
      '2025-01-08T23:59:59Z',
      '2025-01-22T23:59:59Z',
      '2024-12-11T23:59:59Z',
    ]);
    expect(starts(utc('2023-11-30T12:00:00Z'), 'month', 3, [0, 1, 2, 3, 4])).toEqual([
      '2023-11-30T12:00:00Z',
      '2024-02-29T12:00:00Z',
      '2024-05-30T12:00:00Z',
      '2024-08-30T12:00:00Z',
      '2024-11-30T12:00:00Z',
    ]);
  });

  it('find the period holding a time, start inclusive and end exclusive', () => {
    const anchor = utc('2023-01-31T14:05:09Z');
    expect(periodContaining(anchor, 'month', 1, utc('2023-03-15T00:00:00Z'))).toEqual({
      index: 1,
      start: utc('2023-02-28T14:05:09Z'),
      end: utc('2023-03-31T14:05:09Z'),
    });
    expect(periodContaining(anchor, 'month', 1, utc('2023-03-31T14:05:09Z')).index).toBe(2);
    expect(periodContaining(anchor, 'month', 1, utc('2023-03-31T14:05:08Z')).index).toBe(1);
    expect(periodContaining(anchor, 'month', 1, anchor - 1).index).toBe(-1);
    expect(nextBoundaryAfter(anchor, 'month', 1, anchor)).toBe(utc('2023-02-28T14:05:09Z'));
    expect(nextBoundaryAfter(anchor, 'month', 1, anchor - 1)).toBe(anchor);
  });

  it('refuse non-integer times and counts below 1 (programming errors)', () => {
    expect(() => periodStart(0.5, 'day', 1, 0)).toThrow(RangeError);
    expect(() => periodStart(0, 'day', 0, 0)).toThrow(RangeError);
    expect(() => periodContaining(0, 'month', 1, Number.NaN)).toThrow(RangeError);
  });
});

describe('period boundaries (properties)', () => {
  it('tile time: each period ends where the next starts, with positive length and increasing starts', () => {
    fc.assert(
      fc.property(anchorArb, recurringArb, nArb, (anchor, { interval, count }, n) => {
        const start = periodStart(anchor, interval, count, n);
        const end = periodStart(anchor, interval, count, n + 1);
        const after = periodStart(anchor, interval, count, n + 2);
        expect(start).toBeLessThan(end);
        expect(end).toBeLessThan(after);
        expect(periodContaining(anchor, interval, count, start)).toEqual({ index: n, start, end });
        expect(periodContaining(anchor, interval, count, end - 1)).toEqual({ index: n, start, end });
        expect(periodContaining(anchor, interval, count, end).start).toBe(end);
      }),
    );
  });

  it('keep the anchor time of day, and the anchor day clamped to the month for month and year intervals', () => {
    fc.assert(
      fc.property(anchorArb, recurringArb, nArb, (anchor, { interval, count }, n) => {
        const a = dateTime(anchor);
        const b = dateTime(periodStart(anchor, interval, count, n));
        expect(b.toPlainTime().equals(a.toPlainTime())).toBe(true);
        if (interval === 'month' || interval === 'year') {
          const months = n * count * (interval === 'year' ? 12 : 1);
          const monthIndex = a.year * 12 + (a.month - 1) + months;
          expect(b.year * 12 + (b.month - 1)).toBe(monthIndex);
          expect(b.day).toBe(Math.min(a.day, b.daysInMonth));
        } else if (interval === 'week') {
          expect(b.dayOfWeek).toBe(a.dayOfWeek);
        }
      }),
    );
  });

  it('give the same month and year boundaries as Temporal (the reference for calendar arithmetic)', () => {
    fc.assert(
      fc.property(anchorArb, fc.integer({ min: -2400, max: 2400 }), (anchor, months) => {
        const expected = dateTime(anchor).add({ months }, { overflow: 'constrain' }).epochMilliseconds / 1000;
        expect(periodStart(anchor, 'month', 1, months)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('compute a period from the anchor, not by chaining from the previous boundary', () => {
    fc.assert(
      fc.property(anchorArb, recurringArb, nArb, (anchor, { interval, count }, n) => {
        // Re-anchoring on a clamped boundary would lose the anchor's day; going from the
        // anchor never does, so period n is the same whichever way round it is reached.
        const direct = periodStart(anchor, interval, count, n);
        expect(periodStart(anchor, interval, 1, n * count)).toBe(direct);
      }),
    );
  });

  it('find the period containing any time within ±200 years of the anchor, and the next boundary', () => {
    fc.assert(
      fc.property(anchorArb, recurringArb, offsetArb, (anchor, { interval, count }, offset) => {
        const t = anchor + offset;
        const { index, start, end } = periodContaining(anchor, interval, count, t);
        expect(start).toBeLessThanOrEqual(t);
        expect(t).toBeLessThan(end);
        expect(start).toBe(periodStart(anchor, interval, count, index));
        expect(end).toBe(periodStart(anchor, interval, count, index + 1));
        expect(nextBoundaryAfter(anchor, interval, count, t)).toBe(end);
      }),
    );
  });
});
