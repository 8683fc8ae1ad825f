/**
 * Refunds through the official `stripe` SDK: a charge refunded whole or in parts through its
 * gateway (the test gateway's ledger says how often money moved), each refund with its
 * credit note on the charge's invoice, and every refusal a 4xx that writes nothing.
 */
import { sql } from 'kysely';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumeEvents, testEmailConsumer } from '../helpers/email.ts';
import { externalServer, startStripeSuite, stripeError, type StripeSuite } from '../helpers/stripe.ts';

let suite: StripeSuite;
let stripe: Stripe;
beforeAll(async () => ({ suite, stripe } = await startStripeSuite()));
afterAll(async () => suite.close());

/** A customer whose default card is `card`, with an invoice of `amount` paid by it (or failed). */
async function paidInvoice(amount: number, options: { card?: string; email?: string; locale?: string } = {}) {
  const customer = await stripe.customers.create({
    email: options.email ?? `refunds-${suite.runId}@example.com`,
    ...(options.locale ? { preferred_locales: [options.locale] } : {}),
  });
  const pm = await stripe.paymentMethods.attach(options.card ?? 'pm_card_visa', { customer: customer.id });
  await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: pm.id } });
  await stripe.invoiceItems.create({ customer: customer.id, amount, currency: 'usd', description: 'Consulting' });
  const draft = await stripe.invoices.create({ customer: customer.id, pending_invoice_items_behavior: 'include' });
  const invoice = await stripe.invoices.pay(draft.id as string).catch(async () => stripe.invoices.retrieve(draft.id as string));
  const [charge] = (await stripe.charges.list({ customer: customer.id })).data;
  return { customer, invoice, charge: charge as Stripe.Charge };
}

/** The test gateway's own record of refunds of a charge (in-process only). */
async function ledger(charge: Stripe.Charge): Promise<{ idempotency_key: string; amount: bigint }[]> {
  const db = suite.server?.database.db;
  if (!db) return [];
  return db
    .selectFrom('test_gateway_refunds')
    .select(['idempotency_key', 'amount'])
    .where('payment_ref', '=', (charge as Stripe.Charge & { gateway_reference: string }).gateway_reference)
    .orderBy('created_at')
    .execute();
}

describe('refunds', () => {
  it('refunds a whole charge by default, with a credit note on its invoice and the events Stripe sends', async () => {
    const { invoice, charge, customer } = await paidInvoice(4200);
    expect(invoice.status).toBe('paid');
    const refund = await stripe.refunds.create({ charge: charge.id, reason: 'requested_by_customer', metadata: { ticket: 'T-1' } });
    expect(refund).toMatchObject({
      object: 'refund',
      amount: 4200,
      charge: charge.id,
      currency: 'usd',
      customer: customer.id,
      payment_intent: charge.payment_intent,
      payment_method: charge.payment_method,
      reason: 'requested_by_customer',
      status: 'succeeded',
      metadata: { ticket: 'T-1' },
    });
    expect(refund.id).toMatch(/^re_/);
    expect(await stripe.refunds.retrieve(refund.id)).toEqual(refund);
    expect(await stripe.charges.retrieve(charge.id)).toMatchObject({ amount_refunded: 4200, refunded: true });

    // Its credit note: the whole invoice, after payment, refunded to the card.
    const notes = await stripe.creditNotes.list({ invoice: invoice.id as string });
    expect(notes.data).toHaveLength(1);
    expect(notes.data[0]).toMatchObject({
      id: (refund as unknown as { credit_note: string }).credit_note,
      number: `${invoice.number}-CN-01`,
      amount: 4200,
      type: 'post_payment',
      pre_payment_amount: 0,
      post_payment_amount: 4200,
      refunds: [{ refund: refund.id, amount_refunded: 4200, type: 'refund' }],
      status: 'issued',
    });
    expect(await stripe.invoices.retrieve(invoice.id as string)).toMatchObject({ status: 'paid', amount_paid: 4200, post_payment_credit_notes_amount: 4200, pre_payment_credit_notes_amount: 0 });

    const types = (await stripe.events.list({ limit: 100 })).data.filter((e) => [refund.id, charge.id].includes((e.data.object as { id: string }).id)).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['refund.created', 'charge.refunded']));
    if (suite.server) expect(await ledger(charge)).toHaveLength(1);
  });

  it('refunds in parts up to the charge, then refuses: nothing left', async () => {
    const { charge } = await paidInvoice(1000);
    const first = await stripe.refunds.create({ charge: charge.id, amount: 300 });
    const second = await stripe.refunds.create({ payment_intent: charge.payment_intent as string, amount: 700 });
    expect([first.amount, second.amount]).toEqual([300, 700]);
    expect(await stripe.charges.retrieve(charge.id)).toMatchObject({ amount_refunded: 1000, refunded: true });
    const error = await stripeError(stripe.refunds.create({ charge: charge.id, amount: 1 }));
    expect(error).toMatchObject({ statusCode: 400, code: 'charge_already_refunded', param: 'charge' });
    expect((await stripe.refunds.list({ charge: charge.id })).data.map((r) => r.id)).toEqual([second.id, first.id]);
    expect((await stripe.refunds.list({ payment_intent: charge.payment_intent as string })).data).toHaveLength(2);
    const notes = await stripe.creditNotes.list({ invoice: charge.payment_intent ? `in_${(charge.payment_intent as string).slice(3)}` : '' });
    expect(notes.data.map((n) => n.number).sort()).toEqual([expect.stringMatching(/-CN-01$/), expect.stringMatching(/-CN-02$/)]);
    if (suite.server) expect((await ledger(charge)).map((r) => r.amount)).toEqual([300n, 700n]);
  });

  it('refuses more than is left, a failed charge and unknown ones with a 4xx naming the parameter, writing nothing', async () => {
    const { charge, invoice } = await paidInvoice(500);
    await stripe.refunds.create({ charge: charge.id, amount: 200 });
    const tooMuch = await stripeError(stripe.refunds.create({ charge: charge.id, amount: 301 }));
    expect(tooMuch).toMatchObject({ statusCode: 400, code: 'amount_too_large', param: 'amount' });

    const failed = await paidInvoice(900, { card: 'pm_card_chargeCustomerFail' });
    expect(failed.charge.status).toBe('failed');
    expect(await stripeError(stripe.refunds.create({ charge: failed.charge.id }))).toMatchObject({ statusCode: 400, code: 'charge_not_refundable', param: 'charge' });
    expect(await stripeError(stripe.refunds.create({ payment_intent: failed.charge.payment_intent as string }))).toMatchObject({ statusCode: 400, param: 'payment_intent' });

    expect(await stripeError(stripe.refunds.create({ charge: 'ch_nothing' }))).toMatchObject({ statusCode: 404, code: 'resource_missing', param: 'charge' });
    expect(await stripeError(stripe.refunds.create({ payment_intent: 'pi_nothing' }))).toMatchObject({ statusCode: 404, param: 'payment_intent' });
    expect(await stripeError(stripe.refunds.create({}))).toMatchObject({ statusCode: 400, code: 'parameter_missing', param: 'charge' });
    expect(await stripeError(stripe.refunds.create({ charge: charge.id, amount: 0 }))).toMatchObject({ statusCode: 400, param: 'amount' });
    expect(await stripeError(stripe.refunds.create({ charge: charge.id, reason: 'bored' as 'duplicate' }))).toMatchObject({ statusCode: 400, param: 'reason' });

    expect(await stripe.charges.retrieve(charge.id)).toMatchObject({ amount_refunded: 200 });
    expect((await stripe.refunds.list({ charge: charge.id })).data).toHaveLength(1);
    expect((await stripe.refunds.list({ charge: failed.charge.id })).data).toHaveLength(0);
    expect((await stripe.creditNotes.list({ invoice: invoice.id as string })).data).toHaveLength(1);
    expect((await stripe.creditNotes.list({ invoice: failed.invoice.id as string })).data).toHaveLength(0);
    if (suite.server) {
      expect(await ledger(charge)).toHaveLength(1);
      expect(await ledger(failed.charge)).toHaveLength(0);
    }
  });

  it('refunds once for a request retried with the same Idempotency-Key', async () => {
    const { charge } = await paidInvoice(800);
    const idempotencyKey = `refund-${suite.runId}-once`;
    const first = await stripe.refunds.create({ charge: charge.id, amount: 250 }, { idempotencyKey });
    const again = await stripe.refunds.create({ charge: charge.id, amount: 250 }, { idempotencyKey });
    expect(again.id).toBe(first.id);
    expect(again.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(await stripe.charges.retrieve(charge.id)).toMatchObject({ amount_refunded: 250 });
    if (suite.server) expect(await ledger(charge)).toEqual([{ idempotency_key: expect.stringContaining(idempotencyKey) as string, amount: 250n }]);
  });

  it.skipIf(externalServer)('refunds once when the request failed after the gateway refunded and is retried with its key', async () => {
    const db = suite.server?.database.db;
    if (!db) throw new Error('in-process only');
    const { charge, customer } = await paidInvoice(1500);
    const { workspace_id: workspaceId } = await db.selectFrom('customers').select('workspace_id').where('id', '=', customer.id).executeTakeFirstOrThrow();
    // Writing the credit note fails, after the gateway's refund, for this workspace only: the
    // request's transaction rolls back, the gateway's refund stands.
    const trigger = `refunds_test_${suite.runId}`;
    await sql
      .raw(
        `CREATE FUNCTION ${trigger}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'the process died'; END $$;
         CREATE TRIGGER ${trigger} BEFORE INSERT ON credit_notes FOR EACH ROW WHEN (NEW.workspace_id = '${workspaceId}') EXECUTE FUNCTION ${trigger}();`,
      )
      .execute(db);
    const idempotencyKey = `refund-${suite.runId}-crash`;
    try {
      const crashed = await stripeError(stripe.refunds.create({ charge: charge.id, amount: 600 }, { idempotencyKey }));
      expect(crashed.statusCode).toBe(500);
    } finally {
      await sql.raw(`DROP TRIGGER ${trigger} ON credit_notes; DROP FUNCTION ${trigger}();`).execute(db);
    }
    expect(await ledger(charge)).toHaveLength(1);
    expect(await stripe.charges.retrieve(charge.id)).toMatchObject({ amount_refunded: 0 });

    const retried = await stripe.refunds.create({ charge: charge.id, amount: 600 }, { idempotencyKey });
    expect(retried).toMatchObject({ amount: 600, status: 'succeeded' });
    expect(await ledger(charge)).toEqual([{ idempotency_key: expect.stringContaining(idempotencyKey) as string, amount: 600n }]);
    expect(await stripe.charges.retrieve(charge.id)).toMatchObject({ amount_refunded: 600 });
  });

  it('updates only metadata, and lists by charge, payment intent and date', async () => {
    const { charge } = await paidInvoice(600);
    const refund = await stripe.refunds.create({ charge: charge.id, amount: 100, metadata: { a: '1' } });
    const updated = await stripe.refunds.update(refund.id, { metadata: { b: '2' } });
    expect(updated.metadata).toEqual({ a: '1', b: '2' });
    expect(await stripeError(stripe.refunds.update(refund.id, { amount: 5 } as Stripe.RefundUpdateParams))).toMatchObject({ statusCode: 400, code: 'parameter_unknown', param: 'amount' });
    expect((await stripe.refunds.list({ created: { gte: refund.created }, limit: 100 })).data.map((r) => r.id)).toContain(refund.id);
    expect((await stripe.refunds.list({ created: { lt: refund.created }, limit: 100 })).data.map((r) => r.id)).not.toContain(refund.id);
    expect(await stripeError(stripe.refunds.retrieve('re_nothing'))).toMatchObject({ statusCode: 404 });
  });

  it.skipIf(externalServer)('emails the customer a refund notice in their language, once', async () => {
    const db = suite.server?.database.db;
    if (!db) throw new Error('in-process only');
    const { charge, customer } = await paidInvoice(2500, { email: `remboursement-${suite.runId}@example.com`, locale: 'fr-FR' });
    await stripe.refunds.create({ charge: charge.id, amount: 1000 });
    const { workspace_id: workspaceId } = await db.selectFrom('customers').select('workspace_id').where('id', '=', customer.id).executeTakeFirstOrThrow();
    for (let i = 0; i < 2; i++) await consumeEvents(db, workspaceId, testEmailConsumer(), ['refund.created']);
    const messages = await db.selectFrom('email_messages').selectAll().where('workspace_id', '=', workspaceId).where('customer_id', '=', customer.id).where('template', '=', 'refund').execute();
    expect(messages).toHaveLength(1);
    expect(messages[0]?.subject).toMatch(/^Votre remboursement/);
    expect(messages[0]?.text_body).toContain('10,00');
  });
});
