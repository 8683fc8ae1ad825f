import type { Kysely, Selectable } from 'kysely';
import { inWorkspaceKeys } from '../../db/bulk.ts';
import { decodePage, nextPage, searchCondition, type SearchFields } from '../../db/search.ts';
import type { Database } from '../../db/database.ts';
import { Batcher } from '../../lib/batch.ts';
import { invalidRequest, resourceMissing } from '../../lib/errors.ts';
import { idPattern, newId } from '../../lib/ids.ts';
import { paginate, whereCreated } from '../../lib/pagination.ts';
import { applyMetadata, givenParams } from '../../lib/params.ts';
import { parseSearchQuery } from '../../lib/search-query.ts';
import { livemode, type RequestContext } from '../../server/context.ts';
import { unixSeconds } from '../../lib/time.ts';
import { recordEvent, recordUpdate } from '../events/service.ts';
import { findTestClockRow } from '../subscriptions/test-clocks/service.ts';
import type { Address, CustomersTable, InvoiceSettings, Shipping } from './models.ts';
import { retryWithNewCard } from '../payments/dunning/service.ts';
import type {
  CreateCustomerParams,
  CustomerObject,
  DeletedCustomerObject,
  ListCustomersParams,
  SearchCustomersParams,
  UpdateCustomerParams,
} from './schema.ts';

type CustomerRow = Selectable<CustomersTable>;
type AddressParam = NonNullable<CreateCustomerParams['address']>;

export function customerObject(row: CustomerRow, ctx: Pick<RequestContext, 'workspace'>): CustomerObject {
  return {
    id: row.id,
    object: 'customer',
    address: row.address,
    balance: Number(row.balance),
    created: unixSeconds(row.created_at),
    description: row.description,
    email: row.email,
    invoice_settings: {
      custom_fields: row.invoice_settings.custom_fields ?? null,
      footer: row.invoice_settings.footer ?? null,
      default_payment_method: row.default_payment_method_id,
    },
    livemode: livemode(ctx.workspace),
    metadata: row.metadata,
    name: row.name,
    phone: row.phone,
    preferred_locales: row.preferred_locales,
    shipping: row.shipping,
    tax_exempt: row.tax_exempt,
    currency: row.currency,
    test_clock: row.test_clock_id,
  };
}

function mergeAddress(current: Address | null, update: AddressParam): Address {
  const pick = (key: keyof Address) => (update[key] !== undefined ? (update[key] ?? null) : (current?.[key] ?? null));
  return {
    line1: pick('line1'),
    line2: pick('line2'),
    city: pick('city'),
    state: pick('state'),
    postal_code: pick('postal_code'),
    country: pick('country'),
  };
}

function mergeShipping(current: Shipping | null, update: NonNullable<CreateCustomerParams['shipping']>): Shipping {
  return {
    name: update.name,
    phone: update.phone !== undefined ? update.phone : (current?.phone ?? null),
    address: mergeAddress(current?.address ?? null, update.address),
  };
}

function mergeInvoiceSettings(
  current: Partial<InvoiceSettings>,
  update: CreateCustomerParams['invoice_settings'],
): Partial<InvoiceSettings> {
  if (!update) return current;
  return {
    ...current,
    ...(update.custom_fields !== undefined ? { custom_fields: update.custom_fields } : {}),
    ...(update.footer !== undefined ? { footer: update.footer } : {}),
  };
}

function notAttached(paymentMethod: string) {
  return invalidRequest(
    `The payment method '${paymentMethod}' must be attached to this customer to be its default.`,
    'invoice_settings[default_payment_method]',
  );
}

// Lookups by id from concurrent requests share one query (see lib/batch.ts); one batcher
// per database handle, as a batch must run on the connection pool it came from.
const batchers = new WeakMap<object, Batcher<{ workspaceId: string; id: string }, CustomerRow>>();

function batcherFor(db: Kysely<Database>): Batcher<{ workspaceId: string; id: string }, CustomerRow> {
  let batcher = batchers.get(db);
  if (!batcher) {
    batcher = new Batcher(
      async (keys) => {
        const rows = await db
          .selectFrom('customers')
          .selectAll()
          .where(inWorkspaceKeys(keys.map((k) => ({ workspace_id: k.workspaceId, id: k.id }))))
          .execute();
        return new Map(rows.map((row) => [`${row.workspace_id}/${row.id}`, row]));
      },
      (key) => `${key.workspaceId}/${key.id}`,
    );
    batchers.set(db, batcher);
  }
  return batcher;
}

async function findRow(ctx: RequestContext, id: string, options: { lock?: boolean } = {}): Promise<CustomerRow> {
  let row: CustomerRow | undefined;
  if (!options.lock && !ctx.db.isTransaction) {
    row = await batcherFor(ctx.db as Kysely<Database>).load({ workspaceId: ctx.workspace.id, id });
  } else {
    let query = ctx.db.selectFrom('customers').selectAll().where('workspace_id', '=', ctx.workspace.id).where('id', '=', id);
    if (options.lock) query = query.forUpdate();
    row = await query.executeTakeFirst();
  }
  if (!row) throw resourceMissing('customer', id);
  return row;
}

/**
 * The live customer a parameter of another object's request names (a subscription's, an
 * invoice item's): a 400 naming the parameter when there is none. `lock` holds the row for
 * changes to its balance or currency.
 */
export async function referencedCustomer(ctx: RequestContext, id: string, options: { param?: string; lock?: boolean } = {}): Promise<CustomerRow> {
  let query = ctx.db.selectFrom('customers').selectAll().where('workspace_id', '=', ctx.workspace.id).where('id', '=', id);
  if (options.lock) query = query.forNoKeyUpdate();
  const row = await query.executeTakeFirst();
  if (!row || row.deleted_at) throw invalidRequest(`No such customer: '${id}'`, options.param ?? 'customer', 'resource_missing');
  return row;
}

/** A live (not deleted) customer of this workspace, for other modules to reference. */
export async function getCustomer(ctx: RequestContext, id: string): Promise<CustomerObject> {
  const row = await findRow(ctx, id);
  if (row.deleted_at) throw resourceMissing('customer', id);
  return customerObject(row, ctx);
}

export async function createCustomer(ctx: RequestContext, params: CreateCustomerParams): Promise<CustomerObject> {
  // A new customer has no payment method attached yet, so none can be its default.
  if (params.invoice_settings?.default_payment_method) throw notAttached(params.invoice_settings.default_payment_method);
  const now = new Date();
  // The clock must exist (a sandbox one): checked here, as the row itself is inserted at commit.
  const testClock = params.test_clock !== undefined ? (await findTestClockRow(ctx, params.test_clock, 'test_clock')).id : null;
  const row: CustomerRow = {
    workspace_id: ctx.workspace.id,
    id: newId('customer', now.getTime()),
    email: params.email ?? null,
    name: params.name ?? null,
    phone: params.phone ?? null,
    description: params.description ?? null,
    address: params.address ? mergeAddress(null, params.address) : null,
    shipping: params.shipping ? mergeShipping(null, params.shipping) : null,
    invoice_settings: mergeInvoiceSettings({}, params.invoice_settings),
    default_payment_method_id: null,
    preferred_locales: params.preferred_locales ?? [],
    test_clock_id: testClock,
    balance: BigInt(params.balance ?? 0),
    currency: null,
    tax_exempt: params.tax_exempt ?? 'none',
    metadata: applyMetadata({}, params.metadata),
    created_at: now,
    updated_at: now,
    deleted_at: null,
  };
  // Nothing here reads the row back, so it is inserted with the request's other rows in
  // one message at commit (server/unit-of-work.ts).
  ctx.pending.inserts.push(
    ctx.db.insertInto('customers').values({
      ...row,
      address: JSON.stringify(row.address),
      shipping: JSON.stringify(row.shipping),
      invoice_settings: JSON.stringify(row.invoice_settings),
      metadata: JSON.stringify(row.metadata),
    }),
  );
  const customer = customerObject(row, ctx);
  recordEvent(ctx, 'customer.created', customer);
  return customer;
}

export async function retrieveCustomer(ctx: RequestContext, id: string): Promise<CustomerObject | DeletedCustomerObject> {
  const row = await findRow(ctx, id);
  // Stripe answers a deleted customer with a tombstone rather than a 404.
  if (row.deleted_at) return { id: row.id, object: 'customer', deleted: true };
  return customerObject(row, ctx);
}

export async function updateCustomer(ctx: RequestContext, id: string, params: UpdateCustomerParams): Promise<CustomerObject> {
  const current = await findRow(ctx, id, { lock: true });
  if (current.deleted_at) throw resourceMissing('customer', id);
  const defaultPaymentMethod = params.invoice_settings?.default_payment_method;
  if (defaultPaymentMethod) {
    const attached = await ctx.db
      .selectFrom('payment_methods')
      .select('id')
      .where('workspace_id', '=', ctx.workspace.id)
      .where('id', '=', defaultPaymentMethod)
      .where('customer_id', '=', id)
      .executeTakeFirst();
    if (!attached) throw notAttached(defaultPaymentMethod);
  }
  const row = await ctx.db
    .updateTable('customers')
    .set({
      ...givenParams(params, ['email', 'name', 'phone', 'description', 'preferred_locales', 'tax_exempt']),
      ...(params.address !== undefined
        ? { address: JSON.stringify(params.address === null ? null : mergeAddress(current.address, params.address)) }
        : {}),
      ...(params.shipping !== undefined
        ? { shipping: JSON.stringify(params.shipping === null ? null : mergeShipping(current.shipping, params.shipping)) }
        : {}),
      ...(params.invoice_settings !== undefined
        ? { invoice_settings: JSON.stringify(mergeInvoiceSettings(current.invoice_settings, params.invoice_settings)) }
        : {}),
      ...(defaultPaymentMethod !== undefined ? { default_payment_method_id: defaultPaymentMethod } : {}),
      ...(params.balance !== undefined ? { balance: BigInt(params.balance) } : {}),
      ...(params.metadata !== undefined ? { metadata: JSON.stringify(applyMetadata(current.metadata, params.metadata)) } : {}),
      updated_at: new Date(),
    })
    .where('workspace_id', '=', ctx.workspace.id)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  const before = customerObject(current, ctx);
  const after = customerObject(row, ctx);
  recordUpdate(ctx, 'customer.updated', before, after);
  if (defaultPaymentMethod && defaultPaymentMethod !== current.default_payment_method_id) await retryWithNewCard(ctx, { customerId: row.id, testClockId: row.test_clock_id });
  return after;
}

/** Soft delete: the CRM keeps the history; the API shows a tombstone. */
export async function deleteCustomer(ctx: RequestContext, id: string): Promise<DeletedCustomerObject> {
  const current = await findRow(ctx, id, { lock: true });
  if (current.deleted_at) throw resourceMissing('customer', id);
  await ctx.db
    .updateTable('customers')
    .set({ deleted_at: new Date(), updated_at: new Date() })
    .where('workspace_id', '=', ctx.workspace.id)
    .where('id', '=', id)
    .execute();
  recordEvent(ctx, 'customer.deleted', customerObject(current, ctx));
  return { id, object: 'customer', deleted: true };
}

function liveCustomers(ctx: RequestContext) {
  return ctx.db.selectFrom('customers').selectAll().where('workspace_id', '=', ctx.workspace.id).where('deleted_at', 'is', null);
}

export async function listCustomers(
  ctx: RequestContext,
  params: ListCustomersParams,
): Promise<{ data: CustomerObject[]; hasMore: boolean }> {
  let query = liveCustomers(ctx);
  // Exact, as Stripe; lower() lets the (case-insensitive) email index find it.
  if (params.email !== undefined) {
    query = query.where((eb) => eb(eb.fn('lower', ['email']), '=', params.email?.toLowerCase() ?? '')).where('email', '=', params.email);
  }
  query = whereCreated(query, params.created, 'created_at');
  const { rows, hasMore } = await paginate(query, params, 'id');
  return { data: rows.map((r) => customerObject(r, ctx)), hasMore };
}

const CUSTOMER_SEARCH: SearchFields = { resource: 'customers', text: ['email', 'name', 'phone'], timestamp: { created: 'created_at' }, metadata: true };

export async function searchCustomers(
  ctx: RequestContext,
  params: SearchCustomersParams,
): Promise<{ data: CustomerObject[]; hasMore: boolean; nextPage: string | null }> {
  const query = liveCustomers(ctx).where(searchCondition(parseSearchQuery(params.query), CUSTOMER_SEARCH));
  const { rows, hasMore } = await paginate(query, { limit: params.limit, starting_after: decodePage(params.page, idPattern('customer')) }, 'id');
  return { data: rows.map((r) => customerObject(r, ctx)), hasMore, nextPage: nextPage(rows, hasMore) };
}
