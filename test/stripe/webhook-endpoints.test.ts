/**
 * Webhook endpoints through the official `stripe` SDK: create (the secret shown once),
 * retrieve, update, list, delete, and bad input refused naming the parameter with nothing
 * written. Deliveries are tested in src/modules/webhooks/webhooks.test.ts. These endpoints
 * point at a closed local port: nothing here records events, so nothing is sent to them.
 */
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_VERSION } from '../../src/lib/api-version.ts';
import { TEST_SECRETS } from '../helpers/app-options.ts';
import { ownerAvailable, requireOwner, startStripeSuite, stripeError, type StripeSuite } from '../helpers/stripe.ts';

let suite: StripeSuite;
let stripe: Stripe;
beforeAll(async () => ({ suite, stripe } = await startStripeSuite()));
afterAll(async () => suite.close());

const url = (path: string) => `http://127.0.0.1:9/${path}`;

/** Every endpoint of the workspace that this run made. */
async function mine(): Promise<Stripe.WebhookEndpoint[]> {
  const all: Stripe.WebhookEndpoint[] = [];
  for await (const endpoint of stripe.webhookEndpoints.list({ limit: 100 })) all.push(endpoint);
  return all.filter((e) => e.metadata.run === suite.runId);
}

describe('webhook endpoints through the SDK', () => {
  it('creates an endpoint and shows its secret only then; retrieves, updates, lists and deletes it', async () => {
    const created = await stripe.webhookEndpoints.create({
      url: url('hooks'),
      enabled_events: ['customer.created', 'invoice.paid', 'customer.created'],
      description: 'Billing hooks',
      metadata: { run: suite.runId, team: 'billing' },
    });
    expect(created).toMatchObject({
      object: 'webhook_endpoint',
      url: url('hooks'),
      enabled_events: ['customer.created', 'invoice.paid'],
      description: 'Billing hooks',
      metadata: { run: suite.runId, team: 'billing' },
      status: 'enabled',
      api_version: API_VERSION,
      application: null,
      livemode: false,
    });
    expect(created.id).toMatch(/^we_/);
    expect(created.secret).toMatch(/^whsec_[0-9A-Za-z]{32}$/);

    const retrieved = await stripe.webhookEndpoints.retrieve(created.id);
    expect(retrieved).not.toHaveProperty('secret');
    const { secret: _secret, lastResponse: _created, ...shown } = created;
    const { lastResponse: _retrieved, ...again } = retrieved;
    expect(again).toEqual(shown);

    const updated = await stripe.webhookEndpoints.update(created.id, {
      url: url('v2/hooks'),
      enabled_events: ['*'],
      description: '',
      metadata: { team: '' },
    });
    expect(updated).toMatchObject({ url: url('v2/hooks'), enabled_events: ['*'], description: null, metadata: { run: suite.runId }, status: 'enabled' });
    expect(updated).not.toHaveProperty('secret');
    expect((await stripe.webhookEndpoints.update(created.id, { disabled: true })).status).toBe('disabled');
    expect((await stripe.webhookEndpoints.retrieve(created.id)).status).toBe('disabled');
    expect((await stripe.webhookEndpoints.update(created.id, { disabled: false })).status).toBe('enabled');

    const second = await stripe.webhookEndpoints.create({ url: url('other'), enabled_events: ['*'], metadata: { run: suite.runId } });
    const listed = await mine();
    expect(listed.map((e) => e.id)).toEqual([second.id, created.id]);
    for (const endpoint of listed) expect(endpoint).not.toHaveProperty('secret');

    const deleted = await stripe.webhookEndpoints.del(created.id);
    expect(deleted).toMatchObject({ id: created.id, object: 'webhook_endpoint', deleted: true });
    const gone = await stripeError(stripe.webhookEndpoints.retrieve(created.id));
    expect(gone).toMatchObject({ statusCode: 404, code: 'resource_missing' });
    expect((await stripeError(stripe.webhookEndpoints.del(created.id))).statusCode).toBe(404);
    expect((await stripeError(stripe.webhookEndpoints.update(created.id, { description: 'x' }))).statusCode).toBe(404);
    expect((await mine()).map((e) => e.id)).toEqual([second.id]);
    await stripe.webhookEndpoints.del(second.id);
  });

  it('answers a replayed create without the secret', async () => {
    const params = { url: url('replayed'), enabled_events: ['customer.created' as const], metadata: { run: suite.runId } };
    const idempotencyKey = `we-${suite.runId}`;
    const first = await stripe.webhookEndpoints.create(params, { idempotencyKey });
    const replay = await stripe.webhookEndpoints.create(params, { idempotencyKey });
    expect(first.secret).toMatch(/^whsec_/);
    expect(replay.id).toBe(first.id);
    expect(replay).not.toHaveProperty('secret');
    await stripe.webhookEndpoints.del(first.id);
  });

  it.skipIf(!ownerAvailable)("keeps each workspace's endpoints to itself", async () => {
    const { secret } = await requireOwner(suite).createKey({ type: 'secret', workspace: 'live' });
    const live = suite.client(secret);
    const sandboxEndpoint = await stripe.webhookEndpoints.create({ url: url('sandbox'), enabled_events: ['*'], metadata: { run: suite.runId } });
    const liveEndpoint = await live.webhookEndpoints.create({ url: url('live'), enabled_events: ['*'], metadata: { run: suite.runId } });
    expect(liveEndpoint.livemode).toBe(true);
    expect((await stripeError(live.webhookEndpoints.retrieve(sandboxEndpoint.id))).statusCode).toBe(404);
    expect((await stripeError(live.webhookEndpoints.del(sandboxEndpoint.id))).statusCode).toBe(404);
    expect((await mine()).map((e) => e.id)).toContain(sandboxEndpoint.id);
    expect((await mine()).map((e) => e.id)).not.toContain(liveEndpoint.id);
    await live.webhookEndpoints.del(liveEndpoint.id);
    await stripe.webhookEndpoints.del(sandboxEndpoint.id);
  });

  it('keeps the secret sealed at rest', async () => {
    if (!suite.server) return;
    const created = await stripe.webhookEndpoints.create({ url: url('sealed'), enabled_events: ['*'], metadata: { run: suite.runId } });
    const row = await suite.server.database.db.selectFrom('webhook_endpoints').select('secret_sealed').where('id', '=', created.id).executeTakeFirstOrThrow();
    const secret = created.secret as string;
    expect(row.secret_sealed).not.toContain(secret.slice('whsec_'.length));
    expect(TEST_SECRETS.open(row.secret_sealed)).toBe(secret);
    const stored = await suite.server.database.db.selectFrom('idempotency_keys').select('response_body').where('response_body', 'like', `%${created.id}%`).execute();
    for (const { response_body } of stored) expect(response_body).not.toContain(secret);
    await stripe.webhookEndpoints.del(created.id);
  });

  it('refuses bad input naming the parameter, and writes nothing', async () => {
    const before = await mine();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ url: 'ftp://example.com/hooks', enabled_events: ['*'] }, 'url'],
      [{ url: 'not a url', enabled_events: ['*'] }, 'url'],
      [{ enabled_events: ['*'] }, 'url'],
      [{ url: url('x'), enabled_events: ['customer.created', 'customer.exploded'] }, 'enabled_events[1]'],
      [{ url: url('x'), enabled_events: ['customer.*'] }, 'enabled_events[0]'],
      [{ url: url('x') }, 'enabled_events'],
      [{ url: url('x'), enabled_events: ['*'], api_version: '2020-08-27' }, 'api_version'],
      [{ url: url('x'), enabled_events: ['*'], connect: true }, 'connect'],
    ];
    for (const [params, param] of cases) {
      const error = await stripeError(stripe.webhookEndpoints.create({ metadata: { run: suite.runId }, ...params } as unknown as Stripe.WebhookEndpointCreateParams));
      expect(error, JSON.stringify(params)).toMatchObject({ type: 'StripeInvalidRequestError', statusCode: 400, param });
    }
    const target = await stripe.webhookEndpoints.create({ url: url('target'), enabled_events: ['invoice.paid'], metadata: { run: suite.runId } });
    for (const [params, param] of [
      [{ url: 'javascript:alert(1)' }, 'url'],
      [{ enabled_events: ['nope'] }, 'enabled_events[0]'],
      [{ disabled: 'maybe' }, 'disabled'],
    ] as const) {
      const error = await stripeError(stripe.webhookEndpoints.update(target.id, params as unknown as Stripe.WebhookEndpointUpdateParams));
      expect(error).toMatchObject({ statusCode: 400, param });
    }
    const unchanged = await stripe.webhookEndpoints.retrieve(target.id);
    expect(unchanged).toMatchObject({ url: url('target'), enabled_events: ['invoice.paid'], status: 'enabled' });
    await stripe.webhookEndpoints.del(target.id);
    expect((await mine()).map((e) => e.id)).toEqual(before.map((e) => e.id));
  });
});
