import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStripeSuite, stripeError, type StripeSuite } from '../helpers/stripe.ts';

let suite: StripeSuite;
let stripe: Stripe;
beforeAll(async () => ({ suite, stripe } = await startStripeSuite()));
afterAll(async () => suite.close());

const APR_1 = Date.UTC(2027, 3, 1) / 1000;

async function customerWithCard() {
  const clock = await stripe.testHelpers.testClocks.create({ frozen_time: APR_1 });
  const customer = await stripe.customers.create({ name: `ii-${suite.runId}`, test_clock: clock.id });
  const pm = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
  await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: pm.id } });
  return { clock, customer };
}

describe('invoice items and manual invoices', () => {
  it('one-off charges wait as pending items, then a manual invoice takes them, is finalized and paid', async () => {
    const { customer } = await customerWithCard();
    const setup = await stripe.prices.create({ currency: 'usd', unit_amount: 2500, product_data: { name: 'Onboarding' } });
    const a = await stripe.invoiceItems.create({ customer: customer.id, amount: 1000, currency: 'usd', description: 'Consulting' });
    const b = await stripe.invoiceItems.create({ customer: customer.id, pricing: { price: setup.id }, quantity: 2 });
    expect(a).toMatchObject({ object: 'invoiceitem', amount: 1000, invoice: null, date: APR_1 });
    expect(b.amount).toBe(5000);
    const updated = await stripe.invoiceItems.update(a.id, { description: 'Consulting, 2 hours', amount: 1200 });
    expect(updated).toMatchObject({ amount: 1200, description: 'Consulting, 2 hours' });
    expect((await stripe.invoiceItems.list({ customer: customer.id, pending: true })).data).toHaveLength(2);

    const draft = await stripe.invoices.create({ customer: customer.id, pending_invoice_items_behavior: 'include' });
    expect(draft).toMatchObject({ status: 'draft', billing_reason: 'manual', total: 6200, number: null });
    expect(draft.lines.data.map((l) => l.amount).sort()).toEqual([1200, 5000]);
    const claimed = await stripe.invoiceItems.retrieve(a.id);
    expect(claimed.invoice).toBe(draft.id);
    expect(await stripeError(stripe.invoiceItems.del(a.id))).toMatchObject({ statusCode: 400 });

    const open = await stripe.invoices.finalizeInvoice(draft.id as string);
    expect(open.status).toBe('open');
    expect(open.number).toMatch(/-\d{4}$/);
    const paid = await stripe.invoices.pay(draft.id as string);
    expect(paid).toMatchObject({ status: 'paid', amount_paid: 6200 });
  });

  it('a pending item without a subscription joins the next renewal; deleted ones do not', async () => {
    const { clock, customer } = await customerWithCard();
    const price = await stripe.prices.create({ currency: 'usd', unit_amount: 3000, recurring: { interval: 'month' }, product_data: { name: 'Plan' } });
    const sub = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    await stripe.invoiceItems.create({ customer: customer.id, amount: 700, currency: 'usd', description: 'Extra seat setup' });
    const gone = await stripe.invoiceItems.create({ customer: customer.id, amount: 900, currency: 'usd' });
    expect(await stripe.invoiceItems.del(gone.id)).toMatchObject({ id: gone.id, deleted: true });
    await stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: Date.UTC(2027, 4, 1, 2) / 1000 });
    const renewal = (await stripe.invoices.list({ subscription: sub.id })).data[0] as Stripe.Invoice;
    expect(renewal).toMatchObject({ billing_reason: 'subscription_cycle', status: 'paid', amount_paid: 3700 });
  });

  it('refuses bad items, naming the parameter', async () => {
    const { customer } = await customerWithCard();
    const recurring = await stripe.prices.create({ currency: 'usd', unit_amount: 100, recurring: { interval: 'month' }, product_data: { name: 'R' } });
    expect(await stripeError(stripe.invoiceItems.create({ customer: customer.id, amount: 100 }))).toMatchObject({ statusCode: 400, param: 'currency' });
    expect(await stripeError(stripe.invoiceItems.create({ customer: customer.id, pricing: { price: recurring.id } }))).toMatchObject({ statusCode: 400, param: 'pricing[price]' });
    expect(await stripeError(stripe.invoiceItems.create({ customer: 'cus_nope', amount: 1, currency: 'usd' }))).toMatchObject({ statusCode: 400, param: 'customer' });
    expect(await stripeError(stripe.invoiceItems.create({ customer: customer.id, amount: 1e15, currency: 'usd' }))).toMatchObject({ statusCode: 400, param: 'amount' });
  });
});
