import { Button } from '@mantine/core';
import { useState } from 'react';
import type { Subscription } from '../../billing.ts';
import { IconEdit, IconPause, IconPlay, IconX } from '../../components/icons.tsx';
import { useV1Mutation } from '../../hooks.ts';
import { canWrite, useSession } from '../../session.tsx';
import { CancelModal } from './CancelModal.tsx';
import { ChangePlanModal } from './ChangePlanModal.tsx';
import { PauseModal } from './PauseModal.tsx';

/** Undoing something needs no questions: resume a paused subscription or its collection, keep one set to cancel. */
type Undo = 'resume' | 'unpause' | 'keep';

/** Statuses after which a subscription can no longer change. */
const ENDED = new Set(['canceled', 'incomplete_expired']);

export function useUndo(subscription: Subscription) {
  const path = `/v1/subscriptions/${encodeURIComponent(subscription.id)}`;
  return useV1Mutation((client, undo: Undo) => {
    if (undo === 'resume') return client.post<Subscription>(`${path}/resume`, {});
    // '' clears pause_collection (Stripe's way to unset a hash).
    if (undo === 'unpause') return client.post<Subscription>(path, { pause_collection: '' });
    return client.post<Subscription>(path, { cancel_at_period_end: false });
  });
}

export function SubscriptionActions({ subscription }: { subscription: Subscription }) {
  const { user } = useSession();
  const [open, setOpen] = useState<'change' | 'pause' | 'cancel' | null>(null);
  if (!canWrite(user.role) || ENDED.has(subscription.status)) return null;
  const close = () => setOpen(null);
  return (
    <>
      <Button variant="default" leftSection={<IconEdit size={16} />} onClick={() => setOpen('change')} data-testid="subscription-change-plan">
        Change plan
      </Button>
      {subscription.pause_collection === null && subscription.status !== 'paused' ? (
        <Button variant="default" leftSection={<IconPause size={16} />} onClick={() => setOpen('pause')} data-testid="subscription-pause">
          Pause collection
        </Button>
      ) : null}
      {!subscription.cancel_at_period_end && subscription.cancel_at === null ? (
        <Button variant="light" color="red" leftSection={<IconX size={16} />} onClick={() => setOpen('cancel')} data-testid="subscription-cancel">
          Cancel
        </Button>
      ) : null}
      <ChangePlanModal subscription={subscription} opened={open === 'change'} onClose={close} />
      <PauseModal subscription={subscription} opened={open === 'pause'} onClose={close} />
      <CancelModal subscription={subscription} opened={open === 'cancel'} onClose={close} />
    </>
  );
}

/** The button that undoes a pause or a scheduled cancellation, shown next to the notice about it. */
export function UndoButton({ subscription, undo, label, testId }: { subscription: Subscription; undo: Undo; label: string; testId: string }) {
  const { user } = useSession();
  const run = useUndo(subscription);
  if (!canWrite(user.role)) return null;
  return (
    <>
      <Button size="xs" variant="white" leftSection={undo === 'keep' ? undefined : <IconPlay size={14} />} loading={run.isPending} onClick={() => run.mutate(undo)} data-testid={testId}>
        {label}
      </Button>
      {run.error ? <span role="alert">{run.error.message}</span> : null}
    </>
  );
}
