import { testGateways } from '../../../test/helpers/gateways.ts';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestAccount, startTestServer, type TestAccount, type TestServer } from '../../../test/helpers/server.ts';
import { connect } from '../../db/database.ts';
import { drainWork } from '../../worker/runner.ts';
import { billingWork } from './run.ts';

let server: TestServer;
let account: TestAccount;
beforeAll(async () => {
  server = await startTestServer();
  account = await createTestAccount(server.database);
});
afterAll(async () => server.close());

const HOUR = 3600_000;

async function api(path: string, json: unknown) {
  const response = await call(server.baseUrl, 'POST', path, { key: account.secretKey, json });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body as { id: string };
}

describe('the billing run', () => {
  it('renews each due subscription exactly once with several workers racing, and advances every period', async () => {
    const price = await api('/v1/prices', { currency: 'usd', unit_amount: 1234, recurring: { interval: 'month' }, product_data: { name: 'Race' } });
    const subscriptions: string[] = [];
    for (let i = 0; i < 30; i++) {
      const customer = await api('/v1/customers', { name: `race ${i}` });
      const pm = await api('/v1/payment_methods/pm_card_visa/attach', { customer: customer.id });
      await api(`/v1/customers/${customer.id}`, { invoice_settings: { default_payment_method: pm.id } });
      subscriptions.push((await api('/v1/subscriptions', { customer: customer.id, items: [{ price: price.id }] })).id);
    }
    // Move them back in time: their period ended two hours ago (the draft hour is over too).
    const due = new Date(Math.floor((Date.now() - 2 * HOUR) / 1000) * 1000);
    const { db } = server.database;
    await sql`UPDATE subscriptions SET billing_cycle_anchor = ${due}::timestamptz - interval '1 month', current_period_start = ${due}::timestamptz - interval '1 month',
      current_period_end = ${due}, next_action_at = ${due} WHERE workspace_id = ${account.sandbox.id}`.execute(db);

    // Three workers, each with its own connections, draining small batches at once.
    const workers = [0, 1, 2].map(() => connect(server.database.url, { max: 2 }));
    try {
      await Promise.all(workers.map((w) => drainWork(w.db, billingWork(testGateways(w), 4))));
    } finally {
      await Promise.all(workers.map((w) => w.close()));
    }
    const invoices = await db
      .selectFrom('invoices')
      .select(['subscription_id', 'status', 'amount_paid', 'number'])
      .where('workspace_id', '=', account.sandbox.id)
      .where('billing_reason', '=', 'subscription_cycle')
      .execute();
    expect(invoices).toHaveLength(30);
    expect(new Set(invoices.map((i) => i.subscription_id)).size).toBe(30);
    expect(invoices.every((i) => i.status === 'paid' && i.amount_paid === 1234n)).toBe(true);
    // Gap-free numbers: the 30 first invoices, then these 30.
    const numbers = (await db.selectFrom('invoices').select('number').where('workspace_id', '=', account.sandbox.id).execute()).map((r) => Number(r.number?.split('-')[1]));
    expect(numbers.sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    const subs = await db.selectFrom('subscriptions').select(['current_period_start', 'next_action_at']).where('workspace_id', '=', account.sandbox.id).execute();
    expect(subs.every((s) => s.current_period_start.getTime() === due.getTime() && (s.next_action_at?.getTime() ?? 0) > Date.now())).toBe(true);
    const charges = await db.selectFrom('test_gateway_charges').select(sql<number>`count(*)::int`.as('n')).where('workspace_id', '=', account.sandbox.id).executeTakeFirstOrThrow();
    expect(charges.n).toBe(60);

    // Running again finds nothing due and changes nothing.
    await drainWork(db, billingWork(testGateways(server.database), 4));
    const again = await db.selectFrom('invoices').select(sql<number>`count(*)::int`.as('n')).where('workspace_id', '=', account.sandbox.id).executeTakeFirstOrThrow();
    expect(again.n).toBe(60);
  });

  it('refuses a second invoice for the same period by constraint, not by luck', async () => {
    const { db } = server.database;
    const row = await db.selectFrom('invoices').selectAll().where('workspace_id', '=', account.sandbox.id).where('billing_reason', '=', 'subscription_cycle').executeTakeFirstOrThrow();
    const copy = {
      ...row,
      id: `${row.id}x`,
      number: null,
      total_discount_amounts: '[]',
      total_taxes: '[]',
      discounts: '[]',
      customer_address: 'null',
      last_payment_error: 'null',
      metadata: '{}',
    };
    await expect(db.insertInto('invoices').values(copy).execute()).rejects.toMatchObject({ code: '23505', constraint: 'invoices_cycle' });
  });
});
