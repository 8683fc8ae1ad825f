import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PayPalFake, type SignedWebhook } from '../../../../../test/fakes/paypal.ts';
import { ApiError } from '../../../../lib/errors.ts';
import { GatewayWebhookError, type Gateway, type GatewayCustomer } from '../gateway.ts';
import { paypalGateway } from './index.ts';

const customer: GatewayCustomer = { id: 'cus_0000000042ab', email: 'ada@example.com', name: 'Ada' };
const VISA = { name: 'Ada Lovelace', number: '4012888888881881', expiry: '2030-12' };
const WALLET = { email_address: 'buyer@example.com', payer_id: 'QYR5Z8XDVJNXQ', country_code: 'US' };

let fake: PayPalFake;
let gateway: Gateway;

beforeEach(async () => {
  fake = new PayPalFake();
  await fake.start();
  gateway = paypalGateway.create({ credentials: fake.credentials(), environment: 'sandbox', apiBase: fake.url });
});
afterEach(() => fake.stop());

const key = (): string => `invoice:in_${randomUUID()}:1`;
const captures = () => [...fake.ledger.captures.values()];
const saveCard = async (card = VISA) => (await gateway.savePaymentMethod(fake.setupToken({ card }), customer)).gatewayRef;
const caught = async (promise: Promise<unknown>): Promise<unknown> => promise.then(() => new Error('expected a rejection'), (error: unknown) => error);

describe('savePaymentMethod', () => {
  it('turns an approved card setup token into a vaulted payment token', async () => {
    const setupToken = fake.setupToken({ card: VISA });
    const saved = await gateway.savePaymentMethod(setupToken, customer);
    const token = fake.ledger.setupTokens.get(setupToken)?.paymentTokenId;
    expect(saved).toEqual({
      gatewayRef: `card/${token}`,
      card: { brand: 'visa', last4: '1881', exp_month: 12, exp_year: 2030, funding: 'credit', country: null },
    });
    expect(fake.ledger.paymentTokens.get(token ?? '')?.customer.merchant_customer_id).toBe(customer.id);
    const sent = JSON.parse(fake.requests.find((r) => r.path === '/v3/vault/payment-tokens')?.body ?? '{}');
    expect(sent.payment_source).toEqual({ token: { id: setupToken, type: 'SETUP_TOKEN' } });
  });

  it('saves a PayPal wallet as brand paypal, last4 0000, never expiring', async () => {
    const saved = await gateway.savePaymentMethod(fake.setupToken({ paypal: WALLET }), customer);
    expect(saved.gatewayRef).toMatch(/^paypal\/[a-z0-9]+$/);
    expect(saved.card).toEqual({ brand: 'paypal', last4: '0000', exp_month: 12, exp_year: 9999, funding: 'unknown', country: 'US' });
  });

  it('saving the same setup token again returns the same payment token', async () => {
    const setupToken = fake.setupToken({ card: VISA });
    const first = await gateway.savePaymentMethod(setupToken, customer);
    const second = await gateway.savePaymentMethod(setupToken, customer);
    expect(second.gatewayRef).toBe(first.gatewayRef);
    expect(fake.ledger.paymentTokens.size).toBe(1);
  });

  it('refuses a setup token the buyer did not approve with a 402 card_error', async () => {
    const error = await caught(gateway.savePaymentMethod(fake.setupToken({ card: VISA }, false), customer));
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 402, type: 'card_error', code: 'card_declined', declineCode: 'authentication_required' });
    expect(fake.ledger.paymentTokens.size).toBe(0);
  });

  it('refuses an expired card with expired_card', async () => {
    const error = await caught(gateway.savePaymentMethod(fake.setupToken({ card: { ...VISA, expiry: '2020-01' } }), customer));
    expect(error).toMatchObject({ status: 402, type: 'card_error', code: 'expired_card', declineCode: 'expired_card' });
  });

  it('answers 400 resource_missing for a setup token PayPal does not know', async () => {
    const error = await caught(gateway.savePaymentMethod('5C991763VB2781612', customer));
    expect(error).toMatchObject({ status: 400, type: 'invalid_request_error', code: 'resource_missing' });
  });

  it('fails with wrong credentials (PayPal 401 invalid_client), not as a refused card', async () => {
    const wrong = paypalGateway.create({ credentials: { ...fake.credentials(), client_secret: 'nope' }, environment: 'sandbox', apiBase: fake.url });
    const error = await caught(wrong.savePaymentMethod(fake.setupToken({ card: VISA }), customer));
    expect(error).not.toBeInstanceOf(ApiError);
    expect(fake.requests.map((r) => [r.path, r.status])).toEqual([['/v1/oauth2/token', 401]]);
  });
});

describe('charge', () => {
  it('charges a vaulted card in one create-order call, USD in decimals', async () => {
    const gatewayRef = await saveCard();
    const idempotencyKey = key();
    const result = await gateway.charge({ gatewayRef, amount: 1234n, currency: 'usd', idempotencyKey, description: 'Invoice 42' });
    const [capture] = captures();
    expect(result).toEqual({ status: 'succeeded', paymentRef: capture?.id });
    expect(capture).toMatchObject({ status: 'COMPLETED', amount: { currency_code: 'USD', value: '12.34' }, invoiceId: idempotencyKey });
    const sent = fake.requests.find((r) => r.path === '/v2/checkout/orders');
    expect(sent?.requestId).toBe(idempotencyKey);
    expect(JSON.parse(sent?.body ?? '{}')).toMatchObject({
      intent: 'CAPTURE',
      purchase_units: [{ amount: { currency_code: 'USD', value: '12.34' }, invoice_id: idempotencyKey, description: 'Invoice 42' }],
      payment_source: { card: { vault_id: gatewayRef.slice('card/'.length), stored_credential: { payment_initiator: 'MERCHANT', usage: 'SUBSEQUENT' } } },
    });
  });

  it('charges JPY (no decimals) and reads the amount back in minor units', async () => {
    const result = await gateway.charge({ gatewayRef: await saveCard(), amount: 1500n, currency: 'jpy', idempotencyKey: key() });
    expect(captures()[0]?.amount).toEqual({ currency_code: 'JPY', value: '1500' });
    if (result.status !== 'succeeded') throw new Error('charge failed');
    expect(await gateway.retrievePayment(result.paymentRef)).toMatchObject({ status: 'succeeded', amount: 1500n, currency: 'jpy' });
  });

  it('charges HUF in whole forints (PayPal takes no decimals) and refuses a fractional amount', async () => {
    const gatewayRef = await saveCard();
    const result = await gateway.charge({ gatewayRef, amount: 150_000n, currency: 'huf', idempotencyKey: key() });
    expect(result.status).toBe('succeeded');
    expect(captures()[0]?.amount).toEqual({ currency_code: 'HUF', value: '1500' });
    const fractional = await gateway.charge({ gatewayRef, amount: 150_050n, currency: 'huf', idempotencyKey: key() });
    expect(fractional).toMatchObject({ status: 'failed', code: 'invalid_charge_amount' });
    expect(captures()).toHaveLength(1);
  });

  it.each([
    ['CCREJECT-IF', 'card_declined', 'insufficient_funds'],
    ['CCREJECT-REFUSED', 'card_declined', 'do_not_honor'],
    ['CCREJECT-SF', 'card_declined', 'fraudulent'],
    ['CCREJECT-LS', 'card_declined', 'stolen_card'],
    ['CCREJECT-EC', 'expired_card', 'expired_card'],
    ['CCREJECT-CVV_F', 'incorrect_cvc', 'incorrect_cvc'],
  ])('maps a declined capture (%s) to %s / %s', async (trigger, code, declineCode) => {
    const result = await gateway.charge({ gatewayRef: await saveCard({ ...VISA, name: trigger }), amount: 999n, currency: 'usd', idempotencyKey: key() });
    const [capture] = captures();
    expect(capture?.status).toBe('DECLINED');
    expect(result).toMatchObject({ status: 'failed', code, declineCode, paymentRef: capture?.id });
  });

  it('maps a 422 INSTRUMENT_DECLINED of a PayPal wallet to a generic decline', async () => {
    const gatewayRef = (await gateway.savePaymentMethod(fake.setupToken({ paypal: WALLET }), customer)).gatewayRef;
    fake.behaviour.mockIssue = 'INSTRUMENT_DECLINED';
    const result = await gateway.charge({ gatewayRef, amount: 500n, currency: 'eur', idempotencyKey: key() });
    expect(result).toMatchObject({ status: 'failed', code: 'card_declined', declineCode: 'generic_decline', paymentRef: null });
    expect(captures()).toHaveLength(0);
  });

  it('charges once for the same idempotency key (PayPal-Request-Id replay)', async () => {
    const gatewayRef = await saveCard();
    const request = { gatewayRef, amount: 2000n, currency: 'usd', idempotencyKey: key() };
    const first = await gateway.charge(request);
    const second = await gateway.charge(request);
    expect(second).toEqual(first);
    expect(captures()).toHaveLength(1);
    expect(fake.count('POST', /^\/v2\/checkout\/orders$/)).toBe(2);
  });

  it('a charge whose answer was lost is found again, not made again, by the retry', async () => {
    const gatewayRef = await saveCard();
    const request = { gatewayRef, amount: 2000n, currency: 'usd', idempotencyKey: key() };
    fake.failNext({ path: /^\/v2\/checkout\/orders$/, drop: 'response' });
    await expect(gateway.charge(request)).rejects.toThrow();
    expect(captures()).toHaveLength(1);
    expect(await gateway.charge(request)).toEqual({ status: 'succeeded', paymentRef: captures()[0]?.id });
    expect(captures()).toHaveLength(1);
  });

  it('after PayPal forgot the request id, the duplicate invoice_id stops a second charge (it throws)', async () => {
    const gatewayRef = await saveCard();
    const request = { gatewayRef, amount: 2000n, currency: 'usd', idempotencyKey: key() };
    await gateway.charge(request);
    fake.forgetRequestIds();
    await expect(gateway.charge(request)).rejects.toThrow(/DUPLICATE_INVOICE_ID/);
    expect(captures()).toHaveLength(1);
  });

  it('throws on a PayPal 5xx (no result, nothing charged) and the retry charges', async () => {
    const gatewayRef = await saveCard();
    const request = { gatewayRef, amount: 700n, currency: 'usd', idempotencyKey: key() };
    fake.failNext({ path: /^\/v2\/checkout\/orders$/, status: 503 });
    await expect(gateway.charge(request)).rejects.toThrow();
    expect(captures()).toHaveLength(0);
    expect((await gateway.charge(request)).status).toBe('succeeded');
  });

  it('throws when the connection drops or PayPal is unreachable', async () => {
    const gatewayRef = await saveCard();
    fake.failNext({ path: /^\/v2\/checkout\/orders$/, drop: 'request' });
    await expect(gateway.charge({ gatewayRef, amount: 700n, currency: 'usd', idempotencyKey: key() })).rejects.toThrow();
    const closedPort = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const unreachable = paypalGateway.create({ credentials: fake.credentials(), environment: 'sandbox', apiBase: `http://127.0.0.1:${closedPort}` });
    await expect(unreachable.charge({ gatewayRef, amount: 700n, currency: 'usd', idempotencyKey: key() })).rejects.toThrow();
    expect(captures()).toHaveLength(0);
  });

  it('captures an order PayPal left APPROVED, once, with its own request id', async () => {
    fake.behaviour.captureOnCreate = false;
    const gatewayRef = await saveCard();
    const request = { gatewayRef, amount: 3100n, currency: 'gbp', idempotencyKey: key() };
    const first = await gateway.charge(request);
    expect(first).toEqual({ status: 'succeeded', paymentRef: captures()[0]?.id });
    expect(await gateway.charge(request)).toEqual(first);
    expect(captures()).toHaveLength(1);
    const captureCalls = fake.requests.filter((r) => r.path.endsWith('/capture'));
    expect(captureCalls.map((r) => r.requestId)).toEqual([`capture:${request.idempotencyKey}`, `capture:${request.idempotencyKey}`]);
  });

  it('hashes keys too long for PayPal-Request-Id, deterministically', async () => {
    const gatewayRef = await saveCard();
    const request = { gatewayRef, amount: 100n, currency: 'usd', idempotencyKey: `request:${'k'.repeat(200)}:cus_1:subscription_create:1` };
    await gateway.charge(request);
    await gateway.charge(request);
    const ids = fake.requests.filter((r) => r.path === '/v2/checkout/orders').map((r) => r.requestId);
    expect(ids[0]).toMatch(/^sha256-[A-Za-z0-9_-]{43}$/);
    expect(ids[1]).toBe(ids[0]);
    expect(captures()).toHaveLength(1);
  });

  it('gets a new token after PayPal stops accepting the cached one', async () => {
    const gatewayRef = await saveCard();
    fake.expireTokens();
    await expect(gateway.charge({ gatewayRef, amount: 100n, currency: 'usd', idempotencyKey: key() })).rejects.toThrow();
    expect((await gateway.charge({ gatewayRef, amount: 100n, currency: 'usd', idempotencyKey: key() })).status).toBe('succeeded');
    expect(fake.count('POST', /^\/v1\/oauth2\/token$/)).toBe(2);
  });

  it('recovers from a failed token request on the next call', async () => {
    fake.failNext({ path: /^\/v1\/oauth2\/token$/, status: 500 });
    await expect(gateway.savePaymentMethod(fake.setupToken({ card: VISA }), customer)).rejects.toThrow();
    expect((await gateway.savePaymentMethod(fake.setupToken({ card: VISA }), customer)).card.last4).toBe('1881');
  });

  it('concurrent charges share one token request', async () => {
    const refs = [VISA, VISA, VISA, VISA].map((card) => `card/${fake.paymentToken({ card })}`);
    const results = await gateway.chargeMany(refs.map((gatewayRef) => ({ gatewayRef, amount: 100n, currency: 'usd', idempotencyKey: key() })));
    expect(results.every((r) => r.status === 'succeeded')).toBe(true);
    expect(fake.count('POST', /^\/v1\/oauth2\/token$/)).toBe(1);
    expect(captures()).toHaveLength(4);
  });

  it('chargeMany answers in the order asked', async () => {
    const good = await saveCard();
    const poor = await saveCard({ ...VISA, name: 'CCREJECT-IF' });
    const results = await gateway.chargeMany([
      { gatewayRef: poor, amount: 100n, currency: 'usd', idempotencyKey: key() },
      { gatewayRef: good, amount: 200n, currency: 'usd', idempotencyKey: key() },
      { gatewayRef: 'card/unknown1', amount: 300n, currency: 'usd', idempotencyKey: key() },
    ]);
    expect(results.map((r) => r.status)).toEqual(['failed', 'succeeded', 'failed']);
    expect(results[0]).toMatchObject({ declineCode: 'insufficient_funds' });
  });
});

describe('refund and retrievePayment', () => {
  const paid = async (amount: bigint, currency = 'usd'): Promise<string> => {
    const result = await gateway.charge({ gatewayRef: await saveCard(), amount, currency, idempotencyKey: key() });
    if (result.status !== 'succeeded') throw new Error('charge failed');
    return result.paymentRef;
  };

  it('refunds in full', async () => {
    const paymentRef = await paid(5000n);
    const result = await gateway.refund({ paymentRef, amount: 5000n, currency: 'usd', idempotencyKey: key() });
    expect(result).toEqual({ status: 'succeeded', refundRef: [...fake.ledger.refunds.keys()][0] });
    expect(fake.ledger.captures.get(paymentRef)?.status).toBe('REFUNDED');
    expect(await gateway.retrievePayment(paymentRef)).toEqual({ paymentRef, status: 'succeeded', amount: 5000n, amountRefunded: 5000n, currency: 'usd' });
  });

  it('refunds in parts, once per key, and refuses more than what is left', async () => {
    const paymentRef = await paid(1000n);
    const first = { paymentRef, amount: 400n, currency: 'usd', idempotencyKey: key() };
    const refunded = await gateway.refund(first);
    expect(await gateway.refund(first)).toEqual(refunded);
    expect(fake.ledger.refunds.size).toBe(1);
    expect(await gateway.retrievePayment(paymentRef)).toMatchObject({ amount: 1000n, amountRefunded: 400n });
    const over = await gateway.refund({ paymentRef, amount: 601n, currency: 'usd', idempotencyKey: key() });
    expect(over).toMatchObject({ status: 'failed', refundRef: null, code: 'amount_too_large' });
    expect((await gateway.refund({ paymentRef, amount: 600n, currency: 'usd', idempotencyKey: key() })).status).toBe('succeeded');
    const again = await gateway.refund({ paymentRef, amount: 1n, currency: 'usd', idempotencyKey: key() });
    expect(again).toMatchObject({ status: 'failed', code: 'charge_already_refunded' });
    expect(fake.ledger.refunds.size).toBe(2);
  });

  it('refunds JPY in whole yen', async () => {
    const paymentRef = await paid(3000n, 'jpy');
    expect((await gateway.refund({ paymentRef, amount: 1000n, currency: 'jpy', idempotencyKey: key() })).status).toBe('succeeded');
    expect([...fake.ledger.refunds.values()][0]?.amount).toEqual({ currency_code: 'JPY', value: '1000' });
    expect(await gateway.retrievePayment(paymentRef)).toMatchObject({ amount: 3000n, amountRefunded: 1000n, currency: 'jpy' });
  });

  it('retrieves a declined payment as failed and an unknown one as 404', async () => {
    const result = await gateway.charge({ gatewayRef: await saveCard({ ...VISA, name: 'CCREJECT-BANK_ERROR' }), amount: 900n, currency: 'usd', idempotencyKey: key() });
    if (result.status !== 'failed' || !result.paymentRef) throw new Error('expected a declined capture');
    expect(await gateway.retrievePayment(result.paymentRef)).toMatchObject({ status: 'failed', amount: 900n, amountRefunded: 0n });
    await expect(gateway.retrievePayment('0VF52814937998046')).rejects.toMatchObject({ status: 404, code: 'resource_missing' });
  });
});

describe('parseWebhook', () => {
  const webhook = (signed: SignedWebhook) => gateway.parseWebhook({ rawBody: signed.rawBody, headers: signed.headers });
  const chargedCapture = async (): Promise<string> => {
    await gateway.charge({ gatewayRef: await saveCard(), amount: 1234n, currency: 'usd', idempotencyKey: key() });
    return captures()[0]?.id as string;
  };

  it('verifies PAYMENT.CAPTURE.COMPLETED through PayPal and reads it', async () => {
    const captureId = await chargedCapture();
    const signed = fake.captureWebhook('PAYMENT.CAPTURE.COMPLETED', captureId);
    const event = await webhook(signed);
    expect(event).toEqual({
      id: JSON.parse(signed.rawBody).id,
      type: 'payment.succeeded',
      gatewayType: 'PAYMENT.CAPTURE.COMPLETED',
      paymentRef: captureId,
      refundRef: null,
      amount: 1234n,
      currency: 'usd',
    });
    const verify = JSON.parse(fake.requests.at(-1)?.body ?? '{}');
    expect(verify).toMatchObject({ webhook_id: fake.webhookId, auth_algo: 'SHA256withRSA', transmission_id: signed.headers['paypal-transmission-id'] });
  });

  it('reads PAYMENT.CAPTURE.REFUNDED, PAYMENT.CAPTURE.DENIED and CUSTOMER.DISPUTE.CREATED', async () => {
    const captureId = await chargedCapture();
    const refund = await gateway.refund({ paymentRef: captureId, amount: 234n, currency: 'usd', idempotencyKey: key() });
    if (refund.status === 'failed') throw new Error('refund failed');
    expect(await webhook(fake.refundWebhook(refund.refundRef))).toMatchObject({ type: 'payment.refunded', paymentRef: captureId, refundRef: refund.refundRef, amount: 234n });
    expect(await webhook(fake.captureWebhook('PAYMENT.CAPTURE.DENIED', captureId))).toMatchObject({ type: 'payment.failed', paymentRef: captureId });
    expect(await webhook(fake.disputeWebhook(captureId))).toMatchObject({ type: 'dispute.created', paymentRef: captureId, amount: 1234n, currency: 'usd' });
  });

  it('forwards the body byte for byte (a body that is not compact JSON still verifies)', async () => {
    const event = { id: 'WH-1', event_type: 'BILLING.PLAN.CREATED', resource: { amount: 1.5e2, note: 'caf\u00e9 \u2713' } };
    const rawBody = `{\n  "id": "WH-1",\n  "event_type": "BILLING.PLAN.CREATED",\n  "resource": {"amount": 1.5e2, "note": "caf\\u00e9 \u2713"}\n}`;
    expect(JSON.parse(rawBody)).toEqual(event);
    expect(await webhook(fake.sign(rawBody))).toMatchObject({ id: 'WH-1', type: 'other', paymentRef: null });
  });

  it('rejects a forged signature, a tampered body, another webhook, a foreign certificate and missing headers', async () => {
    const captureId = await chargedCapture();
    const signed = fake.captureWebhook('PAYMENT.CAPTURE.COMPLETED', captureId);
    const forged = { ...signed.headers, 'paypal-transmission-sig': Buffer.from('forged').toString('base64') };
    await expect(gateway.parseWebhook({ rawBody: signed.rawBody, headers: forged })).rejects.toBeInstanceOf(GatewayWebhookError);
    const tampered = signed.rawBody.replace('"12.34"', '"99.99"');
    expect(tampered).not.toBe(signed.rawBody);
    await expect(gateway.parseWebhook({ rawBody: tampered, headers: signed.headers })).rejects.toBeInstanceOf(GatewayWebhookError);
    const foreignCert = { ...signed.headers, 'paypal-cert-url': 'https://evil.example.com/cert.pem' };
    await expect(gateway.parseWebhook({ rawBody: signed.rawBody, headers: foreignCert })).rejects.toBeInstanceOf(GatewayWebhookError);
    const otherWebhook = paypalGateway.create({ credentials: { ...fake.credentials(), webhook_id: '8PT597110X687430LKGECATA' }, environment: 'sandbox', apiBase: fake.url });
    await expect(otherWebhook.parseWebhook({ rawBody: signed.rawBody, headers: signed.headers })).rejects.toBeInstanceOf(GatewayWebhookError);
    const verifications = fake.count('POST', /verify-webhook-signature/);
    const { ['paypal-transmission-sig']: _dropped, ...unsigned } = signed.headers;
    await expect(gateway.parseWebhook({ rawBody: signed.rawBody, headers: unsigned })).rejects.toBeInstanceOf(GatewayWebhookError);
    expect(fake.count('POST', /verify-webhook-signature/)).toBe(verifications);
    // The genuine delivery still passes.
    expect((await webhook(signed)).type).toBe('payment.succeeded');
  });

  it('throws a plain error (PayPal will deliver again) when verification itself fails', async () => {
    const signed = fake.sign(JSON.stringify({ id: 'WH-2', event_type: 'PAYMENT.CAPTURE.COMPLETED', resource: {} }));
    fake.failNext({ path: /verify-webhook-signature/, status: 503 });
    const error = await caught(webhook(signed));
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(GatewayWebhookError);
  });
});

describe('credentials', () => {
  const valid = { client_id: 'AeA1QIZXiflr1', client_secret: 'ECYYrrSHdKfk', webhook_id: '1JE4291016473214C' };

  it('accepts the three fields', () => {
    expect(paypalGateway.credentials.parse(valid)).toEqual(valid);
  });

  it.each(['client_id', 'client_secret', 'webhook_id'] as const)('rejects a missing or empty %s', (field) => {
    const { [field]: _omitted, ...rest } = valid;
    expect(paypalGateway.credentials.safeParse(rest).success).toBe(false);
    expect(paypalGateway.credentials.safeParse({ ...valid, [field]: '  ' }).success).toBe(false);
  });

  it('rejects unknown fields', () => {
    expect(paypalGateway.credentials.safeParse({ ...valid, secret_key: 'x' }).success).toBe(false);
  });
});
