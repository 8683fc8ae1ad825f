import { Text } from '@mantine/core';
import type { Customer } from '../../api.ts';
import { customerIdOf, type Subscription } from '../../billing.ts';
import type { Column } from '../../components/ListTable.tsx';
import { AnchorLink } from '../../components/links.tsx';
import { formatDate, formatInterval, formatMoney } from '../../format.ts';
import { ProductName } from '../catalog/ProductName.tsx';
import { SubscriptionStatusBadge } from './status.tsx';

/** "$25.00 per month": what the items cost each period before discounts and tax (null for tiered prices). */
export function subscriptionAmount(subscription: Subscription): string {
  const items = subscription.items.data;
  if (items.some((i) => i.price.unit_amount === null)) return 'Tiered';
  const total = items.reduce((sum, i) => sum + (i.price.unit_amount ?? 0) * i.quantity, 0);
  return `${formatMoney(total, subscription.currency)} ${formatInterval(items[0]?.price.recurring ?? null)}`;
}

/** The first item's product, "and N more" for the rest. */
export function SubscriptionProducts({ subscription }: { subscription: Subscription }) {
  const [first, ...rest] = subscription.items.data;
  if (!first) return <Text span c="dimmed">No items</Text>;
  return (
    <>
      <ProductName productId={first.price.product} />
      {first.quantity !== 1 ? ` × ${first.quantity}` : ''}
      {rest.length ? ` and ${rest.length} more` : ''}
    </>
  );
}

export function CustomerLink({ customer }: { customer: string | Customer }) {
  const id = customerIdOf(customer);
  const label = typeof customer === 'string' ? customer : (customer.name ?? customer.email ?? customer.id);
  return (
    <AnchorLink to="/customers/$customerId" params={{ customerId: id }} size="sm" data-testid="customer-link">
      {label}
    </AnchorLink>
  );
}

/** What renews next: the end of the current period, or when it ends or ended. */
function nextDate(subscription: Subscription): string {
  if (subscription.ended_at) return `Ended ${formatDate(subscription.ended_at)}`;
  if (subscription.cancel_at) return `Cancels ${formatDate(subscription.cancel_at)}`;
  const end = subscription.items.data[0]?.current_period_end;
  if (!end) return '—';
  return `${subscription.cancel_at_period_end ? 'Cancels' : subscription.status === 'trialing' ? 'Trial ends' : 'Renews'} ${formatDate(end)}`;
}

/** The full list's columns, or (compact) the ones that fit a customer's page: no customer, no id. */
export function subscriptionColumns(compact: boolean): Array<Column<Subscription>> {
  const product: Column<Subscription> = { header: 'Product', link: true, render: (s) => <SubscriptionProducts subscription={s} /> };
  const customer: Column<Subscription> = { header: 'Customer', render: (s) => <CustomerLink customer={s.customer} /> };
  const status: Column<Subscription> = { header: 'Status', width: 120, render: (s) => <SubscriptionStatusBadge status={s.status} testId="subscription-row-status" /> };
  const amount: Column<Subscription> = { header: 'Amount', render: (s) => <Text size="sm">{subscriptionAmount(s)}</Text> };
  const next: Column<Subscription> = { header: 'Next', width: 170, render: (s) => <Text size="sm" c="dimmed">{nextDate(s)}</Text> };
  const id: Column<Subscription> = { header: 'ID', width: 240, render: (s) => <span className="recur-mono">{s.id}</span> };
  return compact ? [product, status, amount, next] : [product, customer, status, amount, next, id];
}
