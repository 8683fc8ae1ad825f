/**
 * Dunning through the official `stripe` SDK under test clocks (BILLING.md "Collection and
 * dunning"): a failed renewal makes the subscription past_due and is retried on the
 * workspace's schedule; a new default card retries at once; when the retries run out the
 * workspace's final action applies; hard declines are not retried. Settings are the
 * workspace's (GET/POST /v1/dunning_settings, a Recur extension).
 */
import type Stripe from 'stripe';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { advanceClock, renewalInvoice as renewalInvoiceOf, subscribedThenFailing } from '../helpers/clocks.ts';
import { startStripeSuite, type StripeSuite } from '../helpers/stripe.ts';

let suite: StripeSuite;
let stripe: Stripe;
beforeAll(async () => ({ suite, stripe } = await startStripeSuite()));
afterAll(async () => suite.close());

const HOUR = 3600;
const DAY = 86400;
const utc = (year: number, month: number, day: number, hour = 0) => Date.UTC(year, month - 1, day, hour) / 1000;

interface DunningSettings {
  object: 'dunning_settings';
  retry_days: number[];
  final_action: 'cancel' | 'unpaid' | 'past_due';
  livemode: boolean;
}

/** The Recur extension, through the SDK's raw request (as any Stripe-shaped extension). */
async function dunningSettings(params?: { retry_days?: number[]; final_action?: string }): Promise<DunningSettings> {
  const response = await stripe.rawRequest(params ? 'POST' : 'GET', '/v1/dunning_settings', params ?? {});
  return response as unknown as DunningSettings;
}

afterEach(async () => {
  await dunningSettings({ retry_days: [1, 2, 3, 5, 7, 9, 11, 14], final_action: 'cancel' });
});

async function plan(unitAmount: number) {
  return stripe.prices.create({ currency: 'usd', unit_amount: unitAmount, recurring: { interval: 'month' }, product_data: { name: `Dunning ${suite.runId}` } });
}

/** A customer on a test clock whose card works now; `then` is the card its renewals will meet. */
const subscribed = async (start: number, then: string) =>
  subscribedThenFailing(stripe, { start, then, price: (await plan(2000)).id, customer: { email: `dunning-${suite.runId}@example.com` } });
const advance = (clockId: string, to: number) => advanceClock(stripe, clockId, to);
const renewalInvoice = (subscriptionId: string) => renewalInvoiceOf(stripe, subscriptionId);

describe('dunning: settings', () => {
  it('default to 8 retries within 2 weeks, then cancel; can be changed; bad schedules are refused naming the parameter', async () => {
    expect(await dunningSettings()).toMatchObject({ object: 'dunning_settings', retry_days: [1, 2, 3, 5, 7, 9, 11, 14], final_action: 'cancel' });
    expect(await dunningSettings({ retry_days: [2, 4], final_action: 'unpaid' })).toMatchObject({ retry_days: [2, 4], final_action: 'unpaid' });
    expect(await dunningSettings()).toMatchObject({ retry_days: [2, 4], final_action: 'unpaid' });
    for (const [params, param] of [
      [{ retry_days: [3, 2] }, 'retry_days'],
      [{ retry_days: [0] }, 'retry_days[0]'],
      [{ final_action: 'explode' }, 'final_action'],
    ] as const) {
      const error = await dunningSettings(params as { retry_days?: number[]; final_action?: string }).then(
        () => null,
        (e: Stripe.errors.StripeError) => e,
      );
      expect(error?.statusCode).toBe(400);
      expect(error?.param).toBe(param);
    }
    expect(await dunningSettings()).toMatchObject({ retry_days: [2, 4], final_action: 'unpaid' });
  });
});

describe('dunning: a failed renewal', () => {
  it('goes past_due, is retried on the schedule, and is paid at once when the customer sets a new card', async () => {
    const start = utc(2027, 3, 10, 12);
    const renewal = utc(2027, 4, 10, 12);
    const { clock, customer, subscription } = await subscribed(start, 'pm_card_chargeDeclinedInsufficientFunds');

    // The renewal draft is finalized an hour after the boundary and its charge fails.
    await advance(clock.id, renewal + 2 * HOUR);
    let invoice = await renewalInvoice(subscription.id);
    const failedAt = invoice.status_transitions.finalized_at as number;
    expect(invoice).toMatchObject({ status: 'open', attempt_count: 1, attempted: true, next_payment_attempt: failedAt + DAY });
    expect((await stripe.subscriptions.retrieve(subscription.id)).status).toBe('past_due');

    // Day 1 and day 2: one retry each, at the scheduled times.
    await advance(clock.id, failedAt + DAY + 60);
    invoice = await renewalInvoice(subscription.id);
    expect(invoice).toMatchObject({ status: 'open', attempt_count: 2, next_payment_attempt: failedAt + 2 * DAY });
    await advance(clock.id, failedAt + 2 * DAY + 60);
    invoice = await renewalInvoice(subscription.id);
    expect(invoice).toMatchObject({ status: 'open', attempt_count: 3, next_payment_attempt: failedAt + 3 * DAY });

    // A new default card: paid in the same request, the subscription active again.
    const fresh = await stripe.paymentMethods.attach('pm_card_mastercard', { customer: customer.id });
    await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: fresh.id } });
    invoice = await renewalInvoice(subscription.id);
    expect(invoice).toMatchObject({ status: 'paid', attempt_count: 4, amount_paid: 2000, next_payment_attempt: null });
    expect((await stripe.subscriptions.retrieve(subscription.id)).status).toBe('active');

    // Nothing more is tried later.
    await advance(clock.id, failedAt + 20 * DAY);
    expect(await renewalInvoice(subscription.id)).toMatchObject({ status: 'paid', attempt_count: 4 });
    const failures = await stripe.events.list({ type: 'invoice.payment_failed', limit: 100 });
    expect(failures.data.filter((e) => (e.data.object as Stripe.Invoice).id === invoice.id)).toHaveLength(3);
  });

  it("is paid at once too when the subscription's own default payment method changes", async () => {
    const { clock, customer, subscription } = await subscribed(utc(2027, 10, 5), 'pm_card_chargeCustomerFail');
    await advance(clock.id, utc(2027, 11, 5) + 2 * HOUR);
    expect(await renewalInvoice(subscription.id)).toMatchObject({ status: 'open', attempt_count: 1 });
    const fresh = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    const updated = await stripe.subscriptions.update(subscription.id, { default_payment_method: fresh.id });
    expect(updated.status).toBe('active');
    expect(await renewalInvoice(subscription.id)).toMatchObject({ status: 'paid', attempt_count: 2, next_payment_attempt: null });
    expect((await stripe.subscriptions.retrieve(subscription.id)).status).toBe('active');
  });

  it('when the retries run out, cancels the subscription (the default final action) with reason payment_failed', async () => {
    await dunningSettings({ retry_days: [1, 3], final_action: 'cancel' });
    const start = utc(2027, 5, 31, 9);
    const { clock, subscription } = await subscribed(start, 'pm_card_chargeCustomerFail');
    const renewal = utc(2027, 6, 30, 9);
    await advance(clock.id, renewal + 2 * HOUR);
    const failedAt = (await renewalInvoice(subscription.id)).status_transitions.finalized_at as number;
    await advance(clock.id, failedAt + DAY + 60);
    expect((await stripe.subscriptions.retrieve(subscription.id)).status).toBe('past_due');
    await advance(clock.id, failedAt + 3 * DAY + 60);
    const invoice = await renewalInvoice(subscription.id);
    expect(invoice).toMatchObject({ status: 'open', attempt_count: 3, next_payment_attempt: null });
    const ended = await stripe.subscriptions.retrieve(subscription.id);
    // The clock runs each retry at its scheduled time, so the last one (and the cancellation) is at day 3.
    expect(ended).toMatchObject({ status: 'canceled', ended_at: failedAt + 3 * DAY, cancellation_details: { reason: 'payment_failed' } });
    const deleted = await stripe.events.list({ type: 'customer.subscription.deleted', limit: 100 });
    expect(deleted.data.filter((e) => (e.data.object as Stripe.Subscription).id === subscription.id)).toHaveLength(1);
  });

  it('marks it unpaid, or leaves it past_due, when the workspace says so', async () => {
    for (const finalAction of ['unpaid', 'past_due'] as const) {
      await dunningSettings({ retry_days: [2], final_action: finalAction });
      const { clock, subscription } = await subscribed(utc(2027, 1, 15), 'pm_card_chargeCustomerFail');
      await advance(clock.id, utc(2027, 2, 15) + 2 * HOUR);
      const failedAt = (await renewalInvoice(subscription.id)).status_transitions.finalized_at as number;
      await advance(clock.id, failedAt + 2 * DAY + 60);
      expect(await renewalInvoice(subscription.id)).toMatchObject({ status: 'open', attempt_count: 2, next_payment_attempt: null });
      expect((await stripe.subscriptions.retrieve(subscription.id)).status).toBe(finalAction);
    }
  });

  it('does not retry a hard decline (stolen card) until the customer gives another card', async () => {
    const { clock, subscription } = await subscribed(utc(2027, 8, 1), 'pm_card_chargeDeclinedStolenCard');
    await advance(clock.id, utc(2027, 9, 1) + 2 * HOUR);
    const invoice = await renewalInvoice(subscription.id);
    expect(invoice).toMatchObject({ status: 'open', attempt_count: 1, next_payment_attempt: null });
    await advance(clock.id, utc(2027, 9, 20));
    expect(await renewalInvoice(subscription.id)).toMatchObject({ status: 'open', attempt_count: 1 });
    expect((await stripe.subscriptions.retrieve(subscription.id)).status).toBe('past_due');
  });
});
