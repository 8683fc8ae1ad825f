import { Badge, Button, Group, Loader, Modal, Paper, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useNavigate } from '@tanstack/react-router';
import { AnchorLink } from '../../components/links.tsx';
import { useState } from 'react';
import type { Customer } from '../../api.ts';
import { IconPlus, IconSearch, IconUsers } from '../../components/icons.tsx';
import { Pager } from '../../components/Pager.tsx';
import { Empty, ErrorState, PageHeader, SkeletonRows } from '../../components/states.tsx';
import { formatDate } from '../../format.ts';
import { useV1Mutation } from '../../hooks.ts';
import { canWrite, useSession, useWorkspace } from '../../session.tsx';
import { CustomerForm } from './CustomerForm.tsx';
import { createBody, emptyCustomerForm, type CustomerFormValues } from './customerForm.ts';
import { MIN_SEARCH_LENGTH, useCustomerResults } from './useCustomerResults.ts';

function NewCustomerModal({ opened, onClose }: { opened: boolean; onClose(): void }) {
  const navigate = useNavigate();
  const create = useV1Mutation((client, values: CustomerFormValues) => client.post<Customer>('/v1/customers', createBody(values)), {
    onSuccess: (customer) => {
      onClose();
      void navigate({ to: '/customers/$customerId', params: { customerId: customer.id } });
    },
  });
  const close = () => {
    create.reset();
    onClose();
  };
  return (
    <Modal opened={opened} onClose={close} title={<Text fw={600}>New customer</Text>} size="lg" centered>
      {opened ? (
        <CustomerForm
          initial={emptyCustomerForm()}
          submitLabel="Create customer"
          pending={create.isPending}
          error={create.error}
          onSubmit={(values) => create.mutate(values)}
          onCancel={close}
        />
      ) : null}
    </Modal>
  );
}

function CustomerRow({ customer }: { customer: Customer }) {
  const navigate = useNavigate();
  const open = () => void navigate({ to: '/customers/$customerId', params: { customerId: customer.id } });
  return (
    <Table.Tr className="recur-row-link" onClick={open} data-testid="customer-row">
      <Table.Td>
        <AnchorLink
          to="/customers/$customerId"
          params={{ customerId: customer.id }}
          fw={500}
          c="dark"
          onClick={(e) => e.stopPropagation()}
        >
          {customer.name ?? <Text span c="dimmed" fs="italic" inherit>No name</Text>}
        </AnchorLink>
      </Table.Td>
      <Table.Td>{customer.email ?? <Text span c="dimmed">—</Text>}</Table.Td>
      <Table.Td>
        <Text size="sm" c="dimmed">
          {formatDate(customer.created)}
        </Text>
      </Table.Td>
      <Table.Td>
        <span className="recur-mono">{customer.id}</span>
      </Table.Td>
    </Table.Tr>
  );
}

export function CustomersPage() {
  const { user } = useSession();
  const { workspace } = useWorkspace();
  const [creating, setCreating] = useState(false);
  const [input, setInput] = useState('');
  const [term] = useDebouncedValue(input, 300);
  const page = useCustomerResults(term);
  const { result, data } = page;
  const writable = canWrite(user.role);
  const newButton = writable ? (
    <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
      New customer
    </Button>
  ) : null;
  const searching = page.mode === 'search';
  const tooShort = input.trim().length > 0 && input.trim().length < MIN_SEARCH_LENGTH;
  const empty = !result.isPending && !result.isError && data.length === 0;

  return (
    <>
      <PageHeader
        title="Customers"
        description={`Everyone you bill in the ${workspace.mode === 'live' ? 'live' : 'sandbox'} workspace.`}
        actions={newButton}
      />
      <Group mb="md" justify="space-between">
        <TextInput
          placeholder="Search by name or email"
          aria-label="Search customers"
          data-testid="customer-search"
          leftSection={<IconSearch size={16} />}
          rightSection={result.isFetching && !result.isPending ? <Loader size={14} /> : null}
          value={input}
          onChange={(e) => setInput(e.currentTarget.value)}
          w={360}
          maw="100%"
          description={tooShort ? `Type at least ${MIN_SEARCH_LENGTH} characters to search.` : undefined}
        />
        {searching ? (
          <Badge variant="light" color="indigo" size="lg" radius="sm">
            Search results
          </Badge>
        ) : null}
      </Group>

      {result.isError ? (
        <ErrorState title="Could not load customers" error={result.error} onRetry={() => void result.refetch()} />
      ) : empty && !searching && page.firstPage ? (
        <Empty
          icon={<IconUsers size={28} />}
          title="No customers yet"
          description="Customers you create here or through the API will show up in this list."
          action={newButton}
        />
      ) : empty && searching ? (
        <Empty icon={<IconSearch size={28} />} title="No matching customers" description={`Nothing matches “${term.trim()}”. Try part of a name or an email address.`} />
      ) : (
        <Paper withBorder style={{ overflow: 'hidden' }}>
          <Table.ScrollContainer minWidth={680}>
            <Table highlightOnHover={false} data-testid="customers-table">
              <Table.Thead bg="gray.0">
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Email</Table.Th>
                  <Table.Th w={140}>Created</Table.Th>
                  <Table.Th w={260}>ID</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {result.isPending ? <SkeletonRows columns={4} /> : data.map((c) => <CustomerRow key={c.id} customer={c} />)}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Pager
            count={data.length}
            nouns={['customer', 'customers']}
            hasPrev={page.hasPrev}
            hasNext={page.hasNext}
            onPrev={page.prev}
            onNext={page.next}
            busy={result.isFetching}
            loading={result.isPending}
          />
        </Paper>
      )}
      <NewCustomerModal opened={creating} onClose={() => setCreating(false)} />
    </>
  );
}
