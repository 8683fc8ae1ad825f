import { Badge, Button, Group, Text } from '@mantine/core';
import { useState } from 'react';
import type { Customer } from '../../api.ts';
import { ConfirmModal } from '../../components/ConfirmModal.tsx';
import { ListTable, type Column } from '../../components/ListTable.tsx';
import { useNotify } from '../../components/notifications.tsx';
import { formatDate } from '../../format.ts';
import { useV1Mutation } from '../../hooks.ts';
import { usePagedList } from '../../searchableList.ts';
import { canWrite, useSession } from '../../session.tsx';
import { cardLabel, isExpired, type PaymentMethod } from '../payments/charges.tsx';
import { NoneYet, Section } from './CustomerBilling.tsx';

/**
 * The customer's saved cards, the default (what invoices are charged to) marked; owners and
 * admins can make another the default, which retries the customer's failed invoices on it at
 * once, or detach one.
 */
export function CustomerPaymentMethods({ customer }: { customer: Customer }) {
  const { user } = useSession();
  const notify = useNotify();
  const writable = canWrite(user.role);
  const [detaching, setDetaching] = useState<PaymentMethod | null>(null);
  const customerPath = `/v1/customers/${encodeURIComponent(customer.id)}`;
  const page = usePagedList<PaymentMethod>(`${customerPath}/payment_methods`);
  const defaultId = customer.invoice_settings.default_payment_method ?? null;
  const makeDefault = useV1Mutation(
    (client, pm: PaymentMethod) => client.post<Customer>(customerPath, { invoice_settings: { default_payment_method: pm.id } }),
    { onSuccess: (_, pm) => notify({ title: 'Default card changed', message: `${cardLabel(pm.card)} is charged from now on.` }) },
  );
  const detach = useV1Mutation((client, pm: PaymentMethod) => client.post<PaymentMethod>(`/v1/payment_methods/${encodeURIComponent(pm.id)}/detach`), {
    onSuccess: () => setDetaching(null),
  });
  const columns: Array<Column<PaymentMethod>> = [
    {
      header: 'Card',
      render: (pm) => (
        <Group gap="xs" wrap="nowrap">
          <Text size="sm" fw={500} style={{ whiteSpace: 'nowrap' }} title={`Added ${formatDate(pm.created)}`}>
            {cardLabel(pm.card)}
          </Text>
          {pm.id === defaultId ? (
            <Badge size="sm" variant="light" color="teal" data-testid="payment-method-default">
              Default
            </Badge>
          ) : null}
        </Group>
      ),
    },
    {
      header: 'Expires',
      width: 130,
      render: (pm) => (
        <Text size="sm" c={isExpired(pm.card) ? 'red' : undefined}>
          {String(pm.card.exp_month).padStart(2, '0')}/{pm.card.exp_year}
          {isExpired(pm.card) ? ' (expired)' : ''}
        </Text>
      ),
    },
    {
      header: '',
      width: 190,
      render: (pm) =>
        writable ? (
          <Group gap={4} justify="flex-end" wrap="nowrap">
            {pm.id === defaultId ? null : (
              <Button
                size="xs"
                variant="subtle"
                loading={makeDefault.isPending && makeDefault.variables?.id === pm.id}
                disabled={makeDefault.isPending}
                onClick={() => makeDefault.mutate(pm)}
                data-testid="payment-method-make-default"
              >
                Make default
              </Button>
            )}
            <Button size="xs" variant="subtle" color="red" onClick={() => setDetaching(pm)} data-testid="payment-method-detach">
              Detach
            </Button>
          </Group>
        ) : null,
    },
  ];
  return (
    <Section title="Payment methods" testId="customer-payment-methods">
      {makeDefault.error ? (
        <Text size="sm" c="red" role="alert">
          {makeDefault.error.message}
        </Text>
      ) : null}
      <ListTable
        query={page.result}
        rows={page.data}
        columns={columns}
        tableTestId="payment-methods-table"
        rowTestId="payment-method-row"
        errorTitle="Could not load payment methods"
        paging={page.hasPrev || page.hasNext ? { ...page, nouns: ['card', 'cards'] } : undefined}
        skeletonRows={1}
        minWidth={480}
        empty={page.firstPage ? <NoneYet>No saved cards.</NoneYet> : null}
      />
      <ConfirmModal
        opened={detaching !== null}
        title="Detach card"
        confirmLabel="Detach card"
        loading={detach.isPending}
        error={detach.error}
        onConfirm={() => detaching && detach.mutate(detaching)}
        onClose={() => {
          detach.reset();
          setDetaching(null);
        }}
      >
        Detach {detaching ? cardLabel(detaching.card) : 'this card'} from the customer? It cannot be attached again
        {detaching?.id === defaultId ? ', and the customer has no default card until another is made the default' : ''}.
      </ConfirmModal>
    </Section>
  );
}
