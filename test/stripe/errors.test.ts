/**
 * Every error Recur can answer, as the SDK surfaces it: the HTTP status and the error's
 * `type` pick the SDK's error class (see generateV1Error in stripe/cjs/Error.js), and
 * `code`, `param`, `message` and the request id come through to the caller.
 *
 * Not covered: 402 StripeCardError (card_error with decline_code). Recur has no payments
 * yet, so nothing can answer it; add its tests with payment methods (pm_card_chargeDeclined).
 */
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestAccount, startTestServer, type TestServer } from '../helpers/server.ts';
import {
  externalServer,
  ownerAvailable,
  requireOwner,
  startStripeSuite,
  stripeClient,
  stripeError,
  type StripeError,
  type StripeSuite,
} from '../helpers/stripe.ts';

let suite: StripeSuite;
let stripe: Stripe;
beforeAll(async () => ({ suite, stripe } = await startStripeSuite()));
afterAll(async () => suite.close());

const emailFor = (label: string) => `${label}-${suite.runId}@example.com`;

/** What every error carries, whatever its class. */
function expectWellFormed(error: StripeError, statusCode: number, rawType: string): void {
  expect(error.statusCode).toBe(statusCode);
  expect(error.rawType).toBe(rawType);
  expect(typeof error.message).toBe('string');
  expect(error.message.length).toBeGreaterThan(0);
  expect(error.requestId).toMatch(/^req_/);
  expect(error.headers?.['request-id']).toBe(error.requestId);
}

async function customersWithEmail(email: string): Promise<number> {
  return (await stripe.customers.list({ email, limit: 100 })).data.length;
}

describe('400 StripeInvalidRequestError', () => {
  it('names an unknown parameter with code parameter_unknown', async () => {
    const params = { email: emailFor('unknown'), foo: 'bar' } as Stripe.CustomerCreateParams;
    const error = await stripeError(stripe.customers.create(params));
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expectWellFormed(error, 400, 'invalid_request_error');
    expect(error).toMatchObject({ type: 'StripeInvalidRequestError', code: 'parameter_unknown', param: 'foo' });
    expect(error.message).toContain('foo');
    expect(await customersWithEmail(emailFor('unknown'))).toBe(0);
  });

  it('names an unknown nested parameter by its bracket path', async () => {
    const params = { email: emailFor('unknown-nested'), address: { city: 'Oslo', planet: 'Earth' } } as Stripe.CustomerCreateParams;
    const error = await stripeError(stripe.customers.create(params));
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(error).toMatchObject({ statusCode: 400, code: 'parameter_unknown', param: 'address[planet]' });
    expect(await customersWithEmail(emailFor('unknown-nested'))).toBe(0);
  });

  it('names an invalid email', async () => {
    const error = await stripeError(stripe.customers.create({ email: 'not-an-email' }));
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expectWellFormed(error, 400, 'invalid_request_error');
    expect(error).toMatchObject({ param: 'email', code: 'parameter_invalid' });
  });

  it('names a field holding a NUL character, which PostgreSQL text cannot store', async () => {
    const error = await stripeError(stripe.customers.create({ email: emailFor('nul'), name: 'a\u0000b' }));
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(error).toMatchObject({ statusCode: 400, param: 'name' });
    const inMetadata = await stripeError(stripe.customers.create({ email: emailFor('nul'), metadata: { k: '\u0000' } }));
    expect(inMetadata).toMatchObject({ statusCode: 400, param: 'metadata[k]' });
    expect(await customersWithEmail(emailFor('nul'))).toBe(0);
  });

  it('names a missing required parameter with code parameter_missing', async () => {
    const params = { email: emailFor('missing'), shipping: { address: { line1: 'x' } } } as Stripe.CustomerCreateParams;
    const error = await stripeError(stripe.customers.create(params));
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(error).toMatchObject({ statusCode: 400, code: 'parameter_missing', param: 'shipping[name]' });
    expect(await customersWithEmail(emailFor('missing'))).toBe(0);
  });

  it('names an invalid enum value and an over-long string', async () => {
    const badEnum = await stripeError(stripe.customers.create({ tax_exempt: 'sometimes' as Stripe.CustomerCreateParams.TaxExempt }));
    expect(badEnum).toMatchObject({ statusCode: 400, param: 'tax_exempt' });
    const tooLong = await stripeError(stripe.customers.create({ address: { country: 'DNK' } }));
    expect(tooLong).toMatchObject({ statusCode: 400, param: 'address[country]' });
  });

  it('rejects more than 50 metadata keys with param metadata', async () => {
    const metadata = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
    const error = await stripeError(stripe.customers.create({ email: emailFor('metadata'), metadata }));
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(error).toMatchObject({ statusCode: 400, param: 'metadata' });
    expect(await customersWithEmail(emailFor('metadata'))).toBe(0);

    // 50 are fine; a 51st added by an update is not.
    const full = await stripe.customers.create({ metadata: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v'])) });
    const more = await stripeError(stripe.customers.update(full.id, { metadata: { extra: 'x' } }));
    expect(more).toMatchObject({ statusCode: 400, param: 'metadata' });
    const swapped = await stripe.customers.update(full.id, { metadata: { k0: '', extra: 'x' } });
    expect(Object.keys(swapped.metadata)).toHaveLength(50);
  });

  it("rejects expand[] of a field that cannot be expanded with param 'expand'", async () => {
    const customer = await stripe.customers.create({ email: emailFor('expand') });
    const onRetrieve = await stripeError(stripe.customers.retrieve(customer.id, { expand: ['default_source'] }));
    expect(onRetrieve).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expectWellFormed(onRetrieve, 400, 'invalid_request_error');
    expect(onRetrieve.param).toBe('expand');

    const onList = await stripeError(stripe.customers.list({ expand: ['data.test_clock'] }));
    expect(onList).toMatchObject({ statusCode: 400, param: 'expand' });
    const notData = await stripeError(stripe.customers.list({ expand: ['test_clock'] }));
    expect(notData).toMatchObject({ statusCode: 400, param: 'expand' });

    // On a write the failed expansion undoes the write.
    const onCreate = await stripeError(stripe.customers.create({ email: emailFor('expand-create'), expand: ['test_clock'] }));
    expect(onCreate).toMatchObject({ statusCode: 400, param: 'expand' });
    expect(await customersWithEmail(emailFor('expand-create'))).toBe(0);
    const onUpdate = await stripeError(stripe.customers.update(customer.id, { name: 'Not saved', expand: ['test_clock'] }));
    expect(onUpdate).toMatchObject({ statusCode: 400, param: 'expand' });
    expect(await stripe.customers.retrieve(customer.id)).toMatchObject({ name: null });
  });

  it('answers an unknown URL with resource_missing', async () => {
    const error = await stripeError(stripe.rawRequest('GET', '/v1/no_such_things'));
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expectWellFormed(error, 404, 'invalid_request_error');
    expect(error.code).toBe('resource_missing');
  });
});

describe('404 StripeInvalidRequestError resource_missing', () => {
  it('for an unknown id, on retrieve, update and delete', async () => {
    for (const call of [
      () => stripe.customers.retrieve('cus_doesnotexist'),
      () => stripe.customers.update('cus_doesnotexist', { name: 'x' }),
      () => stripe.customers.del('cus_doesnotexist'),
    ]) {
      const error = await stripeError(call());
      expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
      expectWellFormed(error, 404, 'invalid_request_error');
      expect(error).toMatchObject({ code: 'resource_missing', param: 'id' });
      expect(error.message).toContain('cus_doesnotexist');
    }
  });

  it.skipIf(!ownerAvailable)("for another workspace's id: the live key cannot see a sandbox customer", async () => {
    const sandboxCustomer = await stripe.customers.create({ email: emailFor('sandbox-only'), name: 'Sandbox' });
    const { secret } = await requireOwner(suite).createKey({ type: 'secret', workspace: 'live' });
    expect(secret).toMatch(/^sk_live_/);
    const live = suite.client(secret);

    for (const call of [
      () => live.customers.retrieve(sandboxCustomer.id),
      () => live.customers.update(sandboxCustomer.id, { name: 'Hijacked' }),
      () => live.customers.del(sandboxCustomer.id),
    ]) {
      const error = await stripeError(call());
      expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
      expect(error).toMatchObject({ statusCode: 404, code: 'resource_missing', param: 'id' });
    }
    expect((await live.customers.list({ email: emailFor('sandbox-only') })).data).toEqual([]);
    expect((await live.customers.search({ query: `email:'${emailFor('sandbox-only')}'` })).data).toEqual([]);
    expect(await stripe.customers.retrieve(sandboxCustomer.id)).toMatchObject({ name: 'Sandbox' });

    // And the other way round: the sandbox key cannot see a live customer.
    const liveCustomer = await live.customers.create({ name: 'Live' });
    expect(liveCustomer.livemode).toBe(true);
    const error = await stripeError(stripe.customers.retrieve(liveCustomer.id));
    expect(error).toMatchObject({ statusCode: 404, code: 'resource_missing' });
    await live.customers.del(liveCustomer.id);
  });
});

describe('401 StripeAuthenticationError', () => {
  it('for a key that does not exist', async () => {
    const error = await stripeError(suite.client('sk_test_thisKeyDoesNotExist0000000000').customers.list());
    expect(error).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expectWellFormed(error, 401, 'authentication_error');
    expect(error).toMatchObject({ type: 'StripeAuthenticationError', code: 'api_key_invalid' });
    // The key is never echoed back in full.
    expect(error.message).not.toContain('thisKeyDoesNotExist0000000000');
  });

  it.skipIf(!ownerAvailable)('for a revoked key, from the moment it is revoked', async () => {
    const owner = requireOwner(suite);
    const { id, secret } = await owner.createKey({ type: 'secret', workspace: 'sandbox' });
    const client = suite.client(secret);
    const before = await client.customers.create({ email: emailFor('revoked') });
    expect(before.id).toMatch(/^cus_/);

    await owner.revokeKey(id);
    for (const call of [() => client.customers.list(), () => client.customers.create({ email: emailFor('revoked') })]) {
      const error = await stripeError(call());
      expect(error).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
      expectWellFormed(error, 401, 'authentication_error');
      expect(error.code).toBe('api_key_invalid');
      expect(error.message).toMatch(/revoked/i);
    }
    expect(await customersWithEmail(emailFor('revoked'))).toBe(1);
  });
});

describe('403 StripePermissionError', () => {
  it.skipIf(!ownerAvailable)('for a publishable key on /v1/customers', async () => {
    const { secret } = await requireOwner(suite).createKey({ type: 'publishable', workspace: 'sandbox' });
    expect(secret).toMatch(/^pk_test_/);
    const publishable = suite.client(secret);
    for (const call of [
      () => publishable.customers.list(),
      () => publishable.customers.create({ email: emailFor('publishable') }),
      () => publishable.customers.retrieve('cus_whatever'),
    ]) {
      const error = await stripeError(call());
      expect(error).toBeInstanceOf(Stripe.errors.StripePermissionError);
      expectWellFormed(error, 403, 'permission_error');
      expect(error.type).toBe('StripePermissionError');
    }
    expect(await customersWithEmail(emailFor('publishable'))).toBe(0);
  });

  it('for a secret key on team management (API keys cannot manage keys)', async () => {
    const error = await stripeError(stripe.rawRequest('GET', '/v1/api_keys'));
    expect(error).toBeInstanceOf(Stripe.errors.StripePermissionError);
    expectWellFormed(error, 403, 'permission_error');
  });
});

describe('400 StripeIdempotencyError', () => {
  it('for a key reused with other parameters', async () => {
    const idempotencyKey = `errors-${suite.runId}`;
    await stripe.customers.create({ email: emailFor('idem'), name: 'A' }, { idempotencyKey });
    const error = await stripeError(stripe.customers.create({ email: emailFor('idem'), name: 'B' }, { idempotencyKey }));
    expect(error).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expectWellFormed(error, 400, 'idempotency_error');
    expect(error.type).toBe('StripeIdempotencyError');
  });
});

// Needs a server started with a low limit, so only in-process.
describe.skipIf(externalServer)('429 StripeRateLimitError', () => {
  let limited: TestServer;
  let client: Stripe;

  beforeAll(async () => {
    limited = await startTestServer({ rateLimitPerSecond: 2 });
    const account = await createTestAccount(limited.database);
    client = stripeClient(limited.baseUrl, account.secretKey);
  });
  afterAll(async () => limited.close());

  it('for a burst over the per-key limit, with Retry-After', async () => {
    const started = Date.now();
    const outcomes = await Promise.allSettled(Array.from({ length: 12 }, () => client.customers.list({ limit: 1 })));
    const elapsedSeconds = (Date.now() - started) / 1000;
    const rejected = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected').map((o) => o.reason as unknown);
    const fulfilled = outcomes.filter((o) => o.status === 'fulfilled');
    // The bucket holds two seconds' worth (4 requests) and refills at 2 per second.
    expect(fulfilled.length).toBeGreaterThanOrEqual(1);
    expect(fulfilled.length).toBeLessThanOrEqual(4 + Math.ceil(elapsedSeconds * 2));
    expect(rejected.length).toBeGreaterThanOrEqual(1);
    for (const reason of rejected) {
      expect(reason).toBeInstanceOf(Stripe.errors.StripeRateLimitError);
      const error = reason as StripeError;
      expectWellFormed(error, 429, 'rate_limit_error');
      expect(error.code).toBe('rate_limit');
      expect(Number(error.headers?.['retry-after'])).toBeGreaterThanOrEqual(1);
    }
  });
});
