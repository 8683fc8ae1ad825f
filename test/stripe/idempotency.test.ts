import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { externalServer, ownerAvailable, requireOwner, startStripeSuite, stripeError, type StripeSuite } from '../helpers/stripe.ts';
import type { TestServer } from '../helpers/server.ts';

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

  it.skipIf(externalServer)('charges once for two concurrent subscription creations with the same key', async () => {
    const { db } = (suite.server as TestServer).database;
    const price = await stripe.prices.create({ currency: 'usd', unit_amount: 1700, recurring: { interval: 'month' }, product_data: { name: `Keyed ${suite.runId}` } });
    const customer = await stripe.customers.create({ email: emailFor('keyed-subscription') });
    const pm = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: pm.id } });
    // Both requests get past their key's lookup (nothing stored yet) and then wait for the
    // customer's row, held here; let go, they run one after the other, and the second loses
    // the race for the key at its commit. Its charge, made before, must be the first's.
    let letGo = () => {};
    const held = new Promise<void>((resolve) => (letGo = resolve));
    let holderPid = 0;
    let locked = () => {};
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holder = db.transaction().execute(async (tx) => {
      holderPid = (await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(tx)).rows[0]?.pid ?? 0;
      await tx.selectFrom('customers').select('id').where('id', '=', customer.id).forUpdate().execute();
      locked();
      await held;
    });
    await isLocked;
    const idempotencyKey = newKey();
    const params: Stripe.SubscriptionCreateParams = { customer: customer.id, items: [{ price: price.id }] };
    const requests = [stripe.subscriptions.create(params, { idempotencyKey }), stripe.subscriptions.create(params, { idempotencyKey })];
    for (let waiting = 0; waiting < 2; ) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      // Waiting for the holder, or for a request that waits for it (row locks queue).
      waiting =
        (
          await sql<{ n: number }>`WITH RECURSIVE blocked (pid) AS (
              SELECT pid FROM pg_stat_activity WHERE ${holderPid} = ANY (pg_blocking_pids(pid))
              UNION SELECT a.pid FROM pg_stat_activity a JOIN blocked b ON b.pid = ANY (pg_blocking_pids(a.pid)))
            SELECT count(*)::int AS n FROM blocked`.execute(db)
        ).rows[0]?.n ?? 0;
    }
    letGo();
    await holder;
    const [a, b] = await Promise.all(requests);
    expect(a?.id).toBe(b?.id);
    expect((await stripe.subscriptions.list({ customer: customer.id })).data.map((s) => s.id)).toEqual([a?.id]);
    const charges = await db
      .selectFrom('test_gateway_charges as c')
      .innerJoin('payment_methods as p', (join) => join.onRef('p.workspace_id', '=', 'c.workspace_id').onRef('p.gateway_ref', '=', 'c.payment_method'))
      .select(['c.idempotency_key', 'c.status'])
      .where('p.id', '=', pm.id)
      .execute();
    expect(charges).toEqual([{ idempotency_key: expect.stringContaining(idempotencyKey) as string, status: 'succeeded' }]);
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
