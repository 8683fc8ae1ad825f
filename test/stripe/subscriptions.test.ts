import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advanceClock } from '../helpers/clocks.ts';
import { startStripeSuite, stripeError, type StripeSuite } from '../helpers/stripe.ts';

let suite: StripeSuite;
let stripe: Stripe;
beforeAll(async () => ({ suite, stripe } = await startStripeSuite()));
afterAll(async () => suite.close());

const DAY = 86400;
/** 2027-01-31 12:00 UTC: a month-end anchor. */
const JAN_31 = Date.UTC(2027, 0, 31, 12) / 1000;

async function plan(unitAmount: number, interval: 'month' | 'year' = 'month', currency = 'usd') {
  return stripe.prices.create({ currency, unit_amount: unitAmount, recurring: { interval }, product_data: { name: `Plan ${unitAmount}/${interval}` } });
}

/** A customer on a new test clock, with a card as default payment method. */
async function clockedCustomer(frozenTime = JAN_31, card = 'pm_card_visa') {
  const clock = await stripe.testHelpers.testClocks.create({ frozen_time: frozenTime, name: `sub-${suite.runId}` });
  const customer = await stripe.customers.create({ name: `sub-${suite.runId}`, test_clock: clock.id });
  const pm = await stripe.paymentMethods.attach(card, { customer: customer.id });
  await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: pm.id } });
  return { clock, customer };
}

const advance = (clockId: string, to: number) => advanceClock(stripe, clockId, to);

async function invoicesOf(subscription: string) {
  return (await stripe.invoices.list({ subscription, limit: 100 })).data.reverse();
}

describe('subscriptions under test clocks', () => {
  it('renews a month-end anchor on Feb 28, Mar 31, Apr 30, each invoice paid', async () => {
    const price = await plan(2000);
    const { clock, customer } = await clockedCustomer();
    const sub = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    expect(sub.status).toBe('active');
    expect(sub.items.data[0]?.current_period_end).toBe(Date.UTC(2027, 1, 28, 12) / 1000);
    const first = await stripe.invoices.retrieve(sub.latest_invoice as string);
    expect(first).toMatchObject({ status: 'paid', amount_paid: 2000, billing_reason: 'subscription_create' });
    // Numbered PREFIX-0001 on: this workspace may hold earlier invoices (an external server).
    expect(first.number).toMatch(/^[A-Z0-9]+-\d{4,}$/);

    await advance(clock.id, Date.UTC(2027, 4, 1) / 1000);
    const invoices = await invoicesOf(sub.id);
    expect(invoices.map((i) => [i.billing_reason, i.status, i.amount_paid])).toEqual([
      ['subscription_create', 'paid', 2000],
      ['subscription_cycle', 'paid', 2000],
      ['subscription_cycle', 'paid', 2000],
      ['subscription_cycle', 'paid', 2000],
    ]);
    expect(invoices.map((i) => i.lines.data[0]?.period.start)).toEqual([JAN_31, Date.UTC(2027, 1, 28, 12) / 1000, Date.UTC(2027, 2, 31, 12) / 1000, Date.UTC(2027, 3, 30, 12) / 1000]);
    const numbers = invoices.map((i) => Number(i.number?.split('-')[1]));
    // In finalization order (other suites may share the workspace on an external server, so
    // only the racing-workers test in src/modules/billing/run.test.ts checks there are no gaps).
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    expect(new Set(numbers).size).toBe(4);
    const after = await stripe.subscriptions.retrieve(sub.id);
    expect(after.items.data[0]?.current_period_start).toBe(Date.UTC(2027, 3, 30, 12) / 1000);
  });

  it('expands the invoice it just made (expand[]=latest_invoice on create)', async () => {
    const { customer } = await clockedCustomer();
    const price = await plan(1500);
    const sub = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }], expand: ['latest_invoice'] });
    const invoice = sub.latest_invoice as Stripe.Invoice;
    expect(invoice).toMatchObject({ object: 'invoice', status: 'paid', amount_paid: 1500 });
    expect(invoice.parent?.subscription_details?.subscription).toBe(sub.id);
  });

  it('upgrades mid-period: create_prorations waits for the renewal, always_invoice charges now', async () => {
    const basic = await plan(1000);
    const pro = await plan(2000);
    const { clock, customer } = await clockedCustomer(Date.UTC(2027, 3, 1) / 1000); // Apr: 30 days
    const sub = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: basic.id }] });
    await advance(clock.id, Date.UTC(2027, 3, 16) / 1000); // the exact middle
    const itemId = sub.items.data[0]?.id as string;

    const preview = await stripe.invoices.createPreview({
      customer: customer.id,
      subscription: sub.id,
      subscription_details: { items: [{ id: itemId, price: pro.id }], proration_behavior: 'always_invoice' },
    });
    expect(preview.lines.data.map((l) => l.amount)).toEqual([-500, 1000]);
    // Each proration line names its own plan (the new one for the remaining time).
    expect(preview.lines.data.map((l) => l.description)).toEqual([
      expect.stringMatching(/^Unused time on 1 × Plan 1000\/month after/),
      expect.stringMatching(/^Remaining time on 1 × Plan 2000\/month after/),
    ]);
    expect(preview.amount_due).toBe(500);

    const updated = await stripe.subscriptions.update(sub.id, { items: [{ id: itemId, price: pro.id }], proration_behavior: 'always_invoice' });
    const latest = await stripe.invoices.retrieve(updated.latest_invoice as string);
    expect(latest).toMatchObject({ billing_reason: 'subscription_update', status: 'paid', amount_paid: 500 });
    expect(latest.lines.data.map((l) => l.amount)).toEqual([-500, 1000]);

    // Back down with create_prorations: the credit waits for the May renewal.
    await stripe.subscriptions.update(sub.id, { items: [{ id: itemId, price: basic.id }], proration_behavior: 'create_prorations' });
    await advance(clock.id, Date.UTC(2027, 4, 1, 2) / 1000);
    const invoices = await invoicesOf(sub.id);
    const renewal = invoices.at(-1) as Stripe.Invoice;
    expect(renewal.billing_reason).toBe('subscription_cycle');
    expect(renewal.lines.data.map((l) => l.amount).sort((a, b) => a - b)).toEqual([-1000, 500, 1000]);
    expect(renewal.amount_paid).toBe(500);
  });

  it('trial without a card pauses or cancels at trial end as configured', async () => {
    const price = await plan(1500);
    const clock = await stripe.testHelpers.testClocks.create({ frozen_time: JAN_31 });
    const customer = await stripe.customers.create({ name: `trial-${suite.runId}`, test_clock: clock.id });
    const paused = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price.id }],
      trial_period_days: 14,
      trial_settings: { end_behavior: { missing_payment_method: 'pause' } },
    });
    const canceled = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price.id }],
      trial_period_days: 7,
      trial_settings: { end_behavior: { missing_payment_method: 'cancel' } },
    });
    expect(paused.status).toBe('trialing');
    expect((await stripe.invoices.retrieve(paused.latest_invoice as string)).amount_due).toBe(0);
    await advance(clock.id, JAN_31 + 15 * DAY);
    expect((await stripe.subscriptions.retrieve(paused.id)).status).toBe('paused');
    expect((await stripe.subscriptions.retrieve(canceled.id)).status).toBe('canceled');
    const events = await stripe.events.list({ type: 'customer.subscription.trial_will_end', limit: 100 });
    expect(events.data.some((e) => (e.data.object as { id: string }).id === paused.id)).toBe(true);
  });

  it('a failing card leaves the first invoice open and the subscription incomplete; renewals go past_due', async () => {
    const price = await plan(900);
    const { customer } = await clockedCustomer(JAN_31, 'pm_card_chargeCustomerFail');
    const sub = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    expect(sub.status).toBe('incomplete');
    const invoice = await stripe.invoices.retrieve(sub.latest_invoice as string);
    expect(invoice).toMatchObject({ status: 'open', attempt_count: 1, amount_remaining: 900 });
    const declinedCharges = async () =>
      suite.server
        ? (
            await suite.server.database.db
              .selectFrom('test_gateway_charges as c')
              .innerJoin('payment_methods as pm', (join) => join.onRef('pm.workspace_id', '=', 'c.workspace_id').onRef('pm.gateway_ref', '=', 'c.payment_method'))
              .select('c.idempotency_key')
              .where('pm.customer_id', '=', customer.id)
              .where('c.status', '=', 'failed')
              .execute()
          ).length
        : null;
    const declinedBefore = await declinedCharges();
    const error = await stripeError(stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }], payment_behavior: 'error_if_incomplete' }));
    expect(error).toMatchObject({ type: 'StripeCardError', statusCode: 402 });
    // Recur wrote nothing: no second subscription, no second invoice.
    expect((await stripe.subscriptions.list({ customer: customer.id, status: 'all' })).data.map((s) => s.id)).toEqual([sub.id]);
    expect((await stripe.invoices.list({ customer: customer.id })).data.map((i) => i.id)).toEqual([invoice.id]);
    // The gateway remembers the declined attempt, as Stripe's would: its ledger is its own.
    if (declinedBefore !== null) expect(await declinedCharges()).toBe(declinedBefore + 1);
  });

  it('cancels at period end, at a date, and now with a prorated credit', async () => {
    const price = await plan(3000);
    const { clock, customer } = await clockedCustomer(Date.UTC(2027, 3, 1) / 1000);
    const atEnd = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    const atDate = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    const now = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    await stripe.subscriptions.update(atEnd.id, { cancel_at_period_end: true });
    await stripe.subscriptions.update(atDate.id, { cancel_at: Date.UTC(2027, 3, 10) / 1000 });
    await advance(clock.id, Date.UTC(2027, 3, 16) / 1000);
    expect((await stripe.subscriptions.retrieve(atDate.id)).status).toBe('canceled');
    const canceledNow = await stripe.subscriptions.cancel(now.id, { prorate: true, invoice_now: true });
    expect(canceledNow.status).toBe('canceled');
    const final = await stripe.invoices.retrieve(canceledNow.latest_invoice as string);
    expect(final.total).toBe(-1500);
    expect((await stripe.customers.retrieve(customer.id)) as Stripe.Customer).toMatchObject({ balance: -1500 });
    await advance(clock.id, Date.UTC(2027, 4, 2) / 1000);
    const ended = await stripe.subscriptions.retrieve(atEnd.id);
    expect(ended).toMatchObject({ status: 'canceled', ended_at: Date.UTC(2027, 4, 1) / 1000 });
  });
});
