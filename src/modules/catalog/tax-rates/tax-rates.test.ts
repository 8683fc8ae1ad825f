import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestAccount, startTestServer, type TestAccount, type TestServer } from '../../../../test/helpers/server.ts';

let server: TestServer;
let account: TestAccount;

beforeAll(async () => {
  server = await startTestServer();
  account = await createTestAccount(server.database);
});
afterAll(async () => server.close());

const post = (path: string, form: string, headers: Record<string, string> = {}) =>
  call(server.baseUrl, 'POST', path, { key: account.secretKey, form, headers });
const postJson = (path: string, json: unknown) => call(server.baseUrl, 'POST', path, { key: account.secretKey, json });
const get = (path: string, key = account.secretKey) => call(server.baseUrl, 'GET', path, { key });

interface EventBody {
  type: string;
  data: { object: { id: string }; previous_attributes?: Record<string, unknown> };
}

async function countRows(): Promise<number> {
  const row = await server.database.db
    .selectFrom('tax_rates')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('workspace_id', '=', account.sandbox.id)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function countEvents(): Promise<number> {
  const row = await server.database.db
    .selectFrom('events')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('workspace_id', '=', account.sandbox.id)
    .where('type', 'like', 'tax_rate.%')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('tax rates over HTTP', () => {
  it('creates an exclusive and an inclusive rate, exactly as sent, and retrieves them', async () => {
    const exclusive = await post(
      '/v1/tax_rates',
      'display_name=Sales+tax&percentage=7.25&inclusive=false&country=us&state=ca&jurisdiction=California&tax_type=sales_tax&metadata[region]=west',
    );
    expect(exclusive.status).toBe(200);
    expect(exclusive.body.id).toMatch(/^txr_[0-9A-Za-z]+$/);
    expect(exclusive.body).toMatchObject({
      object: 'tax_rate',
      display_name: 'Sales tax',
      percentage: 7.25,
      effective_percentage: 7.25,
      inclusive: false,
      active: true,
      country: 'US',
      state: 'CA',
      jurisdiction: 'California',
      tax_type: 'sales_tax',
      metadata: { region: 'west' },
      description: null,
      livemode: false,
      rate_type: 'percentage',
      flat_amount: null,
      jurisdiction_level: null,
    });

    const inclusive = await postJson('/v1/tax_rates', { display_name: 'MwSt', percentage: 19.6, inclusive: true, country: 'DE', tax_type: 'vat' });
    expect(inclusive.status).toBe(200);
    expect(inclusive.body).toMatchObject({ percentage: 19.6, inclusive: true, country: 'DE', tax_type: 'vat', active: true });

    const precise = await post('/v1/tax_rates', 'display_name=Precise&percentage=8.8755&inclusive=true');
    expect(precise.body.percentage).toBe(8.8755);

    for (const created of [exclusive, inclusive, precise]) {
      const retrieved = await get(`/v1/tax_rates/${created.body.id as string}`);
      expect(retrieved.status).toBe(200);
      expect(retrieved.body).toEqual(created.body);
    }
    const stored = await server.database.db
      .selectFrom('tax_rates')
      .select('percentage')
      .where('workspace_id', '=', account.sandbox.id)
      .where('id', '=', precise.body.id as string)
      .executeTakeFirstOrThrow();
    expect(stored.percentage).toBe('8.8755');

    const events = await get(`/v1/events?object_id=${exclusive.body.id as string}`);
    expect((events.body.data as EventBody[]).map((e) => e.type)).toEqual(['tax_rate.created']);
  });

  it('updates the allowed fields (archiving with active=false) and records previous_attributes', async () => {
    const created = await post('/v1/tax_rates', 'display_name=GST&percentage=5&inclusive=false&country=CA&description=Federal');
    const id = created.body.id as string;
    const updated = await post(
      `/v1/tax_rates/${id}`,
      'display_name=GST+(CA)&description=&active=false&state=ON&jurisdiction=Canada&tax_type=gst&metadata[k]=v',
    );
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      id,
      display_name: 'GST (CA)',
      description: null,
      active: false,
      country: 'CA',
      state: 'ON',
      jurisdiction: 'Canada',
      tax_type: 'gst',
      metadata: { k: 'v' },
      percentage: 5,
      inclusive: false,
    });
    expect((await get(`/v1/tax_rates/${id}`)).body).toEqual(updated.body);

    const events = await get(`/v1/events?object_id=${id}`);
    const mine = events.body.data as EventBody[];
    expect(mine.map((e) => e.type)).toEqual(['tax_rate.updated', 'tax_rate.created']);
    expect(mine[0]?.data.previous_attributes).toEqual({
      display_name: 'GST',
      description: 'Federal',
      active: true,
      state: null,
      jurisdiction: null,
      tax_type: null,
      metadata: {},
    });
  });

  it.each([
    ['percentage', 'percentage=20'],
    ['inclusive', 'inclusive=true'],
  ])('refuses to change %s after creation (parameter_unknown), changing nothing', async (param, form) => {
    const created = await post('/v1/tax_rates', 'display_name=Fixed&percentage=10&inclusive=false');
    const id = created.body.id as string;
    const events = await countEvents();
    const response = await post(`/v1/tax_rates/${id}`, `display_name=Changed&${form}`);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: { type: 'invalid_request_error', code: 'parameter_unknown', param } });
    expect((await get(`/v1/tax_rates/${id}`)).body).toEqual(created.body);
    expect(await countEvents()).toBe(events);
  });

  it.each([
    ['101', 'percentage=101'],
    ['-1', 'percentage=-1'],
    ['1.23456', 'percentage=1.23456'],
    ['abc', 'percentage=abc'],
    ['100.0001', 'percentage=100.0001'],
    ['1e1', 'percentage=1e1'],
    ['empty', 'percentage='],
  ])('refuses percentage %s with a 400 naming percentage, writing nothing', async (_label, form) => {
    const [rows, events] = [await countRows(), await countEvents()];
    const response = await post('/v1/tax_rates', `display_name=Bad&inclusive=false&${form}`);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: { type: 'invalid_request_error', param: 'percentage' } });
    expect(await countRows()).toBe(rows);
    expect(await countEvents()).toBe(events);
  });

  it.each([101, -1, 1.23456, 1e-7, 1e21])('refuses the JSON number %s as percentage', async (percentage) => {
    const rows = await countRows();
    const response = await postJson('/v1/tax_rates', { display_name: 'Bad', inclusive: false, percentage });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: { param: 'percentage' } });
    expect(await countRows()).toBe(rows);
  });

  it('accepts the bounds 0 and 100', async () => {
    expect((await post('/v1/tax_rates', 'display_name=Zero&percentage=0&inclusive=false')).body.percentage).toBe(0);
    expect((await postJson('/v1/tax_rates', { display_name: 'All', percentage: 100, inclusive: true })).body.percentage).toBe(100);
  });

  it('requires display_name, inclusive and percentage, and validates the other fields', async () => {
    expect((await post('/v1/tax_rates', 'percentage=5&inclusive=false')).body).toMatchObject({ error: { code: 'parameter_missing', param: 'display_name' } });
    expect((await post('/v1/tax_rates', 'display_name=x&percentage=5')).body).toMatchObject({ error: { code: 'parameter_missing', param: 'inclusive' } });
    expect((await post('/v1/tax_rates', 'display_name=x&inclusive=true')).body).toMatchObject({ error: { code: 'parameter_missing', param: 'percentage' } });
    expect((await post('/v1/tax_rates', 'display_name=x&percentage=5&inclusive=true&tax_type=chicken')).body).toMatchObject({ error: { param: 'tax_type' } });
    expect((await post('/v1/tax_rates', 'display_name=x&percentage=5&inclusive=true&country=USA')).body).toMatchObject({ error: { param: 'country' } });
    expect((await post('/v1/tax_rates', 'display_name=x&percentage=5&inclusive=true&state=US-CA')).body).toMatchObject({ error: { param: 'state' } });
  });

  it('lists with the active, inclusive and created filters, newest first, with cursors', async () => {
    const other = await createTestAccount(server.database);
    const make = async (form: string) =>
      (await call(server.baseUrl, 'POST', '/v1/tax_rates', { key: other.secretKey, form })).body.id as string;
    const a = await make('display_name=A&percentage=1&inclusive=true');
    const b = await make('display_name=B&percentage=2&inclusive=false');
    const c = await make('display_name=C&percentage=3&inclusive=false&active=false');
    const d = await make('display_name=D&percentage=4&inclusive=true');
    const ids = async (query: string) =>
      ((await get(`/v1/tax_rates${query}`, other.secretKey)).body.data as Array<{ id: string }>).map((r) => r.id);

    expect(await ids('')).toEqual([d, c, b, a]);
    expect(await ids('?active=true')).toEqual([d, b, a]);
    expect(await ids('?active=false')).toEqual([c]);
    expect(await ids('?inclusive=true')).toEqual([d, a]);
    expect(await ids('?inclusive=false&active=true')).toEqual([b]);
    const now = Math.floor(Date.now() / 1000);
    expect(await ids(`?created[gte]=${now - 60}`)).toEqual([d, c, b, a]);
    expect(await ids(`?created[gt]=${now + 60}`)).toEqual([]);

    const page = await get('/v1/tax_rates?limit=2', other.secretKey);
    expect(page.body).toMatchObject({ object: 'list', url: '/v1/tax_rates', has_more: true });
    expect(await ids(`?limit=2&starting_after=${c}`)).toEqual([b, a]);
    expect(await ids(`?ending_before=${b}`)).toEqual([d, c]);
  });

  it("answers another workspace's tax rate with 404, for reads and updates", async () => {
    const created = await post('/v1/tax_rates', 'display_name=Sandbox+only&percentage=5&inclusive=false');
    const id = created.body.id as string;
    const fromLive = await get(`/v1/tax_rates/${id}`, account.liveSecretKey);
    expect(fromLive.status).toBe(404);
    expect(fromLive.body).toMatchObject({ error: { type: 'invalid_request_error', code: 'resource_missing', param: 'id' } });
    const update = await call(server.baseUrl, 'POST', `/v1/tax_rates/${id}`, { key: account.liveSecretKey, form: 'active=false' });
    expect(update.status).toBe(404);
    expect((await get(`/v1/tax_rates/${id}`)).body.active).toBe(true);
    expect((await get('/v1/tax_rates/txr_doesnotexist')).status).toBe(404);
  });

  it('has no DELETE route: rates are archived', async () => {
    const created = await post('/v1/tax_rates', 'display_name=Keep&percentage=5&inclusive=false');
    const response = await call(server.baseUrl, 'DELETE', `/v1/tax_rates/${created.body.id as string}`, { key: account.secretKey });
    expect(response.status).toBe(404);
  });

  it('does not write twice when a keyed create is retried', async () => {
    const key = { 'idempotency-key': `txr-create-${Date.now()}` };
    const first = await post('/v1/tax_rates', 'display_name=Once&percentage=12.5&inclusive=false', key);
    const rows = await countRows();
    const again = await post('/v1/tax_rates', 'display_name=Once&percentage=12.5&inclusive=false', key);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await countRows()).toBe(rows);
  });
});
