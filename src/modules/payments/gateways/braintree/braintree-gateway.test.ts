import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeBraintree } from '../../../../../test/fakes/braintree.ts';
import { ApiError } from '../../../../lib/errors.ts';
import { GatewayWebhookError, type Gateway, type GatewayCustomer } from '../gateway.ts';
import { braintreeCredentials } from './credentials.ts';
import { braintreeGateway } from './index.ts';
import { orderIdFor } from './mapping.ts';

/**
 * The adapter against the fake Braintree (test/fakes/braintree.ts) through the official SDK's
 * own HTTP code: every call below is a real request with the SDK's headers, JSON body,
 * gzip'd XML answer and error handling.
 */
let fake: FakeBraintree;

beforeAll(async () => {
  fake = await FakeBraintree.start();
});

afterAll(async () => {
  await fake.stop();
});

function credentials(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    merchant_id: fake.merchantId,
    public_key: fake.publicKey,
    private_key: fake.privateKey,
    merchant_account_ids: { usd: 'recur_usd', JPY: 'recur_jpy' },
    ...overrides,
  };
}

function adapter(overrides: Record<string, unknown> = {}): Gateway {
  return braintreeGateway.create({ credentials: braintreeCredentials.parse(credentials(overrides)), environment: 'sandbox', apiBase: fake.url });
}

const newCustomer = (): GatewayCustomer => ({ id: `cus_${randomUUID().replace(/-/g, '').slice(0, 20)}`, email: 'ada@example.com', name: 'Ada Lovelace' });
const newKey = (): string => `test:${randomUUID()}`;

async function savedCard(gateway: Gateway, nonce = 'fake-valid-visa-nonce'): Promise<string> {
  return (await gateway.savePaymentMethod(nonce, newCustomer())).gatewayRef;
}

async function charged(gateway: Gateway, amount: bigint, currency = 'usd'): Promise<string> {
  const result = await gateway.charge({ gatewayRef: await savedCard(gateway), amount, currency, idempotencyKey: newKey() });
  if (result.status !== 'succeeded') throw new Error(`charge failed: ${result.message}`);
  return result.paymentRef;
}

async function refusal(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe('Braintree credentials', () => {
  it('accepts the API keys with or without merchant accounts', () => {
    expect(braintreeCredentials.safeParse(credentials()).success).toBe(true);
    expect(braintreeCredentials.safeParse(credentials({ merchant_account_ids: undefined })).success).toBe(true);
  });

  it.each(['merchant_id', 'public_key', 'private_key'])('refuses credentials without %s', (field) => {
    const given = credentials();
    delete given[field];
    expect(braintreeCredentials.safeParse(given).success).toBe(false);
  });

  it('refuses unknown fields and merchant accounts keyed by something other than a currency', () => {
    expect(braintreeCredentials.safeParse(credentials({ api_key: 'x' })).success).toBe(false);
    expect(braintreeCredentials.safeParse(credentials({ merchant_account_ids: { dollars: 'recur_usd' } })).success).toBe(false);
    expect(braintreeCredentials.safeParse(credentials({ merchant_id: '' })).success).toBe(false);
  });
});

describe('Braintree savePaymentMethod', () => {
  it('creates the customer and a verified card, and reads its details', async () => {
    const customer = newCustomer();
    const saved = await adapter().savePaymentMethod('fake-valid-country-of-issuance-cad-nonce', customer);
    expect(fake.creditCards.get(saved.gatewayRef)?.customerId).toBe(customer.id);
    expect(fake.customers.get(customer.id)).toMatchObject({ email: 'ada@example.com', firstName: 'Ada Lovelace' });
    expect(saved.card).toEqual({ brand: 'visa', last4: '1111', exp_month: 12, exp_year: new Date().getUTCFullYear() + 3, funding: 'unknown', country: 'CA' });
  });

  it('saves a second card for a customer Braintree already has', async () => {
    const gateway = adapter();
    const customer = newCustomer();
    const first = await gateway.savePaymentMethod('fake-valid-visa-nonce', customer);
    const second = await gateway.savePaymentMethod('fake-valid-debit-nonce', customer);
    expect(second.gatewayRef).not.toBe(first.gatewayRef);
    expect(second.card).toMatchObject({ brand: 'visa', funding: 'debit' });
    expect(fake.creditCards.get(second.gatewayRef)?.customerId).toBe(customer.id);
  });

  it('refuses a card whose verification the processor declines with 402 card_error', async () => {
    const before = fake.creditCards.size;
    const error = await refusal(adapter().savePaymentMethod('fake-processor-declined-visa-nonce', newCustomer()));
    expect(error).toMatchObject({ status: 402, type: 'card_error', code: 'card_declined', declineCode: 'do_not_honor', message: 'Do Not Honor' });
    expect(fake.creditCards.size).toBe(before);
  });

  it('maps gateway rejections and invalid cards to card errors, unknown nonces to 400', async () => {
    expect(await refusal(adapter().savePaymentMethod('fake-gateway-rejected-fraud-nonce', newCustomer()))).toMatchObject({ status: 402, declineCode: 'fraudulent' });
    expect(await refusal(adapter().savePaymentMethod('fake-luhn-invalid-nonce', newCustomer()))).toMatchObject({ status: 402, code: 'incorrect_number' });
    expect(await refusal(adapter().savePaymentMethod('fake-processor-failure-jcb-nonce', newCustomer()))).toMatchObject({ status: 402, code: 'processing_error' });
    expect(await refusal(adapter().savePaymentMethod('not-a-nonce', newCustomer()))).toMatchObject({ status: 400, code: 'resource_missing', param: 'payment_method' });
  });
});

describe('Braintree charge', () => {
  it('charges a 2-decimal currency on its merchant account, submitted for settlement', async () => {
    const gateway = adapter();
    const key = newKey();
    const result = await gateway.charge({ gatewayRef: await savedCard(gateway), amount: 1234n, currency: 'usd', idempotencyKey: key });
    expect(result.status).toBe('succeeded');
    const sale = fake.transactions.get(result.status === 'succeeded' ? result.paymentRef : '');
    expect(sale).toMatchObject({ amount: '12.34', currency: 'USD', merchantAccountId: 'recur_usd', status: 'submitted_for_settlement', orderId: orderIdFor('charge', key) });
  });

  it('charges a 0-decimal currency (JPY) in whole yen', async () => {
    const paymentRef = await charged(adapter(), 1500n, 'jpy');
    expect(fake.transactions.get(paymentRef)).toMatchObject({ amount: '1500', currency: 'JPY', merchantAccountId: 'recur_jpy' });
  });

  it.each([
    [200100n, 'card_declined', 'insufficient_funds', 'Insufficient Funds'],
    [200400n, 'expired_card', 'expired_card', 'Expired Card'],
    [201000n, 'incorrect_cvc', 'incorrect_cvc', 'Card Issuer Declined CVV'],
    [204600n, 'card_declined', 'generic_decline', 'Declined'],
    [300000n, 'processing_error', 'try_again_later', 'Processor Network Unavailable - Try Again'],
    [500100n, 'processing_error', 'processing_error', 'Gateway Rejected: application_incomplete'],
  ])('returns the decline of a %s-cent sale as %s / %s', async (amount, code, declineCode, message) => {
    const gateway = adapter();
    const result = await gateway.charge({ gatewayRef: await savedCard(gateway), amount, currency: 'usd', idempotencyKey: newKey() });
    expect(result).toMatchObject({ status: 'failed', code, declineCode, message });
    const failed = result.status === 'failed' ? fake.transactions.get(result.paymentRef ?? '') : undefined;
    expect(failed?.amount).toBe((Number(amount) / 100).toFixed(2));
  });

  it('charges once for the same idempotency key', async () => {
    const gateway = adapter();
    const request = { gatewayRef: await savedCard(gateway), amount: 2500n, currency: 'usd', idempotencyKey: newKey() };
    const first = await gateway.charge(request);
    const second = await adapter().charge(request);
    expect(second).toEqual(first);
    expect(fake.sales().filter((t) => t.orderId === orderIdFor('charge', request.idempotencyKey))).toHaveLength(1);
  });

  it('returns the first decline again for the same key, without a second attempt', async () => {
    const gateway = adapter();
    const request = { gatewayRef: await savedCard(gateway), amount: 200100n, currency: 'usd', idempotencyKey: newKey() };
    const first = await gateway.charge(request);
    expect(await gateway.charge(request)).toEqual(first);
    expect(fake.sales().filter((t) => t.orderId === orderIdFor('charge', request.idempotencyKey))).toHaveLength(1);
  });

  it('throws when the answer is lost, and the retry with the same key finds the charge made', async () => {
    const gateway = adapter();
    const request = { gatewayRef: await savedCard(gateway), amount: 4200n, currency: 'usd', idempotencyKey: newKey() };
    fake.dropNextAnswer(/^POST transactions$/);
    await expect(gateway.charge(request)).rejects.toThrow();
    const made = fake.sales().filter((t) => t.orderId === orderIdFor('charge', request.idempotencyKey));
    expect(made).toHaveLength(1);
    expect(await gateway.charge(request)).toEqual({ status: 'succeeded', paymentRef: made[0]?.id });
    expect(fake.sales().filter((t) => t.orderId === orderIdFor('charge', request.idempotencyKey))).toHaveLength(1);
  });

  it.each([500, 503])('throws on a %s from Braintree instead of declining', async (status) => {
    const gateway = adapter();
    const request = { gatewayRef: await savedCard(gateway), amount: 1000n, currency: 'usd', idempotencyKey: newKey() };
    fake.failNext(/^POST transactions$/, status);
    await expect(gateway.charge(request)).rejects.toMatchObject({ type: status === 500 ? 'serverError' : 'serviceUnavailableError' });
    expect(fake.sales().filter((t) => t.orderId === orderIdFor('charge', request.idempotencyKey))).toHaveLength(0);
  });

  it('throws on wrong API keys (401), never a decline', async () => {
    const gatewayRef = await savedCard(adapter());
    const count = fake.sales().length;
    await expect(adapter({ private_key: 'wrong_private_key' }).charge({ gatewayRef, amount: 1000n, currency: 'usd', idempotencyKey: newKey() })).rejects.toThrow(
      /authentication error/,
    );
    expect(fake.sales()).toHaveLength(count);
  });

  it('refuses a currency with no merchant account (400 naming currency)', async () => {
    const gateway = adapter();
    const error = await refusal(gateway.charge({ gatewayRef: await savedCard(gateway), amount: 1000n, currency: 'gbp', idempotencyKey: newKey() }));
    expect(error).toMatchObject({ status: 400, param: 'currency' });
  });

  it('without configured merchant accounts, finds them at Braintree by currency', async () => {
    const gateway = adapter({ merchant_account_ids: undefined });
    const paymentRef = await charged(gateway, 999n, 'eur');
    expect(fake.transactions.get(paymentRef)).toMatchObject({ merchantAccountId: 'recur_eur', currency: 'EUR', amount: '9.99' });
    const error = await refusal(gateway.charge({ gatewayRef: await savedCard(gateway), amount: 1000n, currency: 'gbp', idempotencyKey: newKey() }));
    expect(error).toMatchObject({ status: 400, param: 'currency' });
  });

  it('declines hard for a payment method Braintree no longer has', async () => {
    const result = await adapter().charge({ gatewayRef: 'gone42', amount: 1000n, currency: 'usd', idempotencyKey: newKey() });
    expect(result).toMatchObject({ status: 'failed', code: 'card_declined', declineCode: 'invalid_account', paymentRef: null });
  });

  it('chargeMany answers in the order asked', async () => {
    const gateway = adapter();
    const gatewayRef = await savedCard(gateway);
    const results = await gateway.chargeMany([1000n, 200100n, 3000n].map((amount) => ({ gatewayRef, amount, currency: 'usd', idempotencyKey: newKey() })));
    expect(results.map((r) => r.status)).toEqual(['succeeded', 'failed', 'succeeded']);
  });
});

describe('Braintree refund', () => {
  it('refunds a settled payment in full', async () => {
    const gateway = adapter();
    const paymentRef = await charged(gateway, 1000n);
    fake.settle(paymentRef);
    const result = await gateway.refund({ paymentRef, amount: 1000n, currency: 'usd', idempotencyKey: newKey() });
    expect(result.status).toBe('succeeded');
    expect(fake.transactions.get(result.refundRef ?? '')).toMatchObject({ type: 'credit', amount: '10.00', refundedTransactionId: paymentRef });
    expect(await gateway.retrievePayment(paymentRef)).toMatchObject({ amount: 1000n, amountRefunded: 1000n });
  });

  it('refunds in parts, and refuses more than is left', async () => {
    const gateway = adapter();
    const paymentRef = await charged(gateway, 1000n);
    fake.settle(paymentRef);
    expect(await gateway.refund({ paymentRef, amount: 400n, currency: 'usd', idempotencyKey: newKey() })).toMatchObject({ status: 'succeeded' });
    expect(await gateway.refund({ paymentRef, amount: 601n, currency: 'usd', idempotencyKey: newKey() })).toMatchObject({ status: 'failed', code: 'amount_too_large' });
    expect(await gateway.refund({ paymentRef, amount: 600n, currency: 'usd', idempotencyKey: newKey() })).toMatchObject({ status: 'succeeded' });
    expect(await gateway.refund({ paymentRef, amount: 1n, currency: 'usd', idempotencyKey: newKey() })).toMatchObject({ status: 'failed', code: 'charge_already_refunded' });
    expect(await gateway.retrievePayment(paymentRef)).toMatchObject({ amountRefunded: 1000n });
    expect(fake.refunds().filter((t) => t.refundedTransactionId === paymentRef).map((t) => t.amount)).toEqual(['4.00', '6.00']);
  });

  it('refunds once for the same idempotency key, even when the first answer is lost', async () => {
    const gateway = adapter();
    const paymentRef = await charged(gateway, 1000n);
    fake.settle(paymentRef);
    const request = { paymentRef, amount: 300n, currency: 'usd', idempotencyKey: newKey() };
    fake.dropNextAnswer(/^POST transactions\/\w+\/refund$/);
    await expect(gateway.refund(request)).rejects.toThrow();
    const first = await gateway.refund(request);
    expect(await gateway.refund(request)).toEqual(first);
    expect(fake.refunds().filter((t) => t.refundedTransactionId === paymentRef)).toHaveLength(1);
    expect(await gateway.retrievePayment(paymentRef)).toMatchObject({ amountRefunded: 300n });
  });

  it('voids an unsettled payment refunded in full, once', async () => {
    const gateway = adapter();
    const paymentRef = await charged(gateway, 1500n);
    const request = { paymentRef, amount: 1500n, currency: 'usd', idempotencyKey: newKey() };
    expect(await gateway.refund(request)).toEqual({ status: 'succeeded', refundRef: paymentRef });
    expect(fake.transactions.get(paymentRef)?.status).toBe('voided');
    expect(await gateway.refund(request)).toEqual({ status: 'succeeded', refundRef: paymentRef });
    expect(fake.requests.filter((r) => r.method === 'PUT' && r.path === `transactions/${paymentRef}/void`)).toHaveLength(1);
    expect(await gateway.retrievePayment(paymentRef)).toEqual({ paymentRef, status: 'succeeded', amount: 1500n, amountRefunded: 1500n, currency: 'usd' });
  });

  it('refuses a partial refund of an unsettled payment', async () => {
    const gateway = adapter();
    const paymentRef = await charged(gateway, 1500n);
    expect(await gateway.refund({ paymentRef, amount: 500n, currency: 'usd', idempotencyKey: newKey() })).toMatchObject({ status: 'failed', code: 'payment_not_settled' });
    expect(fake.transactions.get(paymentRef)?.status).toBe('submitted_for_settlement');
  });
});

describe('Braintree retrievePayment', () => {
  it('reads status, amount and currency', async () => {
    const gateway = adapter();
    const paymentRef = await charged(gateway, 1500n, 'jpy');
    expect(await gateway.retrievePayment(paymentRef)).toEqual({ paymentRef, status: 'succeeded', amount: 1500n, amountRefunded: 0n, currency: 'jpy' });
  });

  it('reads a declined payment as failed, and an unknown one as a 404', async () => {
    const gateway = adapter();
    const result = await gateway.charge({ gatewayRef: await savedCard(gateway), amount: 201300n, currency: 'usd', idempotencyKey: newKey() });
    expect(result).toMatchObject({ status: 'failed', declineCode: 'stolen_card' });
    expect(await gateway.retrievePayment(result.status === 'failed' ? (result.paymentRef ?? '') : '')).toMatchObject({ status: 'failed', amount: 201300n });
    expect(await refusal(gateway.retrievePayment('nosuchtx'))).toMatchObject({ status: 404 });
  });
});

describe('Braintree parseWebhook', () => {
  const request = (body: string) => ({ rawBody: body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });

  it('reads a signed transaction_settled notification of a sale', async () => {
    const gateway = adapter();
    const paymentRef = await charged(gateway, 2000n);
    fake.settle(paymentRef);
    const event = await gateway.parseWebhook(request(fake.webhook('transaction_settled', fake.transactionSubject(paymentRef)).body));
    expect(event).toMatchObject({ type: 'payment.succeeded', gatewayType: 'transaction_settled', paymentRef, refundRef: null, amount: 2000n, currency: 'usd' });
    expect(event.id).toContain(paymentRef);
  });

  it('reads refunds, settlement declines and disputes', async () => {
    const gateway = adapter();
    const paymentRef = await charged(gateway, 2000n);
    fake.settle(paymentRef);
    const refund = await gateway.refund({ paymentRef, amount: 500n, currency: 'usd', idempotencyKey: newKey() });
    const refundRef = refund.refundRef ?? '';
    expect(await gateway.parseWebhook(request(fake.webhook('transaction_settled', fake.transactionSubject(refundRef)).body))).toMatchObject({
      type: 'refund.succeeded',
      paymentRef,
      refundRef,
      amount: 500n,
    });
    expect(await gateway.parseWebhook(request(fake.webhook('transaction_settlement_declined', fake.transactionSubject(paymentRef)).body))).toMatchObject({
      type: 'payment.failed',
      paymentRef,
    });
    expect(await gateway.parseWebhook(request(fake.webhook('dispute_opened', fake.disputeSubject(paymentRef)).body))).toMatchObject({
      type: 'dispute.created',
      paymentRef,
      amount: 2000n,
      currency: 'usd',
    });
    expect(await gateway.parseWebhook(request(fake.webhook('check', '<check type="boolean">true</check>').body))).toMatchObject({ type: 'other', paymentRef: null });
  });

  it('rejects a notification signed with another private key', async () => {
    const other = await FakeBraintree.start({ publicKey: fake.publicKey, privateKey: 'someone_elses_key' });
    try {
      const forged = other.webhook('check', '<check type="boolean">true</check>');
      await expect(adapter().parseWebhook(request(forged.body))).rejects.toBeInstanceOf(GatewayWebhookError);
    } finally {
      await other.stop();
    }
  });

  it('rejects a tampered payload, a signature for another public key, and a body without the fields', async () => {
    const gateway = adapter();
    const paymentRef = await charged(gateway, 2000n);
    const genuine = fake.webhook('transaction_settled', fake.transactionSubject(paymentRef));
    const tamperedXml = Buffer.from(genuine.payload, 'base64').toString('utf8').replace('<amount>20.00</amount>', '<amount>2.00</amount>');
    const tampered = new URLSearchParams({ bt_signature: genuine.signature, bt_payload: `${Buffer.from(tamperedXml).toString('base64')}\n` }).toString();
    await expect(gateway.parseWebhook(request(tampered))).rejects.toBeInstanceOf(GatewayWebhookError);
    const otherKey = new URLSearchParams({ bt_signature: genuine.signature.replace(/^[^|]+/, 'other_public_key'), bt_payload: genuine.payload }).toString();
    await expect(gateway.parseWebhook(request(otherKey))).rejects.toBeInstanceOf(GatewayWebhookError);
    await expect(gateway.parseWebhook(request('bt_payload=abc'))).rejects.toBeInstanceOf(GatewayWebhookError);
    expect(await gateway.parseWebhook(request(genuine.body))).toMatchObject({ paymentRef, amount: 2000n });
  });
});

describe('Braintree apiBase', () => {
  it('refuses a base URL with a path (the SDK writes its own)', () => {
    expect(() =>
      braintreeGateway.create({ credentials: braintreeCredentials.parse(credentials()), environment: 'sandbox', apiBase: `${fake.url}/braintree` }),
    ).toThrow(/origin/);
  });
});
