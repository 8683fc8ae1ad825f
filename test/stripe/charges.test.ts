/**
 * Charges, payment intents and invoice payments through the official `stripe` SDK: every
 * payment attempt on an invoice is a charge, and each invoice that asks for money has one
 * payment intent and one invoice payment, whose ids follow the invoice's.
 */
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStripeSuite, stripeError, type StripeSuite } from '../helpers/stripe.ts';

let suite: StripeSuite;
let stripe: Stripe;
beforeAll(async () => ({ suite, stripe } = await startStripeSuite()));
afterAll(async () => suite.close());

async function customerWith(card: string) {
  const customer = await stripe.customers.create({ email: `charges-${suite.runId}@example.com` });
  const pm = await stripe.paymentMethods.attach(card, { customer: customer.id });
  await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: pm.id } });
  return { customer, pm };
}

async function monthly(amount: number, currency = 'usd') {
  return stripe.prices.create({ currency, unit_amount: amount, recurring: { interval: 'month' }, product_data: { name: `Charges ${suite.runId}` } });
}

describe('charges and payment intents', () => {
  it('records a paid invoice as a succeeded charge, its payment intent and invoice payment', async () => {
    const { customer, pm } = await customerWith('pm_card_visa');
    const price = await monthly(2500, 'eur');
    const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    const invoiceId = subscription.latest_invoice as string;

    const charges = await stripe.charges.list({ customer: customer.id });
    expect(charges.data).toHaveLength(1);
    const charge = charges.data[0] as Stripe.Charge;
    expect(charge).toMatchObject({
      object: 'charge',
      amount: 2500,
      amount_captured: 2500,
      amount_refunded: 0,
      currency: 'eur',
      customer: customer.id,
      paid: true,
      status: 'succeeded',
      payment_method: pm.id,
      payment_method_details: { type: 'card', card: { brand: 'visa', last4: '4242' } },
      payment_intent: `pi_${invoiceId.slice(3)}`,
    });
    expect(await stripe.charges.retrieve(charge.id)).toEqual(charge);

    const intent = await stripe.paymentIntents.retrieve(charge.payment_intent as string);
    expect(intent).toMatchObject({ object: 'payment_intent', amount: 2500, amount_received: 2500, status: 'succeeded', latest_charge: charge.id, customer: customer.id });
    expect((await stripe.paymentIntents.list({ customer: customer.id })).data.map((i) => i.id)).toEqual([intent.id]);
    expect((await stripe.charges.list({ payment_intent: intent.id })).data.map((c) => c.id)).toEqual([charge.id]);

    const payments = await stripe.invoicePayments.list({ invoice: invoiceId });
    expect(payments.data).toHaveLength(1);
    expect(payments.data[0]).toMatchObject({ object: 'invoice_payment', invoice: invoiceId, amount_paid: 2500, status: 'paid', payment: { type: 'payment_intent', payment_intent: intent.id } });
  });

  it('keeps each failed attempt as a failed charge with its decline code', async () => {
    const { customer, pm } = await customerWith('pm_card_chargeDeclinedInsufficientFunds');
    const price = await monthly(900);
    const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }], payment_behavior: 'allow_incomplete' });
    expect(subscription.status).toBe('incomplete');
    const invoiceId = subscription.latest_invoice as string;
    // A second attempt by hand: a second charge.
    const error = await stripeError(stripe.invoices.pay(invoiceId));
    expect(error).toMatchObject({ statusCode: 402, type: 'StripeCardError', decline_code: 'insufficient_funds' });

    const charges = await stripe.charges.list({ customer: customer.id });
    expect(charges.data).toHaveLength(2);
    for (const charge of charges.data) {
      expect(charge).toMatchObject({ status: 'failed', paid: false, amount_captured: 0, failure_code: 'card_declined', payment_method: pm.id, outcome: { reason: 'insufficient_funds' } });
    }
    const intent = await stripe.paymentIntents.retrieve(`pi_${invoiceId.slice(3)}`);
    expect(intent).toMatchObject({ status: 'requires_payment_method', amount_received: 0, last_payment_error: { decline_code: 'insufficient_funds' } });
    expect(charges.data.map((c) => c.id)).toContain(intent.latest_charge);

    // A good card pays it: a third charge, succeeded, and the intent with it.
    const good = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    await stripe.invoices.pay(invoiceId, { payment_method: good.id });
    const after = await stripe.paymentIntents.retrieve(intent.id);
    expect(after.status).toBe('succeeded');
    expect(await stripe.charges.retrieve(after.latest_charge as string)).toMatchObject({ status: 'succeeded', payment_method: good.id, amount: 900 });
  });

  it('answers 404 for ids that are not payments', async () => {
    expect(await stripeError(stripe.paymentIntents.retrieve('pi_nothing'))).toMatchObject({ statusCode: 404, param: 'id' });
    expect(await stripeError(stripe.charges.retrieve('ch_nothing'))).toMatchObject({ statusCode: 404 });
    // A draft invoice asks for nothing yet: it has no payment intent.
    const { customer } = await customerWith('pm_card_visa');
    await stripe.invoiceItems.create({ customer: customer.id, amount: 500, currency: 'usd' });
    const draft = await stripe.invoices.create({ customer: customer.id, pending_invoice_items_behavior: 'include' });
    expect(await stripeError(stripe.paymentIntents.retrieve(`pi_${(draft.id as string).slice(3)}`))).toMatchObject({ statusCode: 404 });
  });
});
