/**
 * When to try a failed invoice payment again (BILLING.md "Collection and dunning"). Pure:
 * times are unix seconds, the policy is the workspace's.
 *
 * Retry n (1-based) is due `retryDays[n - 1]` days after the first failed attempt, counted
 * from that failure rather than chained, so a late or manual attempt does not push the rest
 * of the schedule back; a worker that was down catches up with one attempt, not a burst.
 */
export type FinalAction = 'cancel' | 'unpaid' | 'past_due';

export interface DunningPolicy {
  /** Days after the first failure, increasing; one retry each. */
  retryDays: readonly number[];
  /** What happens to the subscription when the retries run out. */
  finalAction: FinalAction;
}

/** Stripe's recommended default: 8 retries within 2 weeks. */
export const DEFAULT_DUNNING_POLICY: DunningPolicy = {
  retryDays: [1, 2, 3, 5, 7, 9, 11, 14],
  finalAction: 'cancel',
};

export const MAX_RETRIES = 20;
export const MAX_RETRY_DAYS = 60;

/**
 * Decline codes with which the issuer says no later attempt on this card can succeed (lost,
 * stolen, closed, refused for fraud): retrying them helps nobody and card networks fine it.
 */
const HARD_DECLINES: ReadonlySet<string> = new Set([
  'do_not_try_again',
  'fraudulent',
  'incorrect_number',
  'invalid_account',
  'lost_card',
  'merchant_blacklist',
  'pickup_card',
  'restricted_card',
  'revocation_of_all_authorizations',
  'revocation_of_authorization',
  'security_violation',
  'stolen_card',
]);

export function isHardDecline(declineCode: string | null): boolean {
  return declineCode !== null && HARD_DECLINES.has(declineCode);
}

export type RetryDecision =
  | { kind: 'retry'; at: number }
  /** Every retry was made: the policy's final action applies. */
  | { kind: 'exhausted'; finalAction: FinalAction }
  /** No retry will help until the customer gives another card. */
  | { kind: 'wait_for_new_card'; reason: 'hard_decline' | 'no_payment_method' };

const DAY = 86_400;

/**
 * After a failed attempt: `failedAttempts` attempts have failed so far (this one included),
 * the first at `firstFailureAt`.
 */
export function afterFailedAttempt(
  policy: DunningPolicy,
  failure: { firstFailureAt: number; failedAttempts: number; declineCode: string | null; hasPaymentMethod: boolean },
  now: number,
): RetryDecision {
  if (!failure.hasPaymentMethod) return { kind: 'wait_for_new_card', reason: 'no_payment_method' };
  if (isHardDecline(failure.declineCode)) return { kind: 'wait_for_new_card', reason: 'hard_decline' };
  const days = policy.retryDays[failure.failedAttempts - 1];
  if (days === undefined) return { kind: 'exhausted', finalAction: policy.finalAction };
  return { kind: 'retry', at: Math.max(now, failure.firstFailureAt + days * DAY) };
}

/** Checks a policy's retry days: whole days, increasing, within the limits. Returns the problem, or null. */
export function retryDaysProblem(days: readonly number[]): string | null {
  if (days.length > MAX_RETRIES) return `at most ${MAX_RETRIES} retries`;
  for (let i = 0; i < days.length; i++) {
    const day = days[i] as number;
    if (!Number.isInteger(day) || day < 1 || day > MAX_RETRY_DAYS) return `each retry is a whole number of days from 1 to ${MAX_RETRY_DAYS}`;
    if (i > 0 && day <= (days[i - 1] as number)) return 'retry days must increase';
  }
  return null;
}
