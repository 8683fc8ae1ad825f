/**
 * The dunning settings (GET/POST /v1/dunning_settings, a Recur extension) in words. The rules
 * themselves are the server's pure module, imported rather than restated.
 */
import { retryDaysProblem, type FinalAction } from '../../../../src/modules/payments/dunning/schedule.ts';

export { DEFAULT_DUNNING_POLICY, MAX_RETRIES, MAX_RETRY_DAYS, type FinalAction } from '../../../../src/modules/payments/dunning/schedule.ts';

export interface DunningSettings {
  object: 'dunning_settings';
  retry_days: number[];
  final_action: FinalAction;
  livemode: boolean;
}

export const FINAL_ACTIONS: ReadonlyArray<{ value: FinalAction; label: string; description: string }> = [
  { value: 'cancel', label: 'Cancel the subscription', description: 'It ends, with cancellation reason “payment failed” (the default).' },
  { value: 'unpaid', label: 'Mark the subscription unpaid', description: 'It stays, in status unpaid, until it is paid or you cancel it.' },
  { value: 'past_due', label: 'Leave the subscription past due', description: 'It stays past due; you decide what happens next.' },
];

/** "1, 2 and 3" */
function listed(days: readonly number[]): string {
  if (days.length <= 1) return days.join('');
  return `${days.slice(0, -1).join(', ')} and ${days.at(-1)}`;
}

function span(days: number): string {
  if (days % 7 === 0) return days === 7 ? '1 week' : `${days / 7} weeks`;
  return days === 1 ? '1 day' : `${days} days`;
}

/** "Retries 1, 2, 3 and 5 days after the first failure: 4 retries within 5 days." */
export function describeSchedule(retryDays: readonly number[]): string {
  const last = retryDays.at(-1);
  if (last === undefined) return 'No retries: the first failed payment is the last.';
  if (retryDays.length === 1) return `Retries once, ${last === 1 ? '1 day' : `${last} days`} after the first failure.`;
  return `Retries ${listed(retryDays)} days after the first failure: ${retryDays.length} retries within ${span(last)}.`;
}

const OUTCOMES: Record<FinalAction, string> = {
  cancel: 'the subscription is canceled (reason: payment failed)',
  unpaid: 'the subscription is marked unpaid',
  past_due: 'the subscription is left past due',
};

/** What happens when the schedule runs out. */
export function describeFinalAction(action: FinalAction, retries: number): string {
  return `${retries === 0 ? 'After the first failure' : 'If the last retry fails too'}, ${OUTCOMES[action]}; the invoice stays open, with no more attempts.`;
}

/** The retry days typed as "1, 2, 3 5": the numbers, or why they are not a schedule. */
export function parseRetryDays(text: string): { days: number[] } | { problem: string } {
  const parts = text.split(/[\s,;]+/).filter(Boolean);
  if (parts.some((p) => !/^\d+$/.test(p))) return { problem: 'Write whole numbers of days, separated by commas.' };
  const days = parts.map(Number);
  const problem = retryDaysProblem(days);
  if (problem) return { problem: problem.charAt(0).toUpperCase() + problem.slice(1) + '.' };
  return { days };
}
