/**
 * Everything billing a set of subscriptions needs, loaded with one query per table for the
 * whole set (the billing run's batches hold hundreds; an API change holds one).
 */
import { groupBy } from '../../lib/group.ts';
import type { ChargeSource } from '../payments/payment-methods/models.ts';
import type { Selectable } from 'kysely';
import { inWorkspaceKeys } from '../../db/bulk.ts';
import type { Executor } from '../../db/database.ts';
import type { Coupon } from '../billing/discounts.ts';
import type { InvoiceCustomer } from '../billing/invoices/lifecycle.ts';
import type { InvoiceItemRow } from '../billing/invoices/models.ts';
import type { TaxRate } from '../billing/tax.ts';
import type { PricesTable } from '../catalog/prices/models.ts';
import { couponForDiscount } from '../catalog/coupons/service.ts';
import type { SubscriptionItemRow, SubscriptionRow } from './models.ts';

export type PriceRow = Selectable<PricesTable>;

export interface ItemWithPrice {
  item: SubscriptionItemRow;
  price: PriceRow;
  productName: string;
}

export interface BillingData {
  itemsOf: Map<string, ItemWithPrice[]>;
  customers: Map<string, InvoiceCustomer & { paymentSource: ChargeSource | null }>;
  /** Payment methods set on subscriptions themselves, as charges need them. */
  paymentSources: Map<string, ChargeSource>;
  coupons: Map<string, Coupon & { duration: string; currencyOptions: Record<string, { amount_off: number }> }>;
  taxRates: Map<string, TaxRate>;
  /** Pending invoice items by customer id. */
  pendingItems: Map<string, InvoiceItemRow[]>;
}

const key = (workspaceId: string, id: string) => `${workspaceId}/${id}`;


/**
 * Loads the billing data of `subscriptions`. Customers are locked (their balance may change);
 * `withPendingItems` also loads the customers' pending invoice items (for invoices made now).
 */
export async function loadBillingData(
  db: Executor,
  subscriptions: readonly SubscriptionRow[],
  options: { withPendingItems: boolean; lockCustomers?: boolean },
): Promise<BillingData> {
  if (subscriptions.length === 0) {
    return { itemsOf: new Map(), customers: new Map(), paymentSources: new Map(), coupons: new Map(), taxRates: new Map(), pendingItems: new Map() };
  }
  const subs = subscriptions.map((s) => ({ workspace_id: s.workspace_id, id: s.id }));
  const customerKeys = [...new Map(subscriptions.map((s) => [key(s.workspace_id, s.customer_id), { workspace_id: s.workspace_id, id: s.customer_id }])).values()];

  const itemsQuery = db
    .selectFrom('subscription_items as si')
    .innerJoin('prices as p', (join) => join.onRef('p.workspace_id', '=', 'si.workspace_id').onRef('p.id', '=', 'si.price_id'))
    .innerJoin('products as pr', (join) => join.onRef('pr.workspace_id', '=', 'p.workspace_id').onRef('pr.id', '=', 'p.product_id'))
    .selectAll('si')
    .select((eb) => [eb.fn.toJson('p').as('price'), 'pr.name as product_name'])
    .where(
      inWorkspaceKeys(subs, 'si.subscription_id', 'si.workspace_id'),
    )
    .orderBy('si.workspace_id')
    .orderBy('si.id');

  const customersQuery = loadInvoiceCustomers(db, customerKeys, options.lockCustomers ?? true);

  const [itemRows, customers] = await Promise.all([itemsQuery.execute(), customersQuery]);

  const itemsOf = new Map<string, ItemWithPrice[]>();
  for (const row of itemRows) {
    const { price, product_name, ...item } = row;
    const raw = price as unknown as PriceRow & { created_at: string; updated_at: string; unit_amount: string | number | null };
    const priceRow: PriceRow = {
      ...raw,
      unit_amount: raw.unit_amount === null ? null : String(raw.unit_amount),
      created_at: new Date(raw.created_at),
      updated_at: new Date(raw.updated_at),
    };
    const k = key(item.workspace_id, item.subscription_id);
    const list = itemsOf.get(k) ?? [];
    list.push({ item, price: priceRow, productName: product_name });
    itemsOf.set(k, list);
  }


  const pmKeys = subscriptions.filter((s) => s.default_payment_method_id).map((s) => ({ workspace_id: s.workspace_id, id: s.default_payment_method_id as string }));
  const couponKeys = subscriptions.flatMap((s) => s.discounts.map((d) => ({ workspace_id: s.workspace_id, id: d.coupon })));
  const taxRateKeys = [
    ...subscriptions.flatMap((s) => s.default_tax_rate_ids.map((id) => ({ workspace_id: s.workspace_id, id }))),
    ...itemRows.flatMap((i) => (i.tax_rate_ids ?? []).map((id) => ({ workspace_id: i.workspace_id, id }))),
  ];
  const [pmRows, couponRows, taxRateRows, pendingRows] = await Promise.all([
    loadPaymentSources(db, pmKeys),
    couponKeys.length ? db.selectFrom('coupons').selectAll().where(inWorkspaceKeys(couponKeys)).execute() : [],
    taxRateKeys.length ? db.selectFrom('tax_rates').select(['workspace_id', 'id', 'percentage', 'inclusive']).where(inWorkspaceKeys(taxRateKeys)).execute() : [],
    options.withPendingItems
      ? db
          .selectFrom('invoice_items')
          .selectAll()
          .where(
            inWorkspaceKeys(customerKeys, 'customer_id'),
          )
          .where('invoice_id', 'is', null)
          .orderBy('id')
          .forUpdate()
          .execute()
      : [],
  ]);
  return {
    itemsOf,
    customers,
    paymentSources: pmRows,
    coupons: new Map(couponRows.map((r) => [key(r.workspace_id, r.id), { ...couponForDiscount(r), duration: r.duration, currencyOptions: r.currency_options }])),
    taxRates: new Map(taxRateRows.map((r) => [key(r.workspace_id, r.id), { id: r.id, percentage: r.percentage, inclusive: r.inclusive }])),
    pendingItems: groupBy(pendingRows, (r) => key(r.workspace_id, r.customer_id)),
  };
}

export { key as billingKey };

/** Customers as invoices need them, with their default payment method as charges need it; locked. */
export async function loadInvoiceCustomers(
  db: Executor,
  keys: readonly { workspace_id: string; id: string }[],
  lock = true,
): Promise<Map<string, InvoiceCustomer & { paymentSource: ChargeSource | null }>> {
  if (keys.length === 0) return new Map();
  const query = db
    .selectFrom('customers as c')
    .leftJoin('payment_methods as pm', (join) => join.onRef('pm.workspace_id', '=', 'c.workspace_id').onRef('pm.id', '=', 'c.default_payment_method_id'))
    .select(['c.workspace_id', 'c.id', 'c.name', 'c.email', 'c.address', 'c.preferred_locales', 'c.invoice_settings', 'c.balance', 'c.default_payment_method_id', 'c.test_clock_id', 'pm.gateway_ref', 'pm.gateway_account_id'])
    .where(inWorkspaceKeys(keys, 'c.id', 'c.workspace_id'))
    .orderBy('c.workspace_id')
    .orderBy('c.id');
  const rows = await (lock ? query.forNoKeyUpdate('c') : query).execute();
  return new Map(
    rows.map(({ workspace_id, gateway_ref, gateway_account_id, ...c }) => [
      key(workspace_id, c.id),
      {
        ...c,
        paymentSource:
          c.default_payment_method_id !== null && gateway_ref !== null
            ? { paymentMethodId: c.default_payment_method_id, gatewayAccountId: gateway_account_id, gatewayRef: gateway_ref }
            : null,
      },
    ]),
  );
}

/** Payment methods as charges need them, by `workspace/id`. */
export async function loadPaymentSources(db: Executor, keys: readonly { workspace_id: string; id: string }[]): Promise<Map<string, ChargeSource>> {
  if (keys.length === 0) return new Map();
  const rows = await db.selectFrom('payment_methods').select(['workspace_id', 'id', 'gateway_ref', 'gateway_account_id']).where(inWorkspaceKeys(keys)).execute();
  return new Map(rows.map((r) => [key(r.workspace_id, r.id), { paymentMethodId: r.id, gatewayAccountId: r.gateway_account_id, gatewayRef: r.gateway_ref }]));
}
