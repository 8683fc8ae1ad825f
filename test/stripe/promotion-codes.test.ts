import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStripeSuite, stripeError, type StripeSuite } from '../helpers/stripe.ts';

let suite: StripeSuite;
let stripe: Stripe;
beforeAll(async () => ({ suite, stripe } = await startStripeSuite()));
afterAll(async () => suite.close());

const now = () => Math.floor(Date.now() / 1000);

describe('promotion codes through the stripe SDK', () => {
  it('creates a promotion code and reads it back unchanged', async () => {
    const coupon = await stripe.coupons.create({ percent_off: 20 });
    const customer = await stripe.customers.create({ email: 'promo@example.com' });
    const expiresAt = now() + 7 * 86_400;
    const code = `SDK${suite.runId}`.replace(/[^A-Za-z0-9_-]/g, '');
    const promo = await stripe.promotionCodes.create({
      promotion: { type: 'coupon', coupon: coupon.id },
      code,
      customer: customer.id,
      expires_at: expiresAt,
      max_redemptions: 3,
      restrictions: { first_time_transaction: true, minimum_amount: 2000, minimum_amount_currency: 'eur' },
      metadata: { run: suite.runId },
    });
    expect(promo.id).toMatch(/^promo_[0-9A-Za-z]+$/);
    expect(promo).toMatchObject({
      object: 'promotion_code',
      active: true,
      code,
      customer: customer.id,
      expires_at: expiresAt,
      livemode: false,
      max_redemptions: 3,
      metadata: { run: suite.runId },
      promotion: { type: 'coupon', coupon: coupon.id },
      restrictions: { first_time_transaction: true, minimum_amount: 2000, minimum_amount_currency: 'eur' },
      times_redeemed: 0,
    });
    expect(await stripe.promotionCodes.retrieve(promo.id)).toEqual(promo);

    const duplicate = await stripeError(stripe.promotionCodes.create({ promotion: { type: 'coupon', coupon: coupon.id }, code: code.toLowerCase() }));
    expect(duplicate).toMatchObject({ statusCode: 400, param: 'code' });
  });

  it('generates a code, updates active and metadata, and lists with filters', async () => {
    const coupon = await stripe.coupons.create({ amount_off: 500, currency: 'usd' });
    const promo = await stripe.promotionCodes.create({ promotion: { type: 'coupon', coupon: coupon.id } });
    expect(promo.code).toMatch(/^[A-Z2-9]{8}$/);
    const updated = await stripe.promotionCodes.update(promo.id, { active: false, metadata: { note: 'x' } });
    expect(updated).toMatchObject({ active: false, metadata: { note: 'x' } });

    const listed = await stripe.promotionCodes.list({ coupon: coupon.id });
    expect(listed.data.map((p) => p.id)).toEqual([promo.id]);
    expect((await stripe.promotionCodes.list({ coupon: coupon.id, active: true })).data).toEqual([]);
    expect((await stripe.promotionCodes.list({ code: promo.code.toLowerCase(), coupon: coupon.id })).data.map((p) => p.id)).toEqual([promo.id]);
    const seen: string[] = [];
    for await (const p of stripe.promotionCodes.list({ limit: 2, created: { gte: promo.created - 5 } })) seen.push(p.id);
    expect(seen).toContain(promo.id);
  });

  it('reports invalid parameters as Stripe does', async () => {
    const missing = await stripeError(stripe.promotionCodes.create({ promotion: { type: 'coupon', coupon: 'co_missing' } }));
    expect(missing).toMatchObject({ statusCode: 400, type: 'StripeInvalidRequestError', param: 'promotion[coupon]' });
    const coupon = await stripe.coupons.create({ percent_off: 10 });
    const promotion = { type: 'coupon' as const, coupon: coupon.id };
    expect((await stripeError(stripe.promotionCodes.create({ promotion, expires_at: now() - 10 }))).param).toBe('expires_at');
    expect((await stripeError(stripe.promotionCodes.create({ promotion, max_redemptions: 0 }))).param).toBe('max_redemptions');
    expect((await stripeError(stripe.promotionCodes.create({ promotion, restrictions: { minimum_amount: 100 } }))).param).toBe(
      'restrictions[minimum_amount_currency]',
    );
    const promo = await stripe.promotionCodes.create({ promotion });
    const unknown = await stripeError(stripe.promotionCodes.update(promo.id, { code: 'X' } as Stripe.PromotionCodeUpdateParams));
    expect(unknown).toMatchObject({ statusCode: 400, code: 'parameter_unknown', param: 'code' });
    const notFound = await stripeError(stripe.promotionCodes.retrieve('promo_missing'));
    expect(notFound).toMatchObject({ statusCode: 404, code: 'resource_missing' });
  });
});
