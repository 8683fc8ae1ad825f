import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { afterFailedAttempt, DEFAULT_DUNNING_POLICY, isHardDecline, retryDaysProblem, type DunningPolicy } from './schedule.ts';

const DAY = 86_400;
const start = 1_800_000_000;

/** Every attempt of a payment that keeps failing with a soft decline, each made when due. */
function attempts(policy: DunningPolicy): number[] {
  const times = [start];
  for (;;) {
    const decision = afterFailedAttempt(policy, { firstFailureAt: start, failedAttempts: times.length, declineCode: 'insufficient_funds', hasPaymentMethod: true }, times.at(-1) as number);
    if (decision.kind !== 'retry') {
      expect(decision.kind).toBe('exhausted');
      return times;
    }
    times.push(decision.at);
  }
}

const policyArb = fc
  .uniqueArray(fc.integer({ min: 1, max: 60 }), { minLength: 0, maxLength: 20 })
  .map((days) => ({ retryDays: [...days].sort((a, b) => a - b), finalAction: 'cancel' as const }));

describe('dunning schedule', () => {
  it('by default tries 8 more times within 2 weeks of the first failure', () => {
    const times = attempts(DEFAULT_DUNNING_POLICY);
    expect(times).toHaveLength(9);
    expect(times.slice(1).map((t) => (t - start) / DAY)).toEqual([1, 2, 3, 5, 7, 9, 11, 14]);
  });

  it('makes exactly one retry per scheduled day, in order, each after the last, then stops', () => {
    fc.assert(
      fc.property(policyArb, (policy) => {
        const times = attempts(policy);
        expect(times).toHaveLength(policy.retryDays.length + 1);
        for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThan(times[i - 1] as number);
        expect(retryDaysProblem(policy.retryDays)).toBeNull();
      }),
    );
  });

  it('catches up with one attempt when a retry is overdue, without dropping the rest', () => {
    const late = start + 10 * DAY;
    const decision = afterFailedAttempt(DEFAULT_DUNNING_POLICY, { firstFailureAt: start, failedAttempts: 2, declineCode: null, hasPaymentMethod: true }, late);
    expect(decision).toEqual({ kind: 'retry', at: late });
    const next = afterFailedAttempt(DEFAULT_DUNNING_POLICY, { firstFailureAt: start, failedAttempts: 3, declineCode: null, hasPaymentMethod: true }, late);
    expect(next).toEqual({ kind: 'retry', at: late });
  });

  it('never retries a hard decline or a customer without a payment method', () => {
    fc.assert(
      fc.property(policyArb, fc.integer({ min: 1, max: 25 }), (policy, failed) => {
        expect(afterFailedAttempt(policy, { firstFailureAt: start, failedAttempts: failed, declineCode: 'stolen_card', hasPaymentMethod: true }, start).kind).toBe('wait_for_new_card');
        expect(afterFailedAttempt(policy, { firstFailureAt: start, failedAttempts: failed, declineCode: null, hasPaymentMethod: false }, start).kind).toBe('wait_for_new_card');
      }),
    );
    expect(isHardDecline('insufficient_funds')).toBe(false);
    expect(isHardDecline('generic_decline')).toBe(false);
    expect(isHardDecline('lost_card')).toBe(true);
  });

  it('refuses schedules that do not increase, are not whole days or are too long', () => {
    expect(retryDaysProblem([1, 1])).toMatch(/increase/);
    expect(retryDaysProblem([0.5])).toMatch(/whole number/);
    expect(retryDaysProblem([61])).toMatch(/whole number/);
    expect(retryDaysProblem(Array.from({ length: 21 }, (_, i) => i + 1))).toMatch(/at most 20/);
    expect(retryDaysProblem([])).toBeNull();
  });
});
