import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupStripeSuite, stripeError, type StripeSuite } from '../helpers/stripe.ts';

let suite: StripeSuite;
let stripe: Stripe;
let customer: Stripe.Customer;

beforeAll(async () => {
  suite = await setupStripeSuite();
  stripe = suite.stripe;
  customer = await stripe.customers.create({
    email: `events-${suite.runId}@example.com`,
    name: 'Before',
    metadata: { plan: 'basic', keep: 'yes' },
  });
  await stripe.customers.update(customer.id, { name: 'After', metadata: { plan: 'pro' } });
  await stripe.customers.update(customer.id, { description: 'second update' });
  await stripe.customers.del(customer.id);
});
afterAll(async () => suite.close());

/** The events about this file's customer, newest first (the workspace may hold others). */
async function eventsOf(params: Stripe.EventListParams): Promise<Stripe.Event[]> {
  const events = await stripe.events.list({ limit: 100, ...params }).autoPagingToArray({ limit: 1000 });
  return events.filter((e) => (e.data.object as { id?: string }).id === customer.id);
}

describe('events', () => {
  it('lists events of one type', async () => {
    const page = await stripe.events.list({ type: 'customer.created', limit: 100 });
    expect(page.object).toBe('list');
    expect(page.url).toBe('/v1/events');
    expect(page.data.length).toBeGreaterThan(0);
    expect(page.data.every((e) => e.type === 'customer.created')).toBe(true);

    const mine = await eventsOf({ type: 'customer.created' });
    expect(mine).toHaveLength(1);
    const created = mine[0] as Stripe.Event;
    expect(created).toMatchObject({
      object: 'event',
      type: 'customer.created',
      livemode: false,
      api_version: '2026-10-28.endive',
      data: { object: { id: customer.id, object: 'customer', name: 'Before', email: customer.email } },
    });
    expect(created.id).toMatch(/^evt_/);
    expect(created.created).toBeGreaterThanOrEqual(customer.created);
    expect(created.request?.id).toMatch(/^req_/);
  });

  it('accepts a * wildcard type and lists newest first', async () => {
    const mine = await eventsOf({ type: 'customer.*' });
    expect(mine.map((e) => e.type)).toEqual(['customer.deleted', 'customer.updated', 'customer.updated', 'customer.created']);
    const ids = mine.map((e) => e.id);
    expect([...ids].sort().reverse()).toEqual(ids);

    // Wildcards and types[] do not leak other objects' events.
    const all = await stripe.events.list({ type: 'customer.*', limit: 100 });
    expect(all.data.every((e) => e.type.startsWith('customer.'))).toBe(true);
    const several = await eventsOf({ types: ['customer.created', 'customer.deleted'] });
    expect(several.map((e) => e.type)).toEqual(['customer.deleted', 'customer.created']);
    expect(await eventsOf({ type: 'invoice.*' })).toEqual([]);
  });

  it('carries data.previous_attributes on customer.updated', async () => {
    const updates = await eventsOf({ type: 'customer.updated' });
    expect(updates).toHaveLength(2);
    const [second, first] = updates as [Stripe.CustomerUpdatedEvent, Stripe.CustomerUpdatedEvent];
    expect(first.data.object).toMatchObject({ name: 'After', metadata: { plan: 'pro', keep: 'yes' } });
    // Only what changed, with its value before the change.
    expect(first.data.previous_attributes).toEqual({ name: 'Before', metadata: { plan: 'basic', keep: 'yes' } });
    expect(second.data.previous_attributes).toEqual({ description: null });
    expect(second.data.object.description).toBe('second update');
  });

  it('retrieves an event by id, equal to its list entry', async () => {
    const [deleted] = await eventsOf({ type: 'customer.deleted' });
    expect(deleted).toBeDefined();
    const event = await stripe.events.retrieve((deleted as Stripe.Event).id);
    expect(event).toEqual(deleted);
    expect(event.data.object).toMatchObject({ id: customer.id, object: 'customer' });
  });

  it('pages events with starting_after', async () => {
    const first = await stripe.events.list({ limit: 2, type: 'customer.*' });
    expect(first.data).toHaveLength(2);
    const next = await stripe.events.list({ limit: 2, type: 'customer.*', starting_after: first.data[1]?.id });
    expect(next.data.map((e) => e.id)).not.toContain(first.data[0]?.id);
    expect(next.data.every((e) => e.id < (first.data[1]?.id as string))).toBe(true);
  });

  it('filters events by created', async () => {
    const future = await stripe.events.list({ created: { gt: Math.floor(Date.now() / 1000) + 3600 } });
    expect(future.data).toEqual([]);
  });

  it('answers an unknown event id with resource_missing', async () => {
    const error = await stripeError(stripe.events.retrieve('evt_doesnotexist'));
    expect(error).toBeInstanceOf(stripe.errors.StripeInvalidRequestError);
    expect(error).toMatchObject({ statusCode: 404, code: 'resource_missing', param: 'id' });
  });
});
