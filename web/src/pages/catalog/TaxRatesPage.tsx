import { Alert, Badge, Button, Group, Modal, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import type { TaxRate } from '../../api.ts';
import { IconAlert, IconPercent, IconPlus } from '../../components/icons.tsx';
import { ListTable, type Column } from '../../components/ListTable.tsx';
import { Empty, PageHeader } from '../../components/states.tsx';
import { useV1Mutation } from '../../hooks.ts';
import { usePagedList } from '../../searchableList.ts';
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

function ArchiveToggle({ rate }: { rate: TaxRate }) {
  const toggle = useV1Mutation((client, active: boolean) => client.post<TaxRate>(`/v1/tax_rates/${encodeURIComponent(rate.id)}`, { active }));
  return (
    <>
      <Button size="xs" variant="subtle" color={rate.active ? 'red' : 'indigo'} loading={toggle.isPending} onClick={() => toggle.mutate(!rate.active)}>
        {rate.active ? 'Archive' : 'Unarchive'}
      </Button>
      {toggle.error ? (
        <Text size="xs" c="red">
          {toggle.error.message}
        </Text>
      ) : null}
    </>
  );
}

const columns: Array<Column<TaxRate>> = [
  {
    header: 'Name',
    render: (r) => (
      <>
        <Text size="sm" fw={500}>
          {r.display_name}
        </Text>
        <span className="recur-mono">{r.id}</span>
      </>
    ),
  },
  { header: 'Rate', render: (r) => `${r.percentage}%` },
  { header: 'Type', render: (r) => (r.inclusive ? 'Inclusive' : 'Exclusive') },
  { header: 'Region', render: (r) => [r.country, r.state].filter(Boolean).join(' · ') || <Text span c="dimmed">—</Text> },
  {
    header: 'Status',
    width: 100,
    render: (r) => (
      <Badge size="sm" variant="light" color={r.active ? 'teal' : 'gray'}>
        {r.active ? 'Active' : 'Archived'}
      </Badge>
    ),
  },
];

export function TaxRatesPage() {
  const { user } = useSession();
  const writable = canWrite(user.role);
  const [creating, setCreating] = useState(false);
  const page = usePagedList<TaxRate>('/v1/tax_rates');
  const newButton = writable ? (
    <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
      New tax rate
    </Button>
  ) : null;
  return (
    <>
      <PageHeader title="Tax rates" description="Percentages applied to invoices and subscriptions." actions={newButton} />
      <ListTable
        query={page.result}
        rows={page.data}
        columns={[...columns, { header: '', width: 120, render: (r) => (writable ? <ArchiveToggle rate={r} /> : null) }]}
        tableTestId="tax-rates-table"
        rowTestId="tax-rate-row"
        errorTitle="Could not load tax rates"
        paging={{ ...page, nouns: ['tax rate', 'tax rates'] }}
        minWidth={700}
        empty={
          page.firstPage ? (
            <Empty icon={<IconPercent size={28} />} title="No tax rates yet" description="Create the rates you charge, e.g. VAT 20% inclusive." action={newButton} />
          ) : null
        }
      />
      <Modal opened={creating} onClose={() => setCreating(false)} title={<Text fw={600}>New tax rate</Text>} size="md" centered>
        {creating ? <NewTaxRateForm onClose={() => setCreating(false)} /> : null}
      </Modal>
    </>
  );
}
