/**
 * Billing lifecycles through the official `stripe` SDK under test clocks, to the cent:
 * coupons and promotion codes over several renewals, inclusive and exclusive tax, seat
 * changes under each proration_behavior, an interval change, paused collection, trials,
 * several currencies, setup fees, cancellations, invoice state transitions and the PDF.
 * Expected amounts follow Stripe's documented behaviour and docs/decisions.md §15–20.
 */
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStripeSuite, stripeError, type StripeSuite } from '../helpers/stripe.ts';

let suite: StripeSuite;
let stripe: Stripe;
beforeAll(async () => ({ suite, stripe } = await startStripeSuite()));
afterAll(async () => suite.close());

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

const HOUR = 3600;
const DAY = 86400;
/** Unix seconds of a UTC date; `month` is 1-based (utc(2027, 4, 16) is 16 April 2027). */
const utc = (year: number, month: number, day: number, hour = 0) => Date.UTC(year, month - 1, day, hour) / 1000;
/** Renewal invoices stay drafts for an hour: advancing to 2 hours past a boundary sees them paid. */
const settled = (boundary: number) => boundary + 2 * HOUR;

async function plan(unitAmount: number, options: { interval?: 'month' | 'year'; currency?: string; name?: string } = {}) {
  const { interval = 'month', currency = 'usd', name = `Plan ${unitAmount}/${interval}` } = options;
  return stripe.prices.create({ currency, unit_amount: unitAmount, recurring: { interval }, product_data: { name: `${name} ${suite.runId}` } });
}

/** A customer on a new test clock, with a card as default payment method. */
async function clockedCustomer(frozenTime: number, card = 'pm_card_visa') {
  const clock = await stripe.testHelpers.testClocks.create({ frozen_time: frozenTime, name: `scenario-${suite.runId}` });
  const customer = await stripe.customers.create({ name: `scenario-${suite.runId}`, test_clock: clock.id });
  const pm = await stripe.paymentMethods.attach(card, { customer: customer.id });
  await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: pm.id } });
  return { clock, customer };
}

async function advance(clockId: string, to: number) {
  const clock = await stripe.testHelpers.testClocks.advance(clockId, { frozen_time: to });
  expect(clock.status).toBe('ready');
  expect(clock.frozen_time).toBe(to);
  return clock;
}

/** A subscription's invoices, oldest first. */
async function invoicesOf(subscription: string) {
  return (await stripe.invoices.list({ subscription, limit: 100 })).data.reverse();
}

async function latestInvoice(sub: Stripe.Subscription | string) {
  const current = typeof sub === 'string' ? await stripe.subscriptions.retrieve(sub) : sub;
  return stripe.invoices.retrieve(current.latest_invoice as string);
}

const lineAmounts = (invoice: Stripe.Invoice) => invoice.lines.data.map((l) => l.amount).sort((a, b) => a - b);
const discountTotal = (invoice: Stripe.Invoice) => (invoice.total_discount_amounts ?? []).reduce((sum, d) => sum + d.amount, 0);
const isProration = (line: Stripe.InvoiceLineItem) => line.parent?.subscription_item_details?.proration === true;
const itemPeriod = (sub: Stripe.Subscription) => ({ start: sub.items.data[0]?.current_period_start, end: sub.items.data[0]?.current_period_end });
const balanceOf = async (customer: string) => ((await stripe.customers.retrieve(customer)) as Stripe.Customer).balance;

/** Tax amounts as comparable tuples: [tax rate, amount, behavior, taxable amount]. */
function taxTuples(taxes: readonly (Stripe.Invoice.TotalTax | Stripe.InvoiceLineItem.Tax)[] | null) {
  return (taxes ?? [])
    .map((t) => [t.tax_rate_details?.tax_rate, t.amount, t.tax_behavior, t.taxable_amount] as const)
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
}

async function trialWillEndEventsFor(subscriptionId: string) {
  const events = await stripe.events.list({ type: 'customer.subscription.trial_will_end', limit: 100 });
  return events.data.filter((e) => (e.data.object as { id: string }).id === subscriptionId);
}

// ---------------------------------------------------------------------------------------
// Coupons and promotion codes
// ---------------------------------------------------------------------------------------

describe('coupons over four monthly renewals (Mar 1 → Jul 1 2027)', () => {
  const START = utc(2027, 3, 1);
  const AFTER_FOUR_RENEWALS = settled(utc(2027, 7, 1));

  async function subscribeWith(coupon: Stripe.Coupon) {
    const price = await plan(2000);
    const { clock, customer } = await clockedCustomer(START);
    const sub = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }], discounts: [{ coupon: coupon.id }] });
    expect(sub.status).toBe('active');
    return { clock, sub };
  }

  async function paidAndDiscounts(subId: string) {
    const invoices = await invoicesOf(subId);
    expect(invoices.map((i) => i.status)).toEqual(['paid', 'paid', 'paid', 'paid', 'paid']);
    return { paid: invoices.map((i) => i.amount_paid), discounts: invoices.map(discountTotal) };
  }

  it('duration once: percent_off and amount_off apply to the first invoice only', async () => {
    const percent = await stripe.coupons.create({ percent_off: 25, duration: 'once' });
    const amount = await stripe.coupons.create({ amount_off: 700, currency: 'usd', duration: 'once' });
    const a = await subscribeWith(percent);
    const b = await subscribeWith(amount);
    expect(a.sub.discounts).toEqual([]);
    await advance(a.clock.id, AFTER_FOUR_RENEWALS);
    await advance(b.clock.id, AFTER_FOUR_RENEWALS);
    expect(await paidAndDiscounts(a.sub.id)).toEqual({ paid: [1500, 2000, 2000, 2000, 2000], discounts: [500, 0, 0, 0, 0] });
    expect(await paidAndDiscounts(b.sub.id)).toEqual({ paid: [1300, 2000, 2000, 2000, 2000], discounts: [700, 0, 0, 0, 0] });
  });

  it('duration repeating (2 months): the first two invoices are discounted, then full price', async () => {
    const percent = await stripe.coupons.create({ percent_off: 50, duration: 'repeating', duration_in_months: 2 });
    const amount = await stripe.coupons.create({ amount_off: 500, currency: 'usd', duration: 'repeating', duration_in_months: 2 });
    const a = await subscribeWith(percent);
    const b = await subscribeWith(amount);
    expect(a.sub.discounts).toHaveLength(1);
    await advance(a.clock.id, AFTER_FOUR_RENEWALS);
    await advance(b.clock.id, AFTER_FOUR_RENEWALS);
    expect(await paidAndDiscounts(a.sub.id)).toEqual({ paid: [1000, 1000, 2000, 2000, 2000], discounts: [1000, 1000, 0, 0, 0] });
    expect(await paidAndDiscounts(b.sub.id)).toEqual({ paid: [1500, 1500, 2000, 2000, 2000], discounts: [500, 500, 0, 0, 0] });
    expect((await stripe.subscriptions.retrieve(a.sub.id)).discounts).toEqual([]);
  });

  it('duration forever: every invoice is discounted (12.5 % and 3.00 off)', async () => {
    const percent = await stripe.coupons.create({ percent_off: 12.5, duration: 'forever' });
    const amount = await stripe.coupons.create({ amount_off: 300, currency: 'usd', duration: 'forever' });
    const a = await subscribeWith(percent);
    const b = await subscribeWith(amount);
    await advance(a.clock.id, AFTER_FOUR_RENEWALS);
    await advance(b.clock.id, AFTER_FOUR_RENEWALS);
    expect(await paidAndDiscounts(a.sub.id)).toEqual({ paid: [1750, 1750, 1750, 1750, 1750], discounts: [250, 250, 250, 250, 250] });
    expect(await paidAndDiscounts(b.sub.id)).toEqual({ paid: [1700, 1700, 1700, 1700, 1700], discounts: [300, 300, 300, 300, 300] });
    expect((await stripe.subscriptions.retrieve(a.sub.id)).discounts).toHaveLength(1);
    expect((await stripe.coupons.retrieve(percent.id)).times_redeemed).toBe(1);
  });

  it('a promotion code discounts like its coupon and counts a redemption on both', async () => {
    const coupon = await stripe.coupons.create({ percent_off: 20, duration: 'forever' });
    const promo = await stripe.promotionCodes.create({ promotion: { type: 'coupon', coupon: coupon.id }, code: `SPRING${suite.runId}`, max_redemptions: 5 });
    const price = await plan(2000);
    const { clock, customer } = await clockedCustomer(START);
    const sub = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }], discounts: [{ promotion_code: promo.id }] });
    const first = await latestInvoice(sub);
    expect(first).toMatchObject({ subtotal: 2000, total: 1600, amount_paid: 1600, status: 'paid' });
    expect(first.total_discount_amounts?.map((d) => d.amount)).toEqual([400]);
    await advance(clock.id, settled(utc(2027, 4, 1)));
    expect((await invoicesOf(sub.id)).map((i) => i.amount_paid)).toEqual([1600, 1600]);
    expect((await stripe.promotionCodes.retrieve(promo.id)).times_redeemed).toBe(1);
    expect((await stripe.coupons.retrieve(coupon.id)).times_redeemed).toBe(1);
  });
});

// ---------------------------------------------------------------------------------------
// Tax rates
// ---------------------------------------------------------------------------------------

describe('tax rates', () => {
  const START = utc(2027, 3, 1);
  let salesTax: Stripe.TaxRate; // exclusive 8.25 %
  let vat: Stripe.TaxRate; // inclusive 20 %
  beforeAll(async () => {
    salesTax = await stripe.taxRates.create({ display_name: 'Sales tax', percentage: 8.25, inclusive: false, country: 'US', state: 'CA' });
    vat = await stripe.taxRates.create({ display_name: 'VAT', percentage: 20, inclusive: true, country: 'FR' });
  });

  it('an exclusive default_tax_rate is added on top, rounded half away from zero (82.5 → 83)', async () => {
    const price = await plan(1000);
    const { customer } = await clockedCustomer(START);
    const sub = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }], default_tax_rates: [salesTax.id] });
    const invoice = await latestInvoice(sub);
    expect(invoice).toMatchObject({ subtotal: 1000, total_excluding_tax: 1000, total: 1083, amount_paid: 1083 });
    expect(taxTuples(invoice.lines.data[0]?.taxes ?? null)).toEqual([[salesTax.id, 83, 'exclusive', 1000]]);
    expect(taxTuples(invoice.total_taxes)).toEqual([[salesTax.id, 83, 'exclusive', 1000]]);
  });

  it('an inclusive per-item tax rate is inside the amount (2400 incl. 20 % = 400 tax)', async () => {
    const price = await plan(2400);
    const { customer } = await clockedCustomer(START);
    const sub = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id, tax_rates: [vat.id] }] });
    const invoice = await latestInvoice(sub);
    expect(invoice).toMatchObject({ subtotal: 2400, total_excluding_tax: 2000, total: 2400, amount_paid: 2400 });
    expect(taxTuples(invoice.lines.data[0]?.taxes ?? null)).toEqual([[vat.id, 400, 'inclusive', 2000]]);
    expect(taxTuples(invoice.total_taxes)).toEqual([[vat.id, 400, 'inclusive', 2000]]);
  });

  it('both kinds with a 10 % coupon: tax on the discounted line, total = subtotal − discount + exclusive tax', async () => {
    const basic = await plan(1000, { name: 'Taxed basic' });
    const addon = await plan(2400, { name: 'Taxed add-on' });
    const coupon = await stripe.coupons.create({ percent_off: 10, duration: 'forever' });
    const { clock, customer } = await clockedCustomer(START);
    const sub = await stripe.subscriptions.create({
      customer: customer.id,
      default_tax_rates: [salesTax.id],
      items: [{ price: basic.id }, { price: addon.id, tax_rates: [vat.id] }], // an item's rates replace the defaults
      discounts: [{ coupon: coupon.id }],
    });
    const check = (invoice: Stripe.Invoice) => {
      const basicLine = invoice.lines.data.find((l) => l.pricing?.price_details?.price === basic.id) as Stripe.InvoiceLineItem;
      const addonLine = invoice.lines.data.find((l) => l.pricing?.price_details?.price === addon.id) as Stripe.InvoiceLineItem;
      // 1000 − 100 = 900 → 8.25 % = 74.25 → 74; 2400 − 240 = 2160 → incl. 20 % = 360, net 1800.
      expect(basicLine.discount_amounts?.map((d) => d.amount)).toEqual([100]);
      expect(addonLine.discount_amounts?.map((d) => d.amount)).toEqual([240]);
      expect(taxTuples(basicLine.taxes ?? null)).toEqual([[salesTax.id, 74, 'exclusive', 900]]);
      expect(taxTuples(addonLine.taxes ?? null)).toEqual([[vat.id, 360, 'inclusive', 1800]]);
      expect(taxTuples(invoice.total_taxes)).toEqual(
        taxTuples([
          { tax_rate_details: { tax_rate: salesTax.id }, amount: 74, tax_behavior: 'exclusive', taxable_amount: 900 },
          { tax_rate_details: { tax_rate: vat.id }, amount: 360, tax_behavior: 'inclusive', taxable_amount: 1800 },
        ] as Stripe.Invoice.TotalTax[]),
      );
      expect(discountTotal(invoice)).toBe(340);
      expect(invoice).toMatchObject({ subtotal: 3400, total_excluding_tax: 2700, total: 3134, amount_paid: 3134 });
      expect(invoice.total).toBe(invoice.subtotal - discountTotal(invoice) + 74);
    };
    check(await latestInvoice(sub));
    await advance(clock.id, settled(utc(2027, 4, 1)));
    const renewal = await latestInvoice(sub.id);
    expect(renewal.billing_reason).toBe('subscription_cycle');
    check(renewal);
  });
});

// ---------------------------------------------------------------------------------------
// Seats, interval changes
// ---------------------------------------------------------------------------------------

describe('seat (quantity) changes at the exact middle of April (30 days), 10.00 a seat', () => {
  const START = utc(2027, 4, 1);
  const MIDDLE = utc(2027, 4, 16);
  const RENEWAL = utc(2027, 5, 1);

  interface SeatCase {
    behavior: 'create_prorations' | 'always_invoice' | 'none';
    from: number;
    to: number;
    /** Lines of an invoice made at the change (null: none is made). */
    now: number[] | null;
    /** Sorted lines of the May 1 renewal, and what it charged. */
    renewal: number[];
    renewalPaid: number;
    /** The customer's balance right after the change. */
    balanceAfterChange: number;
  }

  const cases: SeatCase[] = [
    { behavior: 'create_prorations', from: 5, to: 8, now: null, renewal: [-2500, 4000, 8000], renewalPaid: 9500, balanceAfterChange: 0 },
    { behavior: 'always_invoice', from: 5, to: 8, now: [-2500, 4000], renewal: [8000], renewalPaid: 8000, balanceAfterChange: 0 },
    { behavior: 'none', from: 5, to: 8, now: null, renewal: [8000], renewalPaid: 8000, balanceAfterChange: 0 },
    { behavior: 'create_prorations', from: 8, to: 3, now: null, renewal: [-4000, 1500, 3000], renewalPaid: 500, balanceAfterChange: 0 },
    // A negative invoice is not charged: its total goes to the customer's credit balance,
    // which the next invoice uses.
    { behavior: 'always_invoice', from: 8, to: 3, now: [-4000, 1500], renewal: [3000], renewalPaid: 500, balanceAfterChange: -2500 },
    { behavior: 'none', from: 8, to: 3, now: null, renewal: [3000], renewalPaid: 3000, balanceAfterChange: 0 },
  ];

  it.each(cases)('$from → $to seats with $behavior', async ({ behavior, from, to, now, renewal, renewalPaid, balanceAfterChange }) => {
    const seat = await plan(1000, { name: 'Seat' });
    const { clock, customer } = await clockedCustomer(START);
    const sub = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: seat.id, quantity: from }] });
    expect((await latestInvoice(sub)).amount_paid).toBe(1000 * from);
    await advance(clock.id, MIDDLE);

    const itemId = sub.items.data[0]?.id as string;
    const updated = await stripe.subscriptions.update(sub.id, { items: [{ id: itemId, quantity: to }], proration_behavior: behavior });
    expect(updated.items.data[0]?.quantity).toBe(to);
    expect(itemPeriod(updated)).toEqual({ start: START, end: RENEWAL });
    const afterChange = await invoicesOf(sub.id);
    if (now === null) {
      expect(afterChange).toHaveLength(1);
    } else {
      expect(afterChange).toHaveLength(2);
      const invoice = afterChange[1] as Stripe.Invoice;
      expect(invoice.billing_reason).toBe('subscription_update');
      expect(lineAmounts(invoice)).toEqual(now);
      expect(invoice.lines.data.every(isProration)).toBe(true);
      expect(invoice.lines.data.map((l) => l.period)).toEqual([
        { start: MIDDLE, end: RENEWAL },
        { start: MIDDLE, end: RENEWAL },
      ]);
      const total = now.reduce((a, b) => a + b, 0);
      expect(invoice).toMatchObject({ status: 'paid', total, amount_paid: Math.max(total, 0) });
    }
    expect(await balanceOf(customer.id)).toBe(balanceAfterChange);

    await advance(clock.id, settled(RENEWAL));
    const cycle = (await invoicesOf(sub.id)).at(-1) as Stripe.Invoice;
    expect(cycle.billing_reason).toBe('subscription_cycle');
    expect(lineAmounts(cycle)).toEqual(renewal);
    expect(cycle.lines.data.filter(isProration).map((l) => l.period)).toEqual(
      renewal.length > 1 ? [{ start: MIDDLE, end: RENEWAL }, { start: MIDDLE, end: RENEWAL }] : [],
    );
    expect(cycle).toMatchObject({ status: 'paid', amount_paid: renewalPaid, starting_balance: balanceAfterChange });
    expect(await balanceOf(customer.id)).toBe(0);
  });
});

describe('interval change', () => {
  it('monthly → yearly mid-period: a new anchor now, invoiced now with the unused-time credit', async () => {
    const monthly = await plan(1000, { name: 'Team' });
    const yearly = await plan(10000, { interval: 'year', name: 'Team' });
    const { clock, customer } = await clockedCustomer(utc(2027, 4, 1));
    const sub = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: monthly.id }] });
    const change = utc(2027, 4, 16);
    await advance(clock.id, change);

    const updated = await stripe.subscriptions.update(sub.id, { items: [{ id: sub.items.data[0]?.id as string, price: yearly.id }] });
    expect(updated.billing_cycle_anchor).toBe(change);
    expect(itemPeriod(updated)).toEqual({ start: change, end: utc(2028, 4, 16) });
    const invoice = await latestInvoice(updated);
    expect(invoice).toMatchObject({ billing_reason: 'subscription_update', status: 'paid', total: 9500, amount_paid: 9500 });
    expect(lineAmounts(invoice)).toEqual([-500, 10000]);
    const credit = invoice.lines.data.find((l) => l.amount === -500) as Stripe.InvoiceLineItem;
    expect(isProration(credit)).toBe(true);
    expect(credit.period).toEqual({ start: change, end: utc(2027, 5, 1) });
    const year = invoice.lines.data.find((l) => l.amount === 10000) as Stripe.InvoiceLineItem;
    expect(year.period).toEqual({ start: change, end: utc(2028, 4, 16) });

    // Nothing on the old monthly boundary; the next invoice is a year later.
    await advance(clock.id, settled(utc(2027, 5, 1)));
    expect(await invoicesOf(sub.id)).toHaveLength(2);
    await advance(clock.id, settled(utc(2028, 4, 16)));
    const invoices = await invoicesOf(sub.id);
    expect(invoices).toHaveLength(3);
    expect(invoices[2]).toMatchObject({ billing_reason: 'subscription_cycle', status: 'paid', amount_paid: 10000 });
    expect(invoices[2]?.lines.data[0]?.period).toEqual({ start: utc(2028, 4, 16), end: utc(2029, 4, 16) });
  });
});

// ---------------------------------------------------------------------------------------
// Paused collection
// ---------------------------------------------------------------------------------------

describe('pause_collection across the May 1 renewal', () => {
  const START = utc(2027, 4, 1);

  it('keep_as_draft / void / mark_uncollectible, then pause_collection: "" resumes billing', async () => {
    const price = await plan(1000, { name: 'Paused' });
    const { clock, customer } = await clockedCustomer(START);
    const behaviors = ['keep_as_draft', 'void', 'mark_uncollectible'] as const;
    const subs: Stripe.Subscription[] = [];
    for (let i = 0; i < behaviors.length; i++) subs.push(await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] }));
    await advance(clock.id, utc(2027, 4, 10));
    for (const [i, behavior] of behaviors.entries()) {
      const paused = await stripe.subscriptions.update(subs[i]?.id as string, { pause_collection: { behavior } });
      expect(paused).toMatchObject({ status: 'active', pause_collection: { behavior, resumes_at: null } });
    }

    await advance(clock.id, settled(utc(2027, 5, 1)));
    const mayStatus = async (subId: string) => {
      const invoices = await invoicesOf(subId);
      expect(invoices).toHaveLength(2);
      return invoices[1] as Stripe.Invoice;
    };
    const draft = await mayStatus(subs[0]?.id as string);
    expect(draft).toMatchObject({ status: 'draft', auto_advance: false, amount_paid: 0, attempt_count: 0, total: 1000 });
    const voided = await mayStatus(subs[1]?.id as string);
    expect(voided).toMatchObject({ status: 'void', amount_paid: 0, attempt_count: 0 });
    expect(voided.status_transitions.voided_at).not.toBeNull();
    const uncollectible = await mayStatus(subs[2]?.id as string);
    expect(uncollectible).toMatchObject({ status: 'uncollectible', amount_paid: 0, attempt_count: 0 });
    expect(uncollectible.status_transitions.marked_uncollectible_at).not.toBeNull();
    for (const sub of subs) expect((await stripe.subscriptions.retrieve(sub.id)).status).toBe('active');
    expect(await balanceOf(customer.id)).toBe(0);

    for (const sub of subs) {
      const resumed = await stripe.subscriptions.update(sub.id, { pause_collection: '' });
      expect(resumed.pause_collection).toBeNull();
    }
    await advance(clock.id, settled(utc(2027, 6, 1)));
    for (const sub of subs) {
      const invoices = await invoicesOf(sub.id);
      expect(invoices.map((i) => i.status)).toEqual(['paid', invoices[1]?.status, 'paid']);
      expect(invoices[2]).toMatchObject({ billing_reason: 'subscription_cycle', amount_paid: 1000 });
    }
    // The draft made while paused stays a draft (auto_advance false) after resuming.
    expect((await stripe.invoices.retrieve(draft.id as string)).status).toBe('draft');
  });

  it('resumes_at: collection resumes by itself at that time', async () => {
    const price = await plan(1000, { name: 'Pause until' });
    const { clock, customer } = await clockedCustomer(START);
    const sub = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    const resumesAt = utc(2027, 5, 15);
    const paused = await stripe.subscriptions.update(sub.id, { pause_collection: { behavior: 'void', resumes_at: resumesAt } });
    expect(paused.pause_collection).toEqual({ behavior: 'void', resumes_at: resumesAt });

    await advance(clock.id, settled(utc(2027, 5, 1)));
    expect((await invoicesOf(sub.id)).map((i) => i.status)).toEqual(['paid', 'void']);
    await advance(clock.id, resumesAt + HOUR);
    expect((await stripe.subscriptions.retrieve(sub.id)).pause_collection).toBeNull();
    await advance(clock.id, settled(utc(2027, 6, 1)));
    const invoices = await invoicesOf(sub.id);
    expect(invoices.map((i) => [i.status, i.amount_paid])).toEqual([
      ['paid', 1000],
      ['void', 0],
      ['paid', 1000],
    ]);
  });
});

// ---------------------------------------------------------------------------------------
// Trials
// ---------------------------------------------------------------------------------------

describe('trials with a card', () => {
  const START = utc(2027, 4, 1);

  it('trial_period_days: 14: a $0 invoice, trial_will_end 3 days before, then charged at trial end', async () => {
    const price = await plan(2000, { name: 'Trial' });
    const { clock, customer } = await clockedCustomer(START);
    const sub = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }], trial_period_days: 14 });
    const trialEnd = utc(2027, 4, 15);
    expect(sub).toMatchObject({ status: 'trialing', trial_start: START, trial_end: trialEnd });
    expect(itemPeriod(sub)).toEqual({ start: START, end: trialEnd });
    expect(await latestInvoice(sub)).toMatchObject({ status: 'paid', total: 0, amount_paid: 0, billing_reason: 'subscription_create' });

    await advance(clock.id, trialEnd - 3 * DAY - HOUR);
    expect(await trialWillEndEventsFor(sub.id)).toHaveLength(0);
    await advance(clock.id, trialEnd - 3 * DAY);
    expect(await trialWillEndEventsFor(sub.id)).toHaveLength(1);

    await advance(clock.id, settled(trialEnd));
    const after = await stripe.subscriptions.retrieve(sub.id);
    expect(after.status).toBe('active');
    expect(itemPeriod(after)).toEqual({ start: trialEnd, end: utc(2027, 5, 15) });
    const invoice = await latestInvoice(after);
    expect(invoice).toMatchObject({ status: 'paid', amount_paid: 2000, billing_reason: 'subscription_cycle' });
    expect(invoice.lines.data.map((l) => l.period)).toEqual([{ start: trialEnd, end: utc(2027, 5, 15) }]);
    expect(await trialWillEndEventsFor(sub.id)).toHaveLength(1);
  });

  it('trial_end: "now" ends the trial at once: a new anchor, charged now', async () => {
    const price = await plan(2000, { name: 'Trial now' });
    const { clock, customer } = await clockedCustomer(START);
    const sub = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }], trial_period_days: 30 });
    const now = utc(2027, 4, 11);
    await advance(clock.id, now);
    const ended = await stripe.subscriptions.update(sub.id, { trial_end: 'now' });
    expect(ended).toMatchObject({ status: 'active', trial_end: now, billing_cycle_anchor: now });
    expect(itemPeriod(ended)).toEqual({ start: now, end: utc(2027, 5, 11) });
    const invoice = await latestInvoice(ended);
    expect(invoice).toMatchObject({ status: 'paid', amount_paid: 2000, billing_reason: 'subscription_update' });
    expect(lineAmounts(invoice)).toEqual([2000]);
    await advance(clock.id, settled(utc(2027, 5, 11)));
    expect((await invoicesOf(sub.id)).map((i) => i.amount_paid)).toEqual([0, 2000, 2000]);
  });

  it('trial_end: "now" sends customer.subscription.trial_will_end at once (Stripe: "or when a trial is ended immediately")', async () => {
    const price = await plan(2000, { name: 'Trial now event' });
    const { clock, customer } = await clockedCustomer(START);
    const sub = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }], trial_period_days: 30 });
    await advance(clock.id, utc(2027, 4, 11));
    await stripe.subscriptions.update(sub.id, { trial_end: 'now' });
    expect(await trialWillEndEventsFor(sub.id)).toHaveLength(1);
  });
});

// ---------------------------------------------------------------------------------------
// Currencies
// ---------------------------------------------------------------------------------------

describe('several currencies', () => {
  it('one price with currency_options, subscribed in eur, idr and jpy: amounts in each minor unit', async () => {
    const price = await stripe.prices.create({
      currency: 'usd',
      unit_amount: 1000,
      currency_options: { eur: { unit_amount: 900 }, idr: { unit_amount: 15_000_000 }, jpy: { unit_amount: 1505 } },
      recurring: { interval: 'month' },
      product_data: { name: `Global ${suite.runId}` },
    });
    const tax = await stripe.taxRates.create({ display_name: 'GST', percentage: 10, inclusive: false });
    const expected = {
      eur: { subtotal: 900, tax: 90, total: 990 }, // €9.00 + €0.90
      idr: { subtotal: 15_000_000, tax: 1_500_000, total: 16_500_000 }, // Rp 150,000.00 (ISO 4217: 2 decimals)
      jpy: { subtotal: 1505, tax: 151, total: 1656 }, // ¥1,505 + ¥150.5 → ¥151 (0 decimals)
    };
    const customers: Record<string, string> = {};
    for (const [currency, amounts] of Object.entries(expected)) {
      const { clock, customer } = await clockedCustomer(utc(2027, 4, 1));
      customers[currency] = customer.id;
      const sub = await stripe.subscriptions.create({ customer: customer.id, currency, items: [{ price: price.id }], default_tax_rates: [tax.id] });
      expect(sub.currency).toBe(currency);
      const invoice = await latestInvoice(sub);
      expect(invoice).toMatchObject({ currency, subtotal: amounts.subtotal, total: amounts.total, amount_paid: amounts.total, status: 'paid' });
      expect(invoice.total_taxes?.map((t) => t.amount)).toEqual([amounts.tax]);
      expect(invoice.lines.data[0]).toMatchObject({ currency, amount: amounts.subtotal });
      expect(((await stripe.customers.retrieve(customer.id)) as Stripe.Customer).currency).toBe(currency);
      await advance(clock.id, settled(utc(2027, 5, 1)));
      expect((await latestInvoice(sub.id)).amount_paid).toBe(amounts.total);
    }

    // A customer is billed in one currency: a subscription in another is refused.
    const error = await stripeError(stripe.subscriptions.create({ customer: customers.eur as string, currency: 'idr', items: [{ price: price.id }] }));
    expect(error).toMatchObject({ statusCode: 400, type: 'StripeInvalidRequestError', param: 'currency' });
    expect((await stripe.subscriptions.list({ customer: customers.eur as string })).data).toHaveLength(1);
  });

  it('an amount_off coupon takes its currency_options amount in another currency', async () => {
    const price = await stripe.prices.create({
      currency: 'usd',
      unit_amount: 1000,
      currency_options: { jpy: { unit_amount: 1505 } },
      recurring: { interval: 'month' },
      product_data: { name: `Yen coupon ${suite.runId}` },
    });
    const coupon = await stripe.coupons.create({ amount_off: 500, currency: 'usd', currency_options: { jpy: { amount_off: 100 } }, duration: 'forever' });
    const { customer } = await clockedCustomer(utc(2027, 4, 1));
    const sub = await stripe.subscriptions.create({ customer: customer.id, currency: 'jpy', items: [{ price: price.id }], discounts: [{ coupon: coupon.id }] });
    expect(await latestInvoice(sub)).toMatchObject({ currency: 'jpy', subtotal: 1505, total: 1405, amount_paid: 1405 });
  });

  it('a yen proration rounds each line once, half away from zero (−752.5 → −753)', async () => {
    const price = await stripe.prices.create({
      currency: 'usd',
      unit_amount: 1000,
      currency_options: { jpy: { unit_amount: 1505 } },
      recurring: { interval: 'month' },
      product_data: { name: `Yen seats ${suite.runId}` },
    });
    const { clock, customer } = await clockedCustomer(utc(2027, 4, 1));
    const sub = await stripe.subscriptions.create({ customer: customer.id, currency: 'jpy', items: [{ price: price.id, quantity: 1 }] });
    await advance(clock.id, utc(2027, 4, 16)); // the exact middle of 30 days
    const updated = await stripe.subscriptions.update(sub.id, { items: [{ id: sub.items.data[0]?.id as string, quantity: 2 }], proration_behavior: 'always_invoice' });
    const invoice = await latestInvoice(updated);
    expect(lineAmounts(invoice)).toEqual([-753, 1505]);
    expect(invoice).toMatchObject({ currency: 'jpy', total: 752, amount_paid: 752 });
  });
});

// ---------------------------------------------------------------------------------------
// Setup fees, cancellations
// ---------------------------------------------------------------------------------------

describe('setup fees and cancellations', () => {
  it('add_invoice_items: a one-time setup fee on the first invoice only', async () => {
    const price = await plan(2000, { name: 'With setup' });
    const setup = await stripe.prices.create({ currency: 'usd', unit_amount: 5000, product_data: { name: `Setup fee ${suite.runId}` } });
    const { clock, customer } = await clockedCustomer(utc(2027, 4, 1));
    const sub = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }], add_invoice_items: [{ price: setup.id }] });
    const first = await latestInvoice(sub);
    expect(lineAmounts(first)).toEqual([2000, 5000]);
    expect(first).toMatchObject({ subtotal: 7000, total: 7000, amount_paid: 7000, status: 'paid' });
    expect(first.lines.data.find((l) => l.amount === 5000)?.pricing?.price_details?.price).toBe(setup.id);
    await advance(clock.id, settled(utc(2027, 5, 1)));
    expect(lineAmounts(await latestInvoice(sub.id))).toEqual([2000]);
  });

  it('cancel_at a date within the period: canceled then, no renewal', async () => {
    const price = await plan(3000, { name: 'Cancel at' });
    const { clock, customer } = await clockedCustomer(utc(2027, 4, 1));
    const sub = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    const cancelAt = utc(2027, 4, 20);
    const scheduled = await stripe.subscriptions.update(sub.id, { cancel_at: cancelAt });
    expect(scheduled).toMatchObject({ status: 'active', cancel_at: cancelAt });
    await advance(clock.id, cancelAt - HOUR);
    expect((await stripe.subscriptions.retrieve(sub.id)).status).toBe('active');
    await advance(clock.id, settled(utc(2027, 5, 1)));
    expect(await stripe.subscriptions.retrieve(sub.id)).toMatchObject({ status: 'canceled', ended_at: cancelAt });
    expect((await invoicesOf(sub.id)).filter((i) => i.billing_reason === 'subscription_cycle')).toEqual([]);
  });

  it('cancel_at a date in the next period: the last renewal is prorated up to it (3000 × 15/31 = 1452)', async () => {
    const price = await plan(3000, { name: 'Cancel later' });
    const { clock, customer } = await clockedCustomer(utc(2027, 4, 1));
    const sub = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    const cancelAt = utc(2027, 5, 16);
    await stripe.subscriptions.update(sub.id, { cancel_at: cancelAt });
    await advance(clock.id, settled(utc(2027, 5, 1)));
    const last = await latestInvoice(sub.id);
    expect(last.billing_reason).toBe('subscription_cycle');
    expect(last.lines.data.map((l) => [l.amount, l.period])).toEqual([[1452, { start: utc(2027, 5, 1), end: cancelAt }]]);
    expect(last.amount_paid).toBe(1452);
    await advance(clock.id, settled(utc(2027, 6, 1)));
    expect(await stripe.subscriptions.retrieve(sub.id)).toMatchObject({ status: 'canceled', ended_at: cancelAt });
    expect(await invoicesOf(sub.id)).toHaveLength(2);
  });

  it('cancel now with prorate + invoice_now: a negative invoice credits the balance, which the next invoice uses', async () => {
    const big = await plan(3000, { name: 'Cancel now' });
    const small = await plan(2000, { name: 'Kept' });
    const { clock, customer } = await clockedCustomer(utc(2027, 4, 1));
    const canceled = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: big.id }] });
    const kept = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: small.id }] });
    await advance(clock.id, utc(2027, 4, 16));

    const result = await stripe.subscriptions.cancel(canceled.id, { prorate: true, invoice_now: true });
    expect(result).toMatchObject({ status: 'canceled', ended_at: utc(2027, 4, 16), canceled_at: utc(2027, 4, 16) });
    const final = await latestInvoice(result);
    expect(lineAmounts(final)).toEqual([-1500]);
    expect(final).toMatchObject({ total: -1500, amount_due: 0, amount_paid: 0, status: 'paid', starting_balance: 0, ending_balance: -1500 });
    expect(await balanceOf(customer.id)).toBe(-1500);

    await advance(clock.id, settled(utc(2027, 5, 1)));
    const renewal = await latestInvoice(kept.id);
    expect(renewal).toMatchObject({ billing_reason: 'subscription_cycle', total: 2000, starting_balance: -1500, ending_balance: 0, amount_due: 500, amount_paid: 500 });
    expect(await balanceOf(customer.id)).toBe(0);
    expect(await invoicesOf(canceled.id)).toHaveLength(2);
  });
});

describe('send_invoice collection', () => {
  it('invoices are due days_until_due after finalization; updating days_until_due alone takes effect', async () => {
    const price = await plan(1500, { name: 'Invoiced' });
    const { clock, customer } = await clockedCustomer(utc(2027, 4, 1));
    const sub = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }], collection_method: 'send_invoice', days_until_due: 14 });
    expect(sub).toMatchObject({ status: 'active', collection_method: 'send_invoice', days_until_due: 14 });
    const first = await latestInvoice(sub);
    expect(first).toMatchObject({ status: 'open', collection_method: 'send_invoice', amount_due: 1500, amount_paid: 0, due_date: utc(2027, 4, 15) });
    const updated = await stripe.subscriptions.update(sub.id, { days_until_due: 30 });
    expect(updated.days_until_due).toBe(30);
    await advance(clock.id, settled(utc(2027, 5, 1)));
    expect((await latestInvoice(sub.id)).due_date).toBe(utc(2027, 5, 1, 1) + 30 * DAY);
  });
});

// ---------------------------------------------------------------------------------------
// Invoices
// ---------------------------------------------------------------------------------------

describe('invoices', () => {
  /** A subscription whose first charge failed: its invoice stays open. */
  async function openInvoice(amount = 900) {
    const price = await plan(amount, { name: 'Failing' });
    const { clock, customer } = await clockedCustomer(utc(2027, 4, 1), 'pm_card_chargeCustomerFail');
    const sub = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    expect(sub.status).toBe('incomplete');
    const invoice = await latestInvoice(sub);
    expect(invoice).toMatchObject({ status: 'open', attempt_count: 1, amount_remaining: amount });
    return { clock, customer, sub, invoice };
  }

  it('pay with a failing card is a 402 StripeCardError that keeps the attempt; a replay answers the same', async () => {
    const { invoice } = await openInvoice();
    const key = `pay-${suite.runId}-${invoice.id}`;
    const error = await stripeError(stripe.invoices.pay(invoice.id as string, {}, { idempotencyKey: key }));
    expect(error).toMatchObject({ type: 'StripeCardError', statusCode: 402, code: 'card_declined' });
    expect(await stripe.invoices.retrieve(invoice.id as string)).toMatchObject({
      status: 'open',
      attempt_count: 2,
      amount_paid: 0,
      amount_remaining: 900,
    });
    const failed = await stripe.events.list({ type: 'invoice.payment_failed', limit: 100 });
    expect(failed.data.filter((e) => (e.data.object as { id: string }).id === invoice.id)).toHaveLength(2);
    // The same request again is the stored answer, not a third attempt.
    const replayed = await stripeError(stripe.invoices.pay(invoice.id as string, {}, { idempotencyKey: key }));
    expect(replayed).toMatchObject({ type: 'StripeCardError', statusCode: 402, code: 'card_declined' });
    expect((await stripe.invoices.retrieve(invoice.id as string)).attempt_count).toBe(2);
  });

  it('a failed pay is an attempt the gateway remembers: paying again after a new card charges the new card', async () => {
    const { customer, sub, invoice } = await openInvoice();
    expect(await stripeError(stripe.invoices.pay(invoice.id as string))).toMatchObject({ type: 'StripeCardError', statusCode: 402 });
    const pm = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: pm.id } });
    // Had the failed pay's attempt been forgotten, this one would reuse its idempotency key and
    // get the declined answer back from the gateway, whatever the new card.
    const paid = await stripe.invoices.pay(invoice.id as string);
    expect(paid).toMatchObject({ status: 'paid', amount_paid: 900, amount_remaining: 0, attempt_count: 3 });
    expect((await stripe.subscriptions.retrieve(sub.id)).status).toBe('active');
  });

  it('pay after a new card: paid, and the subscription becomes active', async () => {
    const { customer, sub, invoice } = await openInvoice();
    const pm = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: pm.id } });
    const paid = await stripe.invoices.pay(invoice.id as string);
    expect(paid).toMatchObject({ status: 'paid', amount_paid: 900, amount_remaining: 0 });
    expect((await stripe.subscriptions.retrieve(sub.id)).status).toBe('active');
  });

  it('void: open → void; then void, pay, finalize and mark_uncollectible are 400s', async () => {
    const { invoice } = await openInvoice();
    const voided = await stripe.invoices.voidInvoice(invoice.id as string);
    expect(voided.status).toBe('void');
    expect(voided.status_transitions.voided_at).toBe(utc(2027, 4, 1));
    for (const attempt of [
      () => stripe.invoices.voidInvoice(invoice.id as string),
      () => stripe.invoices.pay(invoice.id as string),
      () => stripe.invoices.finalizeInvoice(invoice.id as string),
      () => stripe.invoices.markUncollectible(invoice.id as string),
    ]) {
      expect(await stripeError(attempt())).toMatchObject({ statusCode: 400, type: 'StripeInvalidRequestError' });
    }
    expect((await stripe.invoices.retrieve(invoice.id as string)).status).toBe('void');
  });

  it('mark_uncollectible: open → uncollectible → void; marking twice is a 400', async () => {
    const { invoice } = await openInvoice();
    const marked = await stripe.invoices.markUncollectible(invoice.id as string);
    expect(marked.status).toBe('uncollectible');
    expect(marked.status_transitions.marked_uncollectible_at).toBe(utc(2027, 4, 1));
    expect(await stripeError(stripe.invoices.markUncollectible(invoice.id as string))).toMatchObject({ statusCode: 400 });
    expect((await stripe.invoices.voidInvoice(invoice.id as string)).status).toBe('void');
  });

  it('an uncollectible invoice can still be paid (Stripe: uncollectible → void or paid)', async () => {
    const { customer, invoice } = await openInvoice();
    await stripe.invoices.markUncollectible(invoice.id as string);
    const pm = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: pm.id } });
    const paid = await stripe.invoices.pay(invoice.id as string);
    expect(paid).toMatchObject({ status: 'paid', amount_paid: 900 });
  });

  it('a paid invoice cannot be voided or marked uncollectible; a draft cannot be voided', async () => {
    const price = await plan(1200, { name: 'Paid' });
    const { clock, customer } = await clockedCustomer(utc(2027, 4, 1));
    const sub = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    const paid = await latestInvoice(sub);
    expect(paid.status).toBe('paid');
    expect(await stripeError(stripe.invoices.voidInvoice(paid.id as string))).toMatchObject({ statusCode: 400 });
    expect(await stripeError(stripe.invoices.markUncollectible(paid.id as string))).toMatchObject({ statusCode: 400 });
    expect(await stripeError(stripe.invoices.pay(paid.id as string))).toMatchObject({ statusCode: 400 });

    await stripe.subscriptions.update(sub.id, { pause_collection: { behavior: 'keep_as_draft' } });
    await advance(clock.id, settled(utc(2027, 5, 1)));
    const draft = await latestInvoice(sub.id);
    expect(draft.status).toBe('draft');
    expect(await stripeError(stripe.invoices.voidInvoice(draft.id as string))).toMatchObject({ statusCode: 400 });
    expect(await stripeError(stripe.invoices.markUncollectible(draft.id as string))).toMatchObject({ statusCode: 400 });
    const finalized = await stripe.invoices.finalizeInvoice(draft.id as string);
    expect(finalized.status).toBe('open');
    expect(finalized.number).toMatch(/^[A-Z0-9]+-\d{4}$/);
  });

  /** A customer with a 15.00 credit balance (a 30.00 plan canceled half-way with prorate + invoice_now). */
  async function customerWithCredit() {
    const big = await plan(3000, { name: 'Credit source' });
    const { clock, customer } = await clockedCustomer(utc(2027, 4, 1));
    const source = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: big.id }] });
    await advance(clock.id, utc(2027, 4, 16));
    await stripe.subscriptions.cancel(source.id, { prorate: true, invoice_now: true });
    expect(await balanceOf(customer.id)).toBe(-1500);
    return { clock, customer };
  }

  it('voiding an open invoice returns the customer balance applied to it (Stripe, API 2019-12-03+)', async () => {
    const { customer } = await customerWithCredit();
    const failing = await stripe.paymentMethods.attach('pm_card_chargeCustomerFail', { customer: customer.id });
    await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: failing.id } });
    const price = await plan(2000, { name: 'Partly credited' });
    const sub = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    const invoice = await latestInvoice(sub);
    expect(invoice).toMatchObject({ status: 'open', total: 2000, starting_balance: -1500, amount_due: 500, amount_remaining: 500 });
    expect(await balanceOf(customer.id)).toBe(0);
    await stripe.invoices.voidInvoice(invoice.id as string);
    expect(await balanceOf(customer.id)).toBe(-1500);
  });

  it('pause_collection void: the renewal is voided and the credit balance is left alone', async () => {
    const { clock, customer } = await customerWithCredit();
    const price = await plan(1000, { name: 'Paused with credit' });
    const sub = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    expect(await latestInvoice(sub)).toMatchObject({ amount_due: 0, status: 'paid', ending_balance: -500 });
    await stripe.subscriptions.update(sub.id, { pause_collection: { behavior: 'void' } });
    await advance(clock.id, settled(utc(2027, 5, 16)));
    expect((await latestInvoice(sub.id)).status).toBe('void');
    expect(await balanceOf(customer.id)).toBe(-500);
  });

  it('renders a PDF with the secret key', async () => {
    const price = await plan(4200, { name: 'PDF' });
    const { customer } = await clockedCustomer(utc(2027, 4, 1));
    const sub = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    const invoice = await latestInvoice(sub);
    expect(invoice.invoice_pdf).toBe(`/v1/invoices/${invoice.id}/pdf`);
    const response = await fetch(`${suite.baseUrl}/v1/invoices/${invoice.id}/pdf`, { headers: { authorization: `Bearer ${suite.secretKey}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/pdf/);
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(bytes.length).toBeGreaterThan(500);
    const anonymous = await fetch(`${suite.baseUrl}/v1/invoices/${invoice.id}/pdf`);
    expect(anonymous.status).toBe(401);
  });
});

// ---------------------------------------------------------------------------------------
// Speed
// ---------------------------------------------------------------------------------------

describe('speed', () => {
  it('one customer with three subscriptions, advanced by 12 months', async () => {
    const prices = [await plan(1000, { name: 'Speed A' }), await plan(2500, { name: 'Speed B' }), await plan(4999, { name: 'Speed C' })];
    const start = utc(2027, 1, 31, 12);
    const { clock, customer } = await clockedCustomer(start);
    const subs = [];
    for (const price of prices) subs.push(await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] }));

    const began = performance.now();
    await advance(clock.id, settled(utc(2028, 1, 31, 12)));
    const elapsed = performance.now() - began;
    console.log(`[speed] 3 subscriptions × 12 monthly renewals on one test clock: advanced in ${elapsed.toFixed(0)} ms`);

    for (const [i, sub] of subs.entries()) {
      const invoices = await invoicesOf(sub.id);
      expect(invoices).toHaveLength(13);
      expect(invoices.every((inv) => inv.status === 'paid' && inv.amount_paid === prices[i]?.unit_amount)).toBe(true);
    }
  }, 120_000);
});
