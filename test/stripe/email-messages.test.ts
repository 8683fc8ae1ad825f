/**
 * Email through the outbox, driven by the official `stripe` SDK: an invoice paid through the
 * API queues a receipt in the customer's language, a finalized send_invoice invoice queues
 * the invoice with its PDF, and dispatching the same events again queues nothing more. The
 * outbox is read with GET /v1/email_messages (a Recur extension, through the SDK's raw
 * request). In-process only: the test hands the workspace's events to the email consumer
 * itself, as the worker's dispatcher does (test/helpers/email.ts says why).
 */
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumeEvents, testEmailConsumer } from '../helpers/email.ts';
import { externalServer, startStripeSuite, stripeError, type StripeSuite } from '../helpers/stripe.ts';

interface EmailMessage {
  id: string;
  object: 'email_message';
  customer: string | null;
  to: string;
  locale: string;
  template: string;
  subject: string;
  text: string;
  html: string;
  attachments: Array<{ kind: string; invoice: string }>;
  status: string;
  attempts: number;
  dedupe_key: string;
  message_id: string;
  livemode: boolean;
}
interface EmailMessageList {
  object: 'list';
  data: EmailMessage[];
  has_more: boolean;
  url: string;
}

let suite: StripeSuite;
let stripe: Stripe;
beforeAll(async () => ({ suite, stripe } = await startStripeSuite()));
afterAll(async () => suite.close());

/** GET with query parameters: the SDK's rawRequest takes them in the path. */
const outbox = async (params: Record<string, string>) =>
  (await stripe.rawRequest('GET', `/v1/email_messages?${new URLSearchParams(params).toString()}`)) as unknown as EmailMessageList;

describe.skipIf(externalServer)('email messages', () => {
  /** Hands the customer's workspace's invoice events to the email consumer, as the dispatcher would. */
  async function dispatch(customerId: string): Promise<void> {
    const db = suite.server?.database.db;
    if (!db) throw new Error('in-process only');
    const { workspace_id } = await db.selectFrom('customers').select('workspace_id').where('id', '=', customerId).executeTakeFirstOrThrow();
    await consumeEvents(db, workspace_id, testEmailConsumer(), ['invoice.paid', 'invoice.finalized']);
  }

  it("queues a receipt in the customer's language when an invoice is paid, once however often the event is dispatched", async () => {
    const email = `ricevute-${suite.runId}@example.com`;
    const customer = await stripe.customers.create({ email, name: 'Giulia', preferred_locales: ['ja', 'it-IT'] });
    const card = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: card.id } });
    const price = await stripe.prices.create({ currency: 'eur', unit_amount: 123456, recurring: { interval: 'month' }, product_data: { name: `Piano ${suite.runId}` } });
    const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    const invoice = await stripe.invoices.retrieve(subscription.latest_invoice as string);
    expect(invoice).toMatchObject({ status: 'paid', amount_paid: 123456 });

    await dispatch(customer.id);
    let list = await outbox({ customer: customer.id });
    expect(list).toMatchObject({ object: 'list', has_more: false, url: '/v1/email_messages' });
    expect(list.data).toHaveLength(1);
    const [receipt] = list.data;
    expect(receipt).toMatchObject({
      object: 'email_message',
      customer: customer.id,
      to: email,
      locale: 'it-IT',
      template: 'receipt',
      dedupe_key: `receipt:${invoice.id}`,
      attachments: [],
      livemode: false,
    });
    expect(receipt?.subject).toMatch(new RegExp(`^La tua ricevuta da .+ \\(${invoice.number}\\)$`));
    expect(receipt?.text).toMatch(/Abbiamo ricevuto il tuo pagamento di 1234,56\s€\. Grazie!/u);
    expect(receipt?.text).toContain('Ciao Giulia,');
    expect(receipt?.message_id).toMatch(/^<em_[0-9A-Za-z]+@[^>]+>$/);
    expect(await stripe.rawRequest('GET', `/v1/email_messages/${receipt?.id}`)).toMatchObject({ id: receipt?.id, subject: receipt?.subject });

    // The dispatcher may hand the same events over again (a batch rolled back, a second dispatcher).
    await dispatch(customer.id);
    await dispatch(customer.id);
    list = await outbox({ customer: customer.id });
    expect(list.data.map((m) => m.id)).toEqual([receipt?.id]);
  });

  it('queues a finalized send_invoice invoice with its PDF, and nothing for invoices the customer does not pay themselves', async () => {
    const customer = await stripe.customers.create({ email: `faktura-${suite.runId}@example.com`, preferred_locales: ['da'] });
    await stripe.invoiceItems.create({ customer: customer.id, amount: 50000, currency: 'dkk', description: 'Rådgivning' });
    const draft = await stripe.invoices.create({ customer: customer.id, currency: 'dkk', collection_method: 'send_invoice', days_until_due: 14, pending_invoice_items_behavior: 'include' });
    const invoice = await stripe.invoices.finalizeInvoice(draft.id as string);
    expect(invoice).toMatchObject({ status: 'open', amount_due: 50000 });
    const nothingDue = await stripe.customers.create({ email: `nul-${suite.runId}@example.com` });
    const empty = await stripe.invoices.create({ customer: nothingDue.id, collection_method: 'send_invoice', days_until_due: 14 });
    await stripe.invoices.finalizeInvoice(empty.id as string);

    await dispatch(customer.id);
    const list = await outbox({ customer: customer.id });
    expect(list.data).toHaveLength(1);
    expect(list.data[0]).toMatchObject({ template: 'invoice', locale: 'da', attachments: [{ kind: 'invoice_pdf', invoice: invoice.id }], dedupe_key: `invoice:${invoice.id}` });
    expect(list.data[0]?.subject).toMatch(new RegExp(`^Ny faktura ${invoice.number} fra `));
    expect(list.data[0]?.text).toMatch(/på 500,00\skr\./u);
    expect((await outbox({ customer: nothingDue.id })).data).toEqual([]);
  });

  it('pages the outbox newest first and refuses bad parameters naming them', async () => {
    const page = await outbox({ limit: '1' });
    expect(page.data).toHaveLength(1);
    expect(page.has_more).toBe(true);
    const first = page.data[0]?.id ?? '';
    const next = await outbox({ limit: '1', starting_after: first });
    expect((next.data[0]?.id ?? '') < first).toBe(true);

    const badStatus = await stripeError(outbox({ status: 'lost' }));
    expect(badStatus).toMatchObject({ statusCode: 400, param: 'status' });
    const unknown = await stripeError(outbox({ template: 'receipt' }));
    expect(unknown).toMatchObject({ statusCode: 400, param: 'template', code: 'parameter_unknown' });
    const missing = await stripeError(stripe.rawRequest('GET', '/v1/email_messages/em_doesnotexist'));
    expect(missing).toMatchObject({ statusCode: 404, code: 'resource_missing' });
  });
});
