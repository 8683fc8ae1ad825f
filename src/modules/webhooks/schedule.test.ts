import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextAttemptAfterFailure, RETRY_WINDOW_SECONDS } from './schedule.ts';

const MINUTE = 60;
const HOUR = 3600;

/** Every attempt's time (seconds after the first) when each one fails at once. */
function attemptTimes(): number[] {
  const first = new Date(0);
  const times = [0];
  for (;;) {
    const next = nextAttemptAfterFailure(first, times.length, new Date((times.at(-1) as number) * 1000));
    if (next === null) return times;
    times.push(next.getTime() / 1000);
  }
}

describe('the retry schedule', () => {
  it('retries within minutes, then hours apart, twelve attempts in all within three days', () => {
    const base = [0, 1 * MINUTE, 6 * MINUTE, 36 * MINUTE, 2 * HOUR + 36 * MINUTE, 7 * HOUR + 36 * MINUTE];
    const tenHourly = Array.from({ length: 6 }, (_, i) => 7 * HOUR + 36 * MINUTE + (i + 1) * 10 * HOUR);
    expect(attemptTimes()).toEqual([...base, ...tenHourly]);
    expect(attemptTimes().at(-1)).toBeLessThanOrEqual(RETRY_WINDOW_SECONDS);
  });

  it('never schedules past three days from the first attempt, and always later than the failure', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: RETRY_WINDOW_SECONDS + 10 * HOUR }), (attempts, failedAfter) => {
        const first = new Date(1_700_000_000_000);
        const failedAt = new Date(first.getTime() + failedAfter * 1000);
        const next = nextAttemptAfterFailure(first, attempts, failedAt);
        if (next === null) return;
        expect(next.getTime()).toBeGreaterThan(failedAt.getTime());
        expect(next.getTime() - first.getTime()).toBeLessThanOrEqual(RETRY_WINDOW_SECONDS * 1000);
      }),
    );
  });
});
