import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStripeSuite, stripeError, type StripeSuite } from '../helpers/stripe.ts';

let suite: StripeSuite;
let stripe: Stripe;
beforeAll(async () => ({ suite, stripe } = await startStripeSuite()));
afterAll(async () => suite.close());

/** Creation times come from each customer's test clock, so `created` differs by a month. */
const JAN = Date.UTC(2027, 0, 1) / 1000;
const FEB = Date.UTC(2027, 1, 1) / 1000;
const MAR = Date.UTC(2027, 2, 1) / 1000;

describe('subscriptions: search', () => {
  let tag: string;
  let run: string;
  // janGold: active, Jan · febTrial: trialing, Feb · febIncomplete: incomplete, Feb ·
  // marCanceled: canceled, Mar · marGold: active, Mar.
  let janGold: Stripe.Subscription;
  let febTrial: Stripe.Subscription;
  let febIncomplete: Stripe.Subscription;
  let marCanceled: Stripe.Subscription;
  let marGold: Stripe.Subscription;
  let all: string[];

  async function customerAt(frozenTime: number): Promise<Stripe.Customer> {
    const clock = await stripe.testHelpers.testClocks.create({ frozen_time: frozenTime, name: `search-${tag}` });
    const customer = await stripe.customers.create({ name: `search-${tag}`, test_clock: clock.id });
    const pm = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: pm.id } });
    return customer;
  }

  beforeAll(async () => {
    tag = suite.runId;
    // Every query below is scoped by this run's metadata: an external server's workspace may
    // hold other runs' subscriptions.
    run = `metadata['run']:'${tag}'`;
    const price = await stripe.prices.create({ currency: 'usd', unit_amount: 1000, recurring: { interval: 'month' }, product_data: { name: `Search ${tag}` } });
    const items = [{ price: price.id }];
    const [jan, feb, mar] = [await customerAt(JAN), await customerAt(FEB), await customerAt(MAR)];
    janGold = await stripe.subscriptions.create({ customer: jan.id, items, metadata: { run: tag, tier: `gold-${tag}` } });
    febTrial = await stripe.subscriptions.create({ customer: feb.id, items, trial_period_days: 7, metadata: { run: tag, tier: `silver-${tag}` } });
    febIncomplete = await stripe.subscriptions.create({ customer: feb.id, items, payment_behavior: 'default_incomplete', metadata: { run: tag } });
    const toCancel = await stripe.subscriptions.create({ customer: mar.id, items, metadata: { run: tag } });
    marCanceled = await stripe.subscriptions.cancel(toCancel.id);
    marGold = await stripe.subscriptions.create({ customer: mar.id, items, metadata: { run: tag, tier: `gold-${tag}` } });
    expect([janGold, febTrial, febIncomplete, marCanceled, marGold].map((s) => s.status)).toEqual(['active', 'trialing', 'incomplete', 'canceled', 'active']);
    all = [janGold, febTrial, febIncomplete, marCanceled, marGold].map((s) => s.id).sort();
  });

  const search = (query: string, extra: Omit<Stripe.SubscriptionSearchParams, 'query'> = {}) => stripe.subscriptions.search({ query, ...extra });
  const ids = (result: Stripe.ApiSearchResult<Stripe.Subscription>) => result.data.map((s) => s.id).sort();

  it('answers a search_result, every status included (canceled too, unlike the list)', async () => {
    const result = await search(run, { limit: 100 });
    expect(result).toMatchObject({ object: 'search_result', url: '/v1/subscriptions/search', has_more: false, next_page: null });
    expect(ids(result)).toEqual(all);
    expect(result.data.find((s) => s.id === marCanceled.id)).toMatchObject({ status: 'canceled', object: 'subscription' });
    expect(result.data.find((s) => s.id === marGold.id)?.items.data[0]?.price.unit_amount).toBe(1000);
    const listed = await stripe.subscriptions.list({ customer: marGold.customer as string });
    expect(listed.data.map((s) => s.id)).toEqual([marGold.id]);
  });

  it('finds by status', async () => {
    expect(ids(await search(`${run} AND status:'active'`))).toEqual([janGold.id, marGold.id].sort());
    expect(ids(await search(`${run} AND status:'canceled'`))).toEqual([marCanceled.id]);
    expect(ids(await search(`${run} AND status:'trialing'`))).toEqual([febTrial.id]);
  });

  it("finds by metadata['key']", async () => {
    expect(ids(await search(`metadata['tier']:'gold-${tag}'`))).toEqual([janGold.id, marGold.id].sort());
    expect(ids(await search(`${run} AND metadata['tier']:null`))).toEqual([febIncomplete.id, marCanceled.id].sort());
  });

  it('finds by a created range', async () => {
    expect(ids(await search(`${run} AND created>=${FEB} AND created<${MAR}`))).toEqual([febTrial.id, febIncomplete.id].sort());
    expect(ids(await search(`${run} AND created:${JAN}`))).toEqual([janGold.id]);
    expect(ids(await search(`${run} AND created>${FEB}`))).toEqual([marCanceled.id, marGold.id].sort());
    expect(ids(await search(`${run} AND created<=${FEB}`))).toEqual([janGold.id, febTrial.id, febIncomplete.id].sort());
  });

  it('combines clauses with AND and with OR', async () => {
    expect(ids(await search(`${run} AND status:'active' AND created<${FEB}`))).toEqual([janGold.id]);
    expect(ids(await search(`metadata['tier']:'silver-${tag}' OR metadata['tier']:'gold-${tag}'`))).toEqual([janGold.id, febTrial.id, marGold.id].sort());
  });

  it('negates a clause with -', async () => {
    expect(ids(await search(`${run} AND -status:'active'`))).toEqual([febTrial.id, febIncomplete.id, marCanceled.id].sort());
    // Also those without the key at all.
    expect(ids(await search(`${run} AND -metadata['tier']:'gold-${tag}'`))).toEqual([febTrial.id, febIncomplete.id, marCanceled.id].sort());
  });

  it('pages with page / next_page, newest first, with no duplicates', async () => {
    const seen: string[] = [];
    let page: string | undefined;
    let pages = 0;
    do {
      const result = await search(run, { limit: 2, ...(page ? { page } : {}) });
      pages++;
      expect(result.data.length).toBeLessThanOrEqual(2);
      seen.push(...result.data.map((s) => s.id));
      expect(result.has_more).toBe(result.next_page !== null);
      page = result.next_page ?? undefined;
    } while (page && pages < 10);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual(all);
    expect(seen).toEqual([...seen].sort().reverse());

    const auto = await search(run, { limit: 1 }).autoPagingToArray({ limit: 10 });
    expect(auto.map((s) => s.id)).toEqual(seen);
  });

  it('expands like the list does', async () => {
    const result = await search(`${run} AND created:${JAN}`, { expand: ['data.customer', 'data.latest_invoice'] });
    expect(result.data[0]?.customer).toMatchObject({ object: 'customer', id: janGold.customer });
    expect(result.data[0]?.latest_invoice).toMatchObject({ object: 'invoice', id: janGold.latest_invoice });
  });

  it("rejects fields Stripe's subscription search lacks, ~ on status and bad values, naming query", async () => {
    for (const query of [`nosuchfield:'x'`, `customer:'cus_123'`, `status~'act'`, `created>'soon'`, `metadata:'x'`, `status:active`]) {
      const error = await stripeError(search(query));
      expect(error, query).toBeInstanceOf(stripe.errors.StripeInvalidRequestError);
      expect(error, query).toMatchObject({ statusCode: 400, param: 'query', code: 'search_query_invalid' });
    }
    const unknown = await stripeError(search(`nosuchfield:'x'`));
    expect(unknown.message).toContain('Searchable fields: created, metadata, status.');
  });

  it('rejects a page token that is not one of ours, naming page', async () => {
    for (const page of ['not-a-real-token', Buffer.from(janGold.customer as string).toString('base64url')]) {
      const error = await stripeError(search(run, { page }));
      expect(error, page).toMatchObject({ statusCode: 400, param: 'page' });
    }
  });
});
