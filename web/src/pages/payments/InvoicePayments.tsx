import { Alert, Button, Stack, Text, Title } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import type { SavedInvoice } from '../../billing.ts';
import { IconAlert } from '../../components/icons.tsx';
import { ListTable, type Column } from '../../components/ListTable.tsx';
import { formatDateTime, formatMoney } from '../../format.ts';
import { usePagedList } from '../../searchableList.ts';
import { canWrite, useSession } from '../../session.tsx';
import { gatewayLabel } from './gateways.ts';
import { RefundModal } from './RefundModal.tsx';
import { declineOf, retryState } from './retry.ts';
import { cardLabel, ChargeStatusBadge, Decline, refundable, RefundStatusBadge, refundReasonLabel, paymentIntentOf, type Charge, type Refund } from './charges.tsx';

const none = (
  <Text span c="dimmed" size="sm">
    —
  </Text>
);

/** An open invoice whose last payment failed: why, how often, and what dunning does next. */
export function PaymentFailureAlert({ invoice }: { invoice: SavedInvoice }) {
  const error = invoice.last_payment_error;
  if (invoice.status !== 'open' || !error) return null;
  const retry = retryState(invoice);
  const decline = declineOf(invoice);
  return (
    <Alert color="red" variant="light" icon={<IconAlert />} title="Payment failed" data-testid="invoice-payment-failure">
      <Text size="sm">
        {error.message}
        {decline ? <span className="recur-mono"> ({decline})</span> : null}
      </Text>
      <Text size="sm" c="dimmed" mt={4}>
        {invoice.attempt_count === 1 ? '1 attempt' : `${invoice.attempt_count} attempts`} ·{' '}
        {retry.kind === 'scheduled' ? `next retry ${formatDateTime(retry.at)}` : retry.reason}
      </Text>
    </Alert>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Stack gap="sm">
      <Title order={3} fz={18}>
        {title}
      </Title>
      {children}
    </Stack>
  );
}

/** An invoice's payment attempts, newest first, each refundable while something of it is left. */
export function InvoiceCharges({ invoice }: { invoice: SavedInvoice }) {
  const { user } = useSession();
  const [refunding, setRefunding] = useState<Charge | null>(null);
  const page = usePagedList<Charge>('/v1/charges', { payment_intent: paymentIntentOf(invoice.id) });
  const columns: Array<Column<Charge>> = [
    { header: 'Date', width: 150, render: (c) => <Text size="sm">{formatDateTime(c.created)}</Text> },
    {
      header: 'Amount',
      width: 120,
      render: (c) => (
        <>
          <Text size="sm" fw={500} data-testid="charge-amount">
            {formatMoney(c.amount, c.currency)}
          </Text>
          {c.amount_refunded > 0 ? (
            <Text size="xs" c="dimmed" data-testid="charge-refunded">
              {formatMoney(c.amount_refunded, c.currency)} refunded
            </Text>
          ) : null}
        </>
      ),
    },
    { header: 'Status', width: 120, render: (c) => <ChargeStatusBadge charge={c} /> },
    { header: 'Decline', render: (c) => (c.status === 'failed' ? <Decline code={c.outcome.reason ?? c.failure_code} message={c.failure_message} /> : none) },
    {
      header: 'Card',
      width: 130,
      render: (c) =>
        c.payment_method_details?.card ? (
          <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
            {cardLabel(c.payment_method_details.card)}
          </Text>
        ) : (
          none
        ),
    },
    {
      header: 'Gateway',
      width: 150,
      render: (c) => (
        <>
          <Text size="sm">{gatewayLabel(c.gateway)}</Text>
          {c.gateway_reference ? (
            <Text size="xs" c="dimmed" ff="monospace" truncate title={c.gateway_reference}>
              {c.gateway_reference}
            </Text>
          ) : null}
        </>
      ),
    },
    {
      header: '',
      width: 90,
      render: (c) =>
        canWrite(user.role) && refundable(c) > 0 ? (
          <Button size="xs" variant="subtle" color="red" onClick={() => setRefunding(c)} data-testid="charge-refund">
            Refund
          </Button>
        ) : null,
    },
  ];
  return (
    <Section title="Payment attempts">
      <ListTable
        query={page.result}
        rows={page.data}
        columns={columns}
        tableTestId="charges-table"
        rowTestId="charge-row"
        errorTitle="Could not load payment attempts"
        paging={page.hasPrev || page.hasNext ? { ...page, nouns: ['attempt', 'attempts'] } : undefined}
        skeletonRows={1}
        minWidth={900}
        empty={
          page.firstPage ? (
            <Text size="sm" c="dimmed">
              {invoice.status === 'draft' ? 'A draft is not charged until it is finalized.' : 'No payment attempts.'}
            </Text>
          ) : null
        }
      />
      <RefundModal charge={refunding} onClose={() => setRefunding(null)} />
    </Section>
  );
}

const refundColumns: Array<Column<Refund>> = [
  { header: 'Date', width: 170, render: (r) => <Text size="sm">{formatDateTime(r.created)}</Text> },
  {
    header: 'Amount',
    width: 140,
    render: (r) => (
      <Text size="sm" fw={500} data-testid="refund-amount">
        {formatMoney(r.amount, r.currency)}
      </Text>
    ),
  },
  {
    header: 'Status',
    width: 130,
    render: (r) => (
      <>
        <RefundStatusBadge status={r.status} />
        {r.failure_reason ? (
          <Text size="xs" c="red">
            {r.failure_reason}
          </Text>
        ) : null}
      </>
    ),
  },
  { header: 'Reason', render: (r) => <Text size="sm">{refundReasonLabel(r.reason)}</Text> },
  { header: 'Payment', width: 240, render: (r) => (r.charge ? <span className="recur-mono">{r.charge}</span> : none) },
];

/** The refunds of an invoice's payments (GET /v1/refunds?payment_intent=…). */
export function InvoiceRefunds({ invoice }: { invoice: SavedInvoice }) {
  const page = usePagedList<Refund>('/v1/refunds', { payment_intent: paymentIntentOf(invoice.id) });
  return (
    <Section title="Refunds">
      <ListTable
        query={page.result}
        rows={page.data}
        columns={refundColumns}
        tableTestId="refunds-table"
        rowTestId="refund-row"
        errorTitle="Could not load refunds"
        paging={page.hasPrev || page.hasNext ? { ...page, nouns: ['refund', 'refunds'] } : undefined}
        skeletonRows={1}
        minWidth={720}
        empty={
          page.firstPage ? (
            <Text size="sm" c="dimmed">
              No refunds.
            </Text>
          ) : null
        }
      />
    </Section>
  );
}
