import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStripeSuite, stripeError, type StripeSuite } from '../helpers/stripe.ts';

let suite: StripeSuite;
let stripe: Stripe;
beforeAll(async () => ({ suite, stripe } = await startStripeSuite()));
afterAll(async () => suite.close());

const now = () => Math.floor(Date.now() / 1000);
const emailFor = (label: string) => `${label}-${suite.runId}@example.com`;

function isLive(customer: Stripe.Customer | Stripe.DeletedCustomer): customer is Stripe.Customer {
  return !('deleted' in customer && customer.deleted === true);
}

async function retrieveLive(id: string): Promise<Stripe.Customer> {
  const customer = await stripe.customers.retrieve(id);
  if (!isLive(customer)) throw new Error(`${id} is deleted`);
  return customer;
}

describe('customers: create / retrieve', () => {
  it('creates a customer with every supported field and reads it back unchanged', async () => {
    const before = now();
    const customer = await stripe.customers.create({
      email: emailFor('jane'),
      name: 'Jane Doe',
      phone: '+4512345678',
      description: 'Created by the SDK suite',
      address: { line1: '1 Main Street', city: 'Copenhagen', postal_code: '2100', country: 'DK' },
      shipping: { name: 'Jane at work', phone: '+4587654321', address: { line1: '2 Side Street', city: 'Aarhus', country: 'DK' } },
      preferred_locales: ['da', 'en'],
      invoice_settings: { custom_fields: [{ name: 'VAT', value: 'DK12345678' }], footer: 'Thank you' },
      metadata: { plan: 'pro', seats: 5 },
      tax_exempt: 'exempt',
    });

    expect(customer.id).toMatch(/^cus_[0-9A-Za-z]+$/);
    expect(customer).toMatchObject({
      object: 'customer',
      livemode: false,
      email: emailFor('jane'),
      name: 'Jane Doe',
      phone: '+4512345678',
      description: 'Created by the SDK suite',
      address: { line1: '1 Main Street', line2: null, city: 'Copenhagen', state: null, postal_code: '2100', country: 'DK' },
      shipping: {
        name: 'Jane at work',
        phone: '+4587654321',
        address: { line1: '2 Side Street', line2: null, city: 'Aarhus', state: null, postal_code: null, country: 'DK' },
      },
      preferred_locales: ['da', 'en'],
      invoice_settings: { custom_fields: [{ name: 'VAT', value: 'DK12345678' }], footer: 'Thank you' },
      // Metadata values are always strings, as in Stripe.
      metadata: { plan: 'pro', seats: '5' },
      tax_exempt: 'exempt',
    });
    expect(customer.created).toBeGreaterThanOrEqual(before - 1);
    expect(customer.created).toBeLessThanOrEqual(now() + 1);
    expect(customer.lastResponse.statusCode).toBe(200);
    expect(customer.lastResponse.requestId).toMatch(/^req_/);

    const retrieved = await stripe.customers.retrieve(customer.id);
    expect(retrieved).toEqual(customer);
  });

  it('creates a customer with no parameters at all, with Stripe defaults', async () => {
    const customer = await stripe.customers.create();
    expect(customer).toMatchObject({
      object: 'customer',
      email: null,
      name: null,
      phone: null,
      description: null,
      address: null,
      shipping: null,
      preferred_locales: [],
      metadata: {},
      tax_exempt: 'none',
      invoice_settings: { custom_fields: null, footer: null },
    });
  });
});

describe('customers: update', () => {
  it('changes only the fields given', async () => {
    const created = await stripe.customers.create({ email: emailFor('partial'), name: 'Before', description: 'kept' });
    const updated = await stripe.customers.update(created.id, { name: 'After' });
    expect(updated).toMatchObject({ id: created.id, name: 'After', description: 'kept', email: emailFor('partial') });
    expect(updated.created).toBe(created.created);
  });

  it("clears fields with '' and with null", async () => {
    const created = await stripe.customers.create({
      email: emailFor('clear'),
      name: 'To clear',
      phone: '+1555000',
      description: 'To clear',
      address: { line1: 'Somewhere', country: 'US' },
      shipping: { name: 'Ship', address: { line1: 'There' } },
      tax_exempt: 'reverse',
    });
    // The SDK sends null as an empty value, exactly like ''.
    const cleared = await stripe.customers.update(created.id, {
      name: '',
      description: '',
      email: '',
      address: '',
      shipping: null,
      tax_exempt: null,
    });
    expect(cleared).toMatchObject({ name: null, description: null, email: null, address: null, shipping: null, tax_exempt: 'none', phone: '+1555000' });

    // `phone` is typed as a plain string in the SDK; null still goes out as an empty value.
    const noPhone = await stripe.customers.update(created.id, { phone: null as unknown as string });
    expect(noPhone.phone).toBeNull();
    expect(await retrieveLive(created.id)).toMatchObject({ name: null, email: null, phone: null, address: null, shipping: null });
  });

  it('sets, changes and unsets metadata keys, and clears all metadata', async () => {
    const created = await stripe.customers.create({ metadata: { a: '1', b: '2', c: '3' } });
    const changed = await stripe.customers.update(created.id, { metadata: { a: 'one', b: '', c: null, d: '4' } });
    expect(changed.metadata).toEqual({ a: 'one', d: '4' });
    const untouched = await stripe.customers.update(created.id, { name: 'no metadata change' });
    expect(untouched.metadata).toEqual({ a: 'one', d: '4' });
    const emptied = await stripe.customers.update(created.id, { metadata: '' });
    expect(emptied.metadata).toEqual({});
    const refilled = await stripe.customers.update(created.id, { metadata: { x: 'y' } });
    const nulled = await stripe.customers.update(refilled.id, { metadata: null });
    expect(nulled.metadata).toEqual({});
  });

  it('merges a nested address and clears single address fields', async () => {
    const created = await stripe.customers.create({
      address: { line1: '1 Main Street', line2: 'Floor 2', city: 'Copenhagen', postal_code: '2100', country: 'DK' },
    });
    const moved = await stripe.customers.update(created.id, { address: { city: 'Aarhus', postal_code: '8000', line2: '' } });
    expect(moved.address).toEqual({ line1: '1 Main Street', line2: null, city: 'Aarhus', state: null, postal_code: '8000', country: 'DK' });
  });

  it('replaces preferred_locales as a whole', async () => {
    const created = await stripe.customers.create({ preferred_locales: ['fr', 'de', 'it'] });
    const changed = await stripe.customers.update(created.id, { preferred_locales: ['en'] });
    expect(changed.preferred_locales).toEqual(['en']);
    expect((await retrieveLive(created.id)).preferred_locales).toEqual(['en']);
  });

  it('sets, replaces and clears invoice_settings.custom_fields, keeping the footer', async () => {
    const created = await stripe.customers.create({
      invoice_settings: { custom_fields: [{ name: 'PO', value: '1' }], footer: 'Footer' },
    });
    const replaced = await stripe.customers.update(created.id, {
      invoice_settings: {
        custom_fields: [
          { name: 'VAT', value: 'DK1' },
          { name: 'PO', value: '2' },
        ],
      },
    });
    expect(replaced.invoice_settings).toMatchObject({
      custom_fields: [
        { name: 'VAT', value: 'DK1' },
        { name: 'PO', value: '2' },
      ],
      footer: 'Footer',
    });
    const cleared = await stripe.customers.update(created.id, { invoice_settings: { custom_fields: '' } });
    expect(cleared.invoice_settings).toMatchObject({ custom_fields: null, footer: 'Footer' });
  });
});

describe('customers: delete', () => {
  it('deletes, then retrieve answers deleted: true and updates are 404', async () => {
    const created = await stripe.customers.create({ email: emailFor('deleted') });
    const deleted = await stripe.customers.del(created.id);
    expect(deleted).toEqual({ id: created.id, object: 'customer', deleted: true });

    const retrieved = await stripe.customers.retrieve(created.id);
    expect(retrieved).toEqual({ id: created.id, object: 'customer', deleted: true });
    expect(isLive(retrieved)).toBe(false);

    const update = await stripeError(stripe.customers.update(created.id, { name: 'ghost' }));
    expect(update).toBeInstanceOf(stripe.errors.StripeInvalidRequestError);
    expect(update).toMatchObject({ statusCode: 404, code: 'resource_missing' });
    const again = await stripeError(stripe.customers.del(created.id));
    expect(again).toMatchObject({ statusCode: 404, code: 'resource_missing' });

    const listed = await stripe.customers.list({ email: emailFor('deleted') });
    expect(listed.data).toEqual([]);
  });
});

describe('customers: list', () => {
  const COUNT = 25;
  let ids: string[] = [];
  let listEmail: string;

  beforeAll(async () => {
    listEmail = emailFor('list');
    ids = [];
    // Sequential, so creation order (newest first in lists) is well defined.
    for (let i = 0; i < COUNT; i++) ids.push((await stripe.customers.create({ email: listEmail, name: `List ${i}` })).id);
  });

  it('lists newest first with limit, has_more and url', async () => {
    const page = await stripe.customers.list({ email: listEmail, limit: 10 });
    expect(page.object).toBe('list');
    expect(page.url).toBe('/v1/customers');
    expect(page.has_more).toBe(true);
    expect(page.data.map((c) => c.id)).toEqual([...ids].reverse().slice(0, 10));
  });

  it('pages with starting_after and ending_before', async () => {
    const newestFirst = [...ids].reverse();
    const second = await stripe.customers.list({ email: listEmail, limit: 10, starting_after: newestFirst[9] });
    expect(second.data.map((c) => c.id)).toEqual(newestFirst.slice(10, 20));
    expect(second.has_more).toBe(true);
    const last = await stripe.customers.list({ email: listEmail, limit: 10, starting_after: newestFirst[19] });
    expect(last.data.map((c) => c.id)).toEqual(newestFirst.slice(20));
    expect(last.has_more).toBe(false);

    const back = await stripe.customers.list({ email: listEmail, limit: 5, ending_before: newestFirst[10] });
    expect(back.data.map((c) => c.id)).toEqual(newestFirst.slice(5, 10));
    expect(back.has_more).toBe(true);
    const first = await stripe.customers.list({ email: listEmail, limit: 5, ending_before: newestFirst[5] });
    expect(first.data.map((c) => c.id)).toEqual(newestFirst.slice(0, 5));
    expect(first.has_more).toBe(false);
  });

  it('rejects starting_after together with ending_before', async () => {
    const error = await stripeError(stripe.customers.list({ starting_after: ids[1], ending_before: ids[0] }));
    expect(error).toBeInstanceOf(stripe.errors.StripeInvalidRequestError);
    expect(error.statusCode).toBe(400);
  });

  it('auto-pages over more than two pages with autoPagingEach and autoPagingToArray', async () => {
    const seen: string[] = [];
    await stripe.customers.list({ email: listEmail, limit: 10 }).autoPagingEach((customer) => {
      seen.push(customer.id);
    });
    expect(seen).toEqual([...ids].reverse());

    const all = await stripe.customers.list({ email: listEmail, limit: 7 }).autoPagingToArray({ limit: 100 });
    expect(all.map((c) => c.id)).toEqual([...ids].reverse());

    const capped = await stripe.customers.list({ email: listEmail, limit: 4 }).autoPagingToArray({ limit: 13 });
    expect(capped).toHaveLength(13);

    // Iterating backwards from an ending_before cursor goes towards the newest.
    const newer: string[] = [];
    await stripe.customers.list({ email: listEmail, limit: 3, ending_before: ids[14] }).autoPagingEach((customer) => {
      newer.push(customer.id);
    });
    expect(newer).toEqual(ids.slice(15));

    // Stopping early: returning false ends the iteration.
    const firstThree: string[] = [];
    await stripe.customers.list({ email: listEmail, limit: 2 }).autoPagingEach((customer) => {
      firstThree.push(customer.id);
      return firstThree.length < 3;
    });
    expect(firstThree).toHaveLength(3);
  });

  it('filters by exact email', async () => {
    const other = await stripe.customers.create({ email: emailFor('list-other') });
    const list = await stripe.customers.list({ email: emailFor('list-other') });
    expect(list.data.map((c) => c.id)).toEqual([other.id]);
    const none = await stripe.customers.list({ email: emailFor('nobody') });
    expect(none.data).toEqual([]);
    expect(none.has_more).toBe(false);
  });

  it('filters by created[gte] / created[lt]', async () => {
    const all = await stripe.customers.list({ email: listEmail, limit: 100 });
    expect(all.data).toHaveLength(COUNT);
    const future = await stripe.customers.list({ email: listEmail, created: { gte: now() + 3600 } });
    expect(future.data).toEqual([]);
    const sinceStart = await stripe.customers.list({ email: listEmail, limit: 100, created: { gte: Math.min(...all.data.map((c) => c.created)) } });
    expect(sinceStart.data).toHaveLength(COUNT);
    const before = await stripe.customers.list({ email: listEmail, limit: 100, created: { lt: Math.min(...all.data.map((c) => c.created)) } });
    expect(before.data).toEqual([]);
    const exact = all.data[0] as Stripe.Customer;
    const atSecond = await stripe.customers.list({ email: listEmail, limit: 100, created: exact.created });
    expect(atSecond.data.map((c) => c.id)).toContain(exact.id);
    expect(atSecond.data.every((c) => c.created === exact.created)).toBe(true);
  });

  it('rejects a limit out of range with param limit', async () => {
    for (const limit of [0, 101]) {
      const error = await stripeError(stripe.customers.list({ limit }));
      expect(error).toBeInstanceOf(stripe.errors.StripeInvalidRequestError);
      expect(error).toMatchObject({ statusCode: 400, param: 'limit' });
    }
  });
});

describe('customers: search', () => {
  let tag: string;
  let alice: Stripe.Customer;
  let bob: Stripe.Customer;
  let carol: Stripe.Customer;

  beforeAll(async () => {
    tag = suite.runId;
    alice = await stripe.customers.create({ email: `alice-${tag}@example.com`, name: `Alice Searchable ${tag}`, metadata: { run: tag, tier: 'gold' } });
    bob = await stripe.customers.create({ email: `bob-${tag}@example.com`, name: `Bob Searchable ${tag}`, metadata: { run: tag, tier: 'silver' } });
    carol = await stripe.customers.create({ email: `carol-${tag}@example.com`, name: `Carol Other ${tag}`, metadata: { run: tag } });
  });

  const ids = (result: Stripe.ApiSearchResult<Stripe.Customer>) => result.data.map((c) => c.id).sort();

  it('finds by exact email (case-insensitively)', async () => {
    const result = await stripe.customers.search({ query: `email:'${alice.email}'` });
    expect(result.object).toBe('search_result');
    expect(result.url).toBe('/v1/customers/search');
    expect(ids(result)).toEqual([alice.id]);
    expect(result.has_more).toBe(false);
    expect(result.next_page).toBeNull();
    const upper = await stripe.customers.search({ query: `email:"${(alice.email as string).toUpperCase()}"` });
    expect(ids(upper)).toEqual([alice.id]);
  });

  it('finds by name substring (~)', async () => {
    const result = await stripe.customers.search({ query: `name~'Searchable ${tag}'` });
    expect(ids(result)).toEqual([alice.id, bob.id].sort());
  });

  it("finds by metadata['key']", async () => {
    expect(ids(await stripe.customers.search({ query: `metadata['run']:'${tag}'` }))).toEqual([alice.id, bob.id, carol.id].sort());
    expect(ids(await stripe.customers.search({ query: `metadata['run']:'${tag}' AND metadata['tier']:'gold'` }))).toEqual([alice.id]);
  });

  it('combines clauses with AND and with OR', async () => {
    const and = await stripe.customers.search({ query: `metadata['run']:'${tag}' AND name~'Other'` });
    expect(ids(and)).toEqual([carol.id]);
    const or = await stripe.customers.search({ query: `email:'${alice.email}' OR email:'${carol.email}'` });
    expect(ids(or)).toEqual([alice.id, carol.id].sort());
  });

  it('negates a clause with -', async () => {
    const notGold = await stripe.customers.search({ query: `metadata['run']:'${tag}' AND -metadata['tier']:'gold'` });
    expect(ids(notGold)).toEqual([bob.id, carol.id].sort());
    const notAlice = await stripe.customers.search({ query: `metadata['run']:'${tag}' AND -email:'${alice.email}'` });
    expect(ids(notAlice)).toEqual([bob.id, carol.id].sort());
  });

  it('pages with page / next_page and auto-pages', async () => {
    const first = await stripe.customers.search({ query: `metadata['run']:'${tag}'`, limit: 2 });
    expect(first.data).toHaveLength(2);
    expect(first.has_more).toBe(true);
    expect(typeof first.next_page).toBe('string');
    const second = await stripe.customers.search({ query: `metadata['run']:'${tag}'`, limit: 2, page: first.next_page as string });
    expect(second.data).toHaveLength(1);
    expect(second.has_more).toBe(false);
    expect(second.next_page).toBeNull();
    expect([...first.data, ...second.data].map((c) => c.id).sort()).toEqual([alice.id, bob.id, carol.id].sort());

    const all = await stripe.customers.search({ query: `metadata['run']:'${tag}'`, limit: 1 }).autoPagingToArray({ limit: 10 });
    expect(all.map((c) => c.id).sort()).toEqual([alice.id, bob.id, carol.id].sort());
  });

  it('does not find deleted customers', async () => {
    const gone = await stripe.customers.create({ email: `gone-${tag}@example.com` });
    await stripe.customers.del(gone.id);
    expect((await stripe.customers.search({ query: `email:'gone-${tag}@example.com'` })).data).toEqual([]);
  });

  it('rejects a malformed query with param query', async () => {
    for (const query of [
      'email:',
      "email:'unterminated",
      `email:'a@b.c' AND name~'abc' OR name~'def'`,
      "name~'ab'",
      "nosuchfield:'x'",
      'email:unquoted',
    ]) {
      const error = await stripeError(stripe.customers.search({ query }));
      expect(error, query).toBeInstanceOf(stripe.errors.StripeInvalidRequestError);
      expect(error, query).toMatchObject({ statusCode: 400, param: 'query', rawType: 'invalid_request_error' });
    }
  });

  it('rejects a missing query as parameter_missing', async () => {
    const error = await stripeError(stripe.customers.search({} as Stripe.CustomerSearchParams));
    expect(error).toBeInstanceOf(stripe.errors.StripeInvalidRequestError);
    expect(error).toMatchObject({ statusCode: 400, code: 'parameter_missing', param: 'query' });
  });

  it('rejects a forged page token with param page', async () => {
    const error = await stripeError(stripe.customers.search({ query: `metadata['run']:'${tag}'`, page: 'not-a-real-token' }));
    expect(error).toMatchObject({ statusCode: 400, param: 'page' });
  });
});
