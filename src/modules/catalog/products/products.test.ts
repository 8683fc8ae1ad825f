import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestAccount, startTestServer, type TestAccount, type TestServer } from '../../../../test/helpers/server.ts';
import { writtenRows } from '../../../../test/helpers/counts.ts';

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
const del = (path: string, key = account.secretKey) => call(server.baseUrl, 'DELETE', path, { key });

type Product = { id: string; name: string; active: boolean; [key: string]: unknown };
const ids = (body: Record<string, unknown>) => (body.data as Product[]).map((p) => p.id);

const counts = () => writtenRows(server.database, account.sandbox.id, 'products', 'product.');

describe('products over HTTP', () => {
  it('creates, retrieves, updates and deletes a product, with an event for each change', async () => {
    const created = await post(
      '/v1/products',
      'name=Pro+plan&description=The+big+one&metadata[tier]=pro&images[0]=https%3A%2F%2Fexample.com%2Fa.png' +
        '&marketing_features[0][name]=Unlimited+seats&unit_label=seat&statement_descriptor=RECUR+PRO' +
        '&url=https%3A%2F%2Fexample.com%2Fpro&shippable=false&package_dimensions[height]=1.5&package_dimensions[length]=2' +
        '&package_dimensions[weight]=3.25&package_dimensions[width]=4',
    );
    expect(created.status).toBe(200);
    const id = created.body.id as string;
    expect(id).toMatch(/^prod_[0-9A-Za-z]{24}$/);
    expect(created.body).toEqual({
      id,
      object: 'product',
      active: true,
      created: expect.any(Number),
      description: 'The big one',
      images: ['https://example.com/a.png'],
      livemode: false,
      marketing_features: [{ name: 'Unlimited seats' }],
      metadata: { tier: 'pro' },
      name: 'Pro plan',
      package_dimensions: { height: 1.5, length: 2, weight: 3.25, width: 4 },
      shippable: false,
      statement_descriptor: 'RECUR PRO',
      unit_label: 'seat',
      updated: expect.any(Number),
      url: 'https://example.com/pro',
    });
    expect((await get(`/v1/products/${id}`)).body).toEqual(created.body);

    const updated = await post(`/v1/products/${id}`, 'name=Pro&active=false&metadata[tier]=&metadata[seats]=5&description=&images=&package_dimensions=');
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      name: 'Pro',
      active: false,
      metadata: { seats: '5' },
      description: null,
      images: [],
      package_dimensions: null,
      unit_label: 'seat',
    });

    const events = await get(`/v1/events?object_id=${id}`);
    const mine = events.body.data as Array<{ type: string; data: { previous_attributes?: Record<string, unknown> } }>;
    expect(mine.map((e) => e.type)).toEqual(['product.updated', 'product.created']);
    expect(mine[0]?.data.previous_attributes).toEqual({
      name: 'Pro plan',
      active: true,
      metadata: { tier: 'pro' },
      description: 'The big one',
      images: ['https://example.com/a.png'],
      package_dimensions: { height: 1.5, length: 2, weight: 3.25, width: 4 },
    });

    const deleted = await del(`/v1/products/${id}`);
    expect(deleted.body).toEqual({ id, object: 'product', deleted: true });
    expect((await get(`/v1/products/${id}`)).status).toBe(404);
    expect((await post(`/v1/products/${id}`, 'name=x')).status).toBe(404);
    expect((await del(`/v1/products/${id}`)).status).toBe(404);
    const after = await get(`/v1/events?object_id=${id}`);
    expect((after.body.data as Array<{ type: string }>)[0]?.type).toBe('product.deleted');
  });

  it('records no event for an update that changes nothing', async () => {
    const created = await post('/v1/products', 'name=Same');
    const id = created.body.id as string;
    await post(`/v1/products/${id}`, 'name=Same');
    const events = await get(`/v1/events?object_id=${id}`);
    expect((events.body.data as Array<{ type: string }>).map((e) => e.type)).toEqual(['product.created']);
  });

  it('accepts an id of the caller’s choosing, once', async () => {
    const id = `gold_plan-${Date.now()}`;
    const created = await post('/v1/products', `id=${id}&name=Gold`);
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ id, name: 'Gold' });
    expect((await get(`/v1/products/${id}`)).body).toMatchObject({ id, name: 'Gold' });

    const before = await counts();
    const again = await post('/v1/products', `id=${id}&name=Gold+again`);
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ error: { type: 'invalid_request_error', code: 'resource_already_exists', param: 'id' } });
    expect(await counts()).toEqual(before);
    expect((await get(`/v1/products/${id}`)).body).toMatchObject({ name: 'Gold' });
  });

  it("answers another workspace's product with 404, and does not list it", async () => {
    const created = await post('/v1/products', 'name=Sandbox+only');
    const id = created.body.id as string;
    const fromLive = await get(`/v1/products/${id}`, account.liveSecretKey);
    expect(fromLive.status).toBe(404);
    expect(fromLive.body).toMatchObject({ error: { type: 'invalid_request_error', code: 'resource_missing', param: 'id' } });
    expect((await call(server.baseUrl, 'POST', `/v1/products/${id}`, { key: account.liveSecretKey, form: 'name=x' })).status).toBe(404);
    expect((await del(`/v1/products/${id}`, account.liveSecretKey)).status).toBe(404);
    expect(ids((await get(`/v1/products?ids[0]=${id}`, account.liveSecretKey)).body)).toEqual([]);
    expect((await get(`/v1/products/${id}`)).body).toMatchObject({ name: 'Sandbox only' });
  });

  it('lists newest first with filters and cursors', async () => {
    const tag = `t${Date.now()}`;
    const a = await post('/v1/products', `name=A&url=https%3A%2F%2Fexample.com%2F${tag}&shippable=true`);
    const b = await post('/v1/products', `id=${tag}_aaa&name=B&active=false`);
    const c = await post('/v1/products', `name=C&shippable=false`);
    const [ia, ib, ic] = [a.body.id as string, b.body.id as string, c.body.id as string];

    // Newest first even though the chosen id would sort elsewhere.
    const three = await get(`/v1/products?ids[0]=${ia}&ids[1]=${ib}&ids[2]=${ic}`);
    expect(three.body).toMatchObject({ object: 'list', url: '/v1/products', has_more: false });
    expect(ids(three.body)).toEqual([ic, ib, ia]);

    const page1 = await get('/v1/products?limit=2');
    expect(ids(page1.body)).toEqual([ic, ib]);
    expect(page1.body.has_more).toBe(true);
    const page2 = await get(`/v1/products?limit=2&starting_after=${ib}`);
    expect(ids(page2.body)[0]).toBe(ia);
    const back = await get(`/v1/products?limit=2&ending_before=${ia}`);
    expect(ids(back.body)).toEqual([ic, ib]);

    expect(ids((await get(`/v1/products?url=https%3A%2F%2Fexample.com%2F${tag}`)).body)).toEqual([ia]);
    const inactive = ids((await get('/v1/products?active=false&limit=100')).body);
    expect(inactive).toContain(ib);
    expect(inactive).not.toContain(ia);
    const active = ids((await get('/v1/products?active=true&limit=100')).body);
    expect(active).toEqual(expect.arrayContaining([ia, ic]));
    expect(active).not.toContain(ib);
    expect(ids((await get('/v1/products?shippable=true&limit=100')).body)).toContain(ia);
    expect(ids((await get('/v1/products?shippable=true&limit=100')).body)).not.toContain(ic);
    expect(ids((await get('/v1/products?shippable=false&limit=100')).body)).toEqual(expect.arrayContaining([ic]));

    const created = a.body.created as number;
    const since = ids((await get(`/v1/products?created[gte]=${created}&limit=100`)).body);
    expect(since).toEqual(expect.arrayContaining([ia, ib, ic]));
    expect(ids((await get(`/v1/products?created[lt]=${created}&limit=100`)).body)).not.toContain(ia);

    const unknown = await get('/v1/products?starting_after=prod_nope');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ error: { code: 'resource_missing', param: 'starting_after' } });
    const mixed = await get(`/v1/products?ids[0]=${ia}&starting_after=${ib}`);
    expect(mixed.status).toBe(400);
    expect(mixed.body).toMatchObject({ error: { param: 'ids' } });
  });

  it("searches with Stripe's query language", async () => {
    const tag = `s${Date.now()}`;
    const one = await post('/v1/products', `name=Widget+${tag}&description=Blue+${tag}&metadata[run]=${tag}&url=https%3A%2F%2Fexample.com%2F${tag}`);
    const two = await post('/v1/products', `name=Gadget+${tag}&metadata[run]=${tag}&active=false`);
    const [i1, i2] = [one.body.id as string, two.body.id as string];
    const search = async (q: string) => {
      const r = await get(`/v1/products/search?query=${encodeURIComponent(q)}`);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return r;
    };

    const byMeta = await search(`metadata['run']:'${tag}'`);
    expect(byMeta.body).toMatchObject({ object: 'search_result', url: '/v1/products/search', has_more: false, next_page: null });
    expect(ids(byMeta.body)).toEqual([i2, i1]);
    expect(ids((await search(`metadata['run']:'${tag}' AND active:'true'`)).body)).toEqual([i1]);
    expect(ids((await search(`metadata['run']:'${tag}' AND -active:'true'`)).body)).toEqual([i2]);
    expect(ids((await search(`name:'widget ${tag}'`)).body)).toEqual([i1]);
    expect(ids((await search(`name~'gadg'` + ` AND metadata['run']:'${tag}'`)).body)).toEqual([i2]);
    expect(ids((await search(`description~'${tag}'`)).body)).toEqual([i1]);
    expect(ids((await search(`url:'https://example.com/${tag}'`)).body)).toEqual([i1]);
    expect(ids((await search(`metadata['run']:'${tag}' AND created>=${one.body.created as number}`)).body)).toEqual([i2, i1]);

    const paged = await get(`/v1/products/search?limit=1&query=${encodeURIComponent(`metadata['run']:'${tag}'`)}`);
    expect(ids(paged.body)).toEqual([i2]);
    expect(paged.body.has_more).toBe(true);
    const next = await get(
      `/v1/products/search?limit=1&page=${paged.body.next_page as string}&query=${encodeURIComponent(`metadata['run']:'${tag}'`)}`,
    );
    expect(ids(next.body)).toEqual([i1]);

    const bad = await get(`/v1/products/search?query=${encodeURIComponent("email:'x@example.com'")}`);
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { code: 'search_query_invalid', param: 'query' } });
    const badBool = await get(`/v1/products/search?query=${encodeURIComponent("active:'yes'")}`);
    expect(badBool.status).toBe(400);
  });

  it.each([
    ['', 'name'],
    ['name=', 'name'],
    ['name=X&id=has%20space', 'id'],
    [`name=X&id=${'a'.repeat(201)}`, 'id'],
    ['name=X&active=maybe', 'active'],
    ['name=X&shippable=1x', 'shippable'],
    ['name=X&images[0]=not-a-url', 'images[0]'],
    ['name=X&marketing_features[0][name]=x&marketing_features[0][title]=x', 'marketing_features[0][title]'],
    ['name=X&statement_descriptor=%3Cscript%3E', 'statement_descriptor'],
    [`name=X&statement_descriptor=${'A'.repeat(23)}`, 'statement_descriptor'],
    ['name=X&unit_label=thirteen_char', 'unit_label'],
    ['name=X&package_dimensions[height]=1', 'package_dimensions[length]'],
    ['name=X&package_dimensions[height]=-1&package_dimensions[length]=1&package_dimensions[weight]=1&package_dimensions[width]=1', 'package_dimensions[height]'],
    ['name=X&package_dimensions[height]=1.234&package_dimensions[length]=1&package_dimensions[weight]=1&package_dimensions[width]=1', 'package_dimensions[height]'],
    ['name=X&url=ftp%3A%2F%2Fx', 'url'],
    ['name=X&metadata[a[b]]=1', 'metadata[a[b]]'],
    ['name=X&type=service', 'type'],
    ['name=X&tax_code=txcd_10000000', 'tax_code'],
  ])('refuses create %s naming %s, and writes nothing', async (form, param) => {
    const before = await counts();
    const response = await post('/v1/products', form);
    expect(response.status, JSON.stringify(response.body)).toBe(400);
    expect(response.body).toMatchObject({ error: { type: 'invalid_request_error', param } });
    expect(await counts()).toEqual(before);
  });

  it('refuses a bad update naming the param, and changes nothing', async () => {
    const created = await post('/v1/products', 'name=Keep');
    const id = created.body.id as string;
    for (const [form, param] of [
      ['name=', 'name'],
      ['active=', 'active'],
      ['images[9]=https%3A%2F%2Fx.com&images[0]=https%3A%2F%2Fy.com&images[1]=a&images[2]=a&images[3]=a&images[4]=a&images[5]=a&images[6]=a&images[7]=a', 'images'],
      ['id=other', 'id'],
    ] as const) {
      const before = await counts();
      const response = await post(`/v1/products/${id}`, form);
      expect(response.status, form).toBe(400);
      expect(response.body, form).toMatchObject({ error: { param } });
      expect(await counts()).toEqual(before);
    }
    expect((await get(`/v1/products/${id}`)).body).toEqual(created.body);
  });

  it('refuses bad list parameters', async () => {
    for (const [query, param] of [
      ['active=maybe', 'active'],
      ['limit=0', 'limit'],
      ['created[gte]=abc', 'created[gte]'],
      ['email=x', 'email'],
    ] as const) {
      const response = await get(`/v1/products?${query}`);
      expect(response.status, query).toBe(400);
      expect(response.body, query).toMatchObject({ error: { param } });
    }
  });

  it('does not write twice when a keyed create is retried', async () => {
    const key = { 'idempotency-key': `create-product-${Date.now()}` };
    const first = await post('/v1/products', 'name=Twice', key);
    const again = await post('/v1/products', 'name=Twice', key);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.id).toBe(first.body.id);
    const events = await get(`/v1/events?object_id=${first.body.id as string}`);
    expect((events.body.data as unknown[]).length).toBe(1);
  });
});
