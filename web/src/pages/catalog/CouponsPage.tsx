import { ActionIcon, Alert, Badge, Button, Group, Modal, NumberInput, SegmentedControl, Select, Stack, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import type { Coupon } from '../../api.ts';
import { ConfirmModal } from '../../components/ConfirmModal.tsx';
import { IconAlert, IconPlus, IconTicket, IconTrash } from '../../components/icons.tsx';
import { ListTable, type Column } from '../../components/ListTable.tsx';
import { Empty, PageHeader } from '../../components/states.tsx';
import { CURRENCIES, formatDate, formatMoney, parseMinor } from '../../format.ts';
import { useV1Mutation } from '../../hooks.ts';
import { usePagedList } from '../../searchableList.ts';
import { canWrite, useSession } from '../../session.tsx';

export function couponDiscount(coupon: Coupon): string {
  if (coupon.percent_off !== null) return `${coupon.percent_off}% off`;
  if (coupon.amount_off !== null && coupon.currency) return `${formatMoney(coupon.amount_off, coupon.currency)} off`;
  return '—';
}

function couponDuration(coupon: Coupon): string {
  if (coupon.duration === 'once') return 'Once';
  if (coupon.duration === 'forever') return 'Forever';
  return `For ${coupon.duration_in_months ?? '?'} month${coupon.duration_in_months === 1 ? '' : 's'}`;
}

const FIELDS = new Set(['id', 'name', 'percent_off', 'amount_off', 'currency', 'duration', 'duration_in_months', 'max_redemptions', 'redeem_by']);

function NewCouponForm({ onClose }: { onClose(): void }) {
  const [kind, setKind] = useState<'percent' | 'amount'>('percent');
  const [name, setName] = useState('');
  const [code, setCode] = useState('');
  const [percent, setPercent] = useState('');
  const [amount, setAmount] = useState('');
  const [currency, setCurrency] = useState('usd');
  const [duration, setDuration] = useState<'once' | 'repeating' | 'forever'>('once');
  const [months, setMonths] = useState<number | string>(3);
  const [maxRedemptions, setMaxRedemptions] = useState<number | string>('');
  const [redeemBy, setRedeemBy] = useState('');
  const [local, setLocal] = useState<{ field: string; message: string } | null>(null);
  const create = useV1Mutation((client, body: Record<string, unknown>) => client.post<Coupon>('/v1/coupons', body), { onSuccess: onClose });
  const error = local ?? (create.error ? { field: create.error.param ?? '', message: create.error.message } : null);
  const errorFor = (field: string) => (error?.field === field ? error.message : undefined);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body: Record<string, unknown> = { duration };
    const fail = (field: string, message: string) => setLocal({ field, message });
    if (name.trim()) body.name = name.trim();
    if (code.trim()) body.id = code.trim();
    if (kind === 'percent') {
      if (!/^\d+(\.\d{1,2})?$/.test(percent.trim())) return fail('percent_off', 'Enter a percentage like 20 or 12.5.');
      body.percent_off = percent.trim();
    } else {
      const minor = parseMinor(amount, currency);
      if (minor === null || minor < 1) return fail('amount_off', `Enter an amount in ${currency.toUpperCase()}.`);
      body.amount_off = minor;
      body.currency = currency;
    }
    if (duration === 'repeating') body.duration_in_months = Number(months);
    if (maxRedemptions !== '') body.max_redemptions = Number(maxRedemptions);
    if (redeemBy) {
      const seconds = Math.floor(new Date(`${redeemBy}T23:59:59`).getTime() / 1000);
      if (!Number.isFinite(seconds)) return fail('redeem_by', 'Enter a valid date.');
      body.redeem_by = seconds;
    }
    setLocal(null);
    create.mutate(body);
  };

  return (
    <form onSubmit={submit} noValidate data-testid="coupon-form">
      <Stack gap="md">
        {error && !FIELDS.has(error.field) ? (
          <Alert color="red" variant="light" icon={<IconAlert />} role="alert">
            {error.message}
          </Alert>
        ) : null}
        <Group grow align="flex-start">
          <TextInput label="Name" name="name" placeholder="Launch discount" value={name} onChange={(e) => setName(e.currentTarget.value)} error={errorFor('name')} autoFocus />
          <TextInput label="ID (optional)" name="id" placeholder="LAUNCH20" value={code} onChange={(e) => setCode(e.currentTarget.value)} error={errorFor('id')} />
        </Group>
        <SegmentedControl
          aria-label="Discount type"
          value={kind}
          onChange={(v) => setKind(v === 'amount' ? 'amount' : 'percent')}
          data={[
            { value: 'percent', label: 'Percentage' },
            { value: 'amount', label: 'Fixed amount' },
          ]}
        />
        {kind === 'percent' ? (
          <TextInput label="Percent off" name="percent_off" placeholder="20" rightSection="%" inputMode="decimal" value={percent} onChange={(e) => setPercent(e.currentTarget.value)} error={errorFor('percent_off')} />
        ) : (
          <Group grow align="flex-start">
            <TextInput label="Amount off" name="amount_off" placeholder="5.00" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.currentTarget.value)} error={errorFor('amount_off')} />
            <Select label="Currency" allowDeselect={false} searchable value={currency} onChange={(v) => setCurrency(v ?? 'usd')} data={CURRENCIES.map((c) => ({ value: c, label: c.toUpperCase() }))} error={errorFor('currency')} />
          </Group>
        )}
        <Group grow align="flex-start">
          <Select
            label="Duration"
            name="duration"
            allowDeselect={false}
            value={duration}
            onChange={(v) => setDuration(v === 'repeating' || v === 'forever' ? v : 'once')}
            data={[
              { value: 'once', label: 'Once' },
              { value: 'repeating', label: 'Multiple months' },
              { value: 'forever', label: 'Forever' },
            ]}
            error={errorFor('duration')}
          />
          {duration === 'repeating' ? (
            <NumberInput label="Number of months" min={1} max={1200} allowDecimal={false} value={months} onChange={setMonths} error={errorFor('duration_in_months')} />
          ) : null}
        </Group>
        <Group grow align="flex-start">
          <NumberInput label="Max redemptions" placeholder="Unlimited" min={1} allowDecimal={false} value={maxRedemptions} onChange={setMaxRedemptions} error={errorFor('max_redemptions')} />
          <TextInput label="Redeem by" type="date" value={redeemBy} onChange={(e) => setRedeemBy(e.currentTarget.value)} error={errorFor('redeem_by')} />
        </Group>
        <Group justify="flex-end" gap="sm" mt="sm">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending}>
            Create coupon
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function DeleteCoupon({ coupon }: { coupon: Coupon }) {
  const [confirming, setConfirming] = useState(false);
  const remove = useV1Mutation((client) => client.del<unknown>(`/v1/coupons/${encodeURIComponent(coupon.id)}`), { onSuccess: () => setConfirming(false) });
  return (
    <>
      <ActionIcon variant="subtle" color="red" aria-label={`Delete coupon ${coupon.id}`} onClick={() => setConfirming(true)}>
        <IconTrash size={16} />
      </ActionIcon>
      <ConfirmModal
        opened={confirming}
        title="Delete coupon"
        confirmLabel="Delete coupon"
        loading={remove.isPending}
        error={remove.error}
        onConfirm={() => remove.mutate(undefined)}
        onClose={() => {
          remove.reset();
          setConfirming(false);
        }}
      >
        Delete {coupon.name ?? coupon.id}? It can no longer be applied; discounts already given stay.
      </ConfirmModal>
    </>
  );
}

const columns: Array<Column<Coupon>> = [
  {
    header: 'Coupon',
    render: (c) => (
      <>
        <Text size="sm" fw={500}>
          {c.name ?? <Text span c="dimmed" fs="italic" inherit>No name</Text>}
        </Text>
        <span className="recur-mono">{c.id}</span>
      </>
    ),
  },
  { header: 'Discount', render: couponDiscount },
  { header: 'Duration', render: couponDuration },
  { header: 'Redemptions', render: (c) => `${c.times_redeemed}${c.max_redemptions !== null ? ` / ${c.max_redemptions}` : ''}` },
  { header: 'Redeem by', render: (c) => (c.redeem_by ? formatDate(c.redeem_by) : <Text span c="dimmed">—</Text>) },
  {
    header: 'Status',
    width: 90,
    render: (c) => (
      <Badge size="sm" variant="light" color={c.valid ? 'teal' : 'gray'}>
        {c.valid ? 'Valid' : 'Expired'}
      </Badge>
    ),
  },
];

export function CouponsPage() {
  const { user } = useSession();
  const writable = canWrite(user.role);
  const [creating, setCreating] = useState(false);
  const page = usePagedList<Coupon>('/v1/coupons');
  const newButton = writable ? (
    <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
      New coupon
    </Button>
  ) : null;
  return (
    <>
      <PageHeader title="Coupons" description="Discounts you can apply to customers, subscriptions and invoices." actions={newButton} />
      <ListTable
        query={page.result}
        rows={page.data}
        columns={writable ? [...columns, { header: '', width: 50, render: (c) => <DeleteCoupon coupon={c} /> }] : columns}
        tableTestId="coupons-table"
        rowTestId="coupon-row"
        errorTitle="Could not load coupons"
        paging={{ ...page, nouns: ['coupon', 'coupons'] }}
        minWidth={760}
        empty={
          page.firstPage ? (
            <Empty icon={<IconTicket size={28} />} title="No coupons yet" description="Create a percentage or fixed-amount discount." action={newButton} />
          ) : null
        }
      />
      <Modal opened={creating} onClose={() => setCreating(false)} title={<Text fw={600}>New coupon</Text>} size="lg" centered>
        {creating ? <NewCouponForm onClose={() => setCreating(false)} /> : null}
      </Modal>
    </>
  );
}
