import { randomBytes } from 'node:crypto';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StripeFake, stripeTestCredentials } from '../../../../../test/fakes/stripe.ts';
import { displayAmount, type JsonObject } from '../../../../../test/fakes/stripe-support.ts';
import { toDecimalString } from '../../../../lib/money.ts';
import { GatewayWebhookError, type Gateway, type GatewayCustomer } from '../gateway.ts';
import { stripeCredentials } from './credentials.ts';
import { stripeGateway } from './index.ts';

const credentials = stripeTestCredentials();
let fake: StripeFake;
let gateway: Gateway;

beforeAll(async () => {
  fake = await StripeFake.start({ secretKey: credentials.secret_key, webhookSecret: credentials.webhook_secret });
  gateway = stripeGateway.create({ credentials, environment: 'sandbox', apiBase: fake.url });
});
afterAll(async () => fake.close());

const key = (): string => `in_${randomBytes(12).toString('hex')}_attempt_1`;
const customer: GatewayCustomer = { id: 'cus_0Recur0000000000000000', email: 'ada@example.com', name: 'Ada Lovelace' };
const save = async (alias: string) => (await gateway.savePaymentMethod(fake.createPaymentMethod(alias), customer)).gatewayRef;
const intentsFor = (idempotencyKey: string) => fake.requests.filter((r) => r.path === '/v1/payment_intents' && r.idempotencyKey?.endsWith(idempotencyKey));

describe('Stripe gateway: saving cards', () => {
  it('attaches a Stripe.js PaymentMethod to a new Stripe Customer carrying the Recur customer id', async () => {
    const token = fake.createPaymentMethod('pm_card_visa');
    const saved = await gateway.savePaymentMethod(token, customer);
    const [stripeCustomer, pm] = saved.gatewayRef.split('/');
    expect(pm).toBe(token);
    expect(saved.card).toEqual({ brand: 'visa', last4: '4242', exp_month: 12, exp_year: new Date().getUTCFullYear() + 3, funding: 'credit', country: 'US' });
    expect(fake.ledger.customers.get(stripeCustomer as string)).toMatchObject({ email: 'ada@example.com', name: 'Ada Lovelace', metadata: { recur_customer_id: customer.id } });
    expect(fake.ledger.paymentMethods.get(token)?.customer).toBe(stripeCustomer);
  });

  it('accepts Stripe test aliases, which attach as a new PaymentMethod', async () => {
    const saved = await gateway.savePaymentMethod('pm_card_mastercard', { id: 'cus_0Recur0000000000000001', email: null, name: null });
    expect(saved.gatewayRef).toMatch(/^cus_\w+\/pm_\w+$/);
    expect(saved.gatewayRef).not.toContain('pm_card_mastercard');
    expect(saved.card).toMatchObject({ brand: 'mastercard', last4: '4444' });
  });

  it('refuses a declined card with a 402 card_error carrying Stripe decline codes, and removes the empty customer', async () => {
    const customersBefore = fake.ledger.customers.size;
    await expect(gateway.savePaymentMethod('pm_card_chargeDeclined', customer)).rejects.toMatchObject({ status: 402, type: 'card_error', code: 'card_declined', declineCode: 'generic_decline' });
    await expect(gateway.savePaymentMethod('pm_card_chargeDeclinedExpiredCard', customer)).rejects.toMatchObject({ status: 402, code: 'expired_card', declineCode: 'expired_card' });
    const made = [...fake.ledger.customers.values()].slice(customersBefore);
    expect(made).toHaveLength(2);
    expect(made.every((c) => c.deleted)).toBe(true);
  });

  it('refuses an unknown or malformed payment method id with a 400', async () => {
    await expect(gateway.savePaymentMethod('pm_doesNotExist', customer)).rejects.toMatchObject({ status: 400, code: 'resource_missing', param: 'payment_method' });
    await expect(gateway.savePaymentMethod('4242424242424242', customer)).rejects.toMatchObject({ status: 400, param: 'payment_method' });
  });
});

describe('Stripe gateway: charges', () => {
  it('charges a saved card off-session; the paymentRef is the PaymentIntent and cents stay cents', async () => {
    const ref = await save('pm_card_visa');
    const result = await gateway.charge({ gatewayRef: ref, amount: 1999n, currency: 'usd', idempotencyKey: key(), description: 'Invoice INV-0001', metadata: { recur_invoice: 'in_123' } });
    expect(result).toMatchObject({ status: 'succeeded', paymentRef: expect.stringMatching(/^pi_/) });
    const intent = fake.ledger.paymentIntents.get(result.status === 'succeeded' ? result.paymentRef : '');
    expect(intent).toMatchObject({ amount: 1999, currency: 'usd', status: 'succeeded', description: 'Invoice INV-0001', metadata: { recur_invoice: 'in_123' } });
    expect(intent?.customer).toBe(ref.split('/')[0]);
    expect(displayAmount(intent?.amount ?? 0, 'usd')).toBe(`${toDecimalString(1999n, 'usd')} usd`);
  });

  it('charges zero-decimal JPY in whole yen and ISK in Stripe hundredths', async () => {
    const ref = await save('pm_card_visa');
    const yen = await gateway.charge({ gatewayRef: ref, amount: 5000n, currency: 'jpy', idempotencyKey: key() });
    if (yen.status !== 'succeeded') throw new Error('JPY charge failed');
    expect(fake.ledger.paymentIntents.get(yen.paymentRef)).toMatchObject({ amount: 5000, currency: 'jpy' });
    expect(displayAmount(5000, 'jpy')).toBe('5000 jpy');
    expect(await gateway.retrievePayment(yen.paymentRef)).toMatchObject({ amount: 5000n, currency: 'jpy', status: 'succeeded' });

    const krona = await gateway.charge({ gatewayRef: ref, amount: 500n, currency: 'isk', idempotencyKey: key() });
    if (krona.status !== 'succeeded') throw new Error('ISK charge failed');
    expect(fake.ledger.paymentIntents.get(krona.paymentRef)).toMatchObject({ amount: 50000, currency: 'isk' });
    expect((await gateway.retrievePayment(krona.paymentRef)).amount).toBe(500n);
  });

  it('returns declines as failed with Stripe codes and the failed PaymentIntent', async () => {
    const poor = await save('pm_card_chargeDeclinedInsufficientFunds');
    const result = await gateway.charge({ gatewayRef: poor, amount: 2500n, currency: 'usd', idempotencyKey: key() });
    expect(result).toMatchObject({ status: 'failed', code: 'card_declined', declineCode: 'insufficient_funds', message: 'Your card has insufficient funds.', paymentRef: expect.stringMatching(/^pi_/) });
    const paymentRef = result.status === 'failed' ? result.paymentRef : null;
    expect(fake.ledger.paymentIntents.get(paymentRef ?? '')?.status).toBe('requires_payment_method');
    expect(await gateway.retrievePayment(paymentRef ?? '')).toMatchObject({ status: 'failed', amountRefunded: 0n });

    const failing = await save('pm_card_chargeCustomerFail');
    expect(await gateway.charge({ gatewayRef: failing, amount: 2500n, currency: 'usd', idempotencyKey: key() })).toMatchObject({ status: 'failed', code: 'card_declined', declineCode: 'generic_decline' });
    const stolen = await save('pm_card_chargeDeclinedStolenCard');
    expect(await gateway.charge({ gatewayRef: stolen, amount: 2500n, currency: 'usd', idempotencyKey: key() })).toMatchObject({ status: 'failed', declineCode: 'stolen_card' });
  });

  it('charges once for one idempotency key, and replays a decline the same way', async () => {
    const ref = await save('pm_card_visa');
    const idempotencyKey = key();
    const before = fake.ledger.charges.size;
    const first = await gateway.charge({ gatewayRef: ref, amount: 4200n, currency: 'eur', idempotencyKey });
    const second = await gateway.charge({ gatewayRef: ref, amount: 4200n, currency: 'eur', idempotencyKey });
    expect(second).toEqual(first);
    expect(fake.ledger.charges.size).toBe(before + 1);
    expect(intentsFor(idempotencyKey).map((r) => r.replayed)).toEqual([false, true]);

    const poor = await save('pm_card_chargeDeclinedInsufficientFunds');
    const declineKey = key();
    const declined = await gateway.charge({ gatewayRef: poor, amount: 4200n, currency: 'eur', idempotencyKey: declineKey });
    expect(await gateway.charge({ gatewayRef: poor, amount: 4200n, currency: 'eur', idempotencyKey: declineKey })).toEqual(declined);
    expect(fake.ledger.charges.size).toBe(before + 2);
  });

  it('refuses the same key with a different amount instead of charging again', async () => {
    const ref = await save('pm_card_visa');
    const idempotencyKey = key();
    await gateway.charge({ gatewayRef: ref, amount: 1000n, currency: 'usd', idempotencyKey });
    const before = fake.ledger.charges.size;
    await expect(gateway.charge({ gatewayRef: ref, amount: 1100n, currency: 'usd', idempotencyKey })).rejects.toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(fake.ledger.charges.size).toBe(before);
  });

  it('charges once when the response is lost and the SDK retries with the same key', async () => {
    const ref = await save('pm_card_visa');
    const idempotencyKey = key();
    const before = fake.ledger.charges.size;
    fake.dropNextResponses(1);
    const result = await gateway.charge({ gatewayRef: ref, amount: 777n, currency: 'usd', idempotencyKey });
    expect(result.status).toBe('succeeded');
    expect(fake.ledger.charges.size).toBe(before + 1);
    expect(intentsFor(idempotencyKey).map((r) => r.replayed)).toEqual([false, true]);
  });

  it('throws on a 5xx (not a decline) and charges once when retried later with the key', async () => {
    const ref = await save('pm_card_visa');
    const idempotencyKey = key();
    const before = fake.ledger.charges.size;
    fake.failNext(2); // the call and the SDK's one retry
    await expect(gateway.charge({ gatewayRef: ref, amount: 900n, currency: 'usd', idempotencyKey })).rejects.toBeInstanceOf(Stripe.errors.StripeAPIError);
    expect(fake.ledger.charges.size).toBe(before);
    expect(await gateway.charge({ gatewayRef: ref, amount: 900n, currency: 'usd', idempotencyKey })).toMatchObject({ status: 'succeeded' });
    expect(fake.ledger.charges.size).toBe(before + 1);
  });

  it('throws when Stripe is unreachable', async () => {
    const closed = await StripeFake.start({ secretKey: credentials.secret_key, webhookSecret: credentials.webhook_secret });
    const url = closed.url;
    await closed.close();
    const offline = stripeGateway.create({ credentials, environment: 'sandbox', apiBase: url });
    await expect(offline.charge({ gatewayRef: 'cus_a/pm_b', amount: 100n, currency: 'usd', idempotencyKey: key() })).rejects.toBeInstanceOf(Stripe.errors.StripeConnectionError);
  });

  it('throws on a wrong secret key, with Stripe\'s 401', async () => {
    const wrong = stripeGateway.create({ credentials: { ...credentials, secret_key: 'sk_test_wrongwrongwrongwrong1234' }, environment: 'sandbox', apiBase: fake.url });
    const error = await wrong.savePaymentMethod('pm_card_visa', customer).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expect(error).toMatchObject({ statusCode: 401, message: expect.stringMatching(/^Invalid API Key provided: sk_test_\*+1234$/) });
  });
});

describe('Stripe gateway: refunds and payment status', () => {
  it('refunds in part, then the rest; refuses more than is left; one key refunds once', async () => {
    const ref = await save('pm_card_visa');
    const charged = await gateway.charge({ gatewayRef: ref, amount: 10_000n, currency: 'usd', idempotencyKey: key() });
    if (charged.status !== 'succeeded') throw new Error('charge failed');
    const paymentRef = charged.paymentRef;

    const refundKey = key();
    const partial = await gateway.refund({ paymentRef, amount: 2500n, currency: 'usd', idempotencyKey: refundKey, reason: 'requested_by_customer' });
    expect(partial).toMatchObject({ status: 'succeeded', refundRef: expect.stringMatching(/^re_/) });
    expect(await gateway.refund({ paymentRef, amount: 2500n, currency: 'usd', idempotencyKey: refundKey, reason: 'requested_by_customer' })).toEqual(partial);
    expect([...fake.ledger.refunds.values()].filter((r) => r.payment_intent === paymentRef)).toHaveLength(1);
    expect(await gateway.retrievePayment(paymentRef)).toEqual({ paymentRef, status: 'succeeded', amount: 10_000n, amountRefunded: 2500n, currency: 'usd' });

    expect(await gateway.refund({ paymentRef, amount: 7501n, currency: 'usd', idempotencyKey: key() })).toMatchObject({ status: 'failed', refundRef: null, code: 'amount_too_large' });
    expect(await gateway.refund({ paymentRef, amount: 7500n, currency: 'usd', idempotencyKey: key() })).toMatchObject({ status: 'succeeded' });
    expect((await gateway.retrievePayment(paymentRef)).amountRefunded).toBe(10_000n);
    expect(await gateway.refund({ paymentRef, amount: 1n, currency: 'usd', idempotencyKey: key() })).toMatchObject({ status: 'failed', code: 'charge_already_refunded' });
  });

  it('throws when the payment does not exist', async () => {
    await expect(gateway.retrievePayment('pi_doesNotExist')).rejects.toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
  });
});

describe('Stripe gateway: webhooks', () => {
  const lastEvent = (type: string): JsonObject => {
    const events = fake.eventsOfType(type);
    const event = events[events.length - 1];
    if (!event) throw new Error(`no ${type} event`);
    return event;
  };

  it('reads signed payment, refund and dispute events', async () => {
    const ref = await save('pm_card_visa');
    const charged = await gateway.charge({ gatewayRef: ref, amount: 3000n, currency: 'jpy', idempotencyKey: key() });
    if (charged.status !== 'succeeded') throw new Error('charge failed');
    const succeeded = lastEvent('payment_intent.succeeded');
    expect(await gateway.parseWebhook(fake.signedWebhook(succeeded))).toEqual({
      id: succeeded.id,
      type: 'payment.succeeded',
      gatewayType: 'payment_intent.succeeded',
      paymentRef: charged.paymentRef,
      refundRef: null,
      amount: 3000n,
      currency: 'jpy',
    });

    const refunded = await gateway.refund({ paymentRef: charged.paymentRef, amount: 1000n, currency: 'jpy', idempotencyKey: key() });
    expect(await gateway.parseWebhook(fake.signedWebhook(lastEvent('charge.refunded')))).toMatchObject({ type: 'payment.refunded', paymentRef: charged.paymentRef, amount: 1000n });
    const refundRef = refunded.status === 'succeeded' ? refunded.refundRef : '';
    expect(await gateway.parseWebhook(fake.signedWebhook(fake.failRefund(refundRef)))).toMatchObject({ type: 'refund.failed', gatewayType: 'refund.updated', refundRef, paymentRef: charged.paymentRef, amount: 1000n });
    expect(await gateway.parseWebhook(fake.signedWebhook(fake.createDispute(charged.paymentRef)))).toMatchObject({ type: 'dispute.created', paymentRef: charged.paymentRef, amount: 3000n, currency: 'jpy' });

    await gateway.charge({ gatewayRef: await save('pm_card_chargeCustomerFail'), amount: 3000n, currency: 'usd', idempotencyKey: key() });
    expect(await gateway.parseWebhook(fake.signedWebhook(lastEvent('payment_intent.payment_failed')))).toMatchObject({ type: 'payment.failed', amount: 3000n, currency: 'usd' });
    expect(await gateway.parseWebhook(fake.signedWebhook(lastEvent('payment_intent.created')))).toMatchObject({ type: 'other', gatewayType: 'payment_intent.created' });
  });

  it('rejects a forged signature, a tampered body, a stale timestamp and a missing header', async () => {
    const event = lastEvent('payment_intent.succeeded');
    const forged = fake.signedWebhook(event, { secret: 'whsec_notTheEndpointSecret' });
    await expect(gateway.parseWebhook(forged)).rejects.toBeInstanceOf(GatewayWebhookError);
    const genuine = fake.signedWebhook(event);
    await expect(gateway.parseWebhook({ ...genuine, rawBody: genuine.rawBody.replace('"amount": 3000', '"amount": 3') })).rejects.toBeInstanceOf(GatewayWebhookError);
    await expect(gateway.parseWebhook(fake.signedWebhook(event, { timestamp: Math.floor(Date.now() / 1000) - 3600 }))).rejects.toBeInstanceOf(GatewayWebhookError);
    await expect(gateway.parseWebhook({ rawBody: genuine.rawBody, headers: {} })).rejects.toBeInstanceOf(GatewayWebhookError);
    // The SDK's own test header agrees with the fake's signing.
    const header = Stripe.webhooks.generateTestHeaderString({ payload: genuine.rawBody, secret: credentials.webhook_secret });
    expect(await gateway.parseWebhook({ rawBody: genuine.rawBody, headers: { 'stripe-signature': header } })).toMatchObject({ id: event.id });
  });
});

describe('Stripe credentials', () => {
  it('requires a secret key and a webhook secret, and nothing else', () => {
    expect(stripeCredentials.safeParse(credentials).success).toBe(true);
    expect(stripeCredentials.safeParse({ ...credentials, secret_key: 'rk_live_abc123' }).success).toBe(true);
    expect(stripeCredentials.safeParse({ webhook_secret: credentials.webhook_secret }).success).toBe(false);
    expect(stripeCredentials.safeParse({ secret_key: credentials.secret_key }).success).toBe(false);
    expect(stripeCredentials.safeParse({ ...credentials, secret_key: 'pk_test_abc' }).success).toBe(false);
    expect(stripeCredentials.safeParse({ ...credentials, webhook_secret: 'secret' }).success).toBe(false);
    expect(stripeCredentials.safeParse({ ...credentials, account: 'acct_1' }).success).toBe(false);
  });

  it('keeps live keys out of sandboxes and test keys out of production', () => {
    expect(() => stripeGateway.create({ credentials: { ...credentials, secret_key: 'sk_live_abc123' }, environment: 'sandbox' })).toThrow(/live key/);
    expect(() => stripeGateway.create({ credentials, environment: 'production' })).toThrow(/test key/);
  });
});
