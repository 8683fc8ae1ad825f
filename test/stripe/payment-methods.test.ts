import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStripeSuite, stripeError, type StripeSuite } from '../helpers/stripe.ts';

let suite: StripeSuite;
let stripe: Stripe;
beforeAll(async () => ({ suite, stripe } = await startStripeSuite()));
afterAll(async () => suite.close());

describe('payment methods through the SDK', () => {
  it('attaches, lists, sets the default, and detaches', async () => {
    const customer = await stripe.customers.create({ name: `pm-${suite.runId}` });
    const pm = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    expect(pm).toMatchObject({ object: 'payment_method', type: 'card', customer: customer.id, card: { brand: 'visa', last4: '4242' } });
    expect(pm.id).toMatch(/^pm_/);

    const listed = await stripe.paymentMethods.list({ customer: customer.id, type: 'card' });
    expect(listed.data.map((p) => p.id)).toEqual([pm.id]);
    const viaCustomer = await stripe.customers.listPaymentMethods(customer.id);
    expect(viaCustomer.data.map((p) => p.id)).toEqual([pm.id]);
    expect((await stripe.paymentMethods.retrieve(pm.id)).id).toBe(pm.id);

    const updated = await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: pm.id } });
    expect(updated.invoice_settings.default_payment_method).toBe(pm.id);

    const detached = await stripe.paymentMethods.detach(pm.id);
    expect(detached.customer).toBeNull();
    const after = await stripe.customers.retrieve(customer.id);
    expect('deleted' in after).toBe(false);
    if (!('deleted' in after)) expect(after.invoice_settings.default_payment_method).toBeNull();
  });

  it('refuses a default that is not attached to the customer', async () => {
    const customer = await stripe.customers.create({ name: `pm-${suite.runId}` });
    const other = await stripe.customers.create({ name: `pm-${suite.runId}` });
    const pm = await stripe.paymentMethods.attach('pm_card_mastercard', { customer: other.id });
    const error = await stripeError(stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: pm.id } }));
    expect(error).toMatchObject({ type: 'StripeInvalidRequestError', statusCode: 400, param: 'invoice_settings[default_payment_method]' });
  });

  it('answers a declined card with a StripeCardError (402)', async () => {
    const customer = await stripe.customers.create({ name: `pm-${suite.runId}` });
    const error = await stripeError(stripe.paymentMethods.attach('pm_card_chargeDeclined', { customer: customer.id }));
    expect(error.type).toBe('StripeCardError');
    expect(error).toMatchObject({ statusCode: 402, code: 'card_declined', decline_code: 'generic_decline' });
  });
});
