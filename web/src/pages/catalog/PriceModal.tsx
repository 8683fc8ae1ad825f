import { ActionIcon, Alert, Button, Divider, Group, Modal, NumberInput, SegmentedControl, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import type { Price } from '../../api.ts';
import { IconAlert, IconPlus, IconTrash } from '../../components/icons.tsx';
import { CURRENCIES, currencyExponent, parseMinor } from '../../format.ts';
import { useV1Mutation } from '../../hooks.ts';

type Scheme = 'per_unit' | 'graduated' | 'volume';
interface TierRow {
  upTo: string;
  unit: string;
  flat: string;
}
interface ExtraRow {
  currency: string;
  amount: string;
}

const currencyData = CURRENCIES.map((c) => ({ value: c, label: c.toUpperCase() }));

/** Where an API error's `param` lands: a field key of this form, or null for the alert on top. */
function fieldForParam(param: string | null | undefined): string | null {
  if (!param) return null;
  if (param === 'unit_amount' || param === 'unit_amount_decimal') return 'amount';
  if (param.startsWith('recurring')) return 'interval';
  if (param.startsWith('tiers')) return 'tiers';
  const option = /^currency_options\[(\w+)\]/.exec(param);
  if (option) return `extra:${option[1]}`;
  if (param === 'currency_options') return 'extra';
  if (['currency', 'nickname', 'lookup_key', 'tax_behavior', 'billing_scheme', 'tiers_mode'].includes(param)) return param;
  return null;
}

/** "Add price": one-time or recurring, per unit (with extra currencies) or tiered. */
export function AddPriceModal({ productId, opened, onClose }: { productId: string; opened: boolean; onClose(): void }) {
  return (
    <Modal opened={opened} onClose={onClose} title={<Text fw={600}>Add price</Text>} size="lg" centered>
      {opened ? <PriceForm productId={productId} onClose={onClose} /> : null}
    </Modal>
  );
}

function PriceForm({ productId, onClose }: { productId: string; onClose(): void }) {
  const [type, setType] = useState<'recurring' | 'one_time'>('recurring');
  const [interval, setInterval] = useState('month');
  const [intervalCount, setIntervalCount] = useState<number | string>(1);
  const [currency, setCurrency] = useState('usd');
  const [scheme, setScheme] = useState<Scheme>('per_unit');
  const [amount, setAmount] = useState('');
  const [tiers, setTiers] = useState<TierRow[]>([
    { upTo: '10', unit: '', flat: '' },
    { upTo: '', unit: '', flat: '' },
  ]);
  const [extras, setExtras] = useState<ExtraRow[]>([]);
  const [nickname, setNickname] = useState('');
  const [lookupKey, setLookupKey] = useState('');
  const [taxBehavior, setTaxBehavior] = useState('unspecified');
  const [local, setLocal] = useState<{ field: string; message: string } | null>(null);

  const create = useV1Mutation((client, body: Record<string, unknown>) => client.post<Price>('/v1/prices', body), { onSuccess: onClose });
  const apiField = fieldForParam(create.error?.param);
  const error: { field: string | null; message: string } | null = local ?? (create.error ? { field: apiField, message: create.error.message } : null);
  const errorFor = (field: string) => (error && error.field === field ? error.message : undefined);
  const decimals = currencyExponent(currency);
  const amountHint = decimals === 0 ? 'e.g. 1200' : `e.g. 12.${'5'.padEnd(decimals, '0')}`;

  const build = (): Record<string, unknown> | { field: string; message: string } => {
    const body: Record<string, unknown> = { product: productId, currency, tax_behavior: taxBehavior };
    if (type === 'recurring') {
      const count = Number(intervalCount);
      if (!Number.isInteger(count) || count < 1) return { field: 'interval', message: 'Enter a whole number of intervals, 1 or more.' };
      body.recurring = { interval, interval_count: count };
    }
    if (nickname.trim()) body.nickname = nickname.trim();
    if (lookupKey.trim()) body.lookup_key = lookupKey.trim();
    const money = (text: string, cur: string) => parseMinor(text, cur);
    const badAmount = (cur: string) => `Enter an amount in ${cur.toUpperCase()} with at most ${currencyExponent(cur)} decimals.`;
    if (scheme === 'per_unit') {
      const minor = money(amount, currency);
      if (minor === null) return { field: 'amount', message: badAmount(currency) };
      body.unit_amount = minor;
      if (extras.length) {
        const options: Record<string, { unit_amount: number }> = {};
        for (const row of extras) {
          if (row.currency === currency || options[row.currency]) return { field: `extra:${row.currency}`, message: 'Each currency only once, and not the main one.' };
          const extra = money(row.amount, row.currency);
          if (extra === null) return { field: `extra:${row.currency}`, message: badAmount(row.currency) };
          options[row.currency] = { unit_amount: extra };
        }
        body.currency_options = options;
      }
    } else {
      body.billing_scheme = 'tiered';
      body.tiers_mode = scheme;
      const out: Array<Record<string, unknown>> = [];
      for (const [index, row] of tiers.entries()) {
        const last = index === tiers.length - 1;
        const tier: Record<string, unknown> = {};
        if (last) tier.up_to = 'inf';
        else {
          const upTo = Number(row.upTo);
          if (!/^\d+$/.test(row.upTo.trim()) || upTo < 1) return { field: 'tiers', message: `Tier ${index + 1}: “up to” must be a whole number of units.` };
          tier.up_to = upTo;
        }
        if (row.unit.trim()) {
          const unit = money(row.unit, currency);
          if (unit === null) return { field: 'tiers', message: `Tier ${index + 1}: ${badAmount(currency)}` };
          tier.unit_amount = unit;
        }
        if (row.flat.trim()) {
          const flat = money(row.flat, currency);
          if (flat === null) return { field: 'tiers', message: `Tier ${index + 1}: ${badAmount(currency)}` };
          tier.flat_amount = flat;
        }
        if (tier.unit_amount === undefined && tier.flat_amount === undefined) return { field: 'tiers', message: `Tier ${index + 1}: enter a per-unit amount or a flat fee.` };
        out.push(tier);
      }
      body.tiers = out;
    }
    return body;
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body = build();
    if ('field' in body && 'message' in body && typeof body.message === 'string' && typeof body.field === 'string') {
      setLocal({ field: body.field, message: body.message });
      return;
    }
    setLocal(null);
    create.mutate(body);
  };
  const shownOnField = error?.field && (error.field !== 'extra' || extras.length > 0);
  const setTier = (index: number, part: keyof TierRow, value: string) => setTiers((rows) => rows.map((r, i) => (i === index ? { ...r, [part]: value } : r)));
  const setExtra = (index: number, part: keyof ExtraRow, value: string) => setExtras((rows) => rows.map((r, i) => (i === index ? { ...r, [part]: value } : r)));
  const unused = CURRENCIES.find((c) => c !== currency && !extras.some((e) => e.currency === c)) ?? 'eur';

  return (
    <form onSubmit={submit} noValidate data-testid="price-form">
      <Stack gap="md">
        {error && !shownOnField ? (
          <Alert color="red" variant="light" icon={<IconAlert />} role="alert">
            {error.message}
          </Alert>
        ) : null}
        <SegmentedControl
          aria-label="Price type"
          value={type}
          onChange={(v) => setType(v === 'one_time' ? 'one_time' : 'recurring')}
          data={[
            { value: 'recurring', label: 'Recurring' },
            { value: 'one_time', label: 'One time' },
          ]}
        />
        {type === 'recurring' ? (
          <Group grow align="flex-start">
            <NumberInput label="Every" name="interval_count" min={1} max={365} allowDecimal={false} value={intervalCount} onChange={setIntervalCount} error={errorFor('interval')} />
            <Select
              label="Interval"
              name="interval"
              allowDeselect={false}
              value={interval}
              onChange={(v) => setInterval(v ?? 'month')}
              data={[
                { value: 'day', label: 'Day(s)' },
                { value: 'week', label: 'Week(s)' },
                { value: 'month', label: 'Month(s)' },
                { value: 'year', label: 'Year(s)' },
              ]}
            />
          </Group>
        ) : null}
        <Group grow align="flex-start">
          <Select label="Currency" name="currency" allowDeselect={false} searchable value={currency} onChange={(v) => setCurrency(v ?? 'usd')} data={currencyData} error={errorFor('currency')} />
          <Select
            label="Pricing model"
            name="pricing_model"
            allowDeselect={false}
            value={scheme}
            onChange={(v) => setScheme(v === 'graduated' || v === 'volume' ? v : 'per_unit')}
            data={[
              { value: 'per_unit', label: 'Per unit' },
              { value: 'graduated', label: 'Tiered: graduated' },
              { value: 'volume', label: 'Tiered: volume' },
            ]}
            error={errorFor('billing_scheme') ?? errorFor('tiers_mode')}
          />
        </Group>

        {scheme === 'per_unit' ? (
          <>
            <TextInput
              label={`Amount (${currency.toUpperCase()})`}
              name="unit_amount"
              placeholder={amountHint}
              inputMode="decimal"
              value={amount}
              onChange={(e) => setAmount(e.currentTarget.value)}
              error={errorFor('amount')}
            />
            <Divider label="Other currencies" labelPosition="left" />
            {extras.length === 0 ? (
              <Text size="sm" c="dimmed">
                Optional: the same price in other currencies, charged to customers who pay in them.
              </Text>
            ) : null}
            {extras.map((row, index) => (
              <Group key={index} gap="xs" wrap="nowrap" align="flex-start">
                <Select
                  aria-label={`Extra currency ${index + 1}`}
                  allowDeselect={false}
                  searchable
                  w={110}
                  value={row.currency}
                  onChange={(v) => setExtra(index, 'currency', v ?? row.currency)}
                  data={currencyData}
                />
                <TextInput
                  aria-label={`Extra amount ${index + 1}`}
                  placeholder={currencyExponent(row.currency) === 0 ? 'e.g. 1200' : 'e.g. 11.50'}
                  inputMode="decimal"
                  style={{ flex: 1 }}
                  value={row.amount}
                  onChange={(e) => setExtra(index, 'amount', e.currentTarget.value)}
                  error={errorFor(`extra:${row.currency}`)}
                />
                <ActionIcon variant="subtle" color="gray" size="lg" aria-label="Remove currency" onClick={() => setExtras((rows) => rows.filter((_, i) => i !== index))}>
                  <IconTrash size={16} />
                </ActionIcon>
              </Group>
            ))}
            {errorFor('extra') ? (
              <Text size="xs" c="red">
                {errorFor('extra')}
              </Text>
            ) : null}
            <Button variant="subtle" size="xs" leftSection={<IconPlus size={14} />} style={{ alignSelf: 'flex-start' }} onClick={() => setExtras((rows) => [...rows, { currency: unused, amount: '' }])}>
              Add currency
            </Button>
          </>
        ) : (
          <Stack gap={6}>
            <Text size="sm" fw={500}>
              Tiers ({currency.toUpperCase()})
            </Text>
            <Text size="xs" c="dimmed">
              {scheme === 'graduated'
                ? 'Graduated: each unit is priced by the tier it falls in.'
                : 'Volume: every unit is priced by the tier the total quantity falls in.'}
            </Text>
            <Table withTableBorder data-testid="tier-editor">
              <Table.Thead bg="gray.0">
                <Table.Tr>
                  <Table.Th>First unit</Table.Th>
                  <Table.Th>Up to</Table.Th>
                  <Table.Th>Per unit</Table.Th>
                  <Table.Th>Flat fee</Table.Th>
                  <Table.Th w={40} />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {tiers.map((row, index) => {
                  const last = index === tiers.length - 1;
                  const previous = index === 0 ? 0 : Number(tiers[index - 1]?.upTo || 0);
                  return (
                    <Table.Tr key={index}>
                      <Table.Td>
                        <Text size="sm">{previous + 1}</Text>
                      </Table.Td>
                      <Table.Td>
                        {last ? (
                          <Text size="sm">∞</Text>
                        ) : (
                          <TextInput aria-label={`Tier ${index + 1} up to`} inputMode="numeric" value={row.upTo} onChange={(e) => setTier(index, 'upTo', e.currentTarget.value)} />
                        )}
                      </Table.Td>
                      <Table.Td>
                        <TextInput aria-label={`Tier ${index + 1} per unit`} inputMode="decimal" placeholder="0.00" value={row.unit} onChange={(e) => setTier(index, 'unit', e.currentTarget.value)} />
                      </Table.Td>
                      <Table.Td>
                        <TextInput aria-label={`Tier ${index + 1} flat fee`} inputMode="decimal" placeholder="0.00" value={row.flat} onChange={(e) => setTier(index, 'flat', e.currentTarget.value)} />
                      </Table.Td>
                      <Table.Td>
                        <ActionIcon
                          variant="subtle"
                          color="gray"
                          aria-label={`Remove tier ${index + 1}`}
                          disabled={tiers.length <= 1}
                          onClick={() => setTiers((rows) => rows.filter((_, i) => i !== index))}
                        >
                          <IconTrash size={14} />
                        </ActionIcon>
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
            {errorFor('tiers') ? (
              <Text size="xs" c="red" role="alert">
                {errorFor('tiers')}
              </Text>
            ) : null}
            <Button
              variant="subtle"
              size="xs"
              leftSection={<IconPlus size={14} />}
              style={{ alignSelf: 'flex-start' }}
              onClick={() => setTiers((rows) => [...rows.slice(0, -1), { upTo: '', unit: '', flat: '' }, ...rows.slice(-1)])}
            >
              Add tier
            </Button>
          </Stack>
        )}

        <Divider label="Details" labelPosition="left" />
        <Group grow align="flex-start">
          <TextInput label="Nickname" name="nickname" placeholder="Monthly" value={nickname} onChange={(e) => setNickname(e.currentTarget.value)} error={errorFor('nickname')} />
          <TextInput label="Lookup key" name="lookup_key" placeholder="pro_monthly" value={lookupKey} onChange={(e) => setLookupKey(e.currentTarget.value)} error={errorFor('lookup_key')} />
        </Group>
        <Select
          label="Tax behavior"
          name="tax_behavior"
          allowDeselect={false}
          value={taxBehavior}
          onChange={(v) => setTaxBehavior(v ?? 'unspecified')}
          data={[
            { value: 'unspecified', label: 'Unspecified' },
            { value: 'exclusive', label: 'Exclusive (tax added on top)' },
            { value: 'inclusive', label: 'Inclusive (tax included)' },
          ]}
          error={errorFor('tax_behavior')}
        />
        <Group justify="flex-end" gap="sm" mt="sm">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending}>
            Add price
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

