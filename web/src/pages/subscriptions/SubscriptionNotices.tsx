import { Alert, Group, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import type { Subscription } from '../../billing.ts';
import { formatDate, formatDateTime } from '../../format.ts';
import { PAUSE_BEHAVIORS } from './PauseModal.tsx';
import { UndoButton } from './SubscriptionActions.tsx';

function Notice({ color, testId, children, action }: { color: string; testId: string; children: ReactNode; action?: ReactNode }) {
  return (
    <Alert color={color} variant="light" data-testid={testId} py="xs">
      <Group justify="space-between" wrap="nowrap">
        <Text size="sm">{children}</Text>
        {action}
      </Group>
    </Alert>
  );
}

/** Trial, scheduled or past cancellation, paused collection or a paused subscription: what is unusual about it now. */
export function SubscriptionNotices({ subscription: s }: { subscription: Subscription }) {
  const notices: ReactNode[] = [];
  if (s.status === 'trialing' && s.trial_end) {
    notices.push(
      <Notice key="trial" color="indigo" testId="subscription-trial">
        In a free trial until <strong>{formatDateTime(s.trial_end)}</strong>; the first charge is then.
      </Notice>,
    );
  }
  if (s.status === 'canceled') {
    notices.push(
      <Notice key="canceled" color="gray" testId="subscription-canceled">
        Canceled{s.canceled_at ? ` on ${formatDate(s.canceled_at)}` : ''}
        {s.ended_at ? `, ended ${formatDate(s.ended_at)}` : ''}.
      </Notice>,
    );
  } else if (s.cancel_at_period_end || s.cancel_at) {
    const at = s.cancel_at ?? s.items.data[0]?.current_period_end;
    notices.push(
      <Notice
        key="cancel"
        color="red"
        testId="subscription-cancel-info"
        action={s.cancel_at_period_end ? <UndoButton subscription={s} undo="keep" label="Don't cancel" testId="subscription-keep" /> : null}
      >
        Cancels {at ? <strong>{formatDate(at)}</strong> : 'at the end of the period'}: it will not renew.
      </Notice>,
    );
  }
  if (s.pause_collection) {
    const behavior = PAUSE_BEHAVIORS.find((b) => b.value === s.pause_collection?.behavior);
    notices.push(
      <Notice
        key="pause"
        color="yellow"
        testId="subscription-pause-info"
        action={<UndoButton subscription={s} undo="unpause" label="Resume collection" testId="subscription-unpause" />}
      >
        Payment collection is paused ({behavior?.label.toLowerCase() ?? s.pause_collection.behavior})
        {s.pause_collection.resumes_at ? ` until ${formatDate(s.pause_collection.resumes_at)}` : ''}.
      </Notice>,
    );
  }
  if (s.status === 'paused') {
    notices.push(
      <Notice key="paused" color="yellow" testId="subscription-paused" action={<UndoButton subscription={s} undo="resume" label="Resume subscription" testId="subscription-resume" />}>
        Paused: the trial ended without a payment method. Nothing is billed until it is resumed.
      </Notice>,
    );
  }
  if (s.status === 'past_due' || s.status === 'unpaid' || s.status === 'incomplete') {
    notices.push(
      <Notice key="unpaid" color="orange" testId="subscription-unpaid">
        The latest invoice is not paid. Open it below to charge it again, or add a payment method for the customer.
      </Notice>,
    );
  }
  return notices.length ? <Stack gap="xs">{notices}</Stack> : null;
}
