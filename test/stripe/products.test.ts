import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStripeSuite, stripeError, type StripeSuite } from '../helpers/stripe.ts';

let suite: StripeSuite;
let stripe: Stripe;
beforeAll(async () => ({ suite, stripe } = await startStripeSuite()));
afterAll(async () => suite.close());

const now = () => Math.floor(Date.now() / 1000);

describe('products through the stripe SDK', () => {
  it('creates a product with every supported field and reads it back unchanged', async () => {
    const before = now();
    const product = await stripe.products.create({
      name: `Pro ${suite.runId}`,
      description: 'The pro plan',
      images: ['https://example.com/pro.png'],
      marketing_features: [{ name: 'Unlimited seats' }, { name: 'Priority support' }],
      metadata: { plan: 'pro', seats: 5 },
      package_dimensions: { height: 1.5, length: 2, weight: 3.25, width: 4 },
      shippable: true,
      statement_descriptor: 'RECUR PRO',
      unit_label: 'seat',
      url: 'https://example.com/pro',
    });
    expect(product.id).toMatch(/^prod_[0-9A-Za-z]+$/);
    expect(product).toMatchObject({
      object: 'product',
      active: true,
      livemode: false,
      name: `Pro ${suite.runId}`,
      description: 'The pro plan',
      images: ['https://example.com/pro.png'],
      marketing_features: [{ name: 'Unlimited seats' }, { name: 'Priority support' }],
      metadata: { plan: 'pro', seats: '5' },
      package_dimensions: { height: 1.5, length: 2, weight: 3.25, width: 4 },
      shippable: true,
      statement_descriptor: 'RECUR PRO',
      unit_label: 'seat',
      url: 'https://example.com/pro',
    });
    expect(product.created).toBeGreaterThanOrEqual(before - 1);
    expect(product.updated).toBe(product.created);
    expect(await stripe.products.retrieve(product.id)).toEqual(product);
  });

  it('creates with Stripe defaults, and with a chosen id once', async () => {
    const plain = await stripe.products.create({ name: 'Plain' });
    expect(plain).toMatchObject({
      active: true,
      description: null,
      images: [],
      marketing_features: [],
      metadata: {},
      package_dimensions: null,
      shippable: null,
      statement_descriptor: null,
      unit_label: null,
      url: null,
    });

    const id = `sdk_${suite.runId}`;
    const chosen = await stripe.products.create({ id, name: 'Chosen' });
    expect(chosen.id).toBe(id);
    const error = await stripeError(stripe.products.create({ id, name: 'Again' }));
    expect(error.statusCode).toBe(400);
    expect(error.code).toBe('resource_already_exists');
    expect(error.param).toBe('id');
  });

  it('updates, unsets metadata, deactivates and deletes', async () => {
    const product = await stripe.products.create({ name: 'Changing', metadata: { a: '1', b: '2' }, description: 'x', unit_label: 'seat' });
    const one = await stripe.products.update(product.id, { metadata: { a: '' }, description: '', active: false, name: 'Changed' });
    expect(one).toMatchObject({ name: 'Changed', active: false, metadata: { b: '2' }, description: null, unit_label: 'seat' });
    const two = await stripe.products.update(product.id, { metadata: '', unit_label: '', images: '' });
    expect(two).toMatchObject({ metadata: {}, unit_label: null, images: [] });

    const inactive = await stripe.products.list({ active: false, limit: 100 });
    expect(inactive.data.map((p) => p.id)).toContain(product.id);

    const deleted = await stripe.products.del(product.id);
    expect(deleted).toMatchObject({ id: product.id, object: 'product', deleted: true });
    const missing = await stripeError(stripe.products.retrieve(product.id));
    expect(missing.statusCode).toBe(404);
    expect(missing.code).toBe('resource_missing');
  });

  it('refuses unknown and invalid parameters, naming them', async () => {
    const unknown = await stripeError(stripe.products.create({ name: 'X', type: 'service' }));
    expect(unknown.statusCode).toBe(400);
    expect(unknown.param).toBe('type');
    const invalid = await stripeError(stripe.products.create({ name: 'X', statement_descriptor: 'a'.repeat(30) }));
    expect(invalid.param).toBe('statement_descriptor');
  });

  it('lists with auto-pagination and searches', async () => {
    const tag = `p${suite.runId}`;
    const made: string[] = [];
    for (let i = 0; i < 5; i++) {
      made.push((await stripe.products.create({ name: `Batch ${i}`, metadata: { batch: tag }, url: `https://example.com/${tag}` })).id);
    }
    const seen: string[] = [];
    for await (const product of stripe.products.list({ limit: 2 })) {
      if (made.includes(product.id)) seen.push(product.id);
    }
    expect(seen).toEqual([...made].reverse());

    const byIds = await stripe.products.list({ ids: [made[0] as string, made[4] as string] });
    expect(byIds.data.map((p) => p.id)).toEqual([made[4], made[0]]);
    const byUrl = await stripe.products.list({ url: `https://example.com/${tag}`, limit: 10 });
    expect(byUrl.data.map((p) => p.id)).toEqual([...made].reverse());

    const found = await stripe.products.search({ query: `metadata['batch']:'${tag}' AND name~'Batch'`, limit: 2 });
    expect(found.object).toBe('search_result');
    expect(found.has_more).toBe(true);
    const all: string[] = [];
    for await (const product of stripe.products.search({ query: `metadata['batch']:'${tag}'`, limit: 2 })) all.push(product.id);
    expect(all).toEqual([...made].reverse());
  });
});
