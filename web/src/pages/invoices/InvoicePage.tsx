import { Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useParams } from '@tanstack/react-router';
import { customerIdOf, subscriptionIdOf, type SavedInvoice } from '../../billing.ts';
import { BackLink, Detail, DetailGate, DetailHeader } from '../../components/DetailHeader.tsx';
import { AnchorLink } from '../../components/links.tsx';
import { formatDate, formatDateTime, formatMoney } from '../../format.ts';
import { useV1Query } from '../../hooks.ts';
import { InvoiceCharges, InvoiceRefunds, PaymentFailureAlert } from '../payments/InvoicePayments.tsx';
import { InvoiceActions } from './InvoiceActions.tsx';
import { InvoiceLinesPanel } from './InvoiceLines.tsx';
import { InvoiceStatusBadge } from './status.tsx';

/** When each status change happened, for the ones that did. */
function transitions(invoice: SavedInvoice): Array<[string, number]> {
  const t = invoice.status_transitions;
  const all: Array<[string, number | null]> = [
    ['Finalized', t.finalized_at],
    ['Paid', t.paid_at],
    ['Marked uncollectible', t.marked_uncollectible_at],
    ['Voided', t.voided_at],
  ];
  return all.filter((entry): entry is [string, number] => entry[1] !== null);
}

function InvoiceSummary({ invoice }: { invoice: SavedInvoice }) {
  const subscription = subscriptionIdOf(invoice);
  const customerId = customerIdOf(invoice.customer);
  return (
    <Paper withBorder p="md">
      <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="md" verticalSpacing="md">
        <Detail label="Total" testId="invoice-total">
          <Text fw={650} fz="lg" span>
            {formatMoney(invoice.total, invoice.currency)}
          </Text>
        </Detail>
        <Detail label="Amount due" testId="invoice-amount-due">
          {formatMoney(invoice.amount_due, invoice.currency)}
        </Detail>
        <Detail label="Amount paid" testId="invoice-amount-paid">
          {formatMoney(invoice.amount_paid, invoice.currency)}
        </Detail>
        <Detail label="Remaining" testId="invoice-amount-remaining">
          {formatMoney(invoice.amount_remaining, invoice.currency)}
        </Detail>
        <Detail label="Customer">
          <AnchorLink to="/customers/$customerId" params={{ customerId }} data-testid="invoice-customer">
            {invoice.customer_name ?? invoice.customer_email ?? customerId}
          </AnchorLink>
          {invoice.customer_name && invoice.customer_email ? (
            <Text size="xs" c="dimmed">
              {invoice.customer_email}
            </Text>
          ) : null}
        </Detail>
        <Detail label="Subscription">
          {subscription ? (
            <AnchorLink to="/subscriptions/$subscriptionId" params={{ subscriptionId: subscription }} ff="monospace" fz={12.5} data-testid="invoice-subscription">
              {subscription}
            </AnchorLink>
          ) : (
            <Text span c="dimmed">
              —
            </Text>
          )}
        </Detail>
        <Detail label="Billing period">
          {formatDate(invoice.period_start)} – {formatDate(invoice.period_end)}
        </Detail>
        <Detail label="Due">{invoice.due_date ? formatDate(invoice.due_date) : invoice.collection_method === 'send_invoice' ? '—' : 'Charged automatically'}</Detail>
        <Detail label="Created">{formatDateTime(invoice.created)}</Detail>
        {transitions(invoice).map(([label, at]) => (
          <Detail key={label} label={label}>
            {formatDateTime(at)}
          </Detail>
        ))}
        {invoice.starting_balance ? (
          <Detail label="Starting balance">{formatMoney(invoice.starting_balance, invoice.currency)}</Detail>
        ) : null}
      </SimpleGrid>
    </Paper>
  );
}

export function InvoicePage() {
  const { invoiceId } = useParams({ from: '/app/invoices/$invoiceId' });
  const query = useV1Query<SavedInvoice>(`/v1/invoices/${encodeURIComponent(invoiceId)}`);
  const back = <BackLink to="/invoices" label="Invoices" />;
  return (
    <DetailGate query={query} back={back} noun="Invoice">
      {(invoice) => (
        <>
          {back}
          <DetailHeader
            title={invoice.number ?? 'Draft invoice'}
            titleTestId="invoice-number"
            id={invoice.id}
            badges={<InvoiceStatusBadge status={invoice.status} testId="invoice-status" />}
            actions={<InvoiceActions invoice={invoice} />}
          />
          <Stack gap="lg">
            <PaymentFailureAlert invoice={invoice} />
            <InvoiceSummary invoice={invoice} />
            <Stack gap="sm">
              <Title order={3} fz={18}>
                Lines
              </Title>
              <InvoiceLinesPanel invoice={invoice} />
            </Stack>
            {invoice.status === 'draft' ? null : <InvoiceCharges invoice={invoice} />}
            {/* Only a payment can be refunded: nothing to list before one. */}
            {invoice.amount_paid > 0 ? <InvoiceRefunds invoice={invoice} /> : null}
          </Stack>
        </>
      )}
    </DetailGate>
  );
}
