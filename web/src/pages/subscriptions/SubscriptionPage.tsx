import { Grid, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useParams } from '@tanstack/react-router';
import type { SavedInvoice, Subscription } from '../../billing.ts';
import { BackLink, Detail, DetailGate, DetailHeader } from '../../components/DetailHeader.tsx';
import { EventTimeline } from '../../components/EventTimeline.tsx';
import { ListTable } from '../../components/ListTable.tsx';
import { AnchorLink } from '../../components/links.tsx';
import { formatDate, formatMoney, formatPeriod } from '../../format.ts';
import { useV1Query } from '../../hooks.ts';
import { usePagedList } from '../../searchableList.ts';
import { ProductName } from '../catalog/ProductName.tsx';
import { invoiceColumns } from '../invoices/invoiceColumns.tsx';
import { InvoiceStatusBadge } from '../invoices/status.tsx';
import { priceLabel } from './PriceSelect.tsx';
import { SubscriptionActions } from './SubscriptionActions.tsx';
import { SubscriptionNotices } from './SubscriptionNotices.tsx';
import { SubscriptionStatusBadge } from './status.tsx';
import { CustomerLink, SubscriptionProducts, subscriptionAmount } from './summary.tsx';

const invoiceCols = invoiceColumns(true);

function Items({ subscription }: { subscription: Subscription }) {
  return (
    <Paper withBorder style={{ overflow: 'hidden' }}>
      <Table.ScrollContainer minWidth={640}>
        <Table data-testid="subscription-items">
          <Table.Thead bg="gray.0">
            <Table.Tr>
              <Table.Th>Product</Table.Th>
              <Table.Th>Price</Table.Th>
              <Table.Th w={70}>Qty</Table.Th>
              <Table.Th>Current period</Table.Th>
              <Table.Th ta="right">Amount</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {subscription.items.data.map((item) => (
              <Table.Tr key={item.id} data-testid="subscription-item-row" data-price={item.price.id}>
                <Table.Td>
                  <AnchorLink to="/products/$productId" params={{ productId: item.price.product }} fw={500} c="dark">
                    <ProductName productId={item.price.product} />
                  </AnchorLink>
                </Table.Td>
                <Table.Td data-testid="subscription-item-price">{priceLabel(item.price)}</Table.Td>
                <Table.Td data-testid="subscription-item-quantity">{item.quantity}</Table.Td>
                <Table.Td>
                  <Text size="sm" data-testid="subscription-item-period">
                    {formatPeriod({ start: item.current_period_start, end: item.current_period_end })}
                  </Text>
                </Table.Td>
                <Table.Td ta="right">{item.price.unit_amount !== null ? formatMoney(item.price.unit_amount * item.quantity, item.price.currency) : '—'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}

function LatestInvoice({ invoice }: { invoice: Subscription['latest_invoice'] }) {
  if (!invoice) return <Text span c="dimmed">—</Text>;
  const id = typeof invoice === 'string' ? invoice : invoice.id;
  if (!id) return <Text span c="dimmed">—</Text>;
  return (
    <>
      <AnchorLink to="/invoices/$invoiceId" params={{ invoiceId: id }} data-testid="subscription-latest-invoice">
        {typeof invoice === 'string' ? invoice : (invoice.number ?? 'Draft')}
      </AnchorLink>
      {typeof invoice === 'string' ? null : (
        <Text span ml={6}>
          <InvoiceStatusBadge status={invoice.status} />
        </Text>
      )}
    </>
  );
}

function Summary({ subscription: s }: { subscription: Subscription }) {
  return (
    <Paper withBorder p="md">
      <SimpleGrid cols={{ base: 2, sm: 3 }} spacing="md" verticalSpacing="md">
        <Detail label="Customer">
          <CustomerLink customer={s.customer} />
        </Detail>
        <Detail label="Amount" testId="subscription-amount">
          {subscriptionAmount(s)}
        </Detail>
        <Detail label="Latest invoice">
          <LatestInvoice invoice={s.latest_invoice} />
        </Detail>
        <Detail label="Started">{formatDate(s.start_date)}</Detail>
        <Detail label="Billing">{s.collection_method === 'charge_automatically' ? 'Charge automatically' : 'Send invoice'}</Detail>
        <Detail label="Discounts">{s.discounts.length ? `${s.discounts.length} applied` : 'None'}</Detail>
        {s.default_tax_rates.length ? <Detail label="Tax rates">{s.default_tax_rates.map((t) => (typeof t === 'string' ? t : t.id)).join(', ')}</Detail> : null}
        {s.test_clock ? (
          <Detail label="Test clock">
            <span className="recur-mono">{s.test_clock}</span>
          </Detail>
        ) : null}
      </SimpleGrid>
    </Paper>
  );
}

function Invoices({ subscriptionId }: { subscriptionId: string }) {
  const page = usePagedList<SavedInvoice>('/v1/invoices', { subscription: subscriptionId });
  return (
    <Stack gap="sm" data-testid="subscription-invoices">
      <Title order={3} fz={18}>
        Invoices
      </Title>
      <ListTable
        query={page.result}
        rows={page.data}
        columns={invoiceCols}
        tableTestId="invoices-table"
        rowTestId="invoice-row"
        errorTitle="Could not load invoices"
        rowLink={(i) => ({ to: '/invoices/$invoiceId', params: { invoiceId: i.id } })}
        paging={page.hasPrev || page.hasNext ? { ...page, nouns: ['invoice', 'invoices'] } : undefined}
        skeletonRows={1}
        minWidth={480}
        empty={page.firstPage ? <Text size="sm" c="dimmed">No invoices yet.</Text> : null}
      />
    </Stack>
  );
}

export function SubscriptionPage() {
  const { subscriptionId } = useParams({ from: '/app/subscriptions/$subscriptionId' });
  // Expanded so the page can name the customer and show the latest invoice's status.
  const query = useV1Query<Subscription>(`/v1/subscriptions/${encodeURIComponent(subscriptionId)}`, { 'expand[0]': 'latest_invoice', 'expand[1]': 'customer' });
  const back = <BackLink to="/subscriptions" label="Subscriptions" />;
  return (
    <DetailGate query={query} back={back} noun="Subscription">
      {(subscription) => (
        <>
          {back}
          <DetailHeader
            title={<SubscriptionProducts subscription={subscription} />}
            titleTestId="subscription-title"
            id={subscription.id}
            badges={<SubscriptionStatusBadge status={subscription.status} testId="subscription-status" />}
            actions={<SubscriptionActions subscription={subscription} />}
          />
          <Grid gap="lg">
            <Grid.Col span={{ base: 12, md: 8 }}>
              <Stack gap="lg">
                <SubscriptionNotices subscription={subscription} />
                <Summary subscription={subscription} />
                <Items subscription={subscription} />
                <Invoices subscriptionId={subscription.id} />
              </Stack>
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 4 }}>
              <EventTimeline objectId={subscription.id} noun="subscription" testId="subscription-timeline" />
            </Grid.Col>
          </Grid>
        </>
      )}
    </DetailGate>
  );
}
