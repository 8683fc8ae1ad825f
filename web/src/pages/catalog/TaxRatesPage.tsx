import { Alert, Badge, Button, Group, Modal, Paper, SegmentedControl, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import type { List, TaxRate } from '../../api.ts';
import { IconAlert, IconPercent, IconPlus } from '../../components/icons.tsx';
import { Pager, useCursorPaging } from '../../components/Pager.tsx';
import { Empty, ErrorState, PageHeader, SkeletonRows } from '../../components/states.tsx';
import { useV1Mutation, useV1Query } from '../../hooks.ts';
import { canWrite, useSession } from '../../session.tsx';

const FIELDS = new Set(['display_name', 'percentage', 'inclusive', 'country', 'state']);

function NewTaxRateForm({ onClose }: { onClose(): void }) {
  const [values, setValues] = useState({ display_name: '', percentage: '', country: '', state: '' });
  const [inclusive, setInclusive] = useState(false);
  const create = useV1Mutation((client, body: Record<string, unknown>) => client.post<TaxRate>('/v1/tax_rates', body), { onSuccess: onClose });
  const param = create.error?.param ?? '';
  const errorFor = (field: string) => (param === field ? create.error?.message : undefined);
  const field = (name: keyof typeof values, label: string, placeholder: string) => (
    <TextInput
      label={label}
      name={name}
      placeholder={placeholder}
      value={values[name]}
      onChange={(e) => {
        const value = e.currentTarget.value;
        setValues((v) => ({ ...v, [name]: value }));
      }}
      error={errorFor(name)}
    />
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({
      display_name: values.display_name.trim(),
      percentage: values.percentage.trim(),
      inclusive,
      ...(values.country.trim() ? { country: values.country.trim() } : {}),
      ...(values.state.trim() ? { state: values.state.trim() } : {}),
    });
  };
  return (
    <form onSubmit={submit} noValidate data-testid="tax-rate-form">
      <Stack gap="md">
        {create.error && !FIELDS.has(param) ? (
          <Alert color="red" variant="light" icon={<IconAlert />} role="alert">
            {create.error.message}
          </Alert>
        ) : null}
        <Group grow align="flex-start">
          {field('display_name', 'Display name', 'VAT')}
          {field('percentage', 'Percentage', '19.6')}
        </Group>
        <SegmentedControl
          aria-label="Inclusive or exclusive"
          value={inclusive ? 'inclusive' : 'exclusive'}
          onChange={(v) => setInclusive(v === 'inclusive')}
          data={[
            { value: 'exclusive', label: 'Exclusive (added on top)' },
            { value: 'inclusive', label: 'Inclusive (in the price)' },
          ]}
        />
        <Group grow align="flex-start">
          {field('country', 'Country', 'DE')}
          {field('state', 'State', 'CA')}
        </Group>
        <Group justify="flex-end" gap="sm" mt="sm">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending}>
            Create tax rate
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function TaxRateRow({ rate, writable }: { rate: TaxRate; writable: boolean }) {
  const toggle = useV1Mutation((client, active: boolean) => client.post<TaxRate>(`/v1/tax_rates/${encodeURIComponent(rate.id)}`, { active }));
  return (
    <Table.Tr data-testid="tax-rate-row">
      <Table.Td>
        <Text size="sm" fw={500}>
          {rate.display_name}
        </Text>
        <span className="recur-mono">{rate.id}</span>
      </Table.Td>
      <Table.Td>{rate.percentage}%</Table.Td>
      <Table.Td>{rate.inclusive ? 'Inclusive' : 'Exclusive'}</Table.Td>
      <Table.Td>{[rate.country, rate.state].filter(Boolean).join(' · ') || <Text span c="dimmed">—</Text>}</Table.Td>
      <Table.Td>
        <Badge size="sm" variant="light" color={rate.active ? 'teal' : 'gray'}>
          {rate.active ? 'Active' : 'Archived'}
        </Badge>
      </Table.Td>
      <Table.Td>
        {writable ? (
          <Button size="xs" variant="subtle" color={rate.active ? 'red' : 'indigo'} loading={toggle.isPending} onClick={() => toggle.mutate(!rate.active)}>
            {rate.active ? 'Archive' : 'Unarchive'}
          </Button>
        ) : null}
        {toggle.error ? (
          <Text size="xs" c="red">
            {toggle.error.message}
          </Text>
        ) : null}
      </Table.Td>
    </Table.Tr>
  );
}

export function TaxRatesPage() {
  const { user } = useSession();
  const writable = canWrite(user.role);
  const [creating, setCreating] = useState(false);
  const paging = useCursorPaging();
  const list = useV1Query<List<TaxRate>>('/v1/tax_rates', { limit: 20, ...(paging.cursor ?? {}) }, { keepPrevious: true });
  const data = list.data?.data ?? [];
  const info = paging.pageInfo(data, list.data?.has_more ?? false);
  const newButton = writable ? (
    <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
      New tax rate
    </Button>
  ) : null;
  return (
    <>
      <PageHeader title="Tax rates" description="Percentages applied to invoices and subscriptions." actions={newButton} />
      {list.isError ? (
        <ErrorState title="Could not load tax rates" error={list.error} onRetry={() => void list.refetch()} />
      ) : !list.isPending && data.length === 0 && paging.cursor === null ? (
        <Empty icon={<IconPercent size={28} />} title="No tax rates yet" description="Create the rates you charge, e.g. VAT 20% inclusive." action={newButton} />
      ) : (
        <Paper withBorder style={{ overflow: 'hidden' }}>
          <Table.ScrollContainer minWidth={700}>
            <Table data-testid="tax-rates-table">
              <Table.Thead bg="gray.0">
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Rate</Table.Th>
                  <Table.Th>Type</Table.Th>
                  <Table.Th>Region</Table.Th>
                  <Table.Th w={100}>Status</Table.Th>
                  <Table.Th w={120} />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>{list.isPending ? <SkeletonRows columns={6} /> : data.map((r) => <TaxRateRow key={r.id} rate={r} writable={writable} />)}</Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Pager count={data.length} nouns={['tax rate', 'tax rates']} hasPrev={info.hasPrev} hasNext={info.hasNext} onPrev={info.prev} onNext={info.next} busy={list.isFetching} loading={list.isPending} />
        </Paper>
      )}
      <Modal opened={creating} onClose={() => setCreating(false)} title={<Text fw={600}>New tax rate</Text>} size="md" centered>
        {creating ? <NewTaxRateForm onClose={() => setCreating(false)} /> : null}
      </Modal>
    </>
  );
}
