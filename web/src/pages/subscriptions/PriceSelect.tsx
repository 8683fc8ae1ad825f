import { Select } from '@mantine/core';
import type { List, Price, Product } from '../../api.ts';
import { formatInterval, formatMoney } from '../../format.ts';
import { useV1Query } from '../../hooks.ts';

/** "$20.00 per month · Monthly" (tiered prices have no single amount). */
export function priceLabel(price: Price): string {
  const amount = price.unit_amount !== null ? formatMoney(price.unit_amount, price.currency) : 'Tiered';
  return `${amount} ${formatInterval(price.recurring)}${price.nickname ? ` · ${price.nickname}` : ''}`;
}

/**
 * The active recurring prices (of one currency, when given), grouped by product: what a
 * subscription can be started on or moved to.
 */
export function useRecurringPrices(currency?: string) {
  const prices = useV1Query<List<Price>>('/v1/prices', { active: 'true', type: 'recurring', limit: 100, currency });
  const products = useV1Query<List<Product>>('/v1/products', { limit: 100 });
  const names = new Map((products.data?.data ?? []).map((p) => [p.id, p.name]));
  const byProduct = new Map<string, Price[]>();
  for (const price of prices.data?.data ?? []) byProduct.set(price.product, [...(byProduct.get(price.product) ?? []), price]);
  const groups = [...byProduct].map(([product, list]) => ({
    group: names.get(product) ?? product,
    items: list.map((price) => ({ value: price.id, label: priceLabel(price) })),
  }));
  return { groups, prices: prices.data?.data ?? [], pending: prices.isPending, error: prices.error ?? products.error };
}

export function PriceSelect(props: {
  value: string | null;
  onChange(priceId: string | null): void;
  currency?: string;
  error?: string | undefined;
  testId: string;
  label?: string;
}) {
  const { groups, pending, error } = useRecurringPrices(props.currency);
  return (
    <Select
      label={props.label ?? 'Price'}
      placeholder={pending ? 'Loading prices…' : groups.length ? 'Choose a recurring price' : 'No active recurring prices'}
      data={groups}
      value={props.value}
      onChange={props.onChange}
      searchable
      nothingFoundMessage="No matching price"
      error={props.error ?? error?.message}
      data-testid={props.testId}
      comboboxProps={{ withinPortal: true }}
      required
    />
  );
}
