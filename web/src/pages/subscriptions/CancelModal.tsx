import { Alert, Button, Checkbox, Group, Modal, Radio, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import type { Subscription } from '../../billing.ts';
import { formatDate } from '../../format.ts';
import { useV1Mutation } from '../../hooks.ts';

type When = 'period_end' | 'now';

interface Cancel {
  when: When;
  prorate: boolean;
  invoiceNow: boolean;
}

function CancelForm({ subscription, onClose }: { subscription: Subscription; onClose(): void }) {
  const [when, setWhen] = useState<When>('period_end');
  const [prorate, setProrate] = useState(false);
  const [invoiceNow, setInvoiceNow] = useState(false);
  const path = `/v1/subscriptions/${encodeURIComponent(subscription.id)}`;
  const cancel = useV1Mutation(
    (client, c: Cancel) =>
      c.when === 'period_end'
        ? client.post<Subscription>(path, { cancel_at_period_end: true })
        : // Stripe's defaults are false for both: only what was ticked is sent.
          client.del<Subscription>(path, { ...(c.prorate ? { prorate: 'true' } : {}), ...(c.invoiceNow ? { invoice_now: 'true' } : {}) }),
    { onSuccess: onClose },
  );
  const periodEnd = subscription.items.data[0]?.current_period_end;
  return (
    <Stack gap="md" data-testid="cancel-form">
      <Radio.Group value={when} onChange={(v) => setWhen(v === 'now' ? 'now' : 'period_end')} label="When">
        <Stack gap="xs" mt="xs">
          <Radio
            value="period_end"
            label={periodEnd ? `At the end of the current period (${formatDate(periodEnd)})` : 'At the end of the current period'}
            description="The customer keeps access until then and is not billed again. You can undo this until the period ends."
            data-testid="cancel-at-period-end"
          />
          <Radio value="now" label="Immediately" description="The subscription ends now. This cannot be undone." data-testid="cancel-now" />
        </Stack>
      </Radio.Group>
      {when === 'now' ? (
        <Stack gap="xs" pl="xl">
          <Checkbox label="Credit the unused time of this period (prorate)" checked={prorate} onChange={(e) => setProrate(e.currentTarget.checked)} />
          <Checkbox label="Invoice pending prorations and usage now" checked={invoiceNow} onChange={(e) => setInvoiceNow(e.currentTarget.checked)} />
        </Stack>
      ) : null}
      {cancel.error ? (
        <Alert color="red" variant="light" role="alert">
          {cancel.error.message}
        </Alert>
      ) : null}
      <Group justify="flex-end" gap="sm">
        <Button variant="default" onClick={onClose}>
          Keep subscription
        </Button>
        <Button color="red" loading={cancel.isPending} onClick={() => cancel.mutate({ when, prorate, invoiceNow })} data-testid="cancel-confirm">
          {when === 'now' ? 'Cancel now' : 'Cancel at period end'}
        </Button>
      </Group>
    </Stack>
  );
}

export function CancelModal({ subscription, opened, onClose }: { subscription: Subscription; opened: boolean; onClose(): void }) {
  return (
    <Modal opened={opened} onClose={onClose} title={<Text fw={600}>Cancel subscription</Text>} centered size="lg">
      {opened ? <CancelForm subscription={subscription} onClose={onClose} /> : null}
    </Modal>
  );
}
