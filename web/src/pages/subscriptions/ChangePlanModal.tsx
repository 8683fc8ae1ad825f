import { Alert, Button, Divider, Group, Modal, NumberInput, Select, Skeleton, Stack, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { ApiError } from '../../api.ts';
import { customerIdOf, isProration, type Invoice, type Subscription, type SubscriptionItem } from '../../billing.ts';
import { IconAlert } from '../../components/icons.tsx';
import { formatDate, formatMoney } from '../../format.ts';
import { useV1Client, useV1Mutation, v1Key } from '../../hooks.ts';
import { useWorkspace } from '../../session.tsx';
import { InvoiceLines, InvoiceTotals } from '../invoices/InvoiceLines.tsx';
import { PriceSelect } from './PriceSelect.tsx';

type ProrationBehavior = 'create_prorations' | 'always_invoice' | 'none';

const BEHAVIORS: Array<{ value: ProrationBehavior; label: string }> = [
  { value: 'create_prorations', label: 'Prorate on the next invoice' },
  { value: 'always_invoice', label: 'Prorate and invoice now' },
  { value: 'none', label: 'No proration' },
];

function behaviorNote(behavior: ProrationBehavior, periodEnd: number | undefined): string {
  if (behavior === 'always_invoice') return 'The difference for the rest of this period is invoiced and charged right away.';
  if (behavior === 'none') return 'Nothing is credited or charged for this period: the new price applies from the next renewal.';
  return `The difference for the rest of this period is added to the next invoice${periodEnd ? `, on ${formatDate(periodEnd)}` : ''}.`;
}

interface Change {
  item: SubscriptionItem;
  price: string;
  quantity: number;
  behavior: ProrationBehavior;
}

/** The one item change, in Stripe's shape (the same for the preview and the update). */
function itemsOf(change: Change) {
  return [{ id: change.item.id, price: change.price, quantity: change.quantity }];
}

/**
 * What the change would bill, from POST /v1/invoices/create_preview: fetched whenever the
 * choice changes, so the confirm button always confirms what is on screen.
 */
function usePreview(subscription: Subscription, change: Change | null) {
  const client = useV1Client();
  const { workspace } = useWorkspace();
  return useQuery<Invoice, ApiError>({
    // Outside ['v1', …]: confirming the change refreshes the workspace's data, and must not
    // re-preview a change that has just been made. Still keyed by workspace.
    queryKey: ['preview', ...v1Key(workspace.id, '/v1/invoices/create_preview', {
      subscription: subscription.id,
      item: change?.item.id,
      price: change?.price,
      quantity: change?.quantity,
      behavior: change?.behavior,
    })],
    queryFn: () =>
      client.post<Invoice>('/v1/invoices/create_preview', {
        customer: customerIdOf(subscription.customer),
        subscription: subscription.id,
        subscription_details: { items: itemsOf(change as Change), proration_behavior: change?.behavior },
      }),
    enabled: change !== null,
    // Prorations are to the second: an old preview is not what confirming would bill.
    staleTime: 0,
    gcTime: 0,
    retry: false,
  });
}

function Preview({ preview, behavior, periodEnd }: { preview: ReturnType<typeof usePreview>; behavior: ProrationBehavior; periodEnd: number | undefined }) {
  if (preview.isPending) return <Skeleton height={120} data-testid="proration-preview-loading" />;
  if (preview.isError) {
    return (
      <Alert color="red" variant="light" icon={<IconAlert />} role="alert" data-testid="proration-preview-error">
        {preview.error.message}
      </Alert>
    );
  }
  const invoice = preview.data;
  const net = invoice.lines.data.filter(isProration).reduce((sum, line) => sum + line.amount, 0);
  return (
    <Stack gap="sm" data-testid="proration-preview">
      <Group justify="space-between">
        <Text size="sm" fw={600}>
          Preview of the next invoice
        </Text>
        <Text size="sm" data-testid="proration-net">
          Proration: {net >= 0 ? '+' : ''}
          {formatMoney(net, invoice.currency)}
        </Text>
      </Group>
      <Text size="xs" c="dimmed">
        {behaviorNote(behavior, periodEnd)}
      </Text>
      <InvoiceLines invoice={invoice} testId="proration-preview-lines" lineTestId="preview-line" />
      <InvoiceTotals invoice={invoice} />
    </Stack>
  );
}

function ChangePlanForm({ subscription, onClose }: { subscription: Subscription; onClose(): void }) {
  const items = subscription.items.data;
  const [itemId, setItemId] = useState(items[0]?.id ?? '');
  const item = items.find((i) => i.id === itemId) ?? items[0];
  const [price, setPrice] = useState<string | null>(item?.price.id ?? null);
  const [quantityInput, setQuantity] = useState<number | string>(item?.quantity ?? 1);
  const [behavior, setBehavior] = useState<ProrationBehavior>('create_prorations');
  // Typing "12" would otherwise preview 1 then 12.
  const [quantity] = useDebouncedValue(Number(quantityInput), 300);
  const valid = item !== undefined && price !== null && Number.isInteger(quantity) && quantity >= 1;
  const changed = valid && (price !== item.price.id || quantity !== item.quantity);
  const change: Change | null = changed ? { item, price, quantity, behavior } : null;
  const preview = usePreview(subscription, change);
  const update = useV1Mutation(
    (client, c: Change) => client.post<Subscription>(`/v1/subscriptions/${encodeURIComponent(subscription.id)}`, { items: itemsOf(c), proration_behavior: c.behavior }),
    { onSuccess: onClose },
  );
  const selectItem = (id: string | null) => {
    const next = items.find((i) => i.id === id);
    if (!next) return;
    setItemId(next.id);
    setPrice(next.price.id);
    setQuantity(next.quantity);
  };
  return (
    <Stack gap="md" data-testid="change-plan-form">
      {update.error ? (
        <Alert color="red" variant="light" icon={<IconAlert />} role="alert">
          {update.error.message}
        </Alert>
      ) : null}
      {items.length > 1 ? (
        <Select label="Item" allowDeselect={false} value={itemId} onChange={selectItem} data={items.map((i) => ({ value: i.id, label: `${i.price.nickname ?? i.price.id} × ${i.quantity}` }))} />
      ) : null}
      <PriceSelect label="New price" value={price} onChange={setPrice} currency={subscription.currency} testId="change-plan-price" />
      <Group grow align="flex-start">
        <NumberInput label="Quantity" min={1} allowDecimal={false} value={quantityInput} onChange={setQuantity} data-testid="change-plan-quantity" />
        <Select
          label="Proration"
          allowDeselect={false}
          value={behavior}
          onChange={(v) => setBehavior(BEHAVIORS.find((b) => b.value === v)?.value ?? 'create_prorations')}
          data={BEHAVIORS}
          data-testid="change-plan-proration"
          comboboxProps={{ withinPortal: true }}
        />
      </Group>
      <Divider />
      {change ? (
        <Preview preview={preview} behavior={behavior} periodEnd={item?.current_period_end} />
      ) : (
        <Text size="sm" c="dimmed">
          Choose another price or quantity to see what the change bills.
        </Text>
      )}
      <Group justify="flex-end" gap="sm">
        <Button variant="default" onClick={onClose}>
          Cancel
        </Button>
        <Button
          disabled={!change || !preview.isSuccess || preview.isFetching}
          loading={update.isPending}
          onClick={() => change && update.mutate(change)}
          data-testid="change-plan-confirm"
        >
          Confirm change
        </Button>
      </Group>
    </Stack>
  );
}

/** Change price or quantity: the proration preview is shown before anything is changed. */
export function ChangePlanModal({ subscription, opened, onClose }: { subscription: Subscription; opened: boolean; onClose(): void }) {
  return (
    <Modal opened={opened} onClose={onClose} title={<Text fw={600}>Change plan</Text>} size="xl" centered>
      {opened ? <ChangePlanForm subscription={subscription} onClose={onClose} /> : null}
    </Modal>
  );
}
