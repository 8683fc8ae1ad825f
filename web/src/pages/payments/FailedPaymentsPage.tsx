import { Text, Tooltip } from '@mantine/core';
import { customerIdOf, type SavedInvoice } from '../../billing.ts';
import { IconCheck } from '../../components/icons.tsx';
import { AnchorLink } from '../../components/links.tsx';
import { ListTable, type Column } from '../../components/ListTable.tsx';
import { Empty, PageHeader } from '../../components/states.tsx';
import { formatDateTime, formatMoney, formatRelative } from '../../format.ts';
import { usePagedList } from '../../searchableList.ts';
import { canManageTeam, useSession } from '../../session.tsx';
import { invoiceTitle } from '../invoices/invoiceColumns.tsx';
import { Decline } from './charges.tsx';
import { declineOf, retryState } from './retry.ts';

function NextRetry({ invoice }: { invoice: SavedInvoice }) {
  const retry = retryState(invoice);
  if (retry.kind === 'none') {
    return (
      <Text size="sm" c="dimmed" data-testid="failed-next-retry" data-scheduled="false">
        {retry.reason}
      </Text>
    );
  }
  return (
    <Tooltip label={formatDateTime(retry.at)} withArrow>
      <Text size="sm" span data-testid="failed-next-retry" data-scheduled="true">
        {formatRelative(retry.at)}
      </Text>
    </Tooltip>
  );
}

const columns: Array<Column<SavedInvoice>> = [
  {
    header: 'Customer',
    render: (i) => (
      <AnchorLink to="/customers/$customerId" params={{ customerId: customerIdOf(i.customer) }} size="sm" data-testid="failed-customer">
        {i.customer_name ?? i.customer_email ?? customerIdOf(i.customer)}
      </AnchorLink>
    ),
  },
  { header: 'Invoice', width: 170, link: true, render: (i) => <span style={{ whiteSpace: 'nowrap' }}>{invoiceTitle(i)}</span> },
  {
    header: 'Amount',
    width: 120,
    render: (i) => (
      <Text size="sm" fw={500} data-testid="failed-amount">
        {formatMoney(i.amount_remaining, i.currency)}
      </Text>
    ),
  },
  {
    header: 'Attempts',
    width: 90,
    render: (i) => (
      <Text size="sm" data-testid="failed-attempts">
        {i.attempt_count}
      </Text>
    ),
  },
  { header: 'Decline', render: (i) => <Decline code={declineOf(i)} message={i.last_payment_error?.message ?? null} /> },
  { header: 'Next retry', width: 200, render: (i) => <NextRetry invoice={i} /> },
];

/** Open invoices whose payment failed (GET /v1/invoices?status=open&attempted=true), newest first. */
export function FailedPaymentsPage() {
  const { user } = useSession();
  const page = usePagedList<SavedInvoice>('/v1/invoices', { status: 'open', attempted: 'true' });
  return (
    <>
      <PageHeader
        title="Failed payments"
        description={
          <>
            Open invoices whose payment failed. Recur retries them on the{' '}
            {canManageTeam(user.role) ? <AnchorLink to="/settings/dunning">dunning schedule</AnchorLink> : 'dunning schedule'}; a new default card from
            the customer is charged at once.
          </>
        }
      />
      <ListTable
        query={page.result}
        rows={page.data}
        columns={columns}
        tableTestId="failed-payments-table"
        rowTestId="failed-payment-row"
        errorTitle="Could not load failed payments"
        rowLink={(i) => ({ to: '/invoices/$invoiceId', params: { invoiceId: i.id } })}
        paging={{ ...page, nouns: ['invoice', 'invoices'] }}
        minWidth={900}
        empty={page.firstPage ? <Empty icon={<IconCheck size={28} />} title="No failed payments" description="Every open invoice that was charged has been paid." /> : null}
      />
    </>
  );
}
