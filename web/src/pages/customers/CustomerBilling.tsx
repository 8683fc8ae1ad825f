import { Button, Group, Stack, Text, Title } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import type { Customer } from '../../api.ts';
import type { SavedInvoice, Subscription } from '../../billing.ts';
import { IconPlus } from '../../components/icons.tsx';
import { ListTable } from '../../components/ListTable.tsx';
import { usePagedList } from '../../searchableList.ts';
import { canWrite, useSession } from '../../session.tsx';
import { invoiceColumns } from '../invoices/invoiceColumns.tsx';
import { SubscribeModal } from '../subscriptions/SubscribeModal.tsx';
import { subscriptionColumns } from '../subscriptions/summary.tsx';

const subscriptionCols = subscriptionColumns(true);
const invoiceCols = invoiceColumns(true);

/** A titled block of the customer page (its subscriptions, invoices, payment methods). */
export function Section({ title, action, children, testId }: { title: string; action?: ReactNode; children: ReactNode; testId: string }) {
  return (
    <Stack gap="sm" data-testid={testId}>
      <Group justify="space-between">
        <Title order={3} fz={18}>
          {title}
        </Title>
        {action}
      </Group>
      {children}
    </Stack>
  );
}

export function NoneYet({ children }: { children: ReactNode }) {
  return (
    <Text size="sm" c="dimmed">
      {children}
    </Text>
  );
}

/** The customer's subscriptions, canceled ones included, and "Subscribe" to start one. */
export function CustomerSubscriptions({ customer }: { customer: Customer }) {
  const { user } = useSession();
  const [subscribing, setSubscribing] = useState(false);
  const page = usePagedList<Subscription>('/v1/subscriptions', { customer: customer.id, status: 'all' });
  const subscribe = canWrite(user.role) ? (
    <Button size="xs" variant="light" leftSection={<IconPlus size={14} />} onClick={() => setSubscribing(true)} data-testid="subscribe-button">
      Subscribe
    </Button>
  ) : null;
  return (
    <Section title="Subscriptions" action={subscribe} testId="customer-subscriptions">
      <ListTable
        query={page.result}
        rows={page.data}
        columns={subscriptionCols}
        tableTestId="subscriptions-table"
        rowTestId="subscription-row"
        errorTitle="Could not load subscriptions"
        rowLink={(s) => ({ to: '/subscriptions/$subscriptionId', params: { subscriptionId: s.id } })}
        paging={page.hasPrev || page.hasNext ? { ...page, nouns: ['subscription', 'subscriptions'] } : undefined}
        skeletonRows={1}
        minWidth={480}
        empty={page.firstPage ? <NoneYet>No subscriptions.</NoneYet> : null}
      />
      <SubscribeModal customer={customer} opened={subscribing} onClose={() => setSubscribing(false)} />
    </Section>
  );
}

export function CustomerInvoices({ customerId }: { customerId: string }) {
  const page = usePagedList<SavedInvoice>('/v1/invoices', { customer: customerId });
  return (
    <Section title="Invoices" testId="customer-invoices">
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
        empty={page.firstPage ? <NoneYet>No invoices.</NoneYet> : null}
      />
    </Section>
  );
}
