import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStripeSuite, stripeError, type StripeSuite } from '../helpers/stripe.ts';

let suite: StripeSuite;
let stripe: Stripe;
beforeAll(async () => ({ suite, stripe } = await startStripeSuite()));
afterAll(async () => suite.close());

const now = () => Math.floor(Date.now() / 1000);

describe('coupons through the stripe SDK', () => {
  it('creates a percent_off coupon and reads it back unchanged', async () => {
    const before = now();
    const redeemBy = now() + 7 * 86_400;
    const coupon = await stripe.coupons.create({
      name: 'Spring',
      percent_off: 25.5,
      duration: 'repeating',
      duration_in_months: 3,
      max_redemptions: 100,
      redeem_by: redeemBy,
      metadata: { run: suite.runId, tier: 2 },
    });
    expect(coupon.id).toMatch(/^co_[0-9A-Za-z]+$/);
    expect(coupon).toMatchObject({
      object: 'coupon',
      amount_off: null,
      currency: null,
      duration: 'repeating',
      duration_in_months: 3,
      livemode: false,
      max_redemptions: 100,
      metadata: { run: suite.runId, tier: '2' },
      name: 'Spring',
      percent_off: 25.5,
      redeem_by: redeemBy,
      times_redeemed: 0,
      valid: true,
    });
    expect(coupon.created).toBeGreaterThanOrEqual(before - 1);
    expect(await stripe.coupons.retrieve(coupon.id)).toEqual(coupon);
  });

  it('creates an amount_off coupon with a chosen id, restricted to a product, once', async () => {
    const product = await stripe.products.create({ name: `Target ${suite.runId}` });
    const id = `SDK_${suite.runId}`;
    const coupon = await stripe.coupons.create({
      id,
      amount_off: 1000,
      currency: 'eur',
      currency_options: { usd: { amount_off: 1100 } },
      duration: 'forever',
      applies_to: { products: [product.id] },
    });
    expect(coupon).toMatchObject({
      id,
      amount_off: 1000,
      currency: 'eur',
      currency_options: { usd: { amount_off: 1100 } },
      applies_to: { products: [product.id] },
      duration: 'forever',
      duration_in_months: null,
      percent_off: null,
      valid: true,
    });
    const error = await stripeError(stripe.coupons.create({ id, percent_off: 5 }));
    expect(error.statusCode).toBe(400);
    expect(error.code).toBe('resource_already_exists');
    expect(error.param).toBe('id');
  });

  it('updates name and metadata, deletes, and lists', async () => {
    const coupon = await stripe.coupons.create({ percent_off: 10, metadata: { run: suite.runId } });
    const updated = await stripe.coupons.update(coupon.id, { name: 'Ten off', metadata: { note: 'x' } });
    expect(updated).toMatchObject({ name: 'Ten off', metadata: { run: suite.runId, note: 'x' }, percent_off: 10 });

    const listed = await stripe.coupons.list({ limit: 100, created: { gte: coupon.created } });
    expect(listed.data.map((c) => c.id)).toContain(coupon.id);
    const seen: string[] = [];
    for await (const c of stripe.coupons.list({ limit: 2, created: { gte: coupon.created - 5 } })) seen.push(c.id);
    expect(seen).toContain(coupon.id);

    const deleted = await stripe.coupons.del(coupon.id);
    expect(deleted).toEqual({ id: coupon.id, object: 'coupon', deleted: true });
    const missing = await stripeError(stripe.coupons.retrieve(coupon.id));
    expect(missing.statusCode).toBe(404);
    expect(missing.code).toBe('resource_missing');
    expect((await stripe.coupons.list({ limit: 100, created: { gte: coupon.created } })).data.map((c) => c.id)).not.toContain(coupon.id);
  });

  it('reports invalid parameters as Stripe does', async () => {
    const both = await stripeError(stripe.coupons.create({ percent_off: 10, amount_off: 100, currency: 'usd' }));
    expect(both).toMatchObject({ statusCode: 400, type: 'StripeInvalidRequestError', param: 'amount_off' });
    const noCurrency = await stripeError(stripe.coupons.create({ amount_off: 100 }));
    expect(noCurrency.param).toBe('currency');
    const months = await stripeError(stripe.coupons.create({ percent_off: 10, duration: 'repeating' }));
    expect(months.param).toBe('duration_in_months');
    const past = await stripeError(stripe.coupons.create({ percent_off: 10, redeem_by: now() - 10 }));
    expect(past.param).toBe('redeem_by');
    const product = await stripeError(stripe.coupons.create({ percent_off: 10, applies_to: { products: ['prod_missing'] } }));
    expect(product.param).toBe('applies_to[products]');
    const coupon = await stripe.coupons.create({ percent_off: 10 });
    const unknown = await stripeError(stripe.coupons.update(coupon.id, { percent_off: 20 } as Stripe.CouponUpdateParams));
    expect(unknown).toMatchObject({ statusCode: 400, code: 'parameter_unknown', param: 'percent_off' });
  });
});
