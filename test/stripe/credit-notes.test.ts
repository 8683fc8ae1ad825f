/**
 * Credit notes through the official `stripe` SDK: on an open invoice they come off what it
 * asks for (one for all that remains pays it); on a paid one they go to the card (a refund),
 * the customer's balance or outside Recur, as the caller splits them; taxes are credited in
 * proportion; numbers follow the invoice's (`-CN-01`); void gives the credit back.
 */
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStripeSuite, stripeError, type StripeSuite } from '../helpers/stripe.ts';

let suite: StripeSuite;
let stripe: Stripe;
let vat: Stripe.TaxRate;
beforeAll(async () => {
  ({ suite, stripe } = await startStripeSuite());
  vat = await stripe.taxRates.create({ display_name: 'VAT', percentage: 20, inclusive: false });
});
afterAll(async () => suite.close());

type Item = { unit: number; quantity?: number; taxed?: boolean };

/** A customer with a visa card and, on an invoice, the items given (one-time prices). */
async function invoiceOf(items: Item[], options: { pay?: boolean; locale?: string } = {}) {
  const customer = await stripe.customers.create({
    email: `credit-notes-${suite.runId}@example.com`,
    name: 'Jenny Rosen',
    ...(options.locale ? { preferred_locales: [options.locale] } : {}),
  });
  const pm = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
  await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: pm.id } });
  for (const item of items) {
    const price = await stripe.prices.create({ currency: 'usd', unit_amount: item.unit, product_data: { name: `Widget ${suite.runId}` } });
    await stripe.invoiceItems.create({ customer: customer.id, pricing: { price: price.id }, quantity: item.quantity ?? 1, ...(item.taxed ? { tax_rates: [vat.id] } : {}) });
  }
  const draft = await stripe.invoices.create({
    customer: customer.id,
    pending_invoice_items_behavior: 'include',
    ...(options.pay ? {} : { collection_method: 'send_invoice' as const, days_until_due: 30 }),
  });
  const invoice = options.pay ? await stripe.invoices.pay(draft.id as string) : await stripe.invoices.finalizeInvoice(draft.id as string);
  return { customer, invoice, lines: invoice.lines.data };
}

const invoiceId = (invoice: Stripe.Invoice) => invoice.id as string;
const lineId = (line: Stripe.InvoiceLineItem | undefined) => (line as Stripe.InvoiceLineItem).id;

describe('credit notes', () => {
  it('come off what an open invoice asks for, taxes in proportion; one for all that remains pays it', async () => {
    const { invoice, lines } = await invoiceOf([{ unit: 1000, quantity: 3, taxed: true }]);
    expect(invoice).toMatchObject({ status: 'open', total: 3600, amount_due: 3600, pre_payment_credit_notes_amount: 0, post_payment_credit_notes_amount: 0 });

    const first = await stripe.creditNotes.create({
      invoice: invoiceId(invoice),
      lines: [{ type: 'invoice_line_item', invoice_line_item: lineId(lines[0]), quantity: 1 }],
      reason: 'order_change',
      memo: 'One widget was never shipped.',
    });
    expect(first).toMatchObject({
      object: 'credit_note',
      number: `${invoice.number}-CN-01`,
      invoice: invoice.id,
      customer: invoice.customer,
      status: 'issued',
      type: 'pre_payment',
      subtotal: 1000,
      total: 1200,
      amount: 1200,
      total_excluding_tax: 1000,
      pre_payment_amount: 1200,
      post_payment_amount: 0,
      out_of_band_amount: null,
      reason: 'order_change',
      memo: 'One widget was never shipped.',
      total_taxes: [{ amount: 200, taxable_amount: 1000, tax_behavior: 'exclusive', tax_rate_details: { tax_rate: vat.id } }],
      refunds: [],
      pdf: `/v1/credit_notes/${first.id}/pdf`,
    });
    expect(first.lines.data).toEqual([
      expect.objectContaining({ object: 'credit_note_line_item', type: 'invoice_line_item', invoice_line_item: lineId(lines[0]), quantity: 1, unit_amount: 1000, amount: 1000, taxes: [expect.objectContaining({ amount: 200 })] }),
    ]);
    expect(await stripe.invoices.retrieve(invoiceId(invoice))).toMatchObject({ status: 'open', total: 3600, amount_due: 2400, amount_remaining: 2400, pre_payment_credit_notes_amount: 1200 });
    // The payment intent asks for what is due now.
    expect(await stripe.paymentIntents.retrieve(`pi_${invoiceId(invoice).slice(3)}`)).toMatchObject({ amount: 2400 });

    const rest = await stripe.creditNotes.create({ invoice: invoiceId(invoice), amount: 2400 });
    expect(rest).toMatchObject({ number: `${invoice.number}-CN-02`, type: 'pre_payment', total: 2400, subtotal: 2000, total_taxes: [expect.objectContaining({ amount: 400 })] });
    const paid = await stripe.invoices.retrieve(invoiceId(invoice));
    expect(paid).toMatchObject({ status: 'paid', amount_due: 0, amount_remaining: 0, amount_paid: 0, pre_payment_credit_notes_amount: 3600 });
    const types = (await stripe.events.list({ limit: 100 })).data.filter((e) => (e.data.object as { id?: string }).id === invoice.id).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['invoice.updated', 'invoice.paid']));

    // Nothing is left to credit.
    expect(await stripeError(stripe.creditNotes.create({ invoice: invoiceId(invoice), amount: 1 }))).toMatchObject({ statusCode: 400, param: 'amount' });
    expect((await stripe.creditNotes.list({ invoice: invoiceId(invoice) })).data.map((n) => n.id)).toEqual([rest.id, first.id]);
  });

  it('a credit note that pays a past-due renewal makes its subscription active again, as a payment would', async () => {
    const start = Date.UTC(2030, 4, 10) / 1000;
    const clock = await stripe.testHelpers.testClocks.create({ frozen_time: start });
    const customer = await stripe.customers.create({ email: `cn-past-due-${suite.runId}@example.com`, test_clock: clock.id });
    const good = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: good.id } });
    const price = await stripe.prices.create({ currency: 'usd', unit_amount: 1500, recurring: { interval: 'month' }, product_data: { name: `Plan ${suite.runId}` } });
    const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    const failing = await stripe.paymentMethods.attach('pm_card_chargeCustomerFail', { customer: customer.id });
    await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: failing.id } });
    await stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: Date.UTC(2030, 5, 10, 2) / 1000 });
    expect((await stripe.subscriptions.retrieve(subscription.id)).status).toBe('past_due');
    const [renewal] = (await stripe.invoices.list({ subscription: subscription.id, status: 'open' })).data;

    await stripe.creditNotes.create({ invoice: renewal?.id as string, amount: 1500, reason: 'order_change' });
    expect(await stripe.invoices.retrieve(renewal?.id as string)).toMatchObject({ status: 'paid', amount_remaining: 0, pre_payment_credit_notes_amount: 1500 });
    expect((await stripe.subscriptions.retrieve(subscription.id)).status).toBe('active');
    const updates = await stripe.events.list({ type: 'customer.subscription.updated' });
    const reactivated = updates.data.find((e) => (e.data.object as Stripe.Subscription).id === subscription.id && (e.data.previous_attributes as { status?: string } | undefined)?.status === 'past_due');
    expect(reactivated).toBeDefined();
  });

  it('on a paid invoice, split between a refund to the card and the customer balance', async () => {
    const { invoice, customer } = await invoiceOf([{ unit: 5000 }], { pay: true });
    expect(invoice.status).toBe('paid');
    const [charge] = (await stripe.charges.list({ customer: customer.id })).data;

    // A paid invoice's credit must say where it goes.
    expect(await stripeError(stripe.creditNotes.create({ invoice: invoiceId(invoice), amount: 3000 }))).toMatchObject({ statusCode: 400, param: 'refund_amount' });
    expect(await stripeError(stripe.creditNotes.create({ invoice: invoiceId(invoice), amount: 3000, refund_amount: 1000, credit_amount: 1000 }))).toMatchObject({ statusCode: 400, param: 'refund_amount' });
    expect(await stripeError(stripe.creditNotes.create({ invoice: invoiceId(invoice), amount: 3000, refund_amount: 6000 }))).toMatchObject({ statusCode: 400, param: 'refund_amount' });
    expect((await stripe.creditNotes.list({ invoice: invoiceId(invoice) })).data).toEqual([]);

    const note = await stripe.creditNotes.create({ invoice: invoiceId(invoice), amount: 3000, refund_amount: 2000, credit_amount: 1000, reason: 'product_unsatisfactory' });
    expect(note).toMatchObject({ type: 'post_payment', pre_payment_amount: 0, post_payment_amount: 3000, total: 3000, out_of_band_amount: null });
    const [refund] = (await stripe.refunds.list({ charge: charge?.id as string })).data;
    expect(refund).toMatchObject({ amount: 2000, status: 'succeeded', credit_note: note.id });
    expect(note.refunds).toEqual([{ refund: refund?.id, amount_refunded: 2000, payment_record_refund: null, type: 'refund' }]);
    expect(await stripe.charges.retrieve(charge?.id as string)).toMatchObject({ amount_refunded: 2000, refunded: false });
    expect((await stripe.customers.retrieve(customer.id)) as Stripe.Customer).toMatchObject({ balance: -1000 });
    expect(await stripe.invoices.retrieve(invoiceId(invoice))).toMatchObject({ status: 'paid', amount_paid: 5000, post_payment_credit_notes_amount: 3000 });
    const balanceEvent = (await stripe.events.list({ type: 'customer.updated', limit: 100 })).data.find((e) => (e.data.object as { id: string }).id === customer.id);
    expect(balanceEvent?.data.previous_attributes).toEqual({ balance: 0 });

    // The rest, out of band; then the invoice is fully credited.
    const outside = await stripe.creditNotes.create({ invoice: invoiceId(invoice), amount: 2000, out_of_band_amount: 2000 });
    expect(outside).toMatchObject({ out_of_band_amount: 2000, number: `${invoice.number}-CN-02` });
    expect(await stripeError(stripe.creditNotes.create({ invoice: invoiceId(invoice), amount: 1, credit_amount: 1 }))).toMatchObject({ statusCode: 400, param: 'amount' });
  });

  it('void gives the credit back: what is due again on an open invoice, the balance credit taken back', async () => {
    const open = await invoiceOf([{ unit: 2000 }]);
    const pre = await stripe.creditNotes.create({ invoice: invoiceId(open.invoice), amount: 500 });
    expect((await stripe.invoices.retrieve(invoiceId(open.invoice))).amount_due).toBe(1500);
    const voided = await stripe.creditNotes.voidCreditNote(pre.id);
    expect(voided).toMatchObject({ status: 'void', voided_at: expect.any(Number) as number });
    expect(await stripe.invoices.retrieve(invoiceId(open.invoice))).toMatchObject({ amount_due: 2000, amount_remaining: 2000, pre_payment_credit_notes_amount: 0 });
    expect(await stripeError(stripe.creditNotes.voidCreditNote(pre.id))).toMatchObject({ statusCode: 400 });
    // Its number stays taken.
    expect((await stripe.creditNotes.create({ invoice: invoiceId(open.invoice), amount: 100 })).number).toBe(`${open.invoice.number}-CN-02`);

    const paid = await invoiceOf([{ unit: 3000 }], { pay: true });
    const credited = await stripe.creditNotes.create({ invoice: invoiceId(paid.invoice), amount: 700, credit_amount: 700 });
    expect(((await stripe.customers.retrieve(paid.customer.id)) as Stripe.Customer).balance).toBe(-700);
    await stripe.creditNotes.voidCreditNote(credited.id);
    expect(((await stripe.customers.retrieve(paid.customer.id)) as Stripe.Customer).balance).toBe(0);
    expect((await stripe.invoices.retrieve(invoiceId(paid.invoice))).post_payment_credit_notes_amount).toBe(0);
    const types = (await stripe.events.list({ limit: 100 })).data.filter((e) => (e.data.object as { id: string }).id === credited.id).map((e) => e.type);
    expect(types).toEqual(['credit_note.voided', 'credit_note.created']);

    // A refund cannot be taken back: a credit note that refunded stays.
    const refunded = await stripe.creditNotes.create({ invoice: invoiceId(paid.invoice), amount: 300, refund_amount: 300 });
    expect(await stripeError(stripe.creditNotes.voidCreditNote(refunded.id))).toMatchObject({ statusCode: 400 });
    expect((await stripe.creditNotes.retrieve(refunded.id)).status).toBe('issued');
  });

  it('previews a credit note without issuing it, and pages its lines', async () => {
    const { invoice, lines } = await invoiceOf([{ unit: 100 }, { unit: 200 }, { unit: 300 }], { pay: true });
    const params: Stripe.CreditNotePreviewParams = {
      invoice: invoiceId(invoice),
      lines: lines.map((line) => ({ type: 'invoice_line_item' as const, invoice_line_item: line.id, amount: 50 })),
      refund_amount: 150,
    };
    const preview = await stripe.creditNotes.preview(params);
    expect(preview).toMatchObject({ id: null, number: `${invoice.number}-CN-01`, total: 150, type: 'post_payment', refunds: [], pdf: null });
    expect((await stripe.creditNotes.listPreviewLineItems({ ...params, limit: 2 })).data).toHaveLength(2);
    expect((await stripe.creditNotes.list({ invoice: invoiceId(invoice) })).data).toEqual([]);
    expect(await stripe.charges.list({ customer: invoice.customer as string })).toMatchObject({ data: [{ amount_refunded: 0 }] });

    const note = await stripe.creditNotes.create(params);
    expect(note).toMatchObject({ number: preview.number, total: preview.total, subtotal: preview.subtotal });
    const page = await stripe.creditNotes.listLineItems(note.id, { limit: 2 });
    expect(page.has_more).toBe(true);
    const next = await stripe.creditNotes.listLineItems(note.id, { limit: 2, starting_after: page.data[1]?.id as string });
    expect([...page.data, ...next.data].map((l) => l.invoice_line_item)).toEqual(lines.map((l) => l.id));
    expect(next.has_more).toBe(false);
  });

  it('serves each credit note as a PDF in the customer’s language', async () => {
    const { invoice } = await invoiceOf([{ unit: 1250, taxed: true }], { locale: 'fr-FR' });
    const note = await stripe.creditNotes.create({ invoice: invoiceId(invoice), amount: 600, reason: 'duplicate', memo: 'Merci.' });
    const response = await fetch(`${suite.baseUrl}${note.pdf}`, { headers: { authorization: `Bearer ${suite.secretKey}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toContain(`${note.number}.pdf`);
    const pdf = Buffer.from(await response.arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    // The document's title, in its info dictionary (outside the compressed streams).
    expect(pdf.toString('latin1')).toContain(`(Avoir ${note.number})`);
    expect((await fetch(`${suite.baseUrl}/v1/credit_notes/cn_nothing/pdf`, { headers: { authorization: `Bearer ${suite.secretKey}` } })).status).toBe(404);
  });

  it('updates memo and metadata; lists by invoice and customer', async () => {
    const { invoice, customer } = await invoiceOf([{ unit: 900 }]);
    const note = await stripe.creditNotes.create({ invoice: invoiceId(invoice), amount: 100, metadata: { a: '1' } });
    const updated = await stripe.creditNotes.update(note.id, { memo: 'Goodwill', metadata: { b: '2' } });
    expect(updated).toMatchObject({ memo: 'Goodwill', metadata: { a: '1', b: '2' } });
    expect(await stripe.creditNotes.retrieve(note.id)).toEqual(updated);
    const event = (await stripe.events.list({ type: 'credit_note.updated', limit: 100 })).data.find((e) => (e.data.object as { id: string }).id === note.id);
    expect(event?.data.previous_attributes).toEqual({ memo: null, metadata: { a: '1' } });
    expect((await stripe.creditNotes.list({ customer: customer.id })).data.map((n) => n.id)).toEqual([note.id]);
    expect(await stripeError(stripe.creditNotes.update(note.id, { amount: 5 } as Stripe.CreditNoteUpdateParams))).toMatchObject({ statusCode: 400, param: 'amount' });
    expect(await stripeError(stripe.creditNotes.retrieve('cn_nothing'))).toMatchObject({ statusCode: 404 });
  });

  it('refuses bad input with a 400 naming the parameter, writing nothing', async () => {
    const { invoice, lines, customer } = await invoiceOf([{ unit: 1000, quantity: 2 }]);
    const line = lineId(lines[0]);
    const cases: [Stripe.CreditNoteCreateParams, number, string][] = [
      [{ invoice: 'in_nothing', amount: 100 }, 404, 'invoice'],
      [{ invoice: invoiceId(invoice) }, 400, 'lines'],
      [{ invoice: invoiceId(invoice), amount: 2001 }, 400, 'amount'],
      [{ invoice: invoiceId(invoice), amount: 100, refund_amount: 100 }, 400, 'refund_amount'],
      [{ invoice: invoiceId(invoice), lines: [{ type: 'invoice_line_item', invoice_line_item: 'il_nothing', amount: 1 }] }, 400, 'lines[0][invoice_line_item]'],
      [{ invoice: invoiceId(invoice), lines: [{ type: 'invoice_line_item', invoice_line_item: line, quantity: 3 }] }, 400, 'lines[0][quantity]'],
      [{ invoice: invoiceId(invoice), lines: [{ type: 'invoice_line_item', invoice_line_item: line, amount: 2001 }] }, 400, 'lines[0][amount]'],
      [{ invoice: invoiceId(invoice), lines: [{ type: 'invoice_line_item', invoice_line_item: line }] }, 400, 'lines[0][quantity]'],
      [{ invoice: invoiceId(invoice), lines: [{ type: 'invoice_line_item', invoice_line_item: line, amount: 1 }, { type: 'invoice_line_item', invoice_line_item: line, amount: 1 }] }, 400, 'lines[1][invoice_line_item]'],
      [{ invoice: invoiceId(invoice), lines: [{ type: 'custom_line_item', description: 'Goodwill' }] }, 400, 'lines[0][unit_amount]'],
      [{ invoice: invoiceId(invoice), lines: [{ type: 'custom_line_item', unit_amount: 3000 }] }, 400, 'lines'],
      [{ invoice: invoiceId(invoice), lines: [{ type: 'bogus' as 'custom_line_item', unit_amount: 1 }] }, 400, 'lines[0][type]'],
      [{ invoice: invoiceId(invoice), amount: 100, reason: 'whim' as 'duplicate' }, 400, 'reason'],
      [{ invoice: invoiceId(invoice), amount: 100, credit_amount: -1 }, 400, 'credit_amount'],
      [{ invoice: invoiceId(invoice), amount: 100, shipping_cost: { shipping_rate: 'shr_1' } }, 400, 'shipping_cost'],
    ];
    for (const [params, status, param] of cases) {
      expect(await stripeError(stripe.creditNotes.create(params)), JSON.stringify(params)).toMatchObject({ statusCode: status, param });
    }
    const draft = await stripe.invoices.create({ customer: customer.id });
    expect(await stripeError(stripe.creditNotes.create({ invoice: draft.id as string, amount: 1 }))).toMatchObject({ statusCode: 400, param: 'invoice' });

    expect((await stripe.creditNotes.list({ customer: customer.id })).data).toEqual([]);
    expect(await stripe.invoices.retrieve(invoiceId(invoice))).toMatchObject({ amount_due: 2000, pre_payment_credit_notes_amount: 0 });
    // A custom line within what is left is fine: it credits no line.
    expect(await stripe.creditNotes.create({ invoice: invoiceId(invoice), lines: [{ type: 'custom_line_item', unit_amount: 250, quantity: 2, description: 'Goodwill' }] })).toMatchObject({
      total: 500,
      lines: { data: [expect.objectContaining({ type: 'custom_line_item', quantity: 2, unit_amount: 250, amount: 500, description: 'Goodwill' })] },
    });
  });
});
