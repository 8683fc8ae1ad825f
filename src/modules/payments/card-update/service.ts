/**
 * What the card-update page shows and does. Submitting a card goes through the API's own
 * services: attach it (payment-methods), make it the subscription's default where the
 * subscription had its own and then the customer's (customers), and those updates retry the
 * invoices in dunning at once (dunning/service.ts `retryWithNewCard`): no second way to pay.
 */
import type { Executor } from '../../../db/database.ts';
import { ApiError } from '../../../lib/errors.ts';
import { fromUnixSeconds, unixSeconds } from '../../../lib/time.ts';
import type { RequestContext, WorkspaceRef } from '../../../server/context.ts';
import { flushPendingWrites } from '../../../server/unit-of-work.ts';
import type { InvoiceStatus } from '../../billing/invoices/models.ts';
import { updateCustomer } from '../../customers/service.ts';
import { updateSubscription } from '../../subscriptions/changes.ts';
import { accountForNewCards } from '../gateway-accounts/service.ts';
import { isTestToken } from '../gateways/test-gateway.ts';
import { attachPaymentMethod } from '../payment-methods/service.ts';
import type { CardUpdateLink } from './token.ts';

/** Everything the page needs about the link's customer, invoice and card. */
export interface CardUpdateTarget {
  link: CardUpdateLink;
  workspace: WorkspaceRef;
  business: string;
  customer: { id: string; preferredLocales: string[] };
  invoice: {
    id: string;
    number: string | null;
    status: InvoiceStatus;
    currency: string;
    amountRemaining: bigint;
    amountPaid: bigint;
    attemptCount: number;
    subscriptionId: string | null;
  } | null;
  /** The card the link's email was about, if it still belongs to the customer. */
  replaces: { brand: string; last4: string } | null;
  /** The customer's now: their test clock's time in a sandbox, else the wall clock's (whole seconds). */
  now: Date;
}

/** What a submitted card came to. */
export type Outcome =
  | { kind: 'paid' }
  | { kind: 'saved' }
  | { kind: 'payment_failed'; message: string }
  | { kind: 'refused'; message: string }
  | { kind: 'unknown_card' }
  | { kind: 'already_paid' }
  | { kind: 'no_longer_due' }
  | { kind: 'unavailable' };

/**
 * The link's customer (and invoice, and card) as they stand; null when the link names
 * something that is not there (another workspace's customer, a deleted one, an invoice of
 * someone else): such a link is as good as forged. `lock` takes the customer's row for the
 * rest of the transaction, so two submissions of one customer run one after the other.
 */
export async function loadTarget(db: Executor, link: CardUpdateLink, options: { lock?: boolean } = {}): Promise<CardUpdateTarget | null> {
  let customerQuery = db
    .selectFrom('customers')
    .innerJoin('workspaces', 'workspaces.id', 'customers.workspace_id')
    .innerJoin('accounts', 'accounts.id', 'workspaces.account_id')
    .leftJoin('test_clocks', (join) => join.onRef('test_clocks.workspace_id', '=', 'customers.workspace_id').onRef('test_clocks.id', '=', 'customers.test_clock_id'))
    .select(['customers.id', 'customers.preferred_locales', 'customers.deleted_at', 'workspaces.mode', 'workspaces.account_id', 'accounts.name as business', 'test_clocks.frozen_time'])
    .where('customers.workspace_id', '=', link.workspaceId)
    .where('customers.id', '=', link.customerId);
  if (options.lock) customerQuery = customerQuery.forUpdate('customers');
  const customer = await customerQuery.executeTakeFirst();
  if (!customer || customer.deleted_at !== null) return null;
  const workspace: WorkspaceRef = { id: link.workspaceId, accountId: customer.account_id, mode: customer.mode };

  let invoice: CardUpdateTarget['invoice'] = null;
  if (link.invoiceId !== null) {
    const row = await db
      .selectFrom('invoices')
      .select(['id', 'number', 'status', 'currency', 'amount_remaining', 'amount_paid', 'attempt_count', 'subscription_id'])
      .where('workspace_id', '=', link.workspaceId)
      .where('id', '=', link.invoiceId)
      .where('customer_id', '=', link.customerId)
      .executeTakeFirst();
    if (!row) return null;
    invoice = {
      id: row.id,
      number: row.number,
      status: row.status,
      currency: row.currency,
      amountRemaining: row.amount_remaining,
      amountPaid: row.amount_paid,
      attemptCount: row.attempt_count,
      subscriptionId: row.subscription_id,
    };
  }

  let replaces: CardUpdateTarget['replaces'] = null;
  if (link.replacesPaymentMethodId !== null) {
    const card = await db
      .selectFrom('payment_methods')
      .select('card')
      .where('workspace_id', '=', link.workspaceId)
      .where('id', '=', link.replacesPaymentMethodId)
      .where('customer_id', '=', link.customerId)
      .executeTakeFirst();
    replaces = card ? { brand: card.card.brand, last4: card.card.last4 } : null;
  }

  return {
    link,
    workspace,
    business: customer.business,
    customer: { id: customer.id, preferredLocales: customer.preferred_locales },
    invoice,
    replaces,
    now: customer.frozen_time ?? fromUnixSeconds(unixSeconds(new Date())),
  };
}

/**
 * How the page takes a card in this workspace. The built-in test gateway (a sandbox without a
 * gateway account) takes a test card number or test payment method id typed into a field.
 * A workspace whose new cards go to a real gateway account needs that gateway's client-side
 * tokenizer on the page, which is not built yet: null, and the page says to contact the
 * business. This is the seam where each gateway's card form will plug in.
 */
export interface CardForm {
  kind: 'test';
  /** Whether the gateway could take this value as a card. */
  accepts(value: string): boolean;
}

export async function cardFormFor(ctx: RequestContext): Promise<CardForm | null> {
  if (ctx.workspace.mode !== 'sandbox') return null;
  if ((await accountForNewCards(ctx, undefined)) !== null) return null;
  return { kind: 'test', accepts: isTestToken };
}

/**
 * Saves the card and makes it the default where the link says, in the caller's transaction.
 * The invoice's subscription (or, for a card-expiring link, each live subscription that used
 * the expiring card) had its own default: it changes first, so its retry is made with the new
 * card and not the subscription's old one; then the customer's default.
 */
export async function submitCard(ctx: RequestContext, target: CardUpdateTarget, value: string): Promise<Outcome> {
  const { invoice } = target;
  if (invoice && invoice.status !== 'open') return invoice.status === 'paid' ? { kind: 'already_paid' } : { kind: 'no_longer_due' };
  const form = await cardFormFor(ctx);
  if (!form) return { kind: 'unavailable' };
  const card = value.trim();
  // Only what the form can take reaches attach: never the id of a payment method Recur keeps.
  if (!form.accepts(card)) return { kind: 'unknown_card' };

  let paymentMethodId: string;
  try {
    paymentMethodId = (await attachPaymentMethod(ctx, card, { customer: target.customer.id })).id;
  } catch (error) {
    if (error instanceof ApiError && error.status === 402) return { kind: 'refused', message: error.message };
    if (error instanceof ApiError && error.status < 500) return { kind: 'unknown_card' };
    throw error;
  }
  for (const subscriptionId of await subscriptionsToSwitch(ctx, target)) {
    await updateSubscription(ctx, subscriptionId, { default_payment_method: paymentMethodId });
  }
  await updateCustomer(ctx, target.customer.id, { invoice_settings: { default_payment_method: paymentMethodId } });
  if (!invoice) return { kind: 'saved' };

  // The retry's writes wait in the unit of work for the commit: they must be in before the invoice is read back.
  await flushPendingWrites(ctx.db, ctx.pending);
  const after = await ctx.db
    .selectFrom('invoices')
    .select(['status', 'attempt_count', 'last_payment_error'])
    .where('workspace_id', '=', ctx.workspace.id)
    .where('id', '=', invoice.id)
    .executeTakeFirstOrThrow();
  if (after.status === 'paid') return { kind: 'paid' };
  // Retried with the new card and declined: one more attempt on the schedule (decisions.md §22).
  if (after.attempt_count > invoice.attemptCount && after.last_payment_error) return { kind: 'payment_failed', message: after.last_payment_error.message };
  return { kind: 'saved' };
}

/** Subscriptions with a default of their own that the new card replaces. */
async function subscriptionsToSwitch(ctx: RequestContext, target: CardUpdateTarget): Promise<string[]> {
  const bySubscription = target.invoice?.subscriptionId ?? null;
  const byCard = target.link.replacesPaymentMethodId;
  if (bySubscription === null && byCard === null) return [];
  const rows = await ctx.db
    .selectFrom('subscriptions')
    .select('id')
    .where('workspace_id', '=', ctx.workspace.id)
    .where('customer_id', '=', target.customer.id)
    .where('default_payment_method_id', 'is not', null)
    .where('status', 'not in', ['canceled', 'incomplete_expired'])
    .where((eb) => {
      const which = [];
      if (bySubscription !== null) which.push(eb('id', '=', bySubscription));
      if (byCard !== null) which.push(eb('default_payment_method_id', '=', byCard));
      return eb.or(which);
    })
    .orderBy('id')
    .execute();
  return rows.map((row) => row.id);
}
