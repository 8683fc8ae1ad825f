import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stripeClient } from '../../../../test/helpers/stripe.ts';
import { createTestAccount, startTestServer, type TestAccount, type TestServer } from '../../../../test/helpers/server.ts';
import { settleRefund } from './settle.ts';

let server: TestServer;
let account: TestAccount;
let stripe: Stripe;
beforeAll(async () => {
  server = await startTestServer();
  account = await createTestAccount(server.database);
  stripe = stripeClient(server.baseUrl, account.secretKey);
});
afterAll(async () => server.close());

/** A paid invoice's charge and a refund of part of it; its gateway reference. */
async function refunded(amount: number, of: number) {
  const customer = await stripe.customers.create({ email: 'settle@example.com' });
  const pm = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
  await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: pm.id } });
  await stripe.invoiceItems.create({ customer: customer.id, amount: of, currency: 'usd' });
  const invoice = await stripe.invoices.create({ customer: customer.id, pending_invoice_items_behavior: 'include' });
  await stripe.invoices.pay(invoice.id as string);
  const [charge] = (await stripe.charges.list({ customer: customer.id })).data;
  const refund = (await stripe.refunds.create({ charge: (charge as Stripe.Charge).id, amount })) as unknown as Stripe.Refund & { gateway_reference: string };
  return { charge: charge as Stripe.Charge, refund, ref: refund.gateway_reference };
}

const settle = (ref: string, status: 'succeeded' | 'failed' | 'canceled', reason?: string) =>
  server.database.db.transaction().execute((tx) => settleRefund(tx, account.sandbox, ref, status, reason));

describe('settleRefund (for the gateways’ webhooks)', () => {
  it('settles a pending refund as succeeded, once however often the webhook comes', async () => {
    const { refund, ref } = await refunded(300, 1000);
    await server.database.db.updateTable('refunds').set({ status: 'pending' }).where('id', '=', refund.id).execute();
    expect(await settle(ref, 'succeeded')).toMatchObject({ id: refund.id, status: 'succeeded' });
    expect(await settle(ref, 'succeeded')).toMatchObject({ status: 'succeeded' });
    const events = await stripe.events.list({ type: 'refund.updated' });
    expect(events.data.filter((e) => (e.data.object as { id: string }).id === refund.id).map((e) => e.data.previous_attributes)).toEqual([{ status: 'pending' }]);
  });

  it('a failed refund gives its amount back to the charge, with Stripe’s failure reason', async () => {
    const { charge, refund, ref } = await refunded(400, 1000);
    expect(await stripe.charges.retrieve(charge.id)).toMatchObject({ amount_refunded: 400 });
    expect(await settle(ref, 'failed', 'expired_or_canceled_card')).toMatchObject({ status: 'failed', failure_reason: 'expired_or_canceled_card' });
    expect(await stripe.refunds.retrieve(refund.id)).toMatchObject({ status: 'failed', failure_reason: 'expired_or_canceled_card' });
    expect(await stripe.charges.retrieve(charge.id)).toMatchObject({ amount_refunded: 0, refunded: false });
    // Settled for good: a late "succeeded" changes nothing.
    expect(await settle(ref, 'succeeded')).toMatchObject({ status: 'failed' });
    expect(await stripe.charges.retrieve(charge.id)).toMatchObject({ amount_refunded: 0 });
    const types = (await stripe.events.list({ limit: 50 })).data.filter((e) => (e.data.object as { id: string }).id === refund.id).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['refund.failed', 'refund.updated', 'charge.refund.updated', 'refund.created']));
    // Its credit note did nothing else: it is void, and what came back can be refunded again
    // (once the gateway's own books say so, as they would when it failed the refund).
    expect((await stripe.creditNotes.retrieve((refund as unknown as { credit_note: string }).credit_note)).status).toBe('void');
    await server.database.gatewayDb
      .updateTable('test_gateway_charges')
      .set((eb) => ({ amount_refunded: eb('amount_refunded', '-', 400n) }))
      .where('payment_ref', '=', (charge as Stripe.Charge & { gateway_reference: string }).gateway_reference)
      .execute();
    expect(await stripe.refunds.create({ charge: charge.id, amount: 1000 })).toMatchObject({ amount: 1000 });
  });

  it('knows nothing of refunds Recur did not make', async () => {
    expect(await settle('test_re_unknown', 'failed')).toBeNull();
  });
});
