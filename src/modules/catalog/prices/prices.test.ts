import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestAccount, startTestServer, type TestAccount, type TestServer } from '../../../../test/helpers/server.ts';
import { writtenRows } from '../../../../test/helpers/counts.ts';

let server: TestServer;
let account: TestAccount;
let productId: string;

beforeAll(async () => {
  server = await startTestServer();
  account = await createTestAccount(server.database);
  productId = (await post('/v1/products', 'name=Priced')).body.id as string;
});
afterAll(async () => server.close());

const post = (path: string, form: string, key = account.secretKey) => call(server.baseUrl, 'POST', path, { key, form });
const get = (path: string, key = account.secretKey) => call(server.baseUrl, 'GET', path, { key });
const del = (path: string) => call(server.baseUrl, 'DELETE', path, { key: account.secretKey });

type Price = { id: string; [key: string]: unknown };
const ids = (body: Record<string, unknown>) => (body.data as Price[]).map((p) => p.id);

const counts = () => writtenRows(server.database, account.sandbox.id, 'prices', 'price.');

describe('prices over HTTP', () => {
  it('creates a recurring per-unit price, retrieves and updates it, with events', async () => {
    const created = await post(
      '/v1/prices',
      `product=${productId}&currency=USD&unit_amount=1999&recurring[interval]=month&recurring[interval_count]=3` +
        '&nickname=Quarterly&metadata[plan]=pro&currency_options[eur][unit_amount]=1899&tax_behavior=unspecified',
    );
    expect(created.status).toBe(200);
    const id = created.body.id as string;
    expect(id).toMatch(/^price_[0-9A-Za-z]{24}$/);
    expect(created.body).toEqual({
      id,
      object: 'price',
      active: true,
      billing_scheme: 'per_unit',
      created: expect.any(Number),
      currency: 'usd',
      currency_options: {
        usd: { custom_unit_amount: null, tax_behavior: 'unspecified', unit_amount: 1999, unit_amount_decimal: '1999' },
        eur: { custom_unit_amount: null, tax_behavior: 'unspecified', unit_amount: 1899, unit_amount_decimal: '1899' },
      },
      custom_unit_amount: null,
      livemode: false,
      lookup_key: null,
      metadata: { plan: 'pro' },
      nickname: 'Quarterly',
      product: productId,
      recurring: { interval: 'month', interval_count: 3, meter: null, trial_period_days: null, usage_type: 'licensed' },
      tax_behavior: 'unspecified',
      tiers_mode: null,
      transform_quantity: null,
      type: 'recurring',
      unit_amount: 1999,
      unit_amount_decimal: '1999',
    });
    expect((await get(`/v1/prices/${id}`)).body).toEqual(created.body);

    const updated = await post(`/v1/prices/${id}`, 'active=false&nickname=&metadata[plan]=&metadata[x]=1&tax_behavior=exclusive');
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ active: false, nickname: null, metadata: { x: '1' }, tax_behavior: 'exclusive', unit_amount: 1999 });

    const events = await get(`/v1/events?object_id=${id}`);
    const data = events.body.data as Array<{ type: string; data: { previous_attributes?: Record<string, unknown> } }>;
    expect(data.map((e) => e.type)).toEqual(['price.updated', 'price.created']);
    expect(data[0]?.data.previous_attributes).toMatchObject({ active: true, nickname: 'Quarterly', tax_behavior: 'unspecified' });
  });

  it('keeps sub-cent decimals exactly, and whole decimals as unit_amount too', async () => {
    const fraction = await post('/v1/prices', `product=${productId}&currency=usd&unit_amount_decimal=0.50`);
    expect(fraction.status).toBe(200);
    expect(fraction.body).toMatchObject({ unit_amount: null, unit_amount_decimal: '0.5', type: 'one_time', recurring: null });
    const whole = await post('/v1/prices', `product=${productId}&currency=jpy&unit_amount_decimal=1500.000`);
    expect(whole.body).toMatchObject({ unit_amount: 1500, unit_amount_decimal: '1500', currency: 'jpy' });
  });

  it('creates tiered prices, storing amounts exactly', async () => {
    const created = await post(
      '/v1/prices',
      `product=${productId}&currency=usd&billing_scheme=tiered&tiers_mode=graduated&recurring[interval]=month` +
        '&tiers[0][up_to]=10&tiers[0][unit_amount]=500&tiers[0][flat_amount]=1000' +
        '&tiers[1][up_to]=inf&tiers[1][unit_amount_decimal]=250.5',
    );
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      billing_scheme: 'tiered',
      tiers_mode: 'graduated',
      unit_amount: null,
      unit_amount_decimal: null,
      tiers: [
        { up_to: 10, unit_amount: 500, unit_amount_decimal: '500', flat_amount: 1000, flat_amount_decimal: '1000' },
        { up_to: null, unit_amount: null, unit_amount_decimal: '250.5', flat_amount: null, flat_amount_decimal: null },
      ],
    });
    const big = await post('/v1/prices', `product=${productId}&currency=usd&unit_amount=999999999999999`);
    expect(big.body).toMatchObject({ unit_amount: 999999999999999 });
    expect((await get(`/v1/prices/${big.body.id as string}`)).body).toMatchObject({ unit_amount: 999999999999999 });
  });

  it('creates a product from product_data', async () => {
    const created = await post('/v1/prices', 'product_data[name]=Inline&currency=eur&unit_amount=100');
    expect(created.status).toBe(200);
    const product = created.body.product as string;
    expect(product).toMatch(/^prod_/);
    expect((await get(`/v1/products/${product}`)).body).toMatchObject({ name: 'Inline' });
  });

  it('refuses bad parameters naming the param, and writes nothing', async () => {
    const cases: Array<[string, string, string?]> = [
      ['currency=xyz&unit_amount=1', 'currency'],
      ['currency=usd&unit_amount=-1', 'unit_amount'],
      ['currency=usd&unit_amount=1000000000000000', 'unit_amount'],
      ['currency=usd', 'unit_amount', 'parameter_missing'],
      ['currency=usd&unit_amount=1&unit_amount_decimal=1', 'unit_amount'],
      ['currency=usd&unit_amount_decimal=1.0000000000001', 'unit_amount_decimal'],
      ['currency=usd&unit_amount_decimal=-1', 'unit_amount_decimal'],
      ['currency=usd&billing_scheme=tiered&tiers_mode=volume', 'tiers', 'parameter_missing'],
      ['currency=usd&billing_scheme=tiered&tiers[0][up_to]=inf&tiers[0][unit_amount]=1', 'tiers_mode', 'parameter_missing'],
      ['currency=usd&billing_scheme=tiered&tiers_mode=volume&tiers[0][up_to]=5&tiers[0][unit_amount]=1', 'tiers[0][up_to]'],
      ['currency=usd&unit_amount=1&tiers[0][up_to]=inf&tiers[0][unit_amount]=1', 'tiers'],
      ['currency=usd&unit_amount=1&tiers_mode=volume', 'tiers_mode'],
      ['currency=usd&unit_amount=1&recurring[interval]=fortnight', 'recurring[interval]'],
      ['currency=usd&unit_amount=1&recurring[interval]=month&recurring[interval_count]=37', 'recurring[interval_count]'],
      ['currency=usd&unit_amount=1&currency_options[usd][unit_amount]=1', 'currency_options[usd]'],
      ['currency=usd&unit_amount=1&currency_options[abc][unit_amount]=1', 'currency_options[abc]'],
      ['currency=usd&unit_amount=1&bogus=1', 'bogus', 'parameter_unknown'],
    ];
    const before = await counts();
    for (const [form, param, code] of cases) {
      const response = await post('/v1/prices', `product=${productId}&${form}`);
      expect(response.status, form).toBe(400);
      expect(response.body, form).toMatchObject({ error: { type: 'invalid_request_error', param, ...(code ? { code } : {}) } });
    }
    expect((await post('/v1/prices', 'currency=usd&unit_amount=1')).body).toMatchObject({ error: { code: 'parameter_missing', param: 'product' } });
    expect(await counts()).toEqual(before);
  });

  it("refuses another workspace's product, and answers its prices with 404", async () => {
    const other = await post('/v1/prices', `product=${productId}&currency=usd&unit_amount=5`, account.liveSecretKey);
    expect(other.status).toBe(400);
    expect(other.body).toMatchObject({ error: { param: 'product', code: 'resource_missing' } });
    expect((await post('/v1/prices', 'product=prod_nope&currency=usd&unit_amount=5')).body).toMatchObject({ error: { param: 'product' } });

    const price = await post('/v1/prices', `product=${productId}&currency=usd&unit_amount=5`);
    const id = price.body.id as string;
    expect((await get(`/v1/prices/${id}`, account.liveSecretKey)).status).toBe(404);
    expect((await post(`/v1/prices/${id}`, 'active=false', account.liveSecretKey)).status).toBe(404);
    expect(ids((await get(`/v1/prices?limit=100`, account.liveSecretKey)).body)).not.toContain(id);
  });

  it('refuses to change amounts or other fixed fields on update', async () => {
    const price = await post('/v1/prices', `product=${productId}&currency=usd&unit_amount=5&tax_behavior=inclusive`);
    const id = price.body.id as string;
    for (const form of ['unit_amount=6', 'currency=eur', 'product=x', 'recurring[interval]=month', 'unit_amount_decimal=1']) {
      const response = await post(`/v1/prices/${id}`, form);
      expect(response.status, form).toBe(400);
      expect(response.body, form).toMatchObject({ error: { code: 'parameter_unknown' } });
    }
    const tax = await post(`/v1/prices/${id}`, 'tax_behavior=exclusive');
    expect(tax.body).toMatchObject({ error: { param: 'tax_behavior' } });
    expect((await get(`/v1/prices/${id}`)).body).toEqual(price.body);

    const options = await post(`/v1/prices/${id}`, 'currency_options[gbp][unit_amount]=4');
    expect(options.status).toBe(200);
    expect(options.body).toMatchObject({
      currency_options: { gbp: { unit_amount: 4, tax_behavior: 'inclusive' }, usd: { unit_amount: 5 } },
    });
  });

  it('keeps lookup keys unique, and transfers them on request', async () => {
    const key = `standard-${Date.now()}`;
    const first = await post('/v1/prices', `product=${productId}&currency=usd&unit_amount=100&lookup_key=${key}`);
    expect(first.body).toMatchObject({ lookup_key: key });
    const clash = await post('/v1/prices', `product=${productId}&currency=usd&unit_amount=200&lookup_key=${key}`);
    expect(clash.status).toBe(400);
    expect(clash.body).toMatchObject({ error: { param: 'lookup_key' } });

    const second = await post('/v1/prices', `product=${productId}&currency=usd&unit_amount=200&lookup_key=${key}&transfer_lookup_key=true`);
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ lookup_key: key });
    expect((await get(`/v1/prices/${first.body.id as string}`)).body).toMatchObject({ lookup_key: null });
    expect(ids((await get(`/v1/prices?lookup_keys[0]=${key}`)).body)).toEqual([second.body.id]);

    const third = await post('/v1/prices', `product=${productId}&currency=usd&unit_amount=300`);
    const thirdId = third.body.id as string;
    expect((await post(`/v1/prices/${thirdId}`, `lookup_key=${key}`)).body).toMatchObject({ error: { param: 'lookup_key' } });
    expect((await post(`/v1/prices/${thirdId}`, `lookup_key=${key}&transfer_lookup_key=true`)).body).toMatchObject({ lookup_key: key });
    expect((await get(`/v1/prices/${second.body.id as string}`)).body).toMatchObject({ lookup_key: null });
  });

  it('lists newest first with filters and cursors', async () => {
    const product = (await post('/v1/products', 'name=Listed')).body.id as string;
    const a = (await post('/v1/prices', `product=${product}&currency=usd&unit_amount=1`)).body.id as string;
    const b = (await post('/v1/prices', `product=${product}&currency=eur&unit_amount=2&recurring[interval]=year`)).body.id as string;
    const c = (await post('/v1/prices', `product=${product}&currency=usd&unit_amount=3&recurring[interval]=month&active=false`)).body.id as string;

    expect(ids((await get(`/v1/prices?product=${product}`)).body)).toEqual([c, b, a]);
    expect(ids((await get(`/v1/prices?product=${product}&active=true`)).body)).toEqual([b, a]);
    expect(ids((await get(`/v1/prices?product=${product}&currency=USD`)).body)).toEqual([c, a]);
    expect(ids((await get(`/v1/prices?product=${product}&type=one_time`)).body)).toEqual([a]);
    expect(ids((await get(`/v1/prices?product=${product}&recurring[interval]=year`)).body)).toEqual([b]);

    const page = await get(`/v1/prices?product=${product}&limit=2`);
    expect(page.body).toMatchObject({ object: 'list', has_more: true, url: '/v1/prices' });
    expect(ids(page.body)).toEqual([c, b]);
    const next = await get(`/v1/prices?product=${product}&limit=2&starting_after=${b}`);
    expect(next.body).toMatchObject({ has_more: false });
    expect(ids(next.body)).toEqual([a]);
    expect(ids((await get(`/v1/prices?product=${product}&ending_before=${a}`)).body)).toEqual([c, b]);

    expect((await get('/v1/prices?currency=xyz')).body).toMatchObject({ error: { param: 'currency' } });
    expect((await get('/v1/prices?type=weekly')).body).toMatchObject({ error: { param: 'type' } });
  });

  it('refuses to delete a product that has prices', async () => {
    const product = (await post('/v1/products', 'name=Kept')).body.id as string;
    await post('/v1/prices', `product=${product}&currency=usd&unit_amount=1`);
    const refused = await del(`/v1/products/${product}`);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: { type: 'invalid_request_error', message: expect.stringContaining('has one or more user-created prices') } });
    expect((await get(`/v1/products/${product}`)).status).toBe(200);

    const bare = (await post('/v1/products', 'name=Bare')).body.id as string;
    expect((await del(`/v1/products/${bare}`)).status).toBe(200);
  });
});
