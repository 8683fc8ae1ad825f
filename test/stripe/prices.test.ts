import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupStripeSuite, stripeError, type StripeSuite } from '../helpers/stripe.ts';

let suite: StripeSuite;
let stripe: Stripe;
let product: Stripe.Product;

beforeAll(async () => {
  suite = await setupStripeSuite();
  stripe = suite.stripe;
  product = await stripe.products.create({ name: `Priced ${suite.runId}` });
});
afterAll(async () => suite.close());

describe('prices through the stripe SDK', () => {
  it('creates a recurring price and reads it back unchanged', async () => {
    const price = await stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 2500,
      recurring: { interval: 'month', interval_count: 1 },
      nickname: 'Monthly',
      metadata: { plan: 'pro' },
      tax_behavior: 'exclusive',
      currency_options: { eur: { unit_amount: 2300 } },
    });
    expect(price.id).toMatch(/^price_[0-9A-Za-z]+$/);
    expect(price).toMatchObject({
      object: 'price',
      active: true,
      billing_scheme: 'per_unit',
      currency: 'usd',
      livemode: false,
      lookup_key: null,
      metadata: { plan: 'pro' },
      nickname: 'Monthly',
      product: product.id,
      recurring: { interval: 'month', interval_count: 1, usage_type: 'licensed' },
      tax_behavior: 'exclusive',
      tiers_mode: null,
      transform_quantity: null,
      type: 'recurring',
      unit_amount: 2500,
    });
    expect(String(price.unit_amount_decimal)).toBe('2500');
    expect(price.currency_options?.eur).toMatchObject({ unit_amount: 2300, tax_behavior: 'exclusive' });
    expect(await stripe.prices.retrieve(price.id)).toEqual(price);
  });

  it('creates one-time, decimal and tiered prices', async () => {
    const oneTime = await stripe.prices.create({ product: product.id, currency: 'eur', unit_amount_decimal: Stripe.Decimal.from('12.5') });
    expect(oneTime).toMatchObject({ type: 'one_time', recurring: null, unit_amount: null });
    expect(String(oneTime.unit_amount_decimal)).toBe('12.5');

    const tiered = await stripe.prices.create({
      product: product.id,
      currency: 'usd',
      billing_scheme: 'tiered',
      tiers_mode: 'volume',
      recurring: { interval: 'year' },
      tiers: [
        { up_to: 5, unit_amount: 1000 },
        { up_to: 'inf', unit_amount: 800, flat_amount: 500 },
      ],
    });
    expect(tiered).toMatchObject({ billing_scheme: 'tiered', tiers_mode: 'volume', unit_amount: null, unit_amount_decimal: null });
    expect(tiered.tiers?.map((t) => [t.up_to, t.unit_amount, t.flat_amount])).toEqual([
      [5, 1000, null],
      [null, 800, 500],
    ]);
  });

  it('creates a price with a new product from product_data', async () => {
    const price = await stripe.prices.create({ currency: 'usd', unit_amount: 100, product_data: { name: `Inline ${suite.runId}` } });
    const made = await stripe.products.retrieve(price.product as string);
    expect(made.name).toBe(`Inline ${suite.runId}`);
  });

  it('updates the mutable fields and refuses amount changes', async () => {
    const price = await stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 700 });
    const updated = await stripe.prices.update(price.id, { active: false, nickname: 'Old', metadata: { a: '1' } });
    expect(updated).toMatchObject({ active: false, nickname: 'Old', metadata: { a: '1' }, unit_amount: 700 });

    const error = await stripeError(stripe.prices.update(price.id, { unit_amount: 800 } as Stripe.PriceUpdateParams));
    expect(error.statusCode).toBe(400);
    expect(error.code).toBe('parameter_unknown');
    expect(error.param).toBe('unit_amount');
  });

  it('moves a lookup key with transfer_lookup_key, and finds prices by it', async () => {
    const key = `std_${suite.runId}`;
    const first = await stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 100, lookup_key: key });
    const clash = await stripeError(stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 200, lookup_key: key }));
    expect(clash.statusCode).toBe(400);
    expect(clash.param).toBe('lookup_key');
    const second = await stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 200, lookup_key: key, transfer_lookup_key: true });
    expect((await stripe.prices.retrieve(first.id)).lookup_key).toBeNull();
    const found = await stripe.prices.list({ lookup_keys: [key] });
    expect(found.data.map((p) => p.id)).toEqual([second.id]);
  });

  it('lists with filters and auto-pagination', async () => {
    const own = await stripe.products.create({ name: `Listed ${suite.runId}` });
    const made: string[] = [];
    for (let i = 0; i < 5; i++) {
      made.push((await stripe.prices.create({ product: own.id, currency: 'usd', unit_amount: 100 + i, ...(i % 2 ? { recurring: { interval: 'week' as const } } : {}) })).id);
    }
    const all: string[] = [];
    for await (const price of stripe.prices.list({ product: own.id, limit: 2 })) all.push(price.id);
    expect(all).toEqual([...made].reverse());
    const recurring = await stripe.prices.list({ product: own.id, type: 'recurring' });
    expect(recurring.data.map((p) => p.id)).toEqual([made[3], made[1]]);
    const weekly = await stripe.prices.list({ product: own.id, recurring: { interval: 'week' } });
    expect(weekly.data).toHaveLength(2);
  });

  it('refuses invalid prices with the parameter named', async () => {
    const currency = await stripeError(stripe.prices.create({ product: product.id, currency: 'zzz', unit_amount: 1 }));
    expect([currency.statusCode, currency.param]).toEqual([400, 'currency']);
    const negative = await stripeError(stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: -5 }));
    expect([negative.statusCode, negative.param]).toEqual([400, 'unit_amount']);
    const missing = await stripeError(stripe.prices.create({ product: 'prod_missing', currency: 'usd', unit_amount: 1 }));
    expect([missing.statusCode, missing.param]).toEqual([400, 'product']);
    const notFound = await stripeError(stripe.prices.retrieve('price_missing'));
    expect(notFound.statusCode).toBe(404);
  });

  it('refuses to delete a product that has prices', async () => {
    const error = await stripeError(stripe.products.del(product.id));
    expect(error.statusCode).toBe(400);
    expect(error.message).toContain('one or more user-created prices');
  });
});
