import { Badge } from '@mantine/core';
import type { SubscriptionStatus } from '../../billing.ts';

/** The list filters: `current` is the API's default (everything but canceled). */
export const SUBSCRIPTION_FILTERS = ['current', 'all', 'active', 'trialing', 'past_due', 'paused', 'canceled', 'incomplete', 'unpaid'] as const;
export type SubscriptionFilter = (typeof SUBSCRIPTION_FILTERS)[number];

export function parseSubscriptionFilter(value: unknown): SubscriptionFilter | undefined {
  return SUBSCRIPTION_FILTERS.find((f) => f === value && f !== 'current');
}

const LABELS: Record<SubscriptionStatus | SubscriptionFilter, string> = {
  current: 'Current',
  all: 'All',
  active: 'Active',
  trialing: 'Trialing',
  past_due: 'Past due',
  paused: 'Paused',
  canceled: 'Canceled',
  incomplete: 'Incomplete',
  incomplete_expired: 'Incomplete, expired',
  unpaid: 'Unpaid',
};

const COLORS: Record<SubscriptionStatus, string> = {
  active: 'teal',
  trialing: 'indigo',
  past_due: 'orange',
  unpaid: 'red',
  paused: 'yellow',
  canceled: 'gray',
  incomplete: 'orange',
  incomplete_expired: 'gray',
};

export function subscriptionLabel(status: SubscriptionStatus | SubscriptionFilter): string {
  return LABELS[status];
}

export function SubscriptionStatusBadge({ status, testId }: { status: SubscriptionStatus; testId?: string }) {
  return (
    <Badge size="sm" variant="light" color={COLORS[status]} data-testid={testId} data-status={status}>
      {LABELS[status]}
    </Badge>
  );
}
