/**
 * What is due next for a subscription, and when (BILLING.md "Statuses", "Trials",
 * "Changes and proration"). Pure: the billing run asks `dueStep` with its clock's time and
 * stores `nextActionAt` so its queue is one index range scan.
 */
import type { PauseCollection, SubscriptionStatus } from './models.ts';

/** Unix seconds. */
export interface SubscriptionTimes {
  status: SubscriptionStatus;
  created: number;
  currentPeriodEnd: number;
  trialEnd: number | null;
  trialWillEndSent: boolean;
  cancelAt: number | null;
  cancelAtPeriodEnd: boolean;
  pauseCollection: PauseCollection | null;
}

export type DueStep =
  /** An incomplete subscription whose first invoice went unpaid for 23 hours. */
  | { kind: 'expire'; at: number }
  /** Three days before a trial ends: `customer.subscription.trial_will_end`. */
  | { kind: 'trial_will_end'; at: number }
  /** `pause_collection.resumes_at` has come: collection resumes. */
  | { kind: 'resume_collection'; at: number }
  /** `cancel_at`, or the period end with `cancel_at_period_end`. */
  | { kind: 'cancel'; at: number }
  /** The period (or the trial) ends: bill the next period. */
  | { kind: 'renew'; at: number };

export const INCOMPLETE_EXPIRY_SECONDS = 23 * 3600;
export const TRIAL_WILL_END_NOTICE_SECONDS = 3 * 86400;

const TERMINAL: readonly SubscriptionStatus[] = ['canceled', 'incomplete_expired'];

/** Every step this subscription will take, earliest first (ties: in the order listed). */
function upcoming(s: SubscriptionTimes): DueStep[] {
  if (TERMINAL.includes(s.status)) return [];
  if (s.status === 'incomplete') return [{ kind: 'expire', at: s.created + INCOMPLETE_EXPIRY_SECONDS }];
  const steps: DueStep[] = [];
  if (s.status === 'trialing' && s.trialEnd !== null && !s.trialWillEndSent) {
    steps.push({ kind: 'trial_will_end', at: s.trialEnd - TRIAL_WILL_END_NOTICE_SECONDS });
  }
  if (s.pauseCollection?.resumes_at != null) steps.push({ kind: 'resume_collection', at: s.pauseCollection.resumes_at });
  // A paused subscription (status) bills nothing until it is resumed by hand; it can still
  // be canceled at a date.
  if (s.cancelAt !== null && s.cancelAt <= s.currentPeriodEnd) steps.push({ kind: 'cancel', at: s.cancelAt });
  if (s.status !== 'paused') {
    steps.push(s.cancelAtPeriodEnd ? { kind: 'cancel', at: s.currentPeriodEnd } : { kind: 'renew', at: s.currentPeriodEnd });
  }
  return steps.sort((a, b) => a.at - b.at);
}

/** When the billing run must next look at this subscription; null: never again. */
export function nextActionAt(s: SubscriptionTimes): number | null {
  return upcoming(s)[0]?.at ?? null;
}

/** The earliest step due at `now`, or null when nothing is. */
export function dueStep(s: SubscriptionTimes, now: number): DueStep | null {
  const next = upcoming(s)[0];
  return next && next.at <= now ? next : null;
}
