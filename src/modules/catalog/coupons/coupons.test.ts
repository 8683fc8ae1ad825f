import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestAccount, startTestServer, type TestAccount, type TestServer } from '../../../../test/helpers/server.ts';
import { writtenRows } from '../../../../test/helpers/counts.ts';
import { applyDiscounts } from '../../billing/discounts.ts';
import { couponForDiscount } from './service.ts';

let server: TestServer;
let account: TestAccount;

beforeAll(async () => {
  server = await startTestServer();
  account = await createTestAccount(server.database);
});
afterAll(async () => server.close());

const post = (path: string, form: string, key = account.secretKey) => call(server.baseUrl, 'POST', path, { key, form });
const postJson = (path: string, json: unknown) => call(server.baseUrl, 'POST', path, { key: account.secretKey, json });
const get = (path: string, key = account.secretKey) => call(server.baseUrl, 'GET', path, { key });
const del = (path: string, key = account.secretKey) => call(server.baseUrl, 'DELETE', path, { key });

type Coupon = { id: string; [key: string]: unknown };
const ids = (body: Record<string, unknown>) => (body.data as Coupon[]).map((c) => c.id);
const future = () => Math.floor(Date.now() / 1000) + 86_400;

const counts = () => writtenRows(server.database, account.sandbox.id, 'coupons', 'coupon.');

describe('coupons over HTTP', () => {
  it('creates, retrieves, updates and soft-deletes a coupon, with an event for each change', async () => {
    const redeemBy = future();
    const created = await post(
      '/v1/coupons',
      `name=Spring&percent_off=12.5&duration=repeating&duration_in_months=3&max_redemptions=10&redeem_by=${redeemBy}&metadata[campaign]=spring`,
    );
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const id = created.body.id as string;
    expect(id).toMatch(/^co_[0-9A-Za-z]{24}$/);
    expect(created.body).toEqual({
      id,
      object: 'coupon',
      amount_off: null,
      created: expect.any(Number),
      currency: null,
      duration: 'repeating',
      duration_in_months: 3,
      livemode: false,
      max_redemptions: 10,
      metadata: { campaign: 'spring' },
      name: 'Spring',
      percent_off: 12.5,
      redeem_by: redeemBy,
      times_redeemed: 0,
      valid: true,
    });
    expect((await get(`/v1/coupons/${id}`)).body).toEqual(created.body);
    const stored = await server.database.db
      .selectFrom('coupons')
      .select(['percent_off', 'deleted_at'])
      .where('workspace_id', '=', account.sandbox.id)
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ percent_off: '12.50', deleted_at: null });

    const updated = await post(`/v1/coupons/${id}`, 'name=Spring+sale&metadata[campaign]=&metadata[team]=growth');
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ name: 'Spring sale', metadata: { team: 'growth' }, percent_off: 12.5 });

    const events = await get(`/v1/events?object_id=${id}`);
    const mine = events.body.data as Array<{ type: string; data: { previous_attributes?: Record<string, unknown> } }>;
    expect(mine.map((e) => e.type)).toEqual(['coupon.updated', 'coupon.created']);
    expect(mine[0]?.data.previous_attributes).toEqual({ name: 'Spring', metadata: { campaign: 'spring' } });

    const deleted = await del(`/v1/coupons/${id}`);
    expect(deleted.body).toEqual({ id, object: 'coupon', deleted: true });
    expect((await get(`/v1/coupons/${id}`)).status).toBe(404);
    expect((await post(`/v1/coupons/${id}`, 'name=x')).status).toBe(404);
    expect((await del(`/v1/coupons/${id}`)).status).toBe(404);
    const after = await get(`/v1/events?object_id=${id}`);
    const deletedEvent = (after.body.data as Array<{ type: string; data: { object: Coupon } }>)[0];
    expect(deletedEvent?.type).toBe('coupon.deleted');
    expect(deletedEvent?.data.object).toMatchObject({ id, valid: false });
    // The row stays, for the discounts that already use it.
    const row = await server.database.db
      .selectFrom('coupons')
      .selectAll()
      .where('workspace_id', '=', account.sandbox.id)
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.deleted_at).toBeInstanceOf(Date);
    expect(couponForDiscount(row)).toEqual({ id, percent_off: '12.50', amount_off: null, currency: null, applies_to: null });
  });

  it('creates an amount_off coupon with currency options and product restrictions, feeding the discount math', async () => {
    const product = await post('/v1/products', 'name=Coupon+target');
    const productId = product.body.id as string;
    const created = await post(
      '/v1/coupons',
      `amount_off=500&currency=USD&currency_options[eur][amount_off]=450&duration=forever&applies_to[products][0]=${productId}`,
    );
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    expect(created.body).toMatchObject({
      amount_off: 500,
      currency: 'usd',
      currency_options: { eur: { amount_off: 450 } },
      applies_to: { products: [productId] },
      duration: 'forever',
      duration_in_months: null,
      percent_off: null,
      valid: true,
    });
    const id = created.body.id as string;
    const updated = await post(`/v1/coupons/${id}`, 'currency_options[gbp][amount_off]=400');
    expect(updated.body).toMatchObject({ currency_options: { eur: { amount_off: 450 }, gbp: { amount_off: 400 } } });

    const row = await server.database.db
      .selectFrom('coupons')
      .selectAll()
      .where('workspace_id', '=', account.sandbox.id)
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    const coupon = couponForDiscount(row);
    expect(coupon).toEqual({ id, percent_off: null, amount_off: 500n, currency: 'usd', applies_to: { products: [productId] } });
    const lines = [
      { id: 'a', amount: 1000n, productId, discountable: true },
      { id: 'b', amount: 1000n, productId: 'prod_other', discountable: true },
    ];
    expect(applyDiscounts(lines, [coupon], 'usd').map((l) => l.amountAfterDiscount)).toEqual([500n, 1000n]);
  });

  it('accepts JSON bodies and an id of the caller’s choosing, once', async () => {
    const id = `SAVE10-${Date.now()}`;
    const created = await postJson('/v1/coupons', { id, percent_off: 10, duration: 'once' });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    expect(created.body).toMatchObject({ id, percent_off: 10, duration: 'once' });
    const before = await counts();
    const again = await post('/v1/coupons', `id=${id}&percent_off=20`);
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ error: { type: 'invalid_request_error', code: 'resource_already_exists', param: 'id' } });
    expect(await counts()).toEqual(before);
    // Deleted, the id stays taken (the row is kept).
    await del(`/v1/coupons/${id}`);
    expect((await post('/v1/coupons', `id=${id}&percent_off=20`)).body).toMatchObject({ error: { param: 'id' } });
  });

  it('refuses invalid coupons, naming the param, and writes nothing', async () => {
    const otherWorkspaceProduct = await post('/v1/products', 'name=Live+only', account.liveSecretKey);
    const past = Math.floor(Date.now() / 1000) - 60;
    const cases: Array<[string, string]> = [
      ['duration=once', 'percent_off'],
      ['percent_off=10&amount_off=100&currency=usd', 'amount_off'],
      ['percent_off=0', 'percent_off'],
      ['percent_off=100.01', 'percent_off'],
      ['percent_off=12.345', 'percent_off'],
      ['percent_off=abc', 'percent_off'],
      ['percent_off=-5', 'percent_off'],
      ['amount_off=100', 'currency'],
      ['amount_off=100&currency=xyz', 'currency'],
      ['amount_off=0&currency=usd', 'amount_off'],
      ['amount_off=1000000000000000&currency=usd', 'amount_off'],
      ['percent_off=10&currency=usd', 'currency'],
      ['percent_off=10&duration=repeating', 'duration_in_months'],
      ['percent_off=10&duration=repeating&duration_in_months=0', 'duration_in_months'],
      ['percent_off=10&duration=forever&duration_in_months=3', 'duration_in_months'],
      ['percent_off=10&duration=sometimes', 'duration'],
      ['percent_off=10&max_redemptions=0', 'max_redemptions'],
      [`percent_off=10&redeem_by=${past}`, 'redeem_by'],
      ['percent_off=10&applies_to[products][0]=prod_nope', 'applies_to[products]'],
      [`percent_off=10&applies_to[products][0]=${otherWorkspaceProduct.body.id as string}`, 'applies_to[products]'],
      ['percent_off=10&currency_options[eur][amount_off]=100', 'currency_options[eur]'],
      ['amount_off=100&currency=usd&currency_options[zzz][amount_off]=100', 'currency_options[zzz]'],
      ['percent_off=10&times_redeemed=3', 'times_redeemed'],
      ['percent_off=10&id=has+space', 'id'],
    ];
    const before = await counts();
    for (const [form, param] of cases) {
      const response = await post('/v1/coupons', form);
      expect(response.status, form).toBe(400);
      expect((response.body.error as { param?: string }).param, form).toBe(param);
    }
    expect(await counts()).toEqual(before);
  });

  it('refuses to update anything but name, metadata and currency_options', async () => {
    const created = await post('/v1/coupons', 'percent_off=15');
    const id = created.body.id as string;
    for (const field of ['percent_off=20', 'duration=forever', 'max_redemptions=5', 'redeem_by=9999999999', 'amount_off=5']) {
      const response = await post(`/v1/coupons/${id}`, field);
      expect(response.status, field).toBe(400);
      expect(response.body).toMatchObject({ error: { code: 'parameter_unknown', param: field.split('=')[0] } });
    }
    const noChange = await post(`/v1/coupons/${id}`, 'metadata[a]=');
    expect(noChange.status).toBe(200);
    const events = await get(`/v1/events?object_id=${id}`);
    expect((events.body.data as Array<{ type: string }>).map((e) => e.type)).toEqual(['coupon.created']);
  });

  it('computes valid from redemptions and redeem_by at request time', async () => {
    const created = await post('/v1/coupons', `percent_off=5&max_redemptions=1&redeem_by=${future()}`);
    const id = created.body.id as string;
    expect(created.body.valid).toBe(true);
    const { db } = server.database;
    await db.updateTable('coupons').set({ times_redeemed: 1 }).where('workspace_id', '=', account.sandbox.id).where('id', '=', id).execute();
    expect((await get(`/v1/coupons/${id}`)).body).toMatchObject({ valid: false, times_redeemed: 1 });

    const expiring = await post('/v1/coupons', 'percent_off=5');
    const eid = expiring.body.id as string;
    await sql`UPDATE coupons SET redeem_by = now() - interval '1 second' WHERE workspace_id = ${account.sandbox.id} AND id = ${eid}`.execute(db);
    expect((await get(`/v1/coupons/${eid}`)).body).toMatchObject({ valid: false });
  });

  it('lists newest first, without deleted coupons, with created filters and cursors', async () => {
    const a = await post('/v1/coupons', 'percent_off=1');
    const b = await post('/v1/coupons', `id=zz_${Date.now()}&percent_off=2`);
    const c = await post('/v1/coupons', 'percent_off=3');
    const d = await post('/v1/coupons', 'percent_off=4');
    const [ia, ib, ic, id] = [a.body.id, b.body.id, c.body.id, d.body.id] as string[];
    await del(`/v1/coupons/${id}`);

    const page1 = await get('/v1/coupons?limit=2');
    expect(page1.body).toMatchObject({ object: 'list', url: '/v1/coupons', has_more: true });
    expect(ids(page1.body)).toEqual([ic, ib]);
    expect(ids((await get(`/v1/coupons?limit=2&starting_after=${ib}`)).body)[0]).toBe(ia);
    expect(ids((await get(`/v1/coupons?limit=2&ending_before=${ia}`)).body)).toEqual([ic, ib]);
    const all = ids((await get('/v1/coupons?limit=100')).body);
    expect(all).not.toContain(id);
    const created = a.body.created as number;
    expect(ids((await get(`/v1/coupons?created[gte]=${created}&limit=100`)).body)).toEqual(expect.arrayContaining([ia, ib, ic]));
    expect(ids((await get(`/v1/coupons?created[lt]=${created}&limit=100`)).body)).not.toContain(ia);
    const unknown = await get('/v1/coupons?starting_after=co_nope');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ error: { code: 'resource_missing', param: 'starting_after' } });
    // Another workspace sees none of them.
    expect(ids((await get('/v1/coupons?limit=100', account.liveSecretKey)).body)).not.toContain(ia);
    expect((await get(`/v1/coupons/${ia}`, account.liveSecretKey)).status).toBe(404);
  });
});
