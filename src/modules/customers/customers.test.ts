import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestAccount, startTestServer, type TestAccount, type TestServer } from '../../../test/helpers/server.ts';

let server: TestServer;
let account: TestAccount;

beforeAll(async () => {
  server = await startTestServer();
  account = await createTestAccount(server.database);
});
afterAll(async () => server.close());

const post = (path: string, form: string, headers: Record<string, string> = {}) =>
  call(server.baseUrl, 'POST', path, { key: account.secretKey, form, headers });
const get = (path: string, key = account.secretKey) => call(server.baseUrl, 'GET', path, { key });

describe('customers over HTTP', () => {
  it('creates, retrieves, updates and deletes a customer, with an event for each change', async () => {
    const created = await post('/v1/customers', 'email=jane%40example.com&name=Jane+Doe&address[city]=Copenhagen&metadata[plan]=pro&preferred_locales[0]=da');
    expect(created.status).toBe(200);
    const id = created.body.id as string;
    expect(id).toMatch(/^cus_/);
    expect(created.body).toMatchObject({
      object: 'customer',
      email: 'jane@example.com',
      name: 'Jane Doe',
      livemode: false,
      metadata: { plan: 'pro' },
      preferred_locales: ['da'],
      address: { city: 'Copenhagen', line1: null, country: null },
    });

    const updated = await post(`/v1/customers/${id}`, 'name=Jane+D&metadata[plan]=&metadata[seats]=5&address[country]=DK&description=');
    expect(updated.body).toMatchObject({ name: 'Jane D', metadata: { seats: '5' }, address: { city: 'Copenhagen', country: 'DK' }, description: null });

    const events = await get(`/v1/events?type=customer.*`);
    const mine = (events.body.data as Array<{ type: string; data: { object: { id: string }; previous_attributes?: Record<string, unknown> } }>).filter(
      (e) => e.data.object.id === id,
    );
    expect(mine.map((e) => e.type)).toEqual(['customer.updated', 'customer.created']);
    expect(mine[0]?.data.previous_attributes).toMatchObject({ name: 'Jane Doe', metadata: { plan: 'pro' } });

    const deleted = await call(server.baseUrl, 'DELETE', `/v1/customers/${id}`, { key: account.secretKey });
    expect(deleted.body).toEqual({ id, object: 'customer', deleted: true });
    expect((await get(`/v1/customers/${id}`)).body).toEqual({ id, object: 'customer', deleted: true });
    expect((await post(`/v1/customers/${id}`, 'name=x')).status).toBe(404);
  });

  it("answers another workspace's customer with 404", async () => {
    const created = await post('/v1/customers', 'name=Sandbox+only');
    const fromLive = await get(`/v1/customers/${created.body.id as string}`, account.liveSecretKey);
    expect(fromLive.status).toBe(404);
    expect(fromLive.body).toMatchObject({ error: { type: 'invalid_request_error', code: 'resource_missing', param: 'id' } });
  });

  it('keeps SQL-ish and HTML strings verbatim', async () => {
    const name = `Robert'); DROP TABLE customers;-- <script>alert(1)</script>`;
    const created = await post('/v1/customers', `name=${encodeURIComponent(name)}`);
    expect(created.body.name).toBe(name);
    expect((await get(`/v1/customers/${created.body.id as string}`)).body.name).toBe(name);
  });

  it('replays a keyed update even when running it again would now fail (checked at commit)', async () => {
    const created = await post('/v1/customers', 'name=Before');
    const id = created.body.id as string;
    const key = { 'idempotency-key': `update-${id}` };
    const first = await post(`/v1/customers/${id}`, 'name=After', key);
    expect(first.status).toBe(200);
    await call(server.baseUrl, 'DELETE', `/v1/customers/${id}`, { key: account.secretKey });
    const retried = await post(`/v1/customers/${id}`, 'name=After', key);
    expect(retried.status).toBe(200);
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
    expect(retried.body).toEqual(first.body);
    const other = await post(`/v1/customers/${id}`, 'name=Other', key);
    expect(other.status).toBe(400);
    expect(other.body).toMatchObject({ error: { type: 'idempotency_error' } });
  });

  it('does not write twice when a keyed create is retried', async () => {
    const key = { 'idempotency-key': `create-${Date.now()}` };
    const first = await post('/v1/customers', 'email=twice%40example.com&name=Twice', key);
    const again = await post('/v1/customers', 'email=twice%40example.com&name=Twice', key);
    expect(again.body.id).toBe(first.body.id);
    const listed = await get('/v1/customers?email=twice%40example.com');
    expect((listed.body.data as unknown[]).length).toBe(1);
    const events = await get(`/v1/events?object_id=${first.body.id as string}`);
    expect((events.body.data as unknown[]).length).toBe(1);
  });
});
