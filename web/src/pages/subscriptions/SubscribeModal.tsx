import { Alert, Button, Group, Modal, NumberInput, Select, Stack, Text } from '@mantine/core';
import { useNavigate } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import type { Coupon, Customer, List } from '../../api.ts';
import type { Subscription } from '../../billing.ts';
import { IconAlert } from '../../components/icons.tsx';
import { useV1Mutation, useV1Query } from '../../hooks.ts';
import { couponDiscount } from '../catalog/CouponsPage.tsx';
import { PriceSelect } from './PriceSelect.tsx';

type Field = 'price' | 'quantity' | 'trial' | 'coupon';

/** Which field an API error's `param` belongs to (items[0][price] → price); null for the alert on top. */
function fieldFor(param: string | null | undefined): Field | null {
  if (!param) return null;
  if (param.includes('quantity')) return 'quantity';
  if (param.startsWith('items')) return 'price';
  if (param === 'trial_period_days') return 'trial';
  if (param.startsWith('discounts')) return 'coupon';
  return null;
}

function SubscribeForm({ customer, onClose }: { customer: Customer; onClose(): void }) {
  const navigate = useNavigate();
  const [price, setPrice] = useState<string | null>(null);
  const [quantity, setQuantity] = useState<number | string>(1);
  const [trialDays, setTrialDays] = useState<number | string>('');
  const [coupon, setCoupon] = useState<string | null>(null);
  const [missingPrice, setMissingPrice] = useState(false);
  const coupons = useV1Query<List<Coupon>>('/v1/coupons', { limit: 100 });
  const create = useV1Mutation((client, body: Record<string, unknown>) => client.post<Subscription>('/v1/subscriptions', body), {
    onSuccess: (subscription) => {
      onClose();
      void navigate({ to: '/subscriptions/$subscriptionId', params: { subscriptionId: subscription.id } });
    },
  });
  const field = fieldFor(create.error?.param);
  const errorFor = (f: Field) => (field === f ? create.error?.message : undefined);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!price) return setMissingPrice(true);
    create.mutate({
      customer: customer.id,
      items: [{ price, quantity: Number(quantity) || 1 }],
      ...(trialDays !== '' && Number(trialDays) > 0 ? { trial_period_days: Number(trialDays) } : {}),
      ...(coupon ? { discounts: [{ coupon }] } : {}),
    });
  };
  const hasPaymentMethod = Boolean(customer.invoice_settings.default_payment_method);
  return (
    <form onSubmit={submit} noValidate data-testid="subscribe-form">
      <Stack gap="md">
        {create.error && field === null ? (
          <Alert color="red" variant="light" icon={<IconAlert />} role="alert">
            {create.error.message}
          </Alert>
        ) : null}
        <PriceSelect
          value={price}
          onChange={(value) => {
            setPrice(value);
            setMissingPrice(false);
          }}
          testId="subscribe-price"
          error={missingPrice ? 'Choose the price to subscribe to.' : errorFor('price')}
        />
        <Group grow align="flex-start">
          <NumberInput label="Quantity" name="quantity" min={1} allowDecimal={false} value={quantity} onChange={setQuantity} error={errorFor('quantity')} data-testid="subscribe-quantity" />
          <NumberInput
            label="Trial days"
            name="trial_period_days"
            placeholder="No trial"
            min={1}
            max={730}
            allowDecimal={false}
            value={trialDays}
            onChange={setTrialDays}
            error={errorFor('trial')}
            data-testid="subscribe-trial-days"
          />
        </Group>
        <Select
          label="Coupon"
          placeholder="No coupon"
          clearable
          data={(coupons.data?.data ?? []).filter((c) => c.valid).map((c) => ({ value: c.id, label: `${c.name ?? c.id} (${couponDiscount(c)})` }))}
          value={coupon}
          onChange={setCoupon}
          error={errorFor('coupon')}
          data-testid="subscribe-coupon"
          comboboxProps={{ withinPortal: true }}
        />
        {!hasPaymentMethod ? (
          <Text size="xs" c="dimmed" data-testid="subscribe-no-payment-method">
            This customer has no default payment method: without a trial, the first invoice stays open and the subscription starts as incomplete
            until it is paid.
          </Text>
        ) : null}
        <Group justify="flex-end" gap="sm" mt="sm">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending}>
            Start subscription
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** "Subscribe" on a customer's page: a recurring price, quantity, optional trial and coupon. */
export function SubscribeModal({ customer, opened, onClose }: { customer: Customer; opened: boolean; onClose(): void }) {
  return (
    <Modal opened={opened} onClose={onClose} title={<Text fw={600}>Subscribe {customer.name ?? customer.email ?? customer.id}</Text>} size="lg" centered>
      {opened ? <SubscribeForm customer={customer} onClose={onClose} /> : null}
    </Modal>
  );
}
