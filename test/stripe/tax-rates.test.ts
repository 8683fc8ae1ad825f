import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStripeSuite, stripeError, type StripeSuite } from '../helpers/stripe.ts';

let suite: StripeSuite;
let stripe: Stripe;
beforeAll(async () => ({ suite, stripe } = await startStripeSuite()));
afterAll(async () => suite.close());

describe('tax rates through the stripe SDK', () => {
  it('creates an inclusive and an exclusive rate; percentage comes back as the number sent', async () => {
    const vat = await stripe.taxRates.create({
      display_name: 'VAT',
      percentage: 19.6,
      inclusive: true,
      country: 'FR',
      jurisdiction: 'France',
      tax_type: 'vat',
      description: `VAT ${suite.runId}`,
      metadata: { run: suite.runId },
    });
    expect(vat.id).toMatch(/^txr_[0-9A-Za-z]+$/);
    expect(vat).toMatchObject({
      object: 'tax_rate',
      display_name: 'VAT',
      inclusive: true,
      active: true,
      country: 'FR',
      jurisdiction: 'France',
      tax_type: 'vat',
      livemode: false,
      metadata: { run: suite.runId },
    });
    expect(typeof vat.percentage).toBe('number');
    expect(vat.percentage).toBe(19.6);

    const sales = await stripe.taxRates.create({ display_name: 'Sales tax', percentage: 7.25, inclusive: false, country: 'US', state: 'CA', tax_type: 'sales_tax' });
    expect(sales.percentage).toBe(7.25);
    expect(sales).toMatchObject({ inclusive: false, state: 'CA', tax_type: 'sales_tax' });

    const retrieved = await stripe.taxRates.retrieve(vat.id);
    expect(retrieved.percentage).toBe(19.6);
    expect(retrieved).toEqual(vat);
  });

  it('updates the updatable fields and archives with active=false', async () => {
    const rate = await stripe.taxRates.create({ display_name: 'GST', percentage: 5, inclusive: false });
    const updated = await stripe.taxRates.update(rate.id, {
      display_name: 'GST (Canada)',
      description: 'Federal goods and services tax',
      active: false,
      country: 'CA',
      state: 'ON',
      jurisdiction: 'Canada',
      tax_type: 'gst',
      metadata: { run: suite.runId },
    });
    expect(updated).toMatchObject({
      id: rate.id,
      display_name: 'GST (Canada)',
      description: 'Federal goods and services tax',
      active: false,
      country: 'CA',
      state: 'ON',
      jurisdiction: 'Canada',
      tax_type: 'gst',
      percentage: 5,
      inclusive: false,
      metadata: { run: suite.runId },
    });
    const cleared = await stripe.taxRates.update(rate.id, { metadata: '' });
    expect(cleared.metadata).toEqual({});
  });

  it('refuses to change percentage after creation, naming it', async () => {
    const rate = await stripe.taxRates.create({ display_name: 'Fixed', percentage: 10, inclusive: false });
    const error = await stripeError(stripe.taxRates.update(rate.id, { percentage: 12 } as Stripe.TaxRateUpdateParams));
    expect(error.type).toBe('StripeInvalidRequestError');
    expect(error.statusCode).toBe(400);
    expect(error.code).toBe('parameter_unknown');
    expect(error.param).toBe('percentage');
    expect((await stripe.taxRates.retrieve(rate.id)).percentage).toBe(10);
  });

  it('refuses a percentage over 100', async () => {
    const error = await stripeError(stripe.taxRates.create({ display_name: 'Too much', percentage: 101, inclusive: false }));
    expect(error.statusCode).toBe(400);
    expect(error.param).toBe('percentage');
  });

  it('lists with filters and auto-pagination', async () => {
    const created: string[] = [];
    for (const [percentage, inclusive] of [
      [1.5, true],
      [2.25, false],
      [3.125, true],
    ] as const) {
      const rate = await stripe.taxRates.create({ display_name: `List ${suite.runId}`, percentage, inclusive, metadata: { run: suite.runId } });
      created.push(rate.id);
    }
    const mine = (rates: Stripe.TaxRate[]) => rates.filter((r) => r.metadata?.run === suite.runId && r.display_name === `List ${suite.runId}`);

    const inclusive = await stripe.taxRates.list({ inclusive: true, limit: 100 });
    expect(mine(inclusive.data).map((r) => r.id)).toEqual([created[2], created[0]]);
    expect(mine(inclusive.data).map((r) => r.percentage)).toEqual([3.125, 1.5]);

    const all: Stripe.TaxRate[] = [];
    for await (const rate of stripe.taxRates.list({ active: true, limit: 1, created: { gte: Math.floor(Date.now() / 1000) - 300 } })) {
      all.push(rate);
    }
    expect(mine(all).map((r) => r.id)).toEqual([...created].reverse());
  });

  it("answers a missing tax rate with Stripe's resource_missing", async () => {
    const error = await stripeError(stripe.taxRates.retrieve('txr_doesnotexist'));
    expect(error.statusCode).toBe(404);
    expect(error.code).toBe('resource_missing');
  });
});
