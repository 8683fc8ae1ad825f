import { randomUUID } from 'node:crypto';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ownerAvailable, requireOwner, startStripeSuite, stripeError, type StripeSuite } from '../helpers/stripe.ts';

let suite: StripeSuite;
let stripe: Stripe;
beforeAll(async () => ({ suite, stripe } = await startStripeSuite()));
afterAll(async () => suite.close());

const emailFor = (label: string) => `${label}-${suite.runId}@example.com`;
const newKey = () => `suite-${randomUUID()}`;

async function customersWithEmail(email: string): Promise<Stripe.Customer[]> {
  return stripe.customers.list({ email, limit: 100 }).autoPagingToArray({ limit: 1000 });
}

describe('Idempotency-Key', () => {
  it('replays the first response for the same key and parameters, creating nothing more', async () => {
    const idempotencyKey = newKey();
    const params: Stripe.CustomerCreateParams = { email: emailFor('replay'), name: 'Replay', metadata: { n: '1' } };
    const first = await stripe.customers.create(params, { idempotencyKey });
    expect(first.lastResponse.headers['idempotent-replayed']).toBeUndefined();
    expect(first.lastResponse.idempotencyKey).toBe(idempotencyKey);

    const second = await stripe.customers.create(params, { idempotencyKey });
    expect(second).toEqual(first);
    expect(second.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(second.lastResponse.idempotencyKey).toBe(idempotencyKey);
    expect(second.lastResponse.requestId).not.toBe(first.lastResponse.requestId);

    expect((await customersWithEmail(emailFor('replay'))).map((c) => c.id)).toEqual([first.id]);
    const created = await stripe.events.list({ type: 'customer.created', limit: 100 });
    expect(created.data.filter((e) => (e.data.object as { id?: string }).id === first.id)).toHaveLength(1);
  });

  it('replays an update without applying it twice', async () => {
    const customer = await stripe.customers.create({ email: emailFor('update-replay') });
    const idempotencyKey = newKey();
    const first = await stripe.customers.update(customer.id, { name: 'Once' }, { idempotencyKey });
    // A change made in between is not undone by the replay, and the replay shows the stored response.
    await stripe.customers.update(customer.id, { name: 'Changed since' });
    const replay = await stripe.customers.update(customer.id, { name: 'Once' }, { idempotencyKey });
    expect(replay.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(replay).toEqual(first);
    const current = await stripe.customers.retrieve(customer.id);
    expect(current).toMatchObject({ name: 'Changed since' });
    const updates = await stripe.events.list({ type: 'customer.updated', limit: 100 });
    expect(updates.data.filter((e) => (e.data.object as { id?: string }).id === customer.id)).toHaveLength(2);
  });

  it('rejects the same key with different parameters as StripeIdempotencyError', async () => {
    const idempotencyKey = newKey();
    await stripe.customers.create({ email: emailFor('mismatch'), name: 'First' }, { idempotencyKey });
    const error = await stripeError(stripe.customers.create({ email: emailFor('mismatch'), name: 'Second' }, { idempotencyKey }));
    expect(error).toBeInstanceOf(stripe.errors.StripeIdempotencyError);
    expect(error).toMatchObject({ statusCode: 400, rawType: 'idempotency_error', type: 'StripeIdempotencyError' });
    expect(error.message).toContain(idempotencyKey);
    expect(error.requestId).toMatch(/^req_/);

    // The same key on another endpoint is a different request too.
    const other = await stripe.customers.create({ email: emailFor('mismatch-other') });
    const onUpdate = await stripeError(stripe.customers.update(other.id, { name: 'First' }, { idempotencyKey }));
    expect(onUpdate).toBeInstanceOf(stripe.errors.StripeIdempotencyError);

    const created = await customersWithEmail(emailFor('mismatch'));
    expect(created.map((c) => c.name)).toEqual(['First']);
  });

  it('stores nothing for a request that failed validation, so the key can be reused', async () => {
    const idempotencyKey = newKey();
    const bad = await stripeError(stripe.customers.create({ email: 'not an email' }, { idempotencyKey }));
    expect(bad).toBeInstanceOf(stripe.errors.StripeInvalidRequestError);
    const good = await stripe.customers.create({ email: emailFor('retry-after-fix') }, { idempotencyKey });
    expect(good.email).toBe(emailFor('retry-after-fix'));
    expect(good.lastResponse.headers['idempotent-replayed']).toBeUndefined();
  });

  it('creates exactly one customer for concurrent requests with the same key', async () => {
    const idempotencyKey = newKey();
    const params: Stripe.CustomerCreateParams = { email: emailFor('concurrent'), name: 'Concurrent' };
    const results = await Promise.all(Array.from({ length: 8 }, () => stripe.customers.create(params, { idempotencyKey })));
    const ids = new Set(results.map((c) => c.id));
    expect(ids.size).toBe(1);
    expect(results.filter((c) => c.lastResponse.headers['idempotent-replayed'] !== 'true')).toHaveLength(1);
    expect((await customersWithEmail(emailFor('concurrent'))).map((c) => c.id)).toEqual([...ids]);
  });

  it('keeps keys apart: different keys create different customers', async () => {
    const params: Stripe.CustomerCreateParams = { email: emailFor('two-keys') };
    const a = await stripe.customers.create(params, { idempotencyKey: newKey() });
    const b = await stripe.customers.create(params, { idempotencyKey: newKey() });
    expect(a.id).not.toBe(b.id);
    expect(await customersWithEmail(emailFor('two-keys'))).toHaveLength(2);
  });

  it('rejects an over-long key with param Idempotency-Key', async () => {
    const error = await stripeError(stripe.customers.create({ email: emailFor('long-key') }, { idempotencyKey: 'k'.repeat(256) }));
    expect(error).toBeInstanceOf(stripe.errors.StripeInvalidRequestError);
    expect(error).toMatchObject({ statusCode: 400, param: 'Idempotency-Key' });
    expect(await customersWithEmail(emailFor('long-key'))).toEqual([]);
  });

  it.skipIf(!ownerAvailable)('keys by workspace: the same key with another key of the same workspace replays', async () => {
    const { secret } = await requireOwner(suite).createKey({ type: 'secret', workspace: 'sandbox' });
    const idempotencyKey = newKey();
    const params: Stripe.CustomerCreateParams = { email: emailFor('same-workspace') };
    const first = await stripe.customers.create(params, { idempotencyKey });
    const second = await suite.client(secret).customers.create(params, { idempotencyKey });
    expect(second.id).toBe(first.id);
    expect(second.lastResponse.headers['idempotent-replayed']).toBe('true');
  });
});
