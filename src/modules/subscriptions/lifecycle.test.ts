import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dueStep, INCOMPLETE_EXPIRY_SECONDS, nextActionAt, TRIAL_WILL_END_NOTICE_SECONDS, type SubscriptionTimes } from './lifecycle.ts';

const base: SubscriptionTimes = {
  status: 'active',
  created: 1_000_000,
  currentPeriodEnd: 2_000_000,
  trialEnd: null,
  trialWillEndSent: false,
  cancelAt: null,
  cancelAtPeriodEnd: false,
  pauseCollection: null,
};

describe('what is due for a subscription', () => {
  it('renews at the period end, and nothing before', () => {
    expect(nextActionAt(base)).toBe(2_000_000);
    expect(dueStep(base, 1_999_999)).toBeNull();
    expect(dueStep(base, 2_000_000)).toEqual({ kind: 'renew', at: 2_000_000 });
  });

  it('cancels instead of renewing with cancel_at_period_end, and at cancel_at when earlier', () => {
    expect(dueStep({ ...base, cancelAtPeriodEnd: true }, 2_000_000)).toEqual({ kind: 'cancel', at: 2_000_000 });
    expect(dueStep({ ...base, cancelAt: 1_500_000 }, 1_600_000)).toEqual({ kind: 'cancel', at: 1_500_000 });
    // A cancel_at after this period: the renewal comes first.
    expect(dueStep({ ...base, cancelAt: 2_500_000 }, 2_000_000)).toEqual({ kind: 'renew', at: 2_000_000 });
  });

  it('warns three days before a trial ends, once', () => {
    const trialing = { ...base, status: 'trialing' as const, trialEnd: 2_000_000 };
    expect(nextActionAt(trialing)).toBe(2_000_000 - TRIAL_WILL_END_NOTICE_SECONDS);
    expect(nextActionAt({ ...trialing, trialWillEndSent: true })).toBe(2_000_000);
  });

  it('expires an incomplete subscription after 23 hours, and ended ones never act', () => {
    expect(nextActionAt({ ...base, status: 'incomplete' })).toBe(1_000_000 + INCOMPLETE_EXPIRY_SECONDS);
    expect(nextActionAt({ ...base, status: 'canceled' })).toBeNull();
    expect(nextActionAt({ ...base, status: 'incomplete_expired' })).toBeNull();
  });

  it('a paused subscription does not renew, but resumes collection and cancels at their dates', () => {
    expect(nextActionAt({ ...base, status: 'paused' })).toBeNull();
    expect(nextActionAt({ ...base, status: 'paused', cancelAt: 1_700_000 })).toBe(1_700_000);
    expect(dueStep({ ...base, pauseCollection: { behavior: 'void', resumes_at: 1_200_000 } }, 1_300_000)).toEqual({ kind: 'resume_collection', at: 1_200_000 });
  });

  it('property: the due step is the earliest, and nothing is due before nextActionAt', () => {
    const times = fc.record({
      status: fc.constantFrom('active', 'trialing', 'past_due', 'paused', 'incomplete', 'canceled') as fc.Arbitrary<SubscriptionTimes['status']>,
      created: fc.integer({ min: 0, max: 1e9 }),
      currentPeriodEnd: fc.integer({ min: 0, max: 2e9 }),
      trialEnd: fc.option(fc.integer({ min: 0, max: 2e9 })),
      trialWillEndSent: fc.boolean(),
      cancelAt: fc.option(fc.integer({ min: 0, max: 2e9 })),
      cancelAtPeriodEnd: fc.boolean(),
      pauseCollection: fc.option(fc.record({ behavior: fc.constant('void' as const), resumes_at: fc.option(fc.integer({ min: 0, max: 2e9 })) })),
    });
    fc.assert(
      fc.property(times, fc.integer({ min: 0, max: 2e9 }), (s, now) => {
        const next = nextActionAt(s);
        const step = dueStep(s, now);
        if (next === null || now < next) expect(step).toBeNull();
        else expect(step?.at).toBe(next);
      }),
    );
  });
});
