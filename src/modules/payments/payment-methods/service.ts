import type { Selectable } from 'kysely';
import { ApiError, invalidRequest, resourceMissing } from '../../../lib/errors.ts';
import { hasPrefix, newId } from '../../../lib/ids.ts';
import { paginate } from '../../../lib/pagination.ts';
import { livemode, type RequestContext } from '../../../server/context.ts';
import { unixSeconds } from '../../../lib/time.ts';
import { getCustomer, retrieveCustomer } from '../../customers/service.ts';
import { recordEvent, recordUpdate } from '../../events/service.ts';
import type { Gateway } from '../gateways/gateway.ts';
import { isTestPaymentMethodToken, TestGateway } from '../gateways/test-gateway.ts';
import type { PaymentMethodsTable } from './models.ts';
import type { AttachPaymentMethodParams, ListPaymentMethodsParams, PaymentMethodObject } from './schema.ts';

type PaymentMethodRow = Selectable<PaymentMethodsTable>;

export function paymentMethodObject(row: PaymentMethodRow, ctx: Pick<RequestContext, 'workspace'>): PaymentMethodObject {
  const address = row.billing_details.address ?? {};
  return {
    id: row.id,
    object: 'payment_method',
    billing_details: {
      address: {
        line1: address.line1 ?? null,
        line2: address.line2 ?? null,
        city: address.city ?? null,
        state: address.state ?? null,
        postal_code: address.postal_code ?? null,
        country: address.country ?? null,
      },
      email: row.billing_details.email ?? null,
      name: row.billing_details.name ?? null,
      phone: row.billing_details.phone ?? null,
    },
    card: {
      brand: row.card.brand,
      country: row.card.country,
      exp_month: row.card.exp_month,
      exp_year: row.card.exp_year,
      funding: row.card.funding,
      last4: row.card.last4,
    },
    created: unixSeconds(row.created_at),
    customer: row.customer_id,
    livemode: livemode(ctx.workspace),
    metadata: row.metadata,
    type: row.type,
  };
}

/**
 * The gateway of a workspace: the built-in test gateway in sandboxes. It keeps its records
 * through its own handle, never the caller's transaction (decisions.md §25).
 */
export function gatewayFor(ctx: Pick<RequestContext, 'gatewayDb' | 'workspace'>): Gateway {
  if (ctx.workspace.mode !== 'live') return new TestGateway(ctx.gatewayDb, ctx.workspace.id);
  throw invalidRequest(
    'Live workspaces need a real payment gateway, which is not configured; test payment methods only work in sandbox workspaces.',
    'payment_method',
  );
}

async function findRow(ctx: RequestContext, id: string, options: { lock?: boolean } = {}): Promise<PaymentMethodRow> {
  let query = ctx.db.selectFrom('payment_methods').selectAll().where('workspace_id', '=', ctx.workspace.id).where('id', '=', id);
  if (options.lock) query = query.forUpdate();
  const row = hasPrefix(id, 'paymentMethod') ? await query.executeTakeFirst() : undefined;
  if (!row) throw resourceMissing('payment_method', id);
  return row;
}

/** A payment method attached to `customerId`, or undefined. */
export async function findAttached(ctx: RequestContext, id: string, customerId: string): Promise<PaymentMethodObject | undefined> {
  const row = await ctx.db
    .selectFrom('payment_methods')
    .selectAll()
    .where('workspace_id', '=', ctx.workspace.id)
    .where('id', '=', id)
    .where('customer_id', '=', customerId)
    .executeTakeFirst();
  return row ? paymentMethodObject(row, ctx) : undefined;
}

export async function retrievePaymentMethod(ctx: RequestContext, id: string): Promise<PaymentMethodObject> {
  return paymentMethodObject(await findRow(ctx, id), ctx);
}

export async function attachPaymentMethod(ctx: RequestContext, id: string, params: AttachPaymentMethodParams): Promise<PaymentMethodObject> {
  if (!hasPrefix(params.customer, 'customer')) throw resourceMissing('customer', params.customer, 'customer');
  await getCustomer(ctx, params.customer).catch((error: unknown) => {
    if (error instanceof ApiError && error.status === 404) throw resourceMissing('customer', params.customer, 'customer');
    throw error;
  });
  let row: PaymentMethodRow;
  if (isTestPaymentMethodToken(id)) {
    // As in Stripe, attaching a test id makes a new payment method for the customer.
    const saved = await gatewayFor(ctx).savePaymentMethod(id);
    const now = new Date();
    row = await ctx.db
      .insertInto('payment_methods')
      .values({
        workspace_id: ctx.workspace.id,
        id: newId('paymentMethod', now.getTime()),
        customer_id: params.customer,
        gateway: 'test',
        gateway_ref: saved.gatewayRef,
        type: 'card',
        card: JSON.stringify(saved.card),
        billing_details: JSON.stringify({}),
        metadata: JSON.stringify({}),
        created_at: now,
        detached_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  } else {
    const current = await findRow(ctx, id, { lock: true });
    if (current.customer_id === params.customer) return paymentMethodObject(current, ctx);
    if (current.customer_id !== null) {
      throw invalidRequest(`The payment method '${id}' is already attached to another customer.`, 'customer', 'payment_method_unexpected_state');
    }
    if (current.detached_at !== null) {
      throw invalidRequest(
        `The payment method '${id}' was previously detached from a customer and cannot be attached again.`,
        undefined,
        'payment_method_unexpected_state',
      );
    }
    row = await ctx.db
      .updateTable('payment_methods')
      .set({ customer_id: params.customer })
      .where('workspace_id', '=', ctx.workspace.id)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }
  const paymentMethod = paymentMethodObject(row, ctx);
  recordEvent(ctx, 'payment_method.attached', paymentMethod);
  return paymentMethod;
}

export async function detachPaymentMethod(ctx: RequestContext, id: string): Promise<PaymentMethodObject> {
  const current = await findRow(ctx, id, { lock: true });
  const customerId = current.customer_id;
  if (customerId === null) {
    throw invalidRequest(`The payment method '${id}' is not attached to a customer.`, undefined, 'payment_method_unexpected_state');
  }
  // Detaching the customer's default clears it.
  const before = await retrieveCustomer(ctx, customerId);
  const cleared = await ctx.db
    .updateTable('customers')
    .set({ default_payment_method_id: null, updated_at: new Date() })
    .where('workspace_id', '=', ctx.workspace.id)
    .where('id', '=', customerId)
    .where('default_payment_method_id', '=', id)
    .returning('id')
    .executeTakeFirst();
  const row = await ctx.db
    .updateTable('payment_methods')
    .set({ customer_id: null, detached_at: new Date() })
    .where('workspace_id', '=', ctx.workspace.id)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  if (cleared && !('deleted' in before)) {
    const after = { ...before, invoice_settings: { ...before.invoice_settings, default_payment_method: null } };
    recordUpdate(ctx, 'customer.updated', before, after);
  }
  const paymentMethod = paymentMethodObject(row, ctx);
  recordEvent(ctx, 'payment_method.detached', paymentMethod);
  return paymentMethod;
}

export async function listPaymentMethods(
  ctx: RequestContext,
  params: ListPaymentMethodsParams,
): Promise<{ data: PaymentMethodObject[]; hasMore: boolean }> {
  let query = ctx.db.selectFrom('payment_methods').selectAll().where('workspace_id', '=', ctx.workspace.id);
  if (params.customer !== undefined) query = query.where('customer_id', '=', params.customer);
  if (params.type !== undefined) query = query.where('type', '=', params.type);
  const { rows, hasMore } = await paginate(query, params, 'id');
  return { data: rows.map((r) => paymentMethodObject(r, ctx)), hasMore };
}

export async function listCustomerPaymentMethods(
  ctx: RequestContext,
  customerId: string,
  params: Omit<ListPaymentMethodsParams, 'customer'>,
): Promise<{ data: PaymentMethodObject[]; hasMore: boolean }> {
  await getCustomer(ctx, customerId);
  return listPaymentMethods(ctx, { ...params, customer: customerId });
}
