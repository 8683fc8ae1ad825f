import type { Selectable } from 'kysely';
import { ApiError, invalidRequest, resourceMissing } from '../../../lib/errors.ts';
import { hasPrefix, newId } from '../../../lib/ids.ts';
import { paginate } from '../../../lib/pagination.ts';
import { livemode, type RequestContext } from '../../../server/context.ts';
import { unixSeconds } from '../../../lib/time.ts';
import { getCustomer, retrieveCustomer } from '../../customers/service.ts';
import { recordEvent, recordUpdate } from '../../events/service.ts';
import type { GatewayCustomer } from '../gateways/gateway.ts';
import { isTestToken } from '../gateways/test-gateway.ts';
import { accountForNewCards } from '../gateway-accounts/service.ts';
import type { ChargeSource, PaymentMethodsTable } from './models.ts';
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
  const customer = await getCustomer(ctx, params.customer).catch((error: unknown) => {
    if (error instanceof ApiError && error.status === 404) throw resourceMissing('customer', params.customer, 'customer');
    throw error;
  });
  let row: PaymentMethodRow;
  const known = hasPrefix(id, 'paymentMethod')
    ? await ctx.db.selectFrom('payment_methods').selectAll().where('workspace_id', '=', ctx.workspace.id).where('id', '=', id).forUpdate().executeTakeFirst()
    : undefined;
  if (known === undefined) {
    // Not one of ours: a gateway's token (Stripe.js's pm_…, a Braintree nonce …) saved at the
    // workspace's gateway account, or in a sandbox without one, a test payment method.
    row = await saveFromToken(ctx, id, customer, params.gateway_account);
  } else {
    const current = known;
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

/** A payment method of the customer's, as a charge needs it (400 naming `param` if it is not theirs). */
export async function customerPaymentSource(ctx: RequestContext, customerId: string, id: string, param = 'payment_method'): Promise<ChargeSource> {
  const row = hasPrefix(id, 'paymentMethod')
    ? await ctx.db
        .selectFrom('payment_methods')
        .select(['id', 'customer_id', 'gateway_account_id', 'gateway_ref'])
        .where('workspace_id', '=', ctx.workspace.id)
        .where('id', '=', id)
        .executeTakeFirst()
    : undefined;
  if (!row) throw resourceMissing('payment_method', id, param);
  if (row.customer_id !== customerId) {
    throw invalidRequest(`The payment method '${id}' is not attached to the invoice's customer '${customerId}'.`, param, 'payment_method_unexpected_state');
  }
  return { paymentMethodId: row.id, gatewayAccountId: row.gateway_account_id, gatewayRef: row.gateway_ref };
}

/** Saves a card at a gateway from its token and records it (a new payment method). */
async function saveFromToken(ctx: RequestContext, token: string, customer: GatewayCustomer, requestedAccount: string | undefined): Promise<PaymentMethodRow> {
  const account = await accountForNewCards(ctx, requestedAccount);
  // The test gateway takes its test ids and, as a card form sends them, test card numbers (the card-update page).
  if (account === null && !isTestToken(token)) throw resourceMissing('payment_method', token);
  const gateway = account === null ? ctx.gateways.testGateway(ctx.workspace) : ctx.gateways.fromAccount(account);
  const saved = await gateway.savePaymentMethod(token, customer);
  const now = new Date();
  return ctx.db
    .insertInto('payment_methods')
    .values({
      workspace_id: ctx.workspace.id,
      id: newId('paymentMethod', now.getTime()),
      customer_id: customer.id,
      gateway: gateway.kind,
      gateway_account_id: account?.id ?? null,
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
