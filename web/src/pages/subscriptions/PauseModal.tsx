import { Alert, Button, Group, Modal, Radio, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import type { PauseBehavior, Subscription } from '../../billing.ts';
import { useV1Mutation } from '../../hooks.ts';

export const PAUSE_BEHAVIORS: Array<{ value: PauseBehavior; label: string; description: string }> = [
  { value: 'keep_as_draft', label: 'Keep invoices as drafts', description: 'Invoices are still created but not finalized or charged until collection resumes.' },
  { value: 'mark_uncollectible', label: 'Mark invoices uncollectible', description: 'Invoices are created and marked as not expected to be paid.' },
  { value: 'void', label: 'Void invoices', description: 'Invoices are created and voided right away: the period is given for free.' },
];

function PauseForm({ subscription, onClose }: { subscription: Subscription; onClose(): void }) {
  const [behavior, setBehavior] = useState<PauseBehavior>('keep_as_draft');
  const pause = useV1Mutation(
    (client, b: PauseBehavior) => client.post<Subscription>(`/v1/subscriptions/${encodeURIComponent(subscription.id)}`, { pause_collection: { behavior: b } }),
    { onSuccess: onClose },
  );
  return (
    <Stack gap="md" data-testid="pause-form">
      <Text size="sm">The subscription stays active and keeps renewing; only collecting payment is paused.</Text>
      <Radio.Group value={behavior} onChange={(v) => setBehavior(PAUSE_BEHAVIORS.find((b) => b.value === v)?.value ?? 'keep_as_draft')} label="What happens to new invoices">
        <Stack gap="xs" mt="xs">
          {PAUSE_BEHAVIORS.map((b) => (
            <Radio key={b.value} value={b.value} label={b.label} description={b.description} />
          ))}
        </Stack>
      </Radio.Group>
      {pause.error ? (
        <Alert color="red" variant="light" role="alert">
          {pause.error.message}
        </Alert>
      ) : null}
      <Group justify="flex-end" gap="sm">
        <Button variant="default" onClick={onClose}>
          Cancel
        </Button>
        <Button loading={pause.isPending} onClick={() => pause.mutate(behavior)} data-testid="pause-confirm">
          Pause collection
        </Button>
      </Group>
    </Stack>
  );
}

export function PauseModal({ subscription, opened, onClose }: { subscription: Subscription; opened: boolean; onClose(): void }) {
  return (
    <Modal opened={opened} onClose={onClose} title={<Text fw={600}>Pause payment collection</Text>} centered size="lg">
      {opened ? <PauseForm subscription={subscription} onClose={onClose} /> : null}
    </Modal>
  );
}
