import type Stripe from 'stripe';
import { expect } from 'vitest';

/** Test-clock scenarios through the `stripe` SDK: the steps dunning, card-update and task tests share. */

/** Advances a test clock and expects everything due in between to have run. */
export async function advanceClock(stripe: Stripe, clockId: string, to: number): Promise<Stripe.TestHelpers.TestClock> {
  const clock = await stripe.testHelpers.testClocks.advance(clockId, { frozen_time: to });
  expect(clock.status).toBe('ready');
  return clock;
}

/** The subscription's latest invoice. */
export async function renewalInvoice(stripe: Stripe, subscriptionId: string): Promise<Stripe.Invoice> {
  const sub = await stripe.subscriptions.retrieve(subscriptionId);
  return stripe.invoices.retrieve(sub.latest_invoice as string);
}

/**
 * A customer on a test clock, subscribed to `price` with a card that works, whose renewals
 * will meet `then`: as the customer's default, or the subscription's own with `ownDefault`.
 */
export async function subscribedThenFailing(
  stripe: Stripe,
  options: { start: number; then: string; price: string; customer: Omit<Stripe.CustomerCreateParams, 'test_clock'>; ownDefault?: boolean },
) {
  const clock = await stripe.testHelpers.testClocks.create({ frozen_time: options.start });
  const customer = await stripe.customers.create({ ...options.customer, test_clock: clock.id });
  const good = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
  await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: good.id } });
  const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: options.price }] });
  expect(subscription.status).toBe('active');
  const failing = await stripe.paymentMethods.attach(options.then, { customer: customer.id });
  if (options.ownDefault) await stripe.subscriptions.update(subscription.id, { default_payment_method: failing.id });
  else await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: failing.id } });
  return { clock, customer, subscription, good, failing };
}
