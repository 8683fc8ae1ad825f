import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStripeSuite, stripeError, type StripeSuite } from '../helpers/stripe.ts';

let suite: StripeSuite;
let stripe: Stripe;
beforeAll(async () => ({ suite, stripe } = await startStripeSuite()));
afterAll(async () => suite.close());

const APR_1 = Date.UTC(2027, 3, 1) / 1000;
const MAY_1 = Date.UTC(2027, 4, 1) / 1000;
const JUN_1 = Date.UTC(2027, 5, 1) / 1000;
const JUL_1 = Date.UTC(2027, 6, 1) / 1000;

async function plan(unitAmount: number) {
  return stripe.prices.create({ currency: 'usd', unit_amount: unitAmount, recurring: { interval: 'month' }, product_data: { name: `Tier ${unitAmount}` } });
}

async function clockedCustomer() {
  const clock = await stripe.testHelpers.testClocks.create({ frozen_time: APR_1 });
  const customer = await stripe.customers.create({ name: `sched-${suite.runId}`, test_clock: clock.id });
  const pm = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
  await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: pm.id } });
  return { clock, customer };
}

const cycleAmounts = async (subscription: string) =>
  (await stripe.invoices.list({ subscription, limit: 100 })).data
    .reverse()
    .filter((i) => i.billing_reason === 'subscription_cycle')
    .map((i) => i.amount_paid);

describe('subscription schedules', () => {
  it('downgrades at the period end: the May renewal bills the cheaper plan, with no proration', async () => {
    const pro = await plan(5000);
    const basic = await plan(2000);
    const { clock, customer } = await clockedCustomer();
    const sub = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: pro.id }] });
    const schedule = await stripe.subscriptionSchedules.create({ from_subscription: sub.id });
    expect(schedule).toMatchObject({ status: 'active', subscription: sub.id, current_phase: { start_date: APR_1, end_date: MAY_1 } });
    expect((await stripe.subscriptions.retrieve(sub.id)).schedule).toBe(schedule.id);

    const updated = await stripe.subscriptionSchedules.update(schedule.id, {
      phases: [
        { items: [{ price: pro.id, quantity: 1 }], start_date: APR_1, end_date: MAY_1 },
        { items: [{ price: basic.id, quantity: 1 }], duration: { interval: 'month', interval_count: 2 } },
      ],
    });
    expect(updated.phases.map((p) => [p.start_date, p.end_date])).toEqual([
      [APR_1, MAY_1],
      [MAY_1, JUL_1],
    ]);
    await stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: JUN_1 + 7200 });
    expect(await cycleAmounts(sub.id)).toEqual([2000, 2000]);
    const after = await stripe.subscriptions.retrieve(sub.id);
    expect(after.items.data.map((i) => (i.price as Stripe.Price).id)).toEqual([basic.id]);
    // After the last phase (release, the default), the subscription runs on without it.
    await stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: JUL_1 + 7200 });
    expect((await stripe.subscriptionSchedules.retrieve(schedule.id)).status).toBe('released');
    expect(await stripe.subscriptions.retrieve(sub.id)).toMatchObject({ status: 'active', schedule: null });
  });

  it('a customer schedule with end_behavior=cancel ends the subscription after its phases', async () => {
    const intro = await plan(1000);
    const full = await plan(3000);
    const { clock, customer } = await clockedCustomer();
    const schedule = await stripe.subscriptionSchedules.create({
      customer: customer.id,
      start_date: 'now',
      end_behavior: 'cancel',
      phases: [
        { items: [{ price: intro.id }], duration: { interval: 'month' } },
        { items: [{ price: full.id }], duration: { interval: 'month' } },
      ],
    });
    const subId = schedule.subscription as string;
    expect((await stripe.subscriptions.retrieve(subId)).cancel_at).toBe(JUN_1);
    await stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: JUN_1 + 7200 });
    expect(await cycleAmounts(subId)).toEqual([3000]);
    expect(await stripe.subscriptions.retrieve(subId)).toMatchObject({ status: 'canceled', ended_at: JUN_1 });
    expect((await stripe.subscriptionSchedules.retrieve(schedule.id)).status).toBe('completed');
  });

  it('release detaches, cancel ends both; bad phases are 400s naming the field', async () => {
    const price = await plan(1500);
    const { customer } = await clockedCustomer();
    const a = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    const released = await stripe.subscriptionSchedules.release((await stripe.subscriptionSchedules.create({ from_subscription: a.id })).id);
    expect(released).toMatchObject({ status: 'released', released_subscription: a.id, subscription: null });
    const scheduled = await stripe.subscriptionSchedules.create({ from_subscription: a.id });
    const noEnd = await stripeError(stripe.subscriptionSchedules.update(scheduled.id, { phases: [{ items: [{ price: price.id }], start_date: APR_1, end_date: MAY_1 }, { items: [{ price: price.id }] }] }));
    expect(noEnd).toMatchObject({ statusCode: 400, param: 'phases[1][end_date]' });
    const moved = await stripeError(stripe.subscriptionSchedules.update(scheduled.id, { phases: [{ items: [{ price: price.id }], start_date: APR_1 + 1, end_date: MAY_1 }] }));
    expect(moved).toMatchObject({ statusCode: 400, param: 'phases[0][start_date]' });
    const canceled = await stripe.subscriptionSchedules.cancel(scheduled.id);
    expect(canceled.status).toBe('canceled');
    expect((await stripe.subscriptions.retrieve(a.id)).status).toBe('canceled');
  });
});
