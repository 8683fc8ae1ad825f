import { Badge, Button, Group, Loader, Modal, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useNavigate } from '@tanstack/react-router';
import { useRef, useState } from 'react';
import { ApiError, type Customer } from '../../api.ts';
import type { TestClock } from '../../billing.ts';
import { IconPlus, IconSearch, IconUsers } from '../../components/icons.tsx';
import { ListTable, type Column } from '../../components/ListTable.tsx';
import { Empty, PageHeader } from '../../components/states.tsx';
import { formatDate, toLocalInput } from '../../format.ts';
import { useV1Mutation } from '../../hooks.ts';
import { canWrite, useSession, useWorkspace } from '../../session.tsx';
import { CustomerForm } from './CustomerForm.tsx';
import { createBody, emptyCustomerForm, type CustomerFormValues } from './customerForm.ts';
import { clockStart, NewCustomerClock, type ClockChoice } from './NewCustomerClock.tsx';
import { MIN_SEARCH_LENGTH, useCustomerResults } from './useCustomerResults.ts';

interface NewCustomer {
  values: CustomerFormValues;
  clock: ClockChoice;
}

/** Mounted when the modal opens, so the clock's start time is "now" as of opening. */
function NewCustomerBody({ onClose }: { onClose(): void }) {
  const navigate = useNavigate();
  const { workspace } = useWorkspace();
  const sandbox = workspace.mode === 'sandbox';
  const [clock, setClock] = useState<ClockChoice>(() => ({ enabled: false, start: toLocalInput(Math.floor(Date.now() / 1000)) }));
  // A clock made for an attempt whose customer was refused is reused by the retry (same start time).
  const madeClock = useRef<{ id: string; start: number } | null>(null);
  const create = useV1Mutation(
    async (client, { values, clock: choice }: NewCustomer) => {
      const body = createBody(values);
      if (choice.enabled) {
        const start = clockStart(choice);
        if (start === null) throw new ApiError(400, 'invalid_request_error', 'Enter the time the test clock starts at.', null, 'frozen_time');
        if (madeClock.current?.start !== start) {
          const name = `Clock for ${values.name.trim() || values.email.trim() || 'new customer'}`.slice(0, 300);
          const made = await client.post<TestClock>('/v1/test_helpers/test_clocks', { frozen_time: start, name });
          madeClock.current = { id: made.id, start };
        }
        body.test_clock = madeClock.current.id;
      }
      return client.post<Customer>('/v1/customers', body);
    },
    {
      onSuccess: (customer) => {
        onClose();
        void navigate({ to: '/customers/$customerId', params: { customerId: customer.id } });
      },
    },
  );
  const clockError = create.error?.param === 'frozen_time' || create.error?.param === 'test_clock' ? create.error.message : undefined;
  return (
    <CustomerForm
      initial={emptyCustomerForm()}
      submitLabel="Create customer"
      pending={create.isPending}
      error={clockError ? null : create.error}
      onSubmit={(values) => create.mutate({ values, clock: sandbox ? clock : { ...clock, enabled: false } })}
      onCancel={onClose}
      extra={sandbox ? <NewCustomerClock value={clock} onChange={setClock} error={clockError} /> : null}
    />
  );
}

function NewCustomerModal({ opened, onClose }: { opened: boolean; onClose(): void }) {
  return (
    <Modal opened={opened} onClose={onClose} title={<Text fw={600}>New customer</Text>} size="lg" centered>
      {opened ? <NewCustomerBody onClose={onClose} /> : null}
    </Modal>
  );
}

const columns: Array<Column<Customer>> = [
  { header: 'Name', link: true, render: (c) => c.name ?? <Text span c="dimmed" fs="italic" inherit>No name</Text> },
  { header: 'Email', render: (c) => c.email ?? <Text span c="dimmed">—</Text> },
  { header: 'Created', width: 140, render: (c) => <Text size="sm" c="dimmed">{formatDate(c.created)}</Text> },
  { header: 'ID', width: 260, render: (c) => <span className="recur-mono">{c.id}</span> },
];

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

      <ListTable
        query={result}
        rows={data}
        columns={columns}
        tableTestId="customers-table"
        rowTestId="customer-row"
        errorTitle="Could not load customers"
        rowLink={(c) => ({ to: '/customers/$customerId', params: { customerId: c.id } })}
        paging={{ ...page, nouns: ['customer', 'customers'] }}
        empty={
          searching ? (
            <Empty icon={<IconSearch size={28} />} title="No matching customers" description={`Nothing matches “${term.trim()}”. Try part of a name or an email address.`} />
          ) : page.firstPage ? (
            <Empty
              icon={<IconUsers size={28} />}
              title="No customers yet"
              description="Customers you create here or through the API will show up in this list."
              action={newButton}
            />
          ) : null
        }
      />
      <NewCustomerModal opened={creating} onClose={() => setCreating(false)} />
    </>
  );
}
