/**
 * Gateway accounts (a Recur extension) end to end: connect a Stripe account (the adapter
 * on the official SDK, pointed at a local fake of Stripe's API), save a card there through
 * `stripe.paymentMethods.attach`, bill through it, and take its webhooks.
 */
import { sql } from 'kysely';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StripeFake, stripeTestCredentials } from '../fakes/stripe.ts';
import { startStripeSuite, stripeError, type StripeSuite } from '../helpers/stripe.ts';

let suite: StripeSuite;
let stripe: Stripe;
let fake: StripeFake;
const credentials = stripeTestCredentials();
beforeAll(async () => {
  ({ suite, stripe } = await startStripeSuite());
  fake = await StripeFake.start({ secretKey: credentials.secret_key, webhookSecret: credentials.webhook_secret });
});
afterAll(async () => {
  await fake.close();
  await suite.close();
});

interface GatewayAccount {
  id: string;
  object: 'gateway_account';
  gateway: string;
  default: boolean;
  environment: string;
  credentials_set: string[];
  webhook_path: string;
  api_base: string | null;
}

const raw = async <T>(method: 'GET' | 'POST' | 'DELETE', path: string, params?: Record<string, unknown>) =>
  (await stripe.rawRequest(method, path, params ?? {})) as unknown as T;

// Not the default: in a shared workspace (the external-server mode) other files' test cards
// must keep going to the test gateway.
const connect = (extra: Record<string, unknown> = {}) =>
  raw<GatewayAccount>('POST', '/v1/gateway_accounts', { gateway: 'stripe', credentials, api_base: fake.url, default: false, ...extra });

describe('gateway accounts', () => {
  it('checks credentials with the gateway\'s own rules and never returns them', async () => {
    const missing = await stripeError(raw('POST', '/v1/gateway_accounts', { gateway: 'stripe', credentials: { secret_key: credentials.secret_key } }));
    expect(missing).toMatchObject({ statusCode: 400, param: 'credentials[webhook_secret]' });
    const wrong = await stripeError(raw('POST', '/v1/gateway_accounts', { gateway: 'stripe', credentials: { ...credentials, secret_key: 'pk_test_123' } }));
    expect(wrong).toMatchObject({ statusCode: 400, param: 'credentials[secret_key]' });
    const extra = await stripeError(raw('POST', '/v1/gateway_accounts', { gateway: 'stripe', credentials: { ...credentials, password: 'x' } }));
    expect(extra).toMatchObject({ statusCode: 400, param: 'credentials[password]' });
    expect(await stripeError(raw('POST', '/v1/gateway_accounts', { gateway: 'square', credentials }))).toMatchObject({ statusCode: 400, param: 'gateway' });
    expect(await stripeError(connect({ environment: 'production' }))).toMatchObject({ statusCode: 400, param: 'environment' });

    const account = await connect({ display_name: `Stripe ${suite.runId}` });
    expect(account).toMatchObject({ object: 'gateway_account', gateway: 'stripe', environment: 'sandbox', default: false, credentials_set: ['secret_key', 'webhook_secret'] });
    expect(account.webhook_path).toBe(`/hooks/gateways/${account.id}`);
    expect(JSON.stringify(account)).not.toContain(credentials.secret_key);
    expect(JSON.stringify(await raw('GET', `/v1/gateway_accounts/${account.id}`))).not.toContain(credentials.secret_key);
    if (suite.server) {
      const row = await suite.server.database.db.selectFrom('gateway_accounts').select('credentials_sealed').where('id', '=', account.id).executeTakeFirstOrThrow();
      expect(row.credentials_sealed).not.toContain(credentials.secret_key);
      expect(row.credentials_sealed).not.toContain(credentials.secret_key.slice(8, 30));
    }
    const listed = await raw<{ data: GatewayAccount[] }>('GET', '/v1/gateway_accounts');
    expect(listed.data.map((a) => a.id)).toContain(account.id);
    expect(await raw('DELETE', `/v1/gateway_accounts/${account.id}`)).toEqual({ id: account.id, object: 'gateway_account', deleted: true });
    expect(await stripeError(raw('GET', `/v1/gateway_accounts/${account.id}`))).toMatchObject({ statusCode: 404 });
  });

  it('saves cards at the gateway and bills through it', async () => {
    const account = await connect();
    const customer = await stripe.customers.create({ email: `gw-${suite.runId}@example.com`, name: 'Ada Gateway' });
    // A Stripe.js PaymentMethod id, as a checkout page would send it.
    const token = fake.createPaymentMethod('pm_card_visa');
    const pm = await stripe.paymentMethods.attach(token, { customer: customer.id, gateway_account: account.id } as Stripe.PaymentMethodAttachParams);
    expect(pm.id).not.toBe(token);
    expect(pm.card).toMatchObject({ brand: 'visa', last4: '4242' });
    // The gateway keeps the customer and the card; Recur keeps only its reference.
    const stripeCustomer = [...fake.ledger.customers.values()].find((c) => (c as { metadata?: Record<string, string> }).metadata?.recur_customer_id === customer.id);
    expect(stripeCustomer).toBeDefined();

    await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: pm.id } });
    const price = await stripe.prices.create({ currency: 'jpy', unit_amount: 1200, recurring: { interval: 'month' }, product_data: { name: `Gateway ${suite.runId}` } });
    const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    expect(subscription.status).toBe('active');

    const [charge] = (await stripe.charges.list({ customer: customer.id })).data as (Stripe.Charge & { gateway: string; gateway_account: string; gateway_reference: string })[];
    expect(charge).toMatchObject({ status: 'succeeded', amount: 1200, currency: 'jpy', gateway: 'stripe', gateway_account: account.id });
    const intent = fake.ledger.paymentIntents.get(charge?.gateway_reference as string) as { amount: number; currency: string; status: string } | undefined;
    expect(intent).toMatchObject({ amount: 1200, currency: 'jpy', status: 'succeeded' });

    // A card the gateway declines at charge time: the decline comes back in Stripe's words.
    const failing = await stripe.paymentMethods.attach(fake.createPaymentMethod('pm_card_chargeCustomerFail'), { customer: customer.id, gateway_account: account.id } as Stripe.PaymentMethodAttachParams);
    await stripe.invoiceItems.create({ customer: customer.id, amount: 500, currency: 'jpy' });
    const invoice = await stripe.invoices.create({ customer: customer.id, pending_invoice_items_behavior: 'include' });
    const declined = await stripeError(stripe.invoices.pay(invoice.id as string, { payment_method: failing.id }));
    expect(declined).toMatchObject({ statusCode: 402, code: 'card_declined', decline_code: 'generic_decline' });
    // A card the gateway refuses to save is a 402 and nothing is kept.
    const refused = await stripeError(stripe.paymentMethods.attach('pm_card_chargeDeclined', { customer: customer.id, gateway_account: account.id } as Stripe.PaymentMethodAttachParams));
    expect(refused).toMatchObject({ statusCode: 402, type: 'StripeCardError' });
    expect((await stripe.paymentMethods.list({ customer: customer.id })).data).toHaveLength(2);
    // An account that is not the workspace's: a 404 naming the parameter, nothing saved.
    const unknown = await stripeError(stripe.paymentMethods.attach(fake.createPaymentMethod('pm_card_visa'), { customer: customer.id, gateway_account: 'gwa_nothing' } as Stripe.PaymentMethodAttachParams));
    expect(unknown).toMatchObject({ statusCode: 404, param: 'gateway_account' });
    expect((await stripe.paymentMethods.list({ customer: customer.id })).data).toHaveLength(2);
  });

  it('puts off the charges of a gateway it cannot reach, and charges them once it is back', async () => {
    const account = await connect();
    const start = Date.UTC(2031, 0, 15) / 1000;
    const clock = await stripe.testHelpers.testClocks.create({ frozen_time: start });
    const customer = await stripe.customers.create({ email: `gw-down-${suite.runId}@example.com`, test_clock: clock.id });
    const pm = await stripe.paymentMethods.attach(fake.createPaymentMethod('pm_card_visa'), { customer: customer.id, gateway_account: account.id } as Stripe.PaymentMethodAttachParams);
    await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: pm.id } });
    const price = await stripe.prices.create({ currency: 'usd', unit_amount: 3000, recurring: { interval: 'month' }, product_data: { name: `Down ${suite.runId}` } });
    const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    expect(subscription.status).toBe('active');

    // Stripe answers 503 to everything for a while: the renewal is made (and finalized an hour later), its charge put off.
    fake.failNext(50, 503);
    await stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: Date.UTC(2031, 1, 15, 1, 30) / 1000 });
    const [renewal] = (await stripe.invoices.list({ subscription: subscription.id, status: 'open' })).data;
    expect(renewal).toMatchObject({ billing_reason: 'subscription_cycle', attempt_count: 0, last_payment_error: { type: 'api_error', code: 'gateway_unavailable' } });
    expect((await stripe.subscriptions.retrieve(subscription.id)).status).toBe('active');
    const failures = await stripe.events.list({ type: 'invoice.payment_failed' });
    expect(failures.data.filter((e) => (e.data.object as Stripe.Invoice).id === renewal?.id)).toHaveLength(0);

    // Back an hour later: paid, once.
    fake.heal();
    await stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: Date.UTC(2031, 1, 15, 3) / 1000 });
    expect(await stripe.invoices.retrieve(renewal?.id as string)).toMatchObject({ status: 'paid', attempt_count: 1, last_payment_error: null });
    const charges = (await stripe.charges.list({ customer: customer.id })).data;
    expect(charges.map((c) => [c.amount, c.status])).toEqual([
      [3000, 'succeeded'],
      [3000, 'succeeded'],
    ]);
    expect([...fake.ledger.paymentIntents.values()].filter((i) => (i as { customer?: string }).customer && charges.some((c) => (c as unknown as { gateway_reference: string }).gateway_reference === (i as { id: string }).id))).toHaveLength(2);
  });

  it('takes the gateway\'s signed webhooks once and refuses forged ones', async () => {
    const account = await connect();
    const url = `${suite.baseUrl}${account.webhook_path}`;
    const event = { id: `evt_${suite.runId}`, object: 'event', type: 'charge.dispute.created', created: 1_800_000_000, data: { object: { id: 'dp_1', object: 'dispute', payment_intent: 'pi_123', amount: 100, currency: 'usd' } } };
    const signed = fake.signedWebhook(event);
    const post = (body: string, headers: Record<string, string>) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    expect((await post(signed.rawBody, signed.headers)).status).toBe(200);
    expect((await post(signed.rawBody, signed.headers)).status).toBe(200);
    expect((await post(signed.rawBody.replace('dp_1', 'dp_2'), signed.headers)).status).toBe(400);
    const forged = fake.signedWebhook(event, { secret: 'whsec_someoneelse' });
    expect((await post(forged.rawBody, forged.headers)).status).toBe(400);
    expect((await fetch(`${suite.baseUrl}/hooks/gateways/gwa_nothing`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })).status).toBe(404);
    if (suite.server) {
      const rows = await sql<{ type: string; n: number }>`SELECT type, count(*)::int AS n FROM gateway_events WHERE gateway_account_id = ${account.id} GROUP BY type`.execute(suite.server.database.db);
      expect(rows.rows).toEqual([{ type: 'dispute.created', n: 1 }]);
    }
  });

  it('refunds through the gateway, and settles a refund the gateway later reports failed', async () => {
    const account = await connect();
    const customer = await stripe.customers.create({ email: `gw-refund-${suite.runId}@example.com` });
    const pm = await stripe.paymentMethods.attach(fake.createPaymentMethod('pm_card_visa'), { customer: customer.id, gateway_account: account.id } as Stripe.PaymentMethodAttachParams);
    await stripe.invoiceItems.create({ customer: customer.id, amount: 4000, currency: 'usd' });
    const invoice = await stripe.invoices.create({ customer: customer.id, pending_invoice_items_behavior: 'include' });
    expect((await stripe.invoices.pay(invoice.id as string, { payment_method: pm.id })).status).toBe('paid');
    const [charge] = (await stripe.charges.list({ customer: customer.id })).data as (Stripe.Charge & { gateway_reference: string })[];

    const refund = await stripe.refunds.create({ charge: charge?.id as string, amount: 1500 });
    expect(refund).toMatchObject({ status: 'succeeded', amount: 1500 });
    const atStripe = [...fake.ledger.refunds.values()].filter((r) => (r as { payment_intent?: string }).payment_intent === charge?.gateway_reference);
    expect(atStripe).toHaveLength(1);
    expect((await stripe.charges.retrieve(charge?.id as string)).amount_refunded).toBe(1500);

    // Days later the card network sends it back: Stripe's refund.updated, signed.
    const gatewayRefund = atStripe[0] as { id: string };
    const event = fake.failRefund(gatewayRefund.id);
    const signed = fake.signedWebhook(event);
    const response = await fetch(`${suite.baseUrl}${account.webhook_path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...signed.headers }, body: signed.rawBody });
    expect(response.status).toBe(200);
    expect(await stripe.refunds.retrieve(refund.id)).toMatchObject({ status: 'failed' });
    expect((await stripe.charges.retrieve(charge?.id as string)).amount_refunded).toBe(0);
  });
});

