/**
 * Outgoing webhooks end to end: endpoints made through the official `stripe` SDK, events
 * made by API writes, the real dispatcher and deliverer (driven by an explicit clock where
 * the schedule matters), and a real HTTP receiver on a random port whose requests are
 * verified with `stripe.webhooks.constructEvent`, as a customer's server would.
 * Only this file's workspaces have endpoints, so only its deliveries exist. The file holds the
 * dispatch lock (test/helpers/dispatch-lock.ts): no other file's dispatcher takes its events.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TEST_SECRETS } from '../../../test/helpers/app-options.ts';
import { holdDispatchLock } from '../../../test/helpers/dispatch-lock.ts';
import { createTestAccount, startTestServer, type TestAccount, type TestServer } from '../../../test/helpers/server.ts';
import { stripeClient } from '../../../test/helpers/stripe.ts';
import { connect } from '../../db/database.ts';
import { drainWork, type DueWork } from '../../worker/runner.ts';
import { eventDispatcher } from '../events/dispatcher.ts';
import { webhookConsumer } from './consumer.ts';
import { webhookDeliverer, type DisabledEndpoint } from './deliverer.ts';
import { RETRY_WINDOW_SECONDS, retryDelaySeconds } from './schedule.ts';
import type { WebhookDeliveryObject } from './schema.ts';
import { emailOwnerEndpointDisabled } from '../notifications/owner.ts';
import { USER_AGENT } from './send.ts';

let server: TestServer;
let releaseDispatchLock: () => Promise<void> = async () => {};
beforeAll(async () => {
  server = await startTestServer();
  releaseDispatchLock = await holdDispatchLock(server.database.url);
});
afterAll(async () => {
  await releaseDispatchLock();
  await server.close();
});

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver: records every request and answers as `answer` says. */
interface Receiver {
  url: string;
  requests: Received[];
  answer: (request: Received) => Promise<{ status: number; body?: string }> | { status: number; body?: string };
  close(): Promise<void>;
}

const receivers: Receiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

async function startReceiver(status = 200): Promise<Receiver> {
  const receiver: Receiver = { url: '', requests: [], answer: () => ({ status }), close: async () => {} };
  const http: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const received = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      receiver.requests.push(received);
      void Promise.resolve(receiver.answer(received)).then(({ status: code, body }) => res.writeHead(code).end(body ?? ''));
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/hooks`;
  receiver.close = () => new Promise<void>((resolve) => http.close(() => resolve()));
  http.closeIdleConnections();
  receivers.push(receiver);
  return receiver;
}

interface Setup {
  account: TestAccount;
  stripe: Stripe;
}

async function setup(): Promise<Setup> {
  const account = await createTestAccount(server.database);
  return { account, stripe: stripeClient(server.baseUrl, account.secretKey) };
}

const disabledCalls: DisabledEndpoint[] = [];
const works = (): DueWork[] => [
  eventDispatcher([webhookConsumer()]),
  webhookDeliverer({
    secrets: TEST_SECRETS,
    notifyOwner: async (db, disabled) => {
      // It runs in the disabling transaction: the endpoint already reads as disabled there.
      const row = await db.selectFrom('webhook_endpoints').select('status').where('workspace_id', '=', disabled.workspace.id).where('id', '=', disabled.endpoint.id).executeTakeFirst();
      expect(row?.status).toBe('disabled');
      disabledCalls.push(disabled);
      await emailOwnerEndpointDisabled(db, disabled);
    },
  }),
];

/** Dispatches new events and delivers what is due at `at`. */
async function runWorkerAt(at: Date): Promise<void> {
  await drainWork(server.database.db, works(), () => at);
}

async function deliveries(stripe: Stripe, endpointId: string, status?: string): Promise<WebhookDeliveryObject[]> {
  // The SDK's rawRequest takes GET parameters in the path.
  const query = new URLSearchParams({ limit: '100', ...(status ? { status } : {}) });
  const list = (await stripe.rawRequest('GET', `/v1/webhook_endpoints/${endpointId}/deliveries?${query}`, {})) as unknown as {
    data: WebhookDeliveryObject[];
  };
  return list.data;
}

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);
const later = (date: Date, s: number) => new Date(date.getTime() + s * 1000);
/** A whole second a little ahead, so events just written are due and times compare exactly. */
const soon = () => new Date(Math.ceil(Date.now() / 1000) * 1000 + 1000);

function signedAt(request: Received): number {
  return Number(/t=(\d+)/.exec(String(request.headers['stripe-signature']))?.[1]);
}

describe('webhook delivery', () => {
  it('POSTs each event once, signed so that stripe.webhooks.constructEvent accepts it, with the body of GET /v1/events/:id', async () => {
    const { account, stripe } = await setup();
    const receiver = await startReceiver(200);
    const endpoint = await stripe.webhookEndpoints.create({ url: receiver.url, enabled_events: ['customer.created'] });
    const customer = await stripe.customers.create({ name: 'Hooked' });

    await runWorkerAt(new Date());
    expect(receiver.requests).toHaveLength(1);
    const [request] = receiver.requests as [Received];
    expect(request.headers['content-type']).toMatch(/^application\/json/);
    expect(request.headers['user-agent']).toBe(USER_AGENT);
    const event = stripe.webhooks.constructEvent(request.body, String(request.headers['stripe-signature']), endpoint.secret as string);
    expect(event.type).toBe('customer.created');
    expect((event.data.object as Stripe.Customer).id).toBe(customer.id);

    // Byte for byte what the API answers for the event.
    const fetched = await fetch(`${server.baseUrl}/v1/events/${event.id}`, { headers: { authorization: `Bearer ${account.secretKey}` } });
    expect(request.body).toBe(await fetched.text());

    // A wrong secret, or an altered body, is refused.
    expect(() => stripe.webhooks.constructEvent(request.body, String(request.headers['stripe-signature']), 'whsec_wrong')).toThrow(/signature/i);
    expect(() => stripe.webhooks.constructEvent(request.body.replace('Hooked', 'Hacked'), String(request.headers['stripe-signature']), endpoint.secret as string)).toThrow(/signature/i);

    const [delivery] = await deliveries(stripe, endpoint.id);
    expect(delivery).toMatchObject({ object: 'webhook_delivery', event: event.id, event_type: 'customer.created', status: 'succeeded', attempts: 1, last_status_code: 200, next_attempt_at: null });

    // Running again sends nothing more.
    await runWorkerAt(new Date());
    expect(receiver.requests).toHaveLength(1);
  });

  it('sends an endpoint only the event types it enabled (or all with *)', async () => {
    const { stripe } = await setup();
    const invoicesOnly = await startReceiver(200);
    const everything = await startReceiver(200);
    const a = await stripe.webhookEndpoints.create({ url: invoicesOnly.url, enabled_events: ['invoice.paid'] });
    await stripe.webhookEndpoints.create({ url: everything.url, enabled_events: ['*'] });
    const disabledReceiver = await startReceiver(200);
    const disabled = await stripe.webhookEndpoints.create({ url: disabledReceiver.url, enabled_events: ['*'] });
    await stripe.webhookEndpoints.update(disabled.id, { disabled: true });
    await stripe.customers.create({ name: 'Not an invoice' });

    await runWorkerAt(new Date());
    expect(invoicesOnly.requests).toHaveLength(0);
    expect(await deliveries(stripe, a.id)).toEqual([]);
    expect(disabledReceiver.requests).toHaveLength(0);
    expect(everything.requests.map((r) => (JSON.parse(r.body) as { type: string }).type)).toEqual(['customer.created']);
  });

  it('retries a failing receiver at the scheduled times, then succeeds once it answers 200', async () => {
    const { stripe } = await setup();
    const receiver = await startReceiver(500);
    receiver.answer = () => ({ status: 500, body: 'database down' });
    const endpoint = await stripe.webhookEndpoints.create({ url: receiver.url, enabled_events: ['customer.created'] });
    await stripe.customers.create({ name: 'Retried' });

    const start = soon();
    await runWorkerAt(start);
    expect(receiver.requests).toHaveLength(1);
    let [delivery] = await deliveries(stripe, endpoint.id);
    expect(delivery).toMatchObject({ status: 'pending', attempts: 1, last_status_code: 500, last_response: 'database down', last_attempt_at: seconds(start) });
    expect(delivery?.next_attempt_at).toBe(seconds(start) + 60);

    await runWorkerAt(later(start, 59));
    expect(receiver.requests).toHaveLength(1);
    await runWorkerAt(later(start, 60));
    expect(receiver.requests).toHaveLength(2);
    [delivery] = await deliveries(stripe, endpoint.id);
    expect(delivery).toMatchObject({ attempts: 2, next_attempt_at: seconds(start) + 60 + 300 });

    await runWorkerAt(later(start, 359));
    expect(receiver.requests).toHaveLength(2);
    receiver.answer = () => ({ status: 204 });
    await runWorkerAt(later(start, 360));
    expect(receiver.requests).toHaveLength(3);
    [delivery] = await deliveries(stripe, endpoint.id);
    expect(delivery).toMatchObject({ status: 'succeeded', attempts: 3, last_status_code: 204, delivered_at: seconds(start) + 360, next_attempt_at: null });

    // Each attempt is signed at the worker's time, and verifies at that time.
    expect(receiver.requests.map(signedAt)).toEqual([seconds(start), seconds(start) + 60, seconds(start) + 360]);
    for (const request of receiver.requests) {
      const at = signedAt(request) * 1000;
      expect(stripe.webhooks.constructEvent(request.body, String(request.headers['stripe-signature']), endpoint.secret as string, 300, undefined, at).type).toBe('customer.created');
    }
    await runWorkerAt(later(start, 7200));
    expect(receiver.requests).toHaveLength(3);
  });

  it('gives up after three days of failures, disables an endpoint nothing reached, tells the owner, and can still be retried by hand', async () => {
    const { account, stripe } = await setup();
    const dead = await startReceiver(503);
    const flaky = await startReceiver(200);
    const deadEndpoint = await stripe.webhookEndpoints.create({ url: dead.url, enabled_events: ['customer.created'] });
    const flakyEndpoint = await stripe.webhookEndpoints.create({ url: flaky.url, enabled_events: ['customer.created', 'customer.updated'] });
    const customer = await stripe.customers.create({ name: 'Never delivered' });
    // The flaky endpoint fails the creation for good but takes the update: it stays enabled.
    flaky.answer = (r) => ({ status: (JSON.parse(r.body) as { type: string }).type === 'customer.created' ? 500 : 200 });

    const start = soon();
    let at = start;
    const attemptTimes: number[] = [];
    for (let i = 0; i < 20; i++) {
      await runWorkerAt(at);
      if (i === 3) await stripe.customers.update(customer.id, { name: 'Updated' });
      const [delivery] = await deliveries(stripe, deadEndpoint.id);
      if (delivery?.last_attempt_at !== attemptTimes.at(-1)) attemptTimes.push(delivery?.last_attempt_at as number);
      if (delivery?.status !== 'pending') break;
      at = new Date((delivery.next_attempt_at as number) * 1000);
    }

    // Twelve attempts on the schedule, all within three days of the first.
    expect(attemptTimes).toHaveLength(12);
    expect(attemptTimes.slice(1).map((t, i) => t - (attemptTimes[i] as number))).toEqual(Array.from({ length: 11 }, (_, i) => retryDelaySeconds(i + 1)));
    expect((attemptTimes.at(-1) as number) - seconds(start)).toBeLessThanOrEqual(RETRY_WINDOW_SECONDS);
    expect(dead.requests).toHaveLength(12);
    const [failed] = await deliveries(stripe, deadEndpoint.id, 'failed');
    expect(failed).toMatchObject({ status: 'failed', attempts: 12, last_status_code: 503, next_attempt_at: null });

    expect((await stripe.webhookEndpoints.retrieve(deadEndpoint.id)).status).toBe('disabled');
    expect((await stripe.webhookEndpoints.retrieve(flakyEndpoint.id)).status).toBe('enabled');
    expect(await deliveries(stripe, flakyEndpoint.id, 'failed')).toHaveLength(1);
    const mine = disabledCalls.filter((d) => d.workspace.id === account.sandbox.id);
    expect(mine.map((d) => [d.endpoint.id, d.endpoint.status])).toEqual([[deadEndpoint.id, 'disabled']]);
    const events = await stripe.events.list({ type: 'webhook_endpoint.disabled' });
    expect(events.data.map((e) => (e.data.object as { id: string }).id)).toEqual([deadEndpoint.id]);
    // The account's owner is told, by email through the outbox.
    const mail = await server.database.db.selectFrom('email_messages').selectAll().where('workspace_id', '=', account.sandbox.id).where('template', '=', 'webhook_endpoint_disabled').execute();
    expect(mail.map((m) => [m.to_address, m.subject])).toEqual([[account.ownerEmail, `Webhook endpoint disabled: ${dead.url}`]]);
    expect(mail[0]?.text_body).toContain(dead.url);

    // A disabled endpoint gets no new events...
    await stripe.customers.create({ name: 'After' });
    await runWorkerAt(later(at, 60));
    expect(dead.requests).toHaveLength(12);
    // ...but a delivery can be sent again by hand, whatever its status.
    dead.answer = () => ({ status: 200, body: 'ok now' });
    const retried = (await stripe.rawRequest('POST', `/v1/webhook_deliveries/${failed?.id}/retry`, {})) as unknown as WebhookDeliveryObject;
    expect(retried).toMatchObject({ id: failed?.id, status: 'succeeded', attempts: 13, last_status_code: 200, last_response: 'ok now' });
    expect(dead.requests).toHaveLength(13);
    expect(stripe.webhooks.constructEvent(dead.requests[12]?.body ?? '', String(dead.requests[12]?.headers['stripe-signature']), deadEndpoint.secret as string).type).toBe('customer.created');
    const again = (await stripe.rawRequest('POST', `/v1/webhook_deliveries/${failed?.id}/retry`, {})) as unknown as WebhookDeliveryObject;
    expect(again).toMatchObject({ status: 'succeeded', attempts: 14 });
    expect(dead.requests).toHaveLength(14);

    const missing = await stripe.rawRequest('POST', '/v1/webhook_deliveries/wd_nope/retry', {}).then(
      () => null,
      (e: Stripe.errors.StripeError) => e,
    );
    expect(missing).toMatchObject({ statusCode: 404, code: 'resource_missing' });
  });

  it('records why an attempt got no answer, and a manual retry of a pending delivery keeps its schedule', async () => {
    const { stripe } = await setup();
    const gone = await startReceiver(200);
    const url = gone.url;
    await gone.close();
    const endpoint = await stripe.webhookEndpoints.create({ url, enabled_events: ['customer.created'] });
    await stripe.customers.create({ name: 'Nobody home' });
    const start = soon();
    await runWorkerAt(start);
    const [delivery] = await deliveries(stripe, endpoint.id);
    expect(delivery).toMatchObject({ status: 'pending', attempts: 1, last_status_code: null, last_response: null });
    expect(delivery?.last_error).toMatch(/ECONNREFUSED/);

    const retried = (await stripe.rawRequest('POST', `/v1/webhook_deliveries/${delivery?.id}/retry`, {})) as unknown as WebhookDeliveryObject;
    expect(retried).toMatchObject({ status: 'pending', attempts: 2, next_attempt_at: seconds(start) + 60 });
    expect(retried.last_error).toMatch(/ECONNREFUSED/);

    // Deleting the endpoint takes its deliveries with it.
    await stripe.webhookEndpoints.del(endpoint.id);
    const count = await server.database.db.selectFrom('webhook_deliveries').select((eb) => eb.fn.countAll<string>().as('n')).where('endpoint_id', '=', endpoint.id).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });

  it('queues an event once per endpoint, however often it is handed over', async () => {
    const { account, stripe } = await setup();
    const receiver = await startReceiver(200);
    const endpoint = await stripe.webhookEndpoints.create({ url: receiver.url, enabled_events: ['*'] });
    await stripe.customers.create({ name: 'Once' });
    const { db } = server.database;
    const event = await db.selectFrom('events').selectAll().where('workspace_id', '=', account.sandbox.id).where('type', '=', 'customer.created').executeTakeFirstOrThrow();
    const consumer = webhookConsumer();
    // As a dispatcher batch that was rolled back and run again would.
    for (let i = 0; i < 3; i++) await db.transaction().execute((tx) => consumer.handle(tx, event));
    await runWorkerAt(new Date());
    expect(await deliveries(stripe, endpoint.id)).toHaveLength(1);
    expect(receiver.requests).toHaveLength(1);
  });

  it('delivers each due delivery exactly once with two deliverers racing', async () => {
    const { stripe } = await setup();
    const receiver = await startReceiver(200);
    const endpoint = await stripe.webhookEndpoints.create({ url: receiver.url, enabled_events: ['customer.created'] });
    for (let i = 0; i < 30; i++) await stripe.customers.create({ name: `Race ${i}` });
    await drainWork(server.database.db, [eventDispatcher([webhookConsumer()])]);

    // The receiver holds the first batch's requests until a request of another batch arrives:
    // the other deliverer must have claimed while the first one was still sending.
    const batchSize = 5;
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const timer = setTimeout(release, 10_000);
    receiver.answer = async () => {
      if (receiver.requests.length > batchSize) release();
      await released;
      return { status: 200 };
    };
    const handles = [connect(server.database.url, { max: 2 }), connect(server.database.url, { max: 2 })];
    const handled = [0, 0];
    try {
      await Promise.all(
        handles.map((handle, n) => {
          const deliverer = webhookDeliverer({ secrets: TEST_SECRETS, batchSize });
          const counting: DueWork = {
            ...deliverer,
            runBatch: async (db, now) => {
              const count = await deliverer.runBatch(db, now);
              handled[n] = (handled[n] ?? 0) + count;
              return count;
            },
          };
          return drainWork(handle.db, [counting]);
        }),
      );
    } finally {
      clearTimeout(timer);
      await Promise.all(handles.map((h) => h.close()));
    }
    const eventIds = receiver.requests.map((r) => (JSON.parse(r.body) as { id: string }).id);
    expect(eventIds).toHaveLength(30);
    expect(new Set(eventIds).size).toBe(30);
    expect(handled.every((n) => n > 0)).toBe(true);
    const data = await deliveries(stripe, endpoint.id);
    expect(data.map((d) => [d.status, d.attempts])).toEqual(Array.from({ length: 30 }, () => ['succeeded', 1]));
  });
});

