/**
 * The payment-failed email, its signed card-update link and the page behind it, and the
 * card-expiring reminders, through the `stripe` SDK, plain HTTP (a browser's GET and form
 * POST) and a real SMTP server, under test clocks in a sandbox workspace.
 */
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueCardExpiringEmails } from '../../src/modules/payments/card-update/expiring.ts';
import { sealCardUpdateLink } from '../../src/modules/payments/card-update/token.ts';
import { emailSender } from '../../src/modules/notifications/sender.ts';
import type { EmailMessageRow, EmailTemplate } from '../../src/modules/notifications/models.ts';
import { drainWork } from '../../src/worker/runner.ts';
import { TEST_SECRETS } from '../helpers/app-options.ts';
import { advanceClock, renewalInvoice as renewalInvoiceOf, subscribedThenFailing } from '../helpers/clocks.ts';
import { consumeEvents, testEmailConsumer } from '../helpers/email.ts';
import { createTestAccount, startTestServer, type TestAccount, type TestServer } from '../helpers/server.ts';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.ts';
import { stripeClient } from '../helpers/stripe.ts';

let server: TestServer;
let account: TestAccount;
let stripe: Stripe;
let smtp: TestSmtpServer;
let business: string;

beforeAll(async () => {
  [server, smtp] = await Promise.all([startTestServer(), startSmtpServer()]);
  account = await createTestAccount(server.database);
  stripe = stripeClient(server.baseUrl, account.secretKey);
  business = (await db().selectFrom('accounts').select('name').where('id', '=', account.accountId).executeTakeFirstOrThrow()).name;
});
afterAll(async () => {
  await server?.close();
  await smtp?.close();
});

const HOUR = 3600;
const DAY = 86400;
const utc = (year: number, month: number, day: number, hour = 0) => Date.UTC(year, month - 1, day, hour) / 1000;
/** The same time a month later (a monthly plan's renewal). */
const monthAfter = (seconds: number) => {
  const date = new Date(seconds * 1000);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), date.getUTCHours()) / 1000;
};
const db = () => server.database.db;

// Mail is queued as of a far future instant, and sent by a sender kept to this workspace at
// that instant: test files share the database, and another file's sender (which runs at
// about the present) must not take this file's mail, nor this file's sender another's.
const QUEUED_AT = new Date(Date.UTC(2100, 0, 1));

/** Runs the email consumer over this workspace's invoice events, as the worker would. */
async function consume(): Promise<void> {
  await consumeEvents(db(), account.sandbox.id, testEmailConsumer({ publicUrl: server.baseUrl, clock: () => QUEUED_AT }), [
    'invoice.payment_failed',
    'invoice.paid',
    'invoice.finalized',
  ]);
}

async function mails(customerId: string, template: EmailTemplate): Promise<EmailMessageRow[]> {
  return db()
    .selectFrom('email_messages')
    .selectAll()
    .where('workspace_id', '=', account.sandbox.id)
    .where('customer_id', '=', customerId)
    .where('template', '=', template)
    .orderBy('dedupe_key')
    .execute();
}

function linkIn(text: string): string {
  const match = /http:\/\/127\.0\.0\.1:\d+\/pay\/card\/[A-Za-z0-9_.-]+/.exec(text);
  if (!match) throw new Error(`no card-update link in:\n${text}`);
  return match[0];
}

async function open(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { headers });
  return { status: response.status, html: await response.text(), headers: response.headers };
}

function nonceIn(html: string): string {
  const match = /name="nonce" value="([0-9A-Za-z]+)"/.exec(html);
  if (!match?.[1]) throw new Error(`no form on the page:\n${html}`);
  return match[1];
}

/** Posts the page's form as a browser on our page does (Origin: the page's origin). */
async function submit(url: string, card: string, nonce: string, origin: string = server.baseUrl) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
    body: new URLSearchParams({ card, nonce }).toString(),
  });
  return { status: response.status, html: await response.text() };
}

async function plan(): Promise<Stripe.Price> {
  return stripe.prices.create({ currency: 'usd', unit_amount: 2000, recurring: { interval: 'month' }, product_data: { name: 'Card update plan' } });
}

/**
 * A customer on a test clock, subscribed with a card that works, whose renewals will meet
 * `then`: as the customer's default, or the subscription's own with `ownDefault`. The
 * customer's address is the owner's (a sandbox mails only its team).
 */
async function subscribed(start: number, then: string, options: { locales?: string[]; ownDefault?: boolean } = {}) {
  return subscribedThenFailing(stripe, {
    start,
    then,
    price: (await plan()).id,
    customer: { email: account.ownerEmail, name: 'Jane', preferred_locales: options.locales ?? ['en-US'] },
    ...(options.ownDefault ? { ownDefault: true } : {}),
  });
}

const advance = async (clockId: string, to: number): Promise<void> => void (await advanceClock(stripe, clockId, to));
const renewalInvoice = (subscriptionId: string) => renewalInvoiceOf(stripe, subscriptionId);

/** A renewal that has failed once, its payment-failed email queued. */
async function failedRenewal(start: number, then: string, options: { locales?: string[]; ownDefault?: boolean } = {}) {
  const subscribedCustomer = await subscribed(start, then, options);
  // The renewal draft is finalized an hour after the boundary, and its charge fails.
  await advance(subscribedCustomer.clock.id, monthAfter(start) + 2 * HOUR);
  const invoice = await renewalInvoice(subscribedCustomer.subscription.id);
  expect(invoice).toMatchObject({ status: 'open', attempt_count: 1 });
  await consume();
  const [email] = await mails(subscribedCustomer.customer.id, 'payment_failed');
  if (!email) throw new Error('no payment_failed email');
  return { ...subscribedCustomer, invoice, email, link: linkIn(email.text_body) };
}

describe('payment failed: the email and its card-update link', () => {
  it('emails a signed link at the failure; the page pays the invoice with a new card and the subscription is active again', async () => {
    const { clock, customer, subscription, good, failing, invoice, email, link } = await failedRenewal(utc(2027, 3, 10, 12), 'pm_card_chargeDeclinedInsufficientFunds');
    expect((await stripe.subscriptions.retrieve(subscription.id)).status).toBe('past_due');
    const failedAt = invoice.status_transitions.finalized_at as number;

    // The email: the amount, the decline, the next try, and the link to this server's page.
    expect(email).toMatchObject({ dedupe_key: `payment_failed:${invoice.id}:1`, locale: 'en-US', to_address: account.ownerEmail });
    expect(email.subject).toBe(`Your payment to ${business} failed`);
    expect(email.text_body).toContain(`We could not charge $20.00 to your card for invoice ${invoice.number}.`);
    expect(email.text_body).toContain('Reason: Your card has insufficient funds.');
    expect(email.text_body).toContain('We will try again on April 11, 2027.');
    expect(link.startsWith(`${server.baseUrl}/pay/card/`)).toBe(true);
    expect(email.html_body).toContain(`href="${link}"`);
    await consume();
    expect(await mails(customer.id, 'payment_failed')).toHaveLength(1); // the same event again: nothing new

    // It goes out through SMTP, link and all.
    await drainWork(db(), [emailSender({ smtpUrl: smtp.url, emailFrom: 'Billing <billing@example.com>', workspaceId: account.sandbox.id })], () => QUEUED_AT);
    const received = smtp.received.find((m) => m.headers.get('message-id') === email.message_id);
    expect(received?.envelopeTo).toEqual([account.ownerEmail]);
    expect(decodeQuotedPrintable(received?.raw ?? '')).toContain(link);

    // The page, as the customer's browser gets it.
    const page = await open(link);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(page.html).toContain('<html lang="en-US">');
    expect(page.html).toContain(business);
    expect(page.html).toContain(`<dt>Invoice number</dt><dd>${invoice.number}</dd><dt>Amount due</dt><dd>$20.00</dd>`);
    expect(page.html).toContain('Test mode');
    expect(page.html).toContain('Save card and pay');
    const nonce = nonceIn(page.html);

    // A good card: attached, made the default, the invoice retried at once and paid.
    const paid = await submit(link, '4242 4242 4242 4242', nonce);
    expect(paid.status).toBe(200);
    expect(paid.html).toContain(`Thank you! Invoice ${invoice.number} is paid ($20.00).`);
    expect(paid.html).not.toContain('<form');
    expect(await stripe.invoices.retrieve(invoice.id)).toMatchObject({ status: 'paid', attempt_count: 2, amount_paid: 2000, next_payment_attempt: null });
    expect((await stripe.subscriptions.retrieve(subscription.id)).status).toBe('active');
    const cards = await stripe.paymentMethods.list({ customer: customer.id, type: 'card' });
    expect(cards.data).toHaveLength(3);
    const fresh = cards.data.find((pm) => pm.id !== good.id && pm.id !== failing.id);
    expect(fresh?.card?.last4).toBe('4242');
    const updated = (await stripe.customers.retrieve(customer.id)) as Stripe.Customer;
    expect(updated.invoice_settings.default_payment_method).toBe(fresh?.id);

    // The same form submitted again (a double click, a reload): answered once, nothing more done.
    const again = await submit(link, '4242 4242 4242 4242', nonce);
    expect(again.status).toBe(200);
    expect(again.html).toContain(`Invoice ${invoice.number} is paid`);
    expect((await stripe.paymentMethods.list({ customer: customer.id, type: 'card' })).data).toHaveLength(3);
    expect(await stripe.invoices.retrieve(invoice.id)).toMatchObject({ attempt_count: 2 });

    // Opened later, the link says there is nothing left to do; the paid invoice got its receipt.
    const later = await open(link);
    expect(later.status).toBe(200);
    expect(later.html).toContain(`Invoice ${invoice.number} is already paid. There is nothing more to do.`);
    expect(later.html).not.toContain('<form');
    await consume();
    expect((await mails(customer.id, 'receipt')).map((m) => m.dedupe_key)).toContain(`receipt:${invoice.id}`);

    // The change is in the audit log as the customer's, without the token.
    const audit = await db().selectFrom('audit_log').selectAll().where('workspace_id', '=', account.sandbox.id).where('action', '=', 'card_update.submitted').where('object_id', '=', invoice.id).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_type: 'system', actor_id: customer.id, path: '/pay/card/', status_code: 200 });

    // Nothing is tried later.
    await advance(clock.id, failedAt + 20 * DAY);
    expect(await stripe.invoices.retrieve(invoice.id)).toMatchObject({ status: 'paid', attempt_count: 2 });
  });

  it('emails again at the next failure; a declined card on the page is shown and counts as an attempt', async () => {
    const { clock, customer, invoice, link } = await failedRenewal(utc(2027, 5, 20, 8), 'pm_card_chargeCustomerFail');
    const failedAt = invoice.status_transitions.finalized_at as number;
    await advance(clock.id, failedAt + DAY + 60);
    await consume();
    const failures = await mails(customer.id, 'payment_failed');
    expect(failures.map((m) => m.dedupe_key)).toEqual([`payment_failed:${invoice.id}:1`, `payment_failed:${invoice.id}:2`]);
    const second = failures[1] as EmailMessageRow;
    expect(second.text_body).toContain('Reason: Your card was declined.');
    expect(second.text_body).toContain('We will try again on June 22, 2027.'); // day 2 of the schedule
    const secondLink = linkIn(second.text_body);
    expect(secondLink).not.toBe(link);

    // A card whose charge is declined: saved and tried at once, the decline shown, another try offered.
    const page = await open(secondLink);
    const declined = await submit(secondLink, 'pm_card_chargeDeclinedInsufficientFunds', nonceIn(page.html));
    expect(declined.status).toBe(402);
    expect(declined.html).toContain('Your card is saved, but the payment did not go through: Your card has insufficient funds. Please try another card.');
    expect(await stripe.invoices.retrieve(invoice.id)).toMatchObject({ status: 'open', attempt_count: 3 });
    const retryNonce = nonceIn(declined.html);

    // A card refused when saved: nothing changes.
    const refused = await submit(secondLink, '4000 0000 0000 0002', retryNonce);
    expect(refused.status).toBe(402);
    expect(refused.html).toContain('This card was not accepted: Your card was declined. Please try another card.');
    const garbage = await submit(secondLink, 'not a card', nonceIn(refused.html));
    expect(garbage.status).toBe(400);
    expect(garbage.html).toContain('We could not read that card.');
    expect(await stripe.invoices.retrieve(invoice.id)).toMatchObject({ status: 'open', attempt_count: 3 });

    // The page's failed attempt is a failure like any other: its own email.
    await consume();
    expect((await mails(customer.id, 'payment_failed')).map((m) => m.dedupe_key)).toContain(`payment_failed:${invoice.id}:3`);

    const paid = await submit(secondLink, 'pm_card_mastercard', nonceIn(garbage.html));
    expect(paid.status).toBe(200);
    expect(await stripe.invoices.retrieve(invoice.id)).toMatchObject({ status: 'paid', attempt_count: 4 });
  });

  it("changes a subscription's own default too, retrying with the new card only, once however often the form is sent", async () => {
    const { customer, subscription, invoice, link } = await failedRenewal(utc(2027, 7, 1), 'pm_card_chargeCustomerFail', { ownDefault: true });
    const cardsBefore = (await stripe.paymentMethods.list({ customer: customer.id, type: 'card' })).data.length;
    // Submitted twice at once (a double click): one card saved, one charge, the same answer to both.
    const nonce = nonceIn((await open(link)).html);
    const answers = await Promise.all([submit(link, 'pm_card_visa', nonce), submit(link, 'pm_card_visa', nonce)]);
    for (const paid of answers) {
      expect(paid.status).toBe(200);
      expect(paid.html).toContain(`Invoice ${invoice.number} is paid`);
    }
    expect((await stripe.paymentMethods.list({ customer: customer.id, type: 'card' })).data).toHaveLength(cardsBefore + 1);
    // One retry, with the new card: had the customer's default changed first, the subscription's old card would have failed once more.
    expect(await stripe.invoices.retrieve(invoice.id)).toMatchObject({ status: 'paid', attempt_count: 2 });
    const sub = await stripe.subscriptions.retrieve(subscription.id);
    expect(sub.status).toBe('active');
    const updated = (await stripe.customers.retrieve(customer.id)) as Stripe.Customer;
    expect(sub.default_payment_method).toBe(updated.invoice_settings.default_payment_method);
  });

  it("shows the page in the customer's language", async () => {
    const { invoice, link } = await failedRenewal(utc(2027, 9, 3), 'pm_card_chargeCustomerFail', { locales: ['da-DK'] });
    const page = await open(link);
    expect(page.html).toContain('<html lang="da-DK">');
    expect(page.html).toContain('<h1>Opdater dit kort</h1>');
    expect(page.html).toMatch(new RegExp(`<dt>Fakturanummer</dt><dd>${invoice.number}</dd><dt>Skyldigt beløb</dt><dd>20,00\\sUS\\$</dd>`, 'u'));
    expect(page.html).toContain('Gem kort og betal');
  });

  it('refuses altered, forged, cross-site and expired links, changing nothing', async () => {
    const { clock, customer, invoice, link } = await failedRenewal(utc(2027, 11, 2, 6), 'pm_card_chargeCustomerFail');
    const token = link.slice(link.lastIndexOf('/') + 1);
    const before = await stripe.paymentMethods.list({ customer: customer.id, type: 'card' });

    // One character changed: not a link of ours.
    const altered = `${server.baseUrl}/pay/card/${token.slice(0, 30)}${token[30] === 'A' ? 'B' : 'A'}${token.slice(31)}`;
    expect((await open(altered)).status).toBe(404);
    const page = await open(link);
    const nonce = nonceIn(page.html);
    const forged = await submit(altered, 'pm_card_visa', nonce);
    expect(forged.status).toBe(404);
    expect(forged.html).toContain('This link is not valid');
    expect((await open(`${server.baseUrl}/pay/card/`)).status).toBe(404);

    // Sealed with the right key but naming this customer in another workspace: as good as forged.
    const other = await createTestAccount(server.database);
    const elsewhere = sealCardUpdateLink(TEST_SECRETS, { workspaceId: other.sandbox.id, customerId: customer.id, invoiceId: invoice.id, replacesPaymentMethodId: null, expiresAt: utc(2030, 1, 1) });
    expect((await open(`${server.baseUrl}/pay/card/${elsewhere}`)).status).toBe(404);
    expect((await submit(`${server.baseUrl}/pay/card/${elsewhere}`, 'pm_card_visa', nonce)).status).toBe(404);
    // And an invoice of this workspace with a customer who is not its own.
    const stranger = await stripe.customers.create({ email: 'stranger@example.com' });
    const notTheirs = sealCardUpdateLink(TEST_SECRETS, { workspaceId: account.sandbox.id, customerId: stranger.id, invoiceId: invoice.id, replacesPaymentMethodId: null, expiresAt: utc(2030, 1, 1) });
    expect((await open(`${server.baseUrl}/pay/card/${notTheirs}`)).status).toBe(404);

    // A form posted from another site.
    const crossSite = await submit(link, 'pm_card_visa', nonce, 'https://evil.example');
    expect(crossSite.status).toBe(403);
    expect(await stripe.invoices.retrieve(invoice.id)).toMatchObject({ status: 'open', attempt_count: 1 });

    // A week of the customer's (test clock's) time later, the first email's link has expired.
    await advance(clock.id, (invoice.status_transitions.finalized_at as number) + 7 * DAY + 2 * HOUR);
    const attempts = (await stripe.invoices.retrieve(invoice.id)).attempt_count;
    const expired = await open(link);
    expect(expired.status).toBe(410);
    expect(expired.html).toContain('This link has expired');
    expect(expired.html).not.toContain('<form');
    expect((await submit(link, 'pm_card_visa', nonce)).status).toBe(410);
    expect(await stripe.invoices.retrieve(invoice.id)).toMatchObject({ status: 'open', attempt_count: attempts });
    expect((await stripe.paymentMethods.list({ customer: customer.id, type: 'card' })).data).toHaveLength(before.data.length);

    // The latest email's link works.
    await consume();
    const latest = (await mails(customer.id, 'payment_failed')).at(-1) as EmailMessageRow;
    expect((await open(linkIn(latest.text_body))).status).toBe(200);
  });
});

describe('card expiring: the reminder', () => {
  it('is queued once for a card a live subscription charges that expires at the end of next month, and for no other card', async () => {
    // The test gateway's cards expire in December, a few years on: put the clocks before it.
    const probe = await stripe.customers.create({ email: 'probe@example.com' });
    const expYear = (await stripe.paymentMethods.attach('pm_card_visa', { customer: probe.id })).card?.exp_year as number;
    const price = await plan();

    async function customerAt(frozen: number, options: { subscribe: boolean; extraCard?: boolean }) {
      const clock = await stripe.testHelpers.testClocks.create({ frozen_time: frozen });
      const customer = await stripe.customers.create({ email: account.ownerEmail, test_clock: clock.id, preferred_locales: ['fr'] });
      const card = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
      await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: card.id } });
      const extra = options.extraCard ? await stripe.paymentMethods.attach('pm_card_mastercard', { customer: customer.id }) : null;
      if (options.subscribe) await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
      return { clock, customer, card, extra };
    }
    const due = await customerAt(utc(expYear, 11, 5, 12), { subscribe: true, extraCard: true });
    const early = await customerAt(utc(expYear, 10, 5, 12), { subscribe: true });
    const noSubscription = await customerAt(utc(expYear, 11, 5, 12), { subscribe: false });

    const run = () => queueCardExpiringEmails(db(), QUEUED_AT, { publicUrl: server.baseUrl, secrets: TEST_SECRETS }, 500, { workspaceId: account.sandbox.id });
    expect(await run()).toBe(1);
    expect(await run()).toBe(0);
    const [reminder, ...others] = await mails(due.customer.id, 'card_expiring');
    expect(others).toEqual([]);
    expect(reminder).toMatchObject({ dedupe_key: `card_expiring:${due.card.id}:${expYear}-12`, locale: 'fr' });
    expect(reminder?.subject).toBe('Votre carte se terminant par 4242 expire bientôt');
    expect(reminder?.text_body).toContain(`décembre ${expYear}`);
    for (const c of [early, noSubscription]) expect(await mails(c.customer.id, 'card_expiring')).toEqual([]);

    // Its link: a card-only page naming the expiring card; a new card becomes the default.
    const link = linkIn(reminder?.text_body ?? '');
    const page = await open(link);
    expect(page.status).toBe(200);
    expect(page.html).toContain('<dt>Carte enregistrée</dt><dd>Visa •••• 4242</dd>');
    expect(page.html).toContain('Enregistrer la carte</button>');
    const saved = await submit(link, '5555 5555 5555 4444', nonceIn(page.html));
    expect(saved.status).toBe(200);
    expect(saved.html).toContain('Votre nouvelle carte est enregistrée.');
    const updated = (await stripe.customers.retrieve(due.customer.id)) as Stripe.Customer;
    expect(updated.invoice_settings.default_payment_method).not.toBe(due.card.id);

    // A month on, the other customer's card is due; the first one's is not again.
    await advance(early.clock.id, utc(expYear, 11, 1, 12));
    await advance(due.clock.id, utc(expYear, 12, 1, 12));
    expect(await run()).toBe(1);
    expect(await mails(early.customer.id, 'card_expiring')).toHaveLength(1);
    expect(await mails(due.customer.id, 'card_expiring')).toHaveLength(1);
  });
});

/** The body of a MIME message with its quoted-printable soft line breaks and escapes undone. */
function decodeQuotedPrintable(raw: string): string {
  return raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}
