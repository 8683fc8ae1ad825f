import { Alert, Button, Group, Modal, SegmentedControl, Select, Stack, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { IconAlert } from '../../components/icons.tsx';
import { useNotify } from '../../components/notifications.tsx';
import { formatMoney, parseMinor } from '../../format.ts';
import { useV1Mutation } from '../../hooks.ts';
import { gatewayLabel } from './gateways.ts';
import { cardLabel, refundable, REFUND_REASONS, type Charge, type Refund, type RefundReason } from './charges.tsx';

/** POST /v1/refunds as Stripe takes it: no amount refunds what is left of the charge. */
interface RefundBody {
  charge: string;
  amount?: number;
  reason?: RefundReason;
}

/** Refund a succeeded charge, in full or in part: first what, then a confirmation of exactly that. */
export function RefundModal({ charge, onClose }: { charge: Charge | null; onClose(): void }) {
  return (
    <Modal opened={charge !== null} onClose={onClose} title={<Text fw={600}>Refund payment</Text>} centered size="md">
      {/* Mounted only while open: each refund starts from the full amount. */}
      {charge ? <RefundFlow charge={charge} onClose={onClose} /> : null}
    </Modal>
  );
}

function RefundFlow({ charge, onClose }: { charge: Charge; onClose(): void }) {
  const notify = useNotify();
  const left = refundable(charge);
  const [mode, setMode] = useState<'full' | 'partial'>('full');
  const [amountText, setAmountText] = useState('');
  const [reason, setReason] = useState<RefundReason | null>(null);
  const [confirming, setConfirming] = useState(false);
  const refund = useV1Mutation((client, body: RefundBody) => client.post<Refund>('/v1/refunds', body), {
    onSuccess: (result) => {
      notify({ title: 'Refund created', message: `${formatMoney(result.amount, result.currency)} back to the customer.` });
      onClose();
    },
  });
  const partial = mode === 'partial' ? parseMinor(amountText, charge.currency) : null;
  const amountProblem =
    mode === 'full' || amountText.trim() === ''
      ? null
      : partial === null || partial <= 0
        ? `Enter an amount in ${charge.currency.toUpperCase()}, such as 5.00.`
        : partial > left
          ? `At most ${formatMoney(left, charge.currency)} is left to refund.`
          : null;
  const amount = mode === 'full' ? left : amountProblem === null ? partial : null;
  const card = charge.payment_method_details?.card;

  if (confirming && amount !== null) {
    return (
      <Stack gap="md" data-testid="refund-confirm">
        <Text size="sm">
          Refund <strong>{formatMoney(amount, charge.currency)}</strong>
          {amount < charge.amount ? ` of the ${formatMoney(charge.amount, charge.currency)} payment` : ''} to {card ? cardLabel(card) : 'the customer'}{' '}
          through {gatewayLabel(charge.gateway)}? This cannot be undone.
        </Text>
        {refund.error ? (
          <Alert color="red" variant="light" icon={<IconAlert />} role="alert">
            {refund.error.message}
          </Alert>
        ) : null}
        <Group justify="flex-end" gap="sm">
          <Button
            variant="default"
            onClick={() => {
              refund.reset();
              setConfirming(false);
            }}
          >
            Back
          </Button>
          <Button
            color="red"
            loading={refund.isPending}
            onClick={() => refund.mutate({ charge: charge.id, ...(mode === 'partial' ? { amount } : {}), ...(reason ? { reason } : {}) })}
          >
            Refund {formatMoney(amount, charge.currency)}
          </Button>
        </Group>
      </Stack>
    );
  }

  const next = (event: FormEvent) => {
    event.preventDefault();
    if (amount !== null && amount > 0) setConfirming(true);
  };
  return (
    <form onSubmit={next} noValidate data-testid="refund-form">
      <Stack gap="md">
        <Text size="sm">
          {formatMoney(charge.amount, charge.currency)} paid{card ? ` with ${cardLabel(card)}` : ''}
          {charge.amount_refunded > 0 ? `, ${formatMoney(charge.amount_refunded, charge.currency)} already refunded` : ''}.
        </Text>
        <SegmentedControl
          fullWidth
          value={mode}
          onChange={(value) => setMode(value === 'partial' ? 'partial' : 'full')}
          data={[
            { value: 'full', label: `Full (${formatMoney(left, charge.currency)})` },
            { value: 'partial', label: 'Partial' },
          ]}
        />
        {mode === 'partial' ? (
          <TextInput
            label="Amount to refund"
            name="amount"
            data-autofocus
            description={`Up to ${formatMoney(left, charge.currency)}`}
            rightSection={<Text size="xs" c="dimmed">{charge.currency.toUpperCase()}</Text>}
            rightSectionWidth={48}
            value={amountText}
            onChange={(e) => setAmountText(e.currentTarget.value)}
            error={amountProblem}
          />
        ) : null}
        <Select
          label="Reason"
          placeholder="None given"
          clearable
          data={REFUND_REASONS.map((r) => ({ value: r.value, label: r.label }))}
          value={reason}
          onChange={(value) => setReason(REFUND_REASONS.find((r) => r.value === value)?.value ?? null)}
          comboboxProps={{ withinPortal: true }}
        />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" disabled={amount === null || amount <= 0}>
            Review refund
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
