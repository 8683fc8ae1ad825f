/**
 * CRM tasks (a Recur extension: /v1/tasks, through the SDK's rawRequest as any Stripe-shaped
 * extension): when an invoice's payment retries run out, whatever the workspace's final
 * action, the billing team gets one follow-up task on the customer; people open, edit,
 * complete and reopen their own; bad input is a 400 naming the parameter, with nothing written.
 */
import type Stripe from 'stripe';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { queueDunningTasks } from '../../src/modules/crm/tasks/dunning.ts';
import { flushPendingWrites, newPendingWrites } from '../../src/server/unit-of-work.ts';
import { advanceClock, renewalInvoice as renewalInvoiceOf, subscribedThenFailing } from '../helpers/clocks.ts';
import { startStripeSuite, stripeError, type StripeSuite } from '../helpers/stripe.ts';

let suite: StripeSuite;
let stripe: Stripe;
beforeAll(async () => ({ suite, stripe } = await startStripeSuite()));
afterAll(async () => suite.close());

const HOUR = 3600;
const DAY = 86400;
const utc = (year: number, month: number, day: number, hour = 0) => Date.UTC(year, month - 1, day, hour) / 1000;

interface Task {
  id: string;
  object: 'task';
  kind: 'dunning_exhausted' | 'manual';
  title: string;
  description: string | null;
  status: 'open' | 'completed';
  due_at: number | null;
  completed_at: number | null;
  created: number;
  customer: string;
  related: { invoice: string | null; subscription: string | null };
  metadata: Record<string, string>;
  livemode: boolean;
}
interface List<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
}

/** The SDK's raw request; a GET's (flat) parameters go in the query string, as the SDK wants them. */
async function raw<T>(method: 'GET' | 'POST', path: string, params: Record<string, unknown> = {}): Promise<T> {
  if (method === 'POST') return (await stripe.rawRequest('POST', path, params)) as unknown as T;
  const query = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString();
  return (await stripe.rawRequest('GET', query ? `${path}?${query}` : path)) as unknown as T;
}

const tasksOf = (customer: string, extra: Record<string, string> = {}) => raw<List<Task>>('GET', '/v1/tasks', { customer, limit: 100, ...extra });

async function taskEvents(taskIds: readonly string[]): Promise<Stripe.Event[]> {
  const events = await stripe.events.list({ type: 'task.*', limit: 100 });
  return events.data.filter((e) => taskIds.includes((e.data.object as unknown as Task).id));
}

afterEach(async () => {
  await raw('POST', '/v1/dunning_settings', { retry_days: [1, 2, 3, 5, 7, 9, 11, 14], final_action: 'cancel' });
});

/** A customer on a test clock whose card works now; `then` is the card its renewals will meet. */
async function subscribed(start: number, then: string) {
  const price = await stripe.prices.create({ currency: 'usd', unit_amount: 2000, recurring: { interval: 'month' }, product_data: { name: `Tasks ${suite.runId}` } });
  return subscribedThenFailing(stripe, { start, then, price: price.id, customer: { email: `tasks-${suite.runId}@example.com` } });
}
const advance = (clockId: string, to: number) => advanceClock(stripe, clockId, to);
const renewalInvoice = (subscriptionId: string) => renewalInvoiceOf(stripe, subscriptionId);

/** Renews under `final_action` with one retry on day 2, both failing: the retries run out. */
async function exhausted(finalAction: 'cancel' | 'unpaid' | 'past_due', start: number) {
  await raw('POST', '/v1/dunning_settings', { retry_days: [2], final_action: finalAction });
  const { clock, customer, subscription } = await subscribed(start, 'pm_card_chargeCustomerFail');
  const renewal = new Date(start * 1000);
  renewal.setUTCMonth(renewal.getUTCMonth() + 1);
  await advance(clock.id, renewal.getTime() / 1000 + 2 * HOUR);
  const failedAt = (await renewalInvoice(subscription.id)).status_transitions.finalized_at as number;
  // One failure so far: retries remain, so no task yet.
  expect((await tasksOf(customer.id)).data).toEqual([]);
  await advance(clock.id, failedAt + 2 * DAY + 60);
  const invoice = await renewalInvoice(subscription.id);
  expect(invoice).toMatchObject({ status: 'open', attempt_count: 2, next_payment_attempt: null });
  return { clock, customer, subscription, invoice, exhaustedAt: failedAt + 2 * DAY };
}

describe('tasks: when dunning runs out', () => {
  it('opens one task for the billing team on the customer, for each final action', async () => {
    const cases = [
      { action: 'cancel', status: 'canceled', says: 'the subscription was canceled', start: utc(2028, 1, 10, 9) },
      { action: 'unpaid', status: 'unpaid', says: 'the subscription was marked unpaid', start: utc(2028, 2, 10, 9) },
      { action: 'past_due', status: 'past_due', says: 'the subscription was left past due', start: utc(2028, 3, 10, 9) },
    ] as const;
    for (const c of cases) {
      const { customer, subscription, invoice, exhaustedAt } = await exhausted(c.action, c.start);
      expect((await stripe.subscriptions.retrieve(subscription.id)).status).toBe(c.status);
      const { data } = await tasksOf(customer.id);
      expect(data, c.action).toHaveLength(1);
      const task = data[0] as Task;
      expect(task).toMatchObject({
        object: 'task',
        kind: 'dunning_exhausted',
        status: 'open',
        customer: customer.id,
        related: { invoice: invoice.id, subscription: subscription.id },
        title: `Payment failed: retries exhausted for invoice ${invoice.number}`,
        due_at: null,
        completed_at: null,
        livemode: false,
        metadata: {},
        // Made at the clock's time, as the final action was.
        created: exhaustedAt,
      });
      expect(task.description).toContain('$20.00 is still due');
      expect(task.description).toContain('after 2 failed payment attempts');
      expect(task.description).toContain(`Final action: ${c.says}.`);
      expect(task.id).toMatch(/^task_[0-9A-Za-z]{24}$/);
      expect(await raw('GET', `/v1/tasks/${task.id}`)).toEqual(task);
      const events = await taskEvents([task.id]);
      expect(events.map((e) => e.type)).toEqual(['task.created']);
      expect(events[0]?.data.object).toEqual(task);
      // Listed among the workspace's open dunning tasks.
      const open = await raw<List<Task>>('GET', '/v1/tasks', { status: 'open', kind: 'dunning_exhausted', limit: 100 });
      expect(open.data.map((t) => t.id)).toContain(task.id);
    }
  });

  it('opens no second task when a new card fails that invoice again, nor when a batch writes it twice', async () => {
    const { customer, subscription, invoice } = await exhausted('unpaid', utc(2028, 5, 3, 9));
    // A new default card is tried at once; it fails too, so the retries run out again.
    const another = await stripe.paymentMethods.attach('pm_card_chargeDeclinedInsufficientFunds', { customer: customer.id });
    await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: another.id } });
    expect(await renewalInvoice(subscription.id)).toMatchObject({ id: invoice.id, status: 'open', attempt_count: 3 });
    expect((await stripe.subscriptions.retrieve(subscription.id)).status).toBe('unpaid');
    const { data } = await tasksOf(customer.id);
    expect(data).toHaveLength(1);
    expect(await taskEvents(data.map((t) => t.id))).toHaveLength(1);

    // A batch that queues the same invoice's task again (as a re-run would): the unique key
    // drops the row. Needs the database itself, so only with the in-process server.
    if (!suite.server) return;
    const { db } = suite.server.database;
    const stored = await db.selectFrom('tasks').select('workspace_id').where('id', '=', (data[0] as Task).id).executeTakeFirstOrThrow();
    const pending = newPendingWrites();
    const ctx = { workspace: { id: stored.workspace_id, accountId: '', mode: 'sandbox' as const }, requestId: null, idempotencyKey: null, pending };
    queueDunningTasks(db, [
      {
        ctx,
        invoice: { id: invoice.id, number: invoice.number, customer_id: customer.id, amount_remaining: 2000n, currency: 'usd', attempt_count: 3, last_payment_error: null },
        subscriptionId: subscription.id,
        finalAction: 'unpaid',
        at: new Date(),
      },
    ]);
    // Its event is the pre-check's business (withoutDunningTask), not the key's: only the row is at stake here.
    pending.events = [];
    await db.transaction().execute((tx) => flushPendingWrites(tx, pending));
    expect((await tasksOf(customer.id)).data).toHaveLength(1);
  });

  it('opens none while retries remain, nor when the renewal is paid', async () => {
    const { clock, customer, subscription } = await subscribed(utc(2028, 7, 1), 'pm_card_mastercard');
    await advance(clock.id, utc(2028, 8, 1) + 2 * HOUR);
    expect(await renewalInvoice(subscription.id)).toMatchObject({ status: 'paid' });
    expect((await tasksOf(customer.id)).data).toEqual([]);
  });
});

describe('tasks: made by people', () => {
  it('are opened, edited, completed and reopened, each change an event with previous_attributes', async () => {
    const customer = await stripe.customers.create({ email: `manual-${suite.runId}@example.com` });
    const due = Math.floor(Date.now() / 1000) + 7 * DAY;
    const created = await raw<Task>('POST', '/v1/tasks', {
      customer: customer.id,
      title: 'Call about the annual plan',
      description: 'They asked for a quote.',
      due_at: due,
      metadata: { source: 'call' },
    });
    expect(created).toMatchObject({
      object: 'task',
      kind: 'manual',
      status: 'open',
      customer: customer.id,
      title: 'Call about the annual plan',
      description: 'They asked for a quote.',
      due_at: due,
      completed_at: null,
      related: { invoice: null, subscription: null },
      metadata: { source: 'call' },
    });
    expect(await raw('GET', `/v1/tasks/${created.id}`)).toEqual(created);

    const edited = await raw<Task>('POST', `/v1/tasks/${created.id}`, { title: 'Call about the 2-year plan', description: '', due_at: '', metadata: { source: '', channel: 'phone' } });
    expect(edited).toMatchObject({ title: 'Call about the 2-year plan', description: null, due_at: null, status: 'open', metadata: { channel: 'phone' } });

    const completed = await raw<Task>('POST', `/v1/tasks/${created.id}`, { status: 'completed' });
    expect(completed.status).toBe('completed');
    expect(completed.completed_at).toBeGreaterThanOrEqual(created.created);
    // Completing it again changes nothing (and records nothing).
    expect(await raw<Task>('POST', `/v1/tasks/${created.id}`, { status: 'completed' })).toEqual(completed);
    expect((await tasksOf(customer.id, { status: 'open' })).data).toEqual([]);
    expect((await tasksOf(customer.id, { status: 'completed' })).data.map((t) => t.id)).toEqual([created.id]);

    const reopened = await raw<Task>('POST', `/v1/tasks/${created.id}`, { status: 'open' });
    expect(reopened).toMatchObject({ status: 'open', completed_at: null });

    const events = await taskEvents([created.id]);
    expect(events.map((e) => e.type)).toEqual(['task.updated', 'task.updated', 'task.updated', 'task.created']);
    const [reopen, complete, edit] = events;
    expect(reopen?.data.previous_attributes).toEqual({ status: 'completed', completed_at: completed.completed_at });
    expect(complete?.data.previous_attributes).toEqual({ status: 'open', completed_at: null });
    expect(edit?.data.previous_attributes).toEqual({
      title: 'Call about the annual plan',
      description: 'They asked for a quote.',
      due_at: due,
      metadata: { source: 'call' },
    });
  });

  it('list newest first, by customer, status and kind', async () => {
    const customer = await stripe.customers.create({ email: `list-${suite.runId}@example.com` });
    const first = await raw<Task>('POST', '/v1/tasks', { customer: customer.id, title: 'First' });
    const second = await raw<Task>('POST', '/v1/tasks', { customer: customer.id, title: 'Second' });
    await raw('POST', `/v1/tasks/${first.id}`, { status: 'completed' });
    expect((await tasksOf(customer.id)).data.map((t) => t.id)).toEqual([second.id, first.id]);
    expect((await tasksOf(customer.id, { status: 'open' })).data.map((t) => t.id)).toEqual([second.id]);
    expect((await tasksOf(customer.id, { kind: 'manual' })).data).toHaveLength(2);
    expect((await tasksOf(customer.id, { kind: 'dunning_exhausted' })).data).toEqual([]);
    const page = await raw<List<Task>>('GET', '/v1/tasks', { customer: customer.id, limit: 1 });
    expect(page).toMatchObject({ object: 'list', has_more: true, data: [{ id: second.id }] });
    const next = await raw<List<Task>>('GET', '/v1/tasks', { customer: customer.id, limit: 1, starting_after: second.id });
    expect(next).toMatchObject({ has_more: false, data: [{ id: first.id }] });
  });

  it('refuse bad input with a 400 naming the parameter, and write nothing', async () => {
    const customer = await stripe.customers.create({ email: `bad-${suite.runId}@example.com` });
    const task = await raw<Task>('POST', '/v1/tasks', { customer: customer.id, title: 'Keep me' });
    const allTaskEvents = async () => (await stripe.events.list({ type: 'task.*', limit: 100 })).data.map((e) => e.id);
    const before = { tasks: (await tasksOf(customer.id)).data, events: await allTaskEvents() };
    const deleted = await stripe.customers.create({ email: `gone-${suite.runId}@example.com` });
    await stripe.customers.del(deleted.id);

    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['/v1/tasks', { title: 'No customer' }, 'customer'],
      ['/v1/tasks', { customer: 'cus_doesNotExist', title: 'x' }, 'customer'],
      ['/v1/tasks', { customer: deleted.id, title: 'x' }, 'customer'],
      ['/v1/tasks', { customer: customer.id }, 'title'],
      ['/v1/tasks', { customer: customer.id, title: '   ' }, 'title'],
      ['/v1/tasks', { customer: customer.id, title: 'x'.repeat(501) }, 'title'],
      ['/v1/tasks', { customer: customer.id, title: 'x', due_at: 'tomorrow' }, 'due_at'],
      ['/v1/tasks', { customer: customer.id, title: 'x', kind: 'dunning_exhausted' }, 'kind'],
      ['/v1/tasks', { customer: customer.id, title: 'x', status: 'completed' }, 'status'],
      [`/v1/tasks/${task.id}`, { status: 'done' }, 'status'],
      [`/v1/tasks/${task.id}`, { title: '' }, 'title'],
      [`/v1/tasks/${task.id}`, { customer: customer.id }, 'customer'],
      [`/v1/tasks/${task.id}`, { due_at: -5 }, 'due_at'],
      [`/v1/tasks/${task.id}`, { metadata: { ['k'.repeat(41)]: 'v' } }, `metadata[${'k'.repeat(41)}]`],
    ];
    for (const [path, params, param] of cases) {
      const error = await stripeError(raw('POST', path, params));
      expect(error, `${path} ${JSON.stringify(params)}`).toMatchObject({ statusCode: 400, type: 'StripeInvalidRequestError', param });
    }
    for (const [query, param] of [
      [{ status: 'closed' }, 'status'],
      [{ kind: 'ticket' }, 'kind'],
      [{ limit: 0 }, 'limit'],
    ] as const) {
      expect(await stripeError(raw('GET', '/v1/tasks', query))).toMatchObject({ statusCode: 400, param });
    }
    expect(await stripeError(raw('GET', '/v1/tasks/task_missing'))).toMatchObject({ statusCode: 404, code: 'resource_missing' });
    expect(await stripeError(raw('POST', '/v1/tasks/cus_notATask', { status: 'completed' }))).toMatchObject({ statusCode: 404 });

    expect({ tasks: (await tasksOf(customer.id)).data, events: await allTaskEvents() }).toEqual(before);
    expect((await tasksOf(deleted.id)).data).toEqual([]);
  });
});
