/**
 * Billing period arithmetic (BILLING.md "Periods and anchors").
 *
 * Pure: no clock, no I/O. Times are unix seconds (integers), UTC, as in Stripe's API.
 * Period n starts at `anchor + n × (interval × interval_count)`, always computed from the
 * anchor and never chained from the previous boundary, so a Jan 31 anchor bills Feb 28/29,
 * Mar 31, Apr 30, May 31 … and a Feb 29 yearly anchor comes back to Feb 29 in leap years.
 */
import { invalidRequest } from '../../lib/errors.ts';

export type Interval = 'day' | 'week' | 'month' | 'year';

export const INTERVALS: readonly Interval[] = ['day', 'week', 'month', 'year'];

/** Stripe's limit: a period is at most 3 years (3 years, 36 months, 156 weeks, 1095 days). */
export const MAX_INTERVAL_COUNT: Readonly<Record<Interval, number>> = {
  day: 1095,
  week: 156,
  month: 36,
  year: 3,
};

export interface Recurring {
  interval: Interval;
  interval_count: number;
}

export interface Period {
  /** Period number relative to the anchor: 0 starts at the anchor, −1 ends at it. */
  index: number;
  /** Inclusive, unix seconds. */
  start: number;
  /** Exclusive, unix seconds; equal to the next period's start. */
  end: number;
}

const DAY_SECONDS = 86_400;

/**
 * Average period lengths in seconds, over the 400-year Gregorian cycle; only used to
 * estimate which period holds a time before the exact correction.
 */
const AVERAGE_SECONDS: Readonly<Record<Interval, number>> = {
  day: DAY_SECONDS,
  week: 7 * DAY_SECONDS,
  month: (146_097 / 4_800) * DAY_SECONDS,
  year: (146_097 / 400) * DAY_SECONDS,
};

function isInterval(value: unknown): value is Interval {
  return typeof value === 'string' && (INTERVALS as readonly string[]).includes(value);
}

/**
 * Checks a price's `recurring` parameters. `param` is the parameter holding them
 * (e.g. `recurring`, or `price_data[recurring]`); errors name `${param}[interval]` or
 * `${param}[interval_count]`.
 */
export function validateRecurring(
  recurring: { interval: unknown; interval_count?: unknown },
  param: string,
): Recurring {
  const { interval } = recurring;
  if (!isInterval(interval)) {
    throw invalidRequest(
      `Invalid interval: must be one of ${INTERVALS.join(', ')}.`,
      `${param}[interval]`,
    );
  }
  const count = recurring.interval_count ?? 1;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) {
    throw invalidRequest(
      'Invalid interval_count: must be an integer of at least 1.',
      `${param}[interval_count]`,
    );
  }
  if (count > MAX_INTERVAL_COUNT[interval]) {
    throw invalidRequest(
      'Invalid recurring interval: maximum of three years interval allowed (3 years, 36 months, 156 weeks, or 1095 days).',
      `${param}[interval_count]`,
    );
  }
  return { interval, interval_count: count };
}

function assertInteger(name: string, value: number): void {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${name} must be an integer, got ${value}`);
}

function assertCount(count: number): void {
  if (!Number.isSafeInteger(count) || count < 1) {
    throw new RangeError(`interval_count must be an integer ≥ 1, got ${count}`);
  }
}

/** `seconds` plus `months` calendar months in UTC, clamped to the month's end. */
export function addMonthsTo(seconds: number, months: number): number {
  return addMonths(seconds, months);
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 1 && leap ? 29 : MONTH_DAYS[month] ?? 31;
}

/**
 * Adds whole calendar months in UTC, keeping the time of day and clamping to the month's
 * end. Plain Date arithmetic: the renewal engine calls this for every subscription, and it
 * is some forty times cheaper than Temporal (the test holds it to Temporal's answers).
 */
function addMonths(seconds: number, months: number): number {
  const date = new Date(seconds * 1000);
  const monthIndex = date.getUTCMonth() + months;
  const year = date.getUTCFullYear() + Math.floor(monthIndex / 12);
  const month = ((monthIndex % 12) + 12) % 12;
  const day = Math.min(date.getUTCDate(), daysInMonth(year, month));
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0–99 as 1900–1999.
  date.setUTCFullYear(year, month, day);
  return date.getTime() / 1000;
}

/** Start of period `n` (n may be negative: periods before the anchor). */
export function periodStart(anchor: number, interval: Interval, count: number, n: number): number {
  assertInteger('anchor', anchor);
  assertCount(count);
  assertInteger('n', n);
  switch (interval) {
    // UTC has no daylight saving, so days and weeks are fixed lengths.
    case 'day':
      return anchor + n * count * DAY_SECONDS;
    case 'week':
      return anchor + n * count * 7 * DAY_SECONDS;
    case 'month':
      return addMonths(anchor, n * count);
    case 'year':
      return addMonths(anchor, n * count * 12);
  }
}

/** The period (relative to `anchor`) with start ≤ t < end. */
export function periodContaining(anchor: number, interval: Interval, count: number, t: number): Period {
  assertInteger('t', t);
  // The estimate from the average length is off by at most one period for any t within
  // centuries of the anchor; the loops correct it exactly (and stay correct further out).
  let n = Math.floor((t - anchor) / (AVERAGE_SECONDS[interval] * count));
  let start = periodStart(anchor, interval, count, n);
  while (start > t) {
    n -= 1;
    start = periodStart(anchor, interval, count, n);
  }
  let end = periodStart(anchor, interval, count, n + 1);
  while (end <= t) {
    n += 1;
    start = end;
    end = periodStart(anchor, interval, count, n + 1);
  }
  return { index: n, start, end };
}

/** The first period boundary strictly after `t`. */
export function nextBoundaryAfter(anchor: number, interval: Interval, count: number, t: number): number {
  return periodContaining(anchor, interval, count, t).end;
}
