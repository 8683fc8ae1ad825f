import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RazorpayFake, razorpayTestCredentials } from '../../../../../test/fakes/razorpay.ts';
import { toDecimalString } from '../../../../lib/money.ts';
import { GatewayWebhookError, type Gateway, type GatewayCustomer } from '../gateway.ts';
import { RazorpayApiError } from './client.ts';
import { razorpayCredentials } from './credentials.ts';
import { razorpayGateway } from './index.ts';
import { receiptFor } from './mapping.ts';
import { RazorpayIdempotencyError, RazorpayPaymentPendingError } from './razorpay-gateway.ts';
import type { TokenOptions } from '../../../../../test/fakes/razorpay.ts';

const credentials = razorpayTestCredentials();
let fake: RazorpayFake;
let gateway: Gateway;

beforeAll(async () => {
  fake = await RazorpayFake.start({ keyId: credentials.key_id, keySecret: credentials.key_secret, webhookSecret: credentials.webhook_secret });
  gateway = razorpayGateway.create({ credentials, environment: 'sandbox', apiBase: fake.url });
});
afterAll(async () => fake.close());

const key = (): string => `in_${randomBytes(12).toString('hex')}_attempt_1`;
const recurCustomer: GatewayCustomer = { id: 'cus_0Recur0000000000000000', email: 'gaurav.kumar@example.com', name: 'Gaurav Kumar' };
/** What Checkout leaves: a token on the customer it was opened for, given to Recur as cust_…/token_…. */
const checkoutToken = (options: TokenOptions = {}): string => {
  const customer = fake.createCustomer();
  return `${customer}/${fake.createToken(customer, options)}`;
};
const save = async (options: TokenOptions = {}) => (await gateway.savePaymentMethod(checkoutToken(options), recurCustomer)).gatewayRef;
const ordersFor = (idempotencyKey: string) => [...fake.ledger.orders.values()].filter((o) => o.receipt === receiptFor(idempotencyKey));
const paymentsFor = (idempotencyKey: string) => {
  const orders = new Set(ordersFor(idempotencyKey).map((o) => o.id));
  return [...fake.ledger.payments.values()].filter((p) => orders.has(p.order_id));
};

describe('Razorpay gateway: saving cards', () => {
  it('verifies the Checkout token and reads its card', async () => {
    const token = checkoutToken({ card: '5267318187975449' });
    const saved = await gateway.savePaymentMethod(token, recurCustomer);
    expect(saved.gatewayRef).toBe(token);
    expect(saved.card).toEqual({ brand: 'mastercard', last4: '5449', exp_month: 12, exp_year: new Date().getUTCFullYear() + 4, funding: 'credit', country: null });
  });

  it('refuses a token whose recurring mandate is not confirmed with a 402 card_error', async () => {
    await expect(gateway.savePaymentMethod(checkoutToken({ status: 'rejected', failureReason: 'card_expired' }), recurCustomer)).rejects.toMatchObject({
      status: 402,
      type: 'card_error',
      code: 'expired_card',
      declineCode: 'expired_card',
    });
    await expect(gateway.savePaymentMethod(checkoutToken({ status: 'initiated' }), recurCustomer)).rejects.toMatchObject({ status: 402, code: 'card_declined', declineCode: 'generic_decline' });
  });

  it('refuses malformed and unknown tokens with a 400', async () => {
    await expect(gateway.savePaymentMethod('token_abc', recurCustomer)).rejects.toMatchObject({ status: 400, param: 'payment_method' });
    const customer = fake.createCustomer();
    await expect(gateway.savePaymentMethod(`${customer}/token_doesNotExist1`, recurCustomer)).rejects.toMatchObject({ status: 400, code: 'resource_missing' });
    const other = fake.createToken(fake.createCustomer());
    await expect(gateway.savePaymentMethod(`${customer}/${other}`, recurCustomer)).rejects.toMatchObject({ status: 400, code: 'resource_missing' });
  });
});

describe('Razorpay gateway: charges', () => {
  it('charges INR in paise through an order and a recurring payment', async () => {
    const ref = await save();
    const idempotencyKey = key();
    const result = await gateway.charge({ gatewayRef: ref, amount: 49_900n, currency: 'inr', idempotencyKey, description: 'Invoice INV-0001', metadata: { recur_invoice: 'in_1' } });
    expect(result).toMatchObject({ status: 'succeeded', paymentRef: expect.stringMatching(/^pay_/) });
    const [order] = ordersFor(idempotencyKey);
    expect(order).toMatchObject({ amount: 49_900, currency: 'INR', status: 'paid', notes: { recur_invoice: 'in_1' } });
    expect(order?.receipt).toHaveLength(40);
    const [payment] = paymentsFor(idempotencyKey);
    expect(payment).toMatchObject({ status: 'captured', amount: 49_900, customer_id: ref.split('/')[0], token_id: ref.split('/')[1], email: 'gaurav.kumar@example.com', description: 'Invoice INV-0001' });
    expect(toDecimalString(BigInt(payment?.amount ?? 0), 'inr')).toBe('499.00');
  });

  it('charges zero-decimal JPY in yen', async () => {
    const ref = await save({ card: '4012888888881881' });
    const idempotencyKey = key();
    const result = await gateway.charge({ gatewayRef: ref, amount: 5000n, currency: 'jpy', idempotencyKey });
    expect(result.status).toBe('succeeded');
    expect(ordersFor(idempotencyKey)[0]).toMatchObject({ amount: 5000, currency: 'JPY' });
    expect(await gateway.retrievePayment(result.status === 'succeeded' ? result.paymentRef : '')).toMatchObject({ amount: 5000n, currency: 'jpy', status: 'succeeded' });
  });

  it('returns a declined debit as failed with Stripe codes and the failed payment', async () => {
    const ref = await save({ declines: 'insufficient_funds' });
    const idempotencyKey = key();
    const result = await gateway.charge({ gatewayRef: ref, amount: 10_000n, currency: 'inr', idempotencyKey });
    expect(result).toMatchObject({ status: 'failed', code: 'card_declined', declineCode: 'insufficient_funds', paymentRef: paymentsFor(idempotencyKey)[0]?.id });
    expect(await gateway.retrievePayment(result.status === 'failed' ? (result.paymentRef ?? '') : '')).toMatchObject({ status: 'failed' });
    const risky = await save({ declines: 'payment_risk_check_failed' });
    expect(await gateway.charge({ gatewayRef: risky, amount: 10_000n, currency: 'inr', idempotencyKey: key() })).toMatchObject({ status: 'failed', declineCode: 'fraudulent' });
  });

  it('charges once for one idempotency key (success and decline alike)', async () => {
    const ref = await save();
    const idempotencyKey = key();
    const first = await gateway.charge({ gatewayRef: ref, amount: 20_000n, currency: 'inr', idempotencyKey });
    expect(await gateway.charge({ gatewayRef: ref, amount: 20_000n, currency: 'inr', idempotencyKey })).toEqual(first);
    expect(ordersFor(idempotencyKey)).toHaveLength(1);
    expect(paymentsFor(idempotencyKey)).toHaveLength(1);

    const poor = await save({ declines: 'insufficient_funds' });
    const declineKey = key();
    const declined = await gateway.charge({ gatewayRef: poor, amount: 20_000n, currency: 'inr', idempotencyKey: declineKey });
    expect(await gateway.charge({ gatewayRef: poor, amount: 20_000n, currency: 'inr', idempotencyKey: declineKey })).toEqual(declined);
    expect(paymentsFor(declineKey)).toHaveLength(1);
  });

  it('refuses a key reused for another amount', async () => {
    const ref = await save();
    const idempotencyKey = key();
    await gateway.charge({ gatewayRef: ref, amount: 20_000n, currency: 'inr', idempotencyKey });
    await expect(gateway.charge({ gatewayRef: ref, amount: 25_000n, currency: 'inr', idempotencyKey })).rejects.toBeInstanceOf(RazorpayIdempotencyError);
    expect(paymentsFor(idempotencyKey)).toHaveLength(1);
  });

  it('throws when the payment response is lost; the retry finds the payment instead of paying again', async () => {
    const ref = await save();
    const idempotencyKey = key();
    fake.dropNextResponses(1, '/v1/payments/create/recurring');
    await expect(gateway.charge({ gatewayRef: ref, amount: 30_000n, currency: 'inr', idempotencyKey })).rejects.toBeInstanceOf(RazorpayApiError);
    expect(paymentsFor(idempotencyKey)).toHaveLength(1);
    expect(await gateway.charge({ gatewayRef: ref, amount: 30_000n, currency: 'inr', idempotencyKey })).toMatchObject({ status: 'succeeded', paymentRef: paymentsFor(idempotencyKey)[0]?.id });
    expect(paymentsFor(idempotencyKey)).toHaveLength(1);
  });

  it('throws on a 5xx (not a decline); the retry reuses the order it left', async () => {
    const ref = await save();
    const idempotencyKey = key();
    fake.failNext(1, 502, '/v1/payments/create/recurring');
    await expect(gateway.charge({ gatewayRef: ref, amount: 30_000n, currency: 'inr', idempotencyKey })).rejects.toMatchObject({ statusCode: 502 });
    expect(ordersFor(idempotencyKey)).toHaveLength(1);
    expect(paymentsFor(idempotencyKey)).toHaveLength(0);
    expect(await gateway.charge({ gatewayRef: ref, amount: 30_000n, currency: 'inr', idempotencyKey })).toMatchObject({ status: 'succeeded' });
    expect(ordersFor(idempotencyKey)).toHaveLength(1);
    expect(paymentsFor(idempotencyKey)).toHaveLength(1);
  });

  it('throws while a debit is still being processed, and reads its outcome on retry', async () => {
    const ref = await save({ async: true });
    const idempotencyKey = key();
    await expect(gateway.charge({ gatewayRef: ref, amount: 15_000n, currency: 'inr', idempotencyKey })).rejects.toBeInstanceOf(RazorpayPaymentPendingError);
    await expect(gateway.charge({ gatewayRef: ref, amount: 15_000n, currency: 'inr', idempotencyKey })).rejects.toBeInstanceOf(RazorpayPaymentPendingError);
    const [payment] = paymentsFor(idempotencyKey);
    fake.settle(payment?.id ?? '');
    expect(await gateway.charge({ gatewayRef: ref, amount: 15_000n, currency: 'inr', idempotencyKey })).toEqual({ status: 'succeeded', paymentRef: payment?.id });
    expect(paymentsFor(idempotencyKey)).toHaveLength(1);
  });

  it('throws when Razorpay is unreachable', async () => {
    const closed = await RazorpayFake.start({ keyId: credentials.key_id, keySecret: credentials.key_secret, webhookSecret: credentials.webhook_secret });
    const url = closed.url;
    await closed.close();
    const offline = razorpayGateway.create({ credentials, environment: 'sandbox', apiBase: url });
    await expect(offline.charge({ gatewayRef: 'cust_a/token_b', amount: 100n, currency: 'inr', idempotencyKey: key() })).rejects.toMatchObject({ name: 'RazorpayApiError', statusCode: null });
  });

  it('throws on wrong credentials with Razorpay\'s 401', async () => {
    const wrong = razorpayGateway.create({ credentials: { ...credentials, key_secret: 'notTheSecret123' }, environment: 'sandbox', apiBase: fake.url });
    const error = await wrong.charge({ gatewayRef: await save(), amount: 10_000n, currency: 'inr', idempotencyKey: key() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RazorpayApiError);
    expect(error).toMatchObject({ statusCode: 401, body: { code: 'BAD_REQUEST_ERROR', description: 'Authentication failed' } });
  });
});

describe('Razorpay gateway: refunds and payment status', () => {
  it('refunds in part and in full, once per key, and refuses more than is left', async () => {
    const charged = await gateway.charge({ gatewayRef: await save(), amount: 49_900n, currency: 'inr', idempotencyKey: key() });
    if (charged.status !== 'succeeded') throw new Error('charge failed');
    const paymentRef = charged.paymentRef;
    const refundKey = key();
    const partial = await gateway.refund({ paymentRef, amount: 10_000n, currency: 'inr', idempotencyKey: refundKey, reason: 'requested_by_customer' });
    expect(partial).toMatchObject({ status: 'succeeded', refundRef: expect.stringMatching(/^rfnd_/) });
    expect(await gateway.refund({ paymentRef, amount: 10_000n, currency: 'inr', idempotencyKey: refundKey, reason: 'requested_by_customer' })).toEqual(partial);
    expect([...fake.ledger.refunds.values()].filter((r) => r.payment_id === paymentRef)).toHaveLength(1);
    expect(fake.requests.find((r) => r.path.endsWith('/refund'))?.refundIdempotencyKey).toMatch(/^recur_refund_[A-Za-z0-9_-]+$/);
    expect(await gateway.retrievePayment(paymentRef)).toEqual({ paymentRef, status: 'succeeded', amount: 49_900n, amountRefunded: 10_000n, currency: 'inr' });

    expect(await gateway.refund({ paymentRef, amount: 40_000n, currency: 'inr', idempotencyKey: key() })).toMatchObject({ status: 'failed', refundRef: null, code: 'amount_too_large' });
    expect(await gateway.refund({ paymentRef, amount: 39_900n, currency: 'inr', idempotencyKey: key() })).toMatchObject({ status: 'succeeded' });
    expect(await gateway.retrievePayment(paymentRef)).toMatchObject({ status: 'succeeded', amountRefunded: 49_900n });
    expect(await gateway.refund({ paymentRef, amount: 100n, currency: 'inr', idempotencyKey: key() })).toMatchObject({ status: 'failed', code: 'charge_already_refunded' });
  });

  it('a refund whose response was lost is found by its key, not made twice', async () => {
    const charged = await gateway.charge({ gatewayRef: await save(), amount: 49_900n, currency: 'inr', idempotencyKey: key() });
    if (charged.status !== 'succeeded') throw new Error('charge failed');
    const refundKey = key();
    fake.dropNextResponses(1, `/v1/payments/${charged.paymentRef}/refund`);
    await expect(gateway.refund({ paymentRef: charged.paymentRef, amount: 5_000n, currency: 'inr', idempotencyKey: refundKey })).rejects.toBeInstanceOf(RazorpayApiError);
    expect(await gateway.refund({ paymentRef: charged.paymentRef, amount: 5_000n, currency: 'inr', idempotencyKey: refundKey })).toMatchObject({ status: 'succeeded' });
    expect([...fake.ledger.refunds.values()].filter((r) => r.payment_id === charged.paymentRef)).toHaveLength(1);
  });
});

describe('Razorpay gateway: webhooks', () => {
  const last = (type: string) => {
    const events = fake.eventsOf(type);
    const event = events[events.length - 1];
    if (!event) throw new Error(`no ${type} event`);
    return event;
  };

  it('reads signed payment, refund and dispute events', async () => {
    const charged = await gateway.charge({ gatewayRef: await save(), amount: 29_900n, currency: 'inr', idempotencyKey: key() });
    if (charged.status !== 'succeeded') throw new Error('charge failed');
    const captured = last('payment.captured');
    expect(await gateway.parseWebhook(fake.signedWebhook(captured))).toEqual({
      id: captured.id,
      type: 'payment.succeeded',
      gatewayType: 'payment.captured',
      paymentRef: charged.paymentRef,
      refundRef: null,
      amount: 29_900n,
      currency: 'inr',
    });
    const refunded = await gateway.refund({ paymentRef: charged.paymentRef, amount: 9_900n, currency: 'inr', idempotencyKey: key() });
    const refundRef = refunded.status === 'succeeded' ? refunded.refundRef : '';
    expect(await gateway.parseWebhook(fake.signedWebhook(last('refund.processed')))).toMatchObject({ type: 'refund.succeeded', refundRef, paymentRef: charged.paymentRef, amount: 9_900n });
    expect(await gateway.parseWebhook(fake.signedWebhook(fake.failRefund(refundRef)))).toMatchObject({ type: 'refund.failed', refundRef, amount: 9_900n });
    expect(await gateway.parseWebhook(fake.signedWebhook(fake.createDispute(charged.paymentRef)))).toMatchObject({ type: 'dispute.created', paymentRef: charged.paymentRef, amount: 29_900n, currency: 'inr' });

    await gateway.charge({ gatewayRef: await save({ declines: 'card_expired' }), amount: 29_900n, currency: 'inr', idempotencyKey: key() });
    expect(await gateway.parseWebhook(fake.signedWebhook(last('payment.failed')))).toMatchObject({ type: 'payment.failed', amount: 29_900n });
    expect(await gateway.parseWebhook(fake.signedWebhook(last('order.paid')))).toMatchObject({ type: 'other', gatewayType: 'order.paid' });
  });

  it('rejects a forged signature, a tampered body and a missing signature', async () => {
    const event = last('payment.captured');
    await expect(gateway.parseWebhook(fake.signedWebhook(event, { secret: 'not-the-webhook-secret' }))).rejects.toBeInstanceOf(GatewayWebhookError);
    const genuine = fake.signedWebhook(event);
    await expect(gateway.parseWebhook({ ...genuine, rawBody: genuine.rawBody.replace('"amount":29900', '"amount":299') })).rejects.toBeInstanceOf(GatewayWebhookError);
    await expect(gateway.parseWebhook({ rawBody: genuine.rawBody, headers: {} })).rejects.toBeInstanceOf(GatewayWebhookError);
    const { 'x-razorpay-event-id': _id, ...withoutId } = genuine.headers;
    expect((await gateway.parseWebhook({ rawBody: genuine.rawBody, headers: withoutId })).id).toMatch(/^sha256_/);
  });
});

describe('Razorpay credentials', () => {
  it('requires key id, key secret and webhook secret, and nothing else', () => {
    expect(razorpayCredentials.safeParse(credentials).success).toBe(true);
    for (const field of ['key_id', 'key_secret', 'webhook_secret'] as const) {
      const { [field]: _omitted, ...rest } = credentials;
      expect(razorpayCredentials.safeParse(rest).success).toBe(false);
    }
    expect(razorpayCredentials.safeParse({ ...credentials, key_id: 'sk_test_abc' }).success).toBe(false);
    expect(razorpayCredentials.safeParse({ ...credentials, merchant: 'x' }).success).toBe(false);
  });

  it('keeps live keys out of sandboxes and test keys out of production', () => {
    expect(() => razorpayGateway.create({ credentials: { ...credentials, key_id: 'rzp_live_abc123' }, environment: 'sandbox' })).toThrow(/live key/);
    expect(() => razorpayGateway.create({ credentials, environment: 'production' })).toThrow(/test key/);
  });
});
