import { createHmac, randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeAuthorizeNet } from '../../../../../test/fakes/authorizenet.ts';
import type { FakeCard } from '../../../../../test/fakes/authorizenet-ledger.ts';
import { ApiError } from '../../../../lib/errors.ts';
import { GatewayWebhookError, type Gateway, type GatewayCustomer } from '../gateway.ts';
import { AuthorizeNetHeldError, keyRef } from './authorizenet-gateway.ts';
import { authorizenetCredentials } from './credentials.ts';
import { authorizenetGateway } from './index.ts';
import { merchantCustomerId } from './profiles.ts';
import { AuthorizeNetApiError } from './responses.ts';
import { AuthorizeNetUnavailableError, endpointFor } from './sdk.ts';

const SIGNATURE_KEY = 'A1B2C3D4E5F60718293A4B5C6D7E8F90'.repeat(4);
const fake = new FakeAuthorizeNet({ apiLoginId: '5KP3u95bQpv', transactionKey: '346HZ32z3fP4hTG2', signatureKey: SIGNATURE_KEY });
const credentials = { api_login_id: '5KP3u95bQpv', transaction_key: '346HZ32z3fP4hTG2', signature_key: SIGNATURE_KEY };

function gatewayFor(environment: 'sandbox' | 'production' = 'sandbox', overrides: Record<string, string> = {}): Gateway {
  return authorizenetGateway.create({ credentials: authorizenetCredentials.parse({ ...credentials, ...overrides }), environment, apiBase: fake.url });
}

let sandbox: Gateway;
beforeAll(async () => {
  await fake.start();
  sandbox = gatewayFor();
});
afterAll(() => fake.stop());

const newCustomer = (): GatewayCustomer => ({ id: `cus_${randomUUID().replace(/-/g, '').slice(0, 24)}`, email: 'ada@example.com', name: 'Ada' });
const card = (overrides: Partial<FakeCard> = {}): string => fake.tokenize({ cardNumber: '4111111111111111', expirationDate: '2030-12', zip: '98004', ...overrides });
const savedCard = async (overrides: Partial<FakeCard> = {}): Promise<string> => (await sandbox.savePaymentMethod(card(overrides), newCustomer())).gatewayRef;
const key = (): string => `invoice:in_${randomUUID()}:1`;
const count = (method: string): number => fake.received.filter((received) => received === method).length;

async function refusal(promise: Promise<unknown>): Promise<ApiError> {
  const caught: unknown = await promise.then(
    () => null,
    (error: unknown) => error,
  );
  if (!(caught instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(caught)}`);
  return caught;
}

describe('Authorize.net: the SDK and its set-up', () => {
  it('is pointed at apiBase through setEnvironment, or at Authorize.net by environment', () => {
    expect(endpointFor('sandbox', 'http://127.0.0.1:9/')).toBe('http://127.0.0.1:9/xml/v1/request.api');
    expect(endpointFor('sandbox', 'http://127.0.0.1:9/xml/v1/request.api')).toBe('http://127.0.0.1:9/xml/v1/request.api');
    expect(endpointFor('sandbox', undefined)).toBe('https://apitest.authorize.net/xml/v1/request.api');
    expect(endpointFor('production', undefined)).toBe('https://api2.authorize.net/xml/v1/request.api');
  });

  it('keeps no winston loggers and writes no log files', async () => {
    await savedCard();
    const sdkRequire = createRequire(createRequire(import.meta.url).resolve('authorizenet'));
    const winston = sdkRequire('winston') as { loggers: { loggers: Map<string, unknown> } };
    expect(winston.loggers.loggers.size).toBe(0);
    expect(readdirSync(process.cwd()).filter((name) => name.startsWith('sdk-node-'))).toEqual([]);
  });

  it('fails on wrong credentials (E00007) instead of reading them as a decline', async () => {
    const ref = await savedCard();
    const wrong = gatewayFor('sandbox', { transaction_key: 'wrongwrongwrong1' });
    await expect(wrong.charge({ gatewayRef: ref, amount: 500n, currency: 'usd', idempotencyKey: key() })).rejects.toThrow(AuthorizeNetApiError);
    await expect(wrong.charge({ gatewayRef: ref, amount: 500n, currency: 'usd', idempotencyKey: key() })).rejects.toThrow(/E00007/);
  });
});

describe('Authorize.net: saving a card', () => {
  it('creates a customer profile with the card from the Accept.js nonce', async () => {
    const customer = newCustomer();
    const saved = await sandbox.savePaymentMethod(card(), customer);
    expect(saved.gatewayRef).toMatch(/^\d+\/\d+$/);
    expect(saved.card).toEqual({ brand: 'visa', last4: '1111', exp_month: 12, exp_year: 2030, funding: 'unknown', country: null });
    const [profileId] = saved.gatewayRef.split('/');
    const profile = fake.ledger.profiles.get(profileId ?? '');
    expect(profile).toMatchObject({ merchantCustomerId: merchantCustomerId(customer.id), description: customer.id, email: 'ada@example.com' });
  });

  it("adds a second card to the customer's profile, and finds a card saved twice", async () => {
    const customer = newCustomer();
    const first = await sandbox.savePaymentMethod(card(), customer);
    const second = await sandbox.savePaymentMethod(card({ cardNumber: '5424000000000015', expirationDate: '2031-01' }), customer);
    expect(second.gatewayRef.split('/')[0]).toBe(first.gatewayRef.split('/')[0]);
    expect(second.gatewayRef).not.toBe(first.gatewayRef);
    expect(second.card).toMatchObject({ brand: 'mastercard', last4: '0015', exp_month: 1, exp_year: 2031 });
    const again = await sandbox.savePaymentMethod(card(), customer);
    expect(again.gatewayRef).toBe(first.gatewayRef);
  });

  it('validates in live mode in production: a refused card is a 402 card_error with its decline code', async () => {
    const live = gatewayFor('production');
    const declined = await refusal(live.savePaymentMethod(card({ zip: '46282' }), newCustomer()));
    expect(declined).toMatchObject({ status: 402, type: 'card_error', code: 'card_declined', declineCode: 'generic_decline' });
    const cvc = await refusal(live.savePaymentMethod(card({ cardCode: '901' }), newCustomer()));
    expect(cvc).toMatchObject({ status: 402, code: 'incorrect_cvc', declineCode: 'incorrect_cvc' });
    expect((await live.savePaymentMethod(card({ cardCode: '900' }), newCustomer())).card.last4).toBe('1111');
  });

  it('validates in test mode in the sandbox (fields only), so a card the processor would decline is saved', async () => {
    const saved = await sandbox.savePaymentMethod(card({ zip: '46282' }), newCustomer());
    expect(saved.gatewayRef).toMatch(/^\d+\/\d+$/);
  });

  it('refuses a used or malformed nonce with a 400', async () => {
    const token = card();
    await sandbox.savePaymentMethod(token, newCustomer());
    expect(await refusal(sandbox.savePaymentMethod(token, newCustomer()))).toMatchObject({ status: 400, param: 'payment_method' });
    expect(await refusal(sandbox.savePaymentMethod('not-a-nonce', newCustomer()))).toMatchObject({ status: 400, param: 'payment_method' });
  });
});

describe('Authorize.net: charges', () => {
  it('charges the saved card in major units, with the key as invoice number', async () => {
    const ref = await savedCard();
    const idempotencyKey = key();
    const result = await sandbox.charge({ gatewayRef: ref, amount: 1234n, currency: 'usd', idempotencyKey, description: 'in_1 #0001' });
    if (result.status !== 'succeeded') throw new Error(`charge ${result.status}`);
    const transaction = fake.ledger.transactions.get(result.paymentRef);
    expect(transaction).toMatchObject({ amount: '12.34', invoiceNumber: keyRef('charge', idempotencyKey), refId: keyRef('charge', idempotencyKey), duplicateWindow: 28_800 });
    expect(transaction?.transactionStatus).toBe('capturedPendingSettlement');
    const small = await sandbox.charge({ gatewayRef: ref, amount: 5n, currency: 'USD', idempotencyKey: key() });
    expect(small.status === 'succeeded' && fake.ledger.transactions.get(small.paymentRef)?.amount).toBe('0.05');
  });

  it("charges in the account's currency only (Authorize.net has no zero-decimal currency)", async () => {
    const ref = await savedCard();
    expect(await refusal(sandbox.charge({ gatewayRef: ref, amount: 1000n, currency: 'jpy', idempotencyKey: key() }))).toMatchObject({ status: 400, param: 'currency' });
    const euros = gatewayFor('sandbox', { currency: 'EUR' });
    expect(await refusal(euros.charge({ gatewayRef: ref, amount: 1000n, currency: 'usd', idempotencyKey: key() }))).toMatchObject({ status: 400, param: 'currency' });
    const result = await euros.charge({ gatewayRef: ref, amount: 1999n, currency: 'eur', idempotencyKey: key() });
    expect(result.status === 'succeeded' && fake.ledger.transactions.get(result.paymentRef)?.amount).toBe('19.99');
  });

  it('returns declines mapped to Stripe codes, with the declined transaction', async () => {
    const declined = await sandbox.charge({ gatewayRef: await savedCard({ zip: '46282' }), amount: 1000n, currency: 'usd', idempotencyKey: key() });
    expect(declined).toMatchObject({ status: 'failed', code: 'card_declined', declineCode: 'generic_decline', message: 'This transaction has been declined.' });
    expect(declined.status === 'failed' && fake.ledger.transactions.get(declined.paymentRef ?? '')?.transactionStatus).toBe('declined');
    // Card 4222222222222: the reason code is the whole-dollar amount.
    const trigger = await savedCard({ cardNumber: '4222222222222' });
    const expect4222 = async (dollars: bigint, code: string, declineCode: string): Promise<void> => {
      expect(await sandbox.charge({ gatewayRef: trigger, amount: dollars * 100n, currency: 'usd', idempotencyKey: key() })).toMatchObject({ status: 'failed', code, declineCode });
    };
    await expect4222(27n, 'incorrect_zip', 'incorrect_zip');
    await expect4222(8n, 'expired_card', 'expired_card');
    await expect4222(65n, 'incorrect_cvc', 'incorrect_cvc');
    await expect4222(19n, 'processing_error', 'processing_error');
    await expect4222(4n, 'card_declined', 'pickup_card');
  });

  it('throws (never a decline) when Authorize.net fails or cannot be reached', async () => {
    const ref = await savedCard();
    const idempotencyKey = key();
    fake.failNext('http500', 'createTransactionRequest');
    await expect(sandbox.charge({ gatewayRef: ref, amount: 700n, currency: 'usd', idempotencyKey })).rejects.toThrow(AuthorizeNetUnavailableError);
    fake.failNext('disconnect', 'getTransactionListForCustomerRequest');
    await expect(sandbox.charge({ gatewayRef: ref, amount: 700n, currency: 'usd', idempotencyKey })).rejects.toThrow(AuthorizeNetUnavailableError);
    expect(await sandbox.charge({ gatewayRef: ref, amount: 700n, currency: 'usd', idempotencyKey })).toMatchObject({ status: 'succeeded' });
  });

  it('throws while a charge is held for review, and reports it pending', async () => {
    const ref = await savedCard({ cardNumber: '4222222222222' });
    const caught: unknown = await sandbox.charge({ gatewayRef: ref, amount: 25_200n, currency: 'usd', idempotencyKey: key() }).catch((error: unknown) => error);
    expect(caught).toBeInstanceOf(AuthorizeNetHeldError);
    const transId = caught instanceof AuthorizeNetHeldError ? caught.transId : null;
    expect(await sandbox.retrievePayment(transId ?? '')).toMatchObject({ status: 'pending', amount: 25_200n });
  });
});

describe('Authorize.net: at most once', () => {
  const charges = (ref: string): number => fake.transactions('authCaptureTransaction').filter((transaction) => `${transaction.customerProfileId}/${transaction.paymentProfileId}` === ref).length;

  it('the same key twice charges once (found by its invoice number)', async () => {
    const ref = await savedCard();
    const request = { gatewayRef: ref, amount: 2500n, currency: 'usd', idempotencyKey: key() };
    const before = count('createTransactionRequest');
    const first = await sandbox.charge(request);
    const second = await sandbox.charge(request);
    expect(second).toEqual(first);
    expect(charges(ref)).toBe(1);
    expect(count('createTransactionRequest') - before).toBe(1);
  });

  it('a charge whose response was lost is not made again on retry', async () => {
    const ref = await savedCard();
    const request = { gatewayRef: ref, amount: 2600n, currency: 'usd', idempotencyKey: key() };
    fake.failNext('lostResponse', 'createTransactionRequest');
    await expect(sandbox.charge(request)).rejects.toThrow(AuthorizeNetUnavailableError);
    const retried = await sandbox.charge(request);
    expect(retried.status).toBe('succeeded');
    expect(charges(ref)).toBe(1);
  });

  it('two attempts racing past the look-up: the duplicate window answers the second with the first', async () => {
    const ref = await savedCard();
    const request = { gatewayRef: ref, amount: 2700n, currency: 'usd', idempotencyKey: key() };
    const before = count('createTransactionRequest');
    fake.holdUntil('getUnsettledTransactionListRequest', 2);
    const [first, second] = await Promise.all([sandbox.charge(request), sandbox.charge(request)]);
    expect(count('createTransactionRequest') - before).toBe(2);
    expect(second).toEqual(first);
    expect(charges(ref)).toBe(1);
  });

  it('a declined attempt is the answer to its key, beyond the window and after settlement too', async () => {
    const ref = await savedCard({ zip: '46282' });
    const request = { gatewayRef: ref, amount: 2800n, currency: 'usd', idempotencyKey: key() };
    const first = await sandbox.charge(request);
    expect(first).toMatchObject({ status: 'failed', declineCode: 'generic_decline' });
    fake.advance(9 * 3600);
    expect(await sandbox.charge(request)).toEqual(first);
    fake.settle();
    expect(await sandbox.charge(request)).toEqual(first);
    expect(charges(ref)).toBe(1);
  });

  it('a retry beyond the 8-hour window finds the charge, unsettled or settled', async () => {
    const ref = await savedCard();
    const request = { gatewayRef: ref, amount: 2900n, currency: 'usd', idempotencyKey: key() };
    const first = await sandbox.charge(request);
    fake.advance(9 * 3600);
    expect(await sandbox.charge(request)).toEqual(first);
    fake.settle();
    expect(await sandbox.charge(request)).toEqual(first);
    expect(charges(ref)).toBe(1);
    expect(await sandbox.charge({ ...request, idempotencyKey: key() })).toMatchObject({ status: 'succeeded' });
    expect(charges(ref)).toBe(2);
  });
});

describe('Authorize.net: refunds and payments', () => {
  async function paid(amount: bigint): Promise<string> {
    const result = await sandbox.charge({ gatewayRef: await savedCard(), amount, currency: 'usd', idempotencyKey: key() });
    if (result.status !== 'succeeded') throw new Error('charge failed');
    return result.paymentRef;
  }
  const refund = (paymentRef: string, amount: bigint, idempotencyKey = key()) => sandbox.refund({ paymentRef, amount, currency: 'usd', idempotencyKey });

  it('voids an unsettled payment refunded whole, once; refuses part of one', async () => {
    const paymentRef = await paid(4000n);
    expect(await refund(paymentRef, 1000n)).toMatchObject({ status: 'failed', code: 'charge_not_settled' });
    const refundKey = key();
    expect(await refund(paymentRef, 4000n, refundKey)).toEqual({ status: 'succeeded', refundRef: paymentRef });
    expect(fake.ledger.transactions.get(paymentRef)?.transactionStatus).toBe('voided');
    expect(await refund(paymentRef, 4000n, refundKey)).toEqual({ status: 'succeeded', refundRef: paymentRef });
    expect(await sandbox.retrievePayment(paymentRef)).toEqual({ paymentRef, status: 'succeeded', amount: 4000n, amountRefunded: 4000n, currency: 'usd' });
  });

  it('refunds a settled payment in parts, each key once, never beyond what is left', async () => {
    const paymentRef = await paid(10_000n);
    fake.settle();
    const firstKey = key();
    const first = await refund(paymentRef, 3000n, firstKey);
    expect(first.status).toBe('succeeded');
    expect(first.refundRef).not.toBe(paymentRef);
    expect(await refund(paymentRef, 3000n, firstKey)).toEqual(first);
    expect(await refund(paymentRef, 8000n)).toMatchObject({ status: 'failed', code: 'amount_too_large' });
    fake.failNext('lostResponse', 'createTransactionRequest');
    const lastKey = key();
    await expect(refund(paymentRef, 7000n, lastKey)).rejects.toThrow(AuthorizeNetUnavailableError);
    expect((await refund(paymentRef, 7000n, lastKey)).status).toBe('succeeded');
    const refunds = fake.transactions('refundTransaction').filter((transaction) => transaction.refTransId === paymentRef);
    expect(refunds.map((transaction) => transaction.amount)).toEqual(['30.00', '70.00']);
    expect(await sandbox.retrievePayment(paymentRef)).toMatchObject({ status: 'succeeded', amount: 10_000n, amountRefunded: 10_000n });
  });

  it('retrieves payments as Authorize.net now sees them', async () => {
    const paymentRef = await paid(1500n);
    expect(await sandbox.retrievePayment(paymentRef)).toEqual({ paymentRef, status: 'succeeded', amount: 1500n, amountRefunded: 0n, currency: 'usd' });
    const declined = await sandbox.charge({ gatewayRef: await savedCard({ zip: '46282' }), amount: 1500n, currency: 'usd', idempotencyKey: key() });
    const declinedRef = declined.status === 'failed' ? (declined.paymentRef ?? '') : '';
    expect(await sandbox.retrievePayment(declinedRef)).toMatchObject({ status: 'failed', amount: 0n });
    expect(await refusal(sandbox.retrievePayment('999999999999'))).toMatchObject({ status: 404 });
  });
});

describe('Authorize.net: webhooks', () => {
  const payload = { responseCode: 1, authCode: 'LZ6I19', avsResponse: 'Y', authAmount: 45.1, entityName: 'transaction', id: '60020981676' };

  it('accepts a signed notification and reads it', async () => {
    const { rawBody, headers } = fake.webhook('net.authorize.payment.authcapture.created', payload);
    const event = await sandbox.parseWebhook({ rawBody, headers });
    expect(event).toEqual({
      id: (JSON.parse(rawBody) as { notificationId: string }).notificationId,
      type: 'payment.succeeded',
      gatewayType: 'net.authorize.payment.authcapture.created',
      paymentRef: '60020981676',
      refundRef: null,
      amount: 4510n,
      currency: 'usd',
    });
    const refund = fake.webhook('net.authorize.payment.refund.created', { ...payload, id: '60020981700', authAmount: 5 });
    expect(await sandbox.parseWebhook(refund)).toMatchObject({ type: 'refund.succeeded', refundRef: '60020981700', paymentRef: null, amount: 500n });
    const voided = fake.webhook('net.authorize.payment.void.created', payload);
    expect(await sandbox.parseWebhook(voided)).toMatchObject({ type: 'payment.refunded', paymentRef: '60020981676', refundRef: '60020981676' });
    const held = fake.webhook('net.authorize.payment.fraud.held', payload);
    expect(await sandbox.parseWebhook(held)).toMatchObject({ type: 'other' });
    const declined = fake.webhook('net.authorize.payment.authcapture.created', { ...payload, responseCode: 2 });
    expect(await sandbox.parseWebhook(declined)).toMatchObject({ type: 'payment.failed' });
  });

  it('accepts the signature keyed with the hex-decoded key, in either case', async () => {
    const rawBody = JSON.stringify({ notificationId: 'n-1', eventType: 'net.authorize.payment.fraud.declined', payload });
    const signature = createHmac('sha512', Buffer.from(SIGNATURE_KEY, 'hex')).update(rawBody).digest('hex');
    expect(await sandbox.parseWebhook({ rawBody, headers: { 'x-anet-signature': `sha512=${signature}` } })).toMatchObject({ id: 'n-1', type: 'payment.failed' });
    expect(await sandbox.parseWebhook({ rawBody, headers: { 'x-anet-signature': `SHA512=${signature.toUpperCase()}` } })).toMatchObject({ id: 'n-1' });
  });

  it('rejects a forged signature, a tampered body and a missing header', async () => {
    const { rawBody, headers } = fake.webhook('net.authorize.payment.authcapture.created', payload);
    const forged = createHmac('sha512', 'F'.repeat(128)).update(rawBody).digest('hex').toUpperCase();
    await expect(sandbox.parseWebhook({ rawBody, headers: { 'x-anet-signature': `sha512=${forged}` } })).rejects.toThrow(GatewayWebhookError);
    await expect(sandbox.parseWebhook({ rawBody: rawBody.replace('45.1', '4510'), headers })).rejects.toThrow(GatewayWebhookError);
    await expect(sandbox.parseWebhook({ rawBody, headers: {} })).rejects.toThrow(GatewayWebhookError);
  });
});

describe('Authorize.net: credentials', () => {
  it('needs the API Login ID, Transaction Key and Signature Key; the currency defaults to USD', () => {
    expect(authorizenetCredentials.parse(credentials)).toEqual({ ...credentials, currency: 'usd' });
    expect(authorizenetCredentials.parse({ ...credentials, currency: 'CAD' }).currency).toBe('cad');
    for (const field of ['api_login_id', 'transaction_key', 'signature_key'] as const) {
      const { [field]: _left, ...rest } = credentials;
      expect(authorizenetCredentials.safeParse(rest).success).toBe(false);
    }
    expect(authorizenetCredentials.safeParse({ ...credentials, signature_key: 'abc' }).success).toBe(false);
    expect(authorizenetCredentials.safeParse({ ...credentials, currency: 'jpy' }).success).toBe(false);
    expect(authorizenetCredentials.safeParse({ ...credentials, extra: 'x' }).success).toBe(false);
  });
});
