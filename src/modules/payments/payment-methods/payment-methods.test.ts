import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writtenRows } from '../../../../test/helpers/counts.ts';
import { call, createTestAccount, startTestServer, type TestAccount, type TestServer } from '../../../../test/helpers/server.ts';

let server: TestServer;
let account: TestAccount;

beforeAll(async () => {
  server = await startTestServer();
  account = await createTestAccount(server.database);
});
afterAll(async () => server.close());

const post = (path: string, form: string, key = account.secretKey) => call(server.baseUrl, 'POST', path, { key, form });
const get = (path: string, key = account.secretKey) => call(server.baseUrl, 'GET', path, { key });

async function newCustomer(): Promise<string> {
  return (await post('/v1/customers', 'name=Payer')).body.id as string;
}

describe('payment methods over HTTP', () => {
  it('attaches a test payment method, lists, retrieves and detaches it, with events', async () => {
    const customer = await newCustomer();
    const attached = await post('/v1/payment_methods/pm_card_visa/attach', `customer=${customer}`);
    expect(attached.status).toBe(200);
    const id = attached.body.id as string;
    expect(id).toMatch(/^pm_/);
    expect(attached.body).toMatchObject({
      object: 'payment_method',
      type: 'card',
      customer,
      livemode: false,
      card: { brand: 'visa', last4: '4242', funding: 'credit' },
    });
    const mastercard = await post('/v1/payment_methods/pm_card_mastercard/attach', `customer=${customer}`);
    expect(mastercard.body.card).toMatchObject({ brand: 'mastercard', last4: '4444' });

    expect((await get(`/v1/payment_methods/${id}`)).body).toEqual(attached.body);
    const listed = await get(`/v1/payment_methods?customer=${customer}&type=card&limit=1`);
    expect(listed.body).toMatchObject({ object: 'list', has_more: true });
    expect((listed.body.data as Array<{ id: string }>).map((p) => p.id)).toEqual([mastercard.body.id]);
    const next = await get(`/v1/payment_methods?customer=${customer}&limit=1&starting_after=${mastercard.body.id as string}`);
    expect((next.body.data as Array<{ id: string }>).map((p) => p.id)).toEqual([id]);
    const viaCustomer = await get(`/v1/customers/${customer}/payment_methods`);
    expect((viaCustomer.body.data as unknown[]).length).toBe(2);

    const detached = await post(`/v1/payment_methods/${id}/detach`, '');
    expect(detached.status).toBe(200);
    expect(detached.body.customer).toBeNull();
    expect((await get(`/v1/customers/${customer}/payment_methods`)).body.data).toHaveLength(1);
    const again = await post(`/v1/payment_methods/${id}/attach`, `customer=${customer}`);
    expect(again.status).toBe(400);

    const events = await get(`/v1/events?object_id=${id}`);
    expect((events.body.data as Array<{ type: string }>).map((e) => e.type)).toEqual(['payment_method.detached', 'payment_method.attached']);
  });

  it('refuses a declined test card with a 402 card_error and writes nothing', async () => {
    const customer = await newCustomer();
    const before = await writtenRows(server.database, account.sandbox.id, 'payment_methods', 'payment_method.');
    const declined = await post('/v1/payment_methods/pm_card_chargeDeclined/attach', `customer=${customer}`);
    expect(declined.status).toBe(402);
    expect(declined.body).toMatchObject({ error: { type: 'card_error', code: 'card_declined', decline_code: 'generic_decline' } });
    const expired = await post('/v1/payment_methods/pm_card_chargeDeclinedExpiredCard/attach', `customer=${customer}`);
    expect(expired.status).toBe(402);
    expect(expired.body).toMatchObject({ error: { type: 'card_error', code: 'expired_card' } });
    expect(await writtenRows(server.database, account.sandbox.id, 'payment_methods', 'payment_method.')).toEqual(before);
    const failing = await post('/v1/payment_methods/pm_card_chargeCustomerFail/attach', `customer=${customer}`);
    expect(failing.status).toBe(200);
    expect(failing.body.card).toMatchObject({ brand: 'visa', last4: '0341' });
  });

  it('sets, validates and clears the customer default', async () => {
    const customer = await newCustomer();
    const other = await newCustomer();
    const pm = (await post('/v1/payment_methods/pm_card_visa/attach', `customer=${customer}`)).body.id as string;
    const wrong = await post(`/v1/customers/${other}`, `invoice_settings[default_payment_method]=${pm}`);
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ error: { param: 'invoice_settings[default_payment_method]' } });
    const onCreate = await post('/v1/customers', `invoice_settings[default_payment_method]=${pm}`);
    expect(onCreate.status).toBe(400);

    const updated = await post(`/v1/customers/${customer}`, `invoice_settings[default_payment_method]=${pm}`);
    expect(updated.status).toBe(200);
    expect(updated.body.invoice_settings).toMatchObject({ default_payment_method: pm });

    await post(`/v1/payment_methods/${pm}/detach`, '');
    expect((await get(`/v1/customers/${customer}`)).body.invoice_settings).toMatchObject({ default_payment_method: null });
    const events = await get(`/v1/events?object_id=${customer}`);
    expect((events.body.data as Array<{ type: string }>).map((e) => e.type)).toEqual(['customer.updated', 'customer.updated', 'customer.created']);
  });

  it('refuses test payment methods in live workspaces, and unknown ids', async () => {
    const customer = (await post('/v1/customers', 'name=Live', account.liveSecretKey)).body.id as string;
    const live = await post('/v1/payment_methods/pm_card_visa/attach', `customer=${customer}`, account.liveSecretKey);
    expect(live.status).toBe(400);
    expect(JSON.stringify(live.body)).toMatch(/gateway account/);
    expect((await get('/v1/payment_methods/pm_nope')).status).toBe(404);
    expect((await post('/v1/payment_methods/pm_card_visa/attach', 'customer=cus_nope')).status).toBe(404);
  });
});
