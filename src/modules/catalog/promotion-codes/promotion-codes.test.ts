import type { Selectable } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestAccount, startTestServer, type TestAccount, type TestServer } from '../../../../test/helpers/server.ts';
import { writtenRows } from '../../../../test/helpers/counts.ts';
import type { CouponsTable } from '../coupons/models.ts';
import { CODE_ALPHABET, generatePromotionCode, promotionCodeIsRedeemable, type PromotionCodeRow } from './service.ts';

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

type Promo = { id: string; [key: string]: unknown };
const ids = (body: Record<string, unknown>) => (body.data as Promo[]).map((c) => c.id);
const future = () => Math.floor(Date.now() / 1000) + 86_400;
const unique = (prefix: string) => `${prefix}${Date.now()}${Math.floor(Math.random() * 1e6)}`;
const counts = () => writtenRows(server.database, account.sandbox.id, 'promotion_codes', 'promotion_code.');

async function coupon(): Promise<string> {
  const created = await post('/v1/coupons', 'percent_off=10');
  return created.body.id as string;
}

describe('promotion codes over HTTP', () => {
  it('creates, retrieves and updates a promotion code, with an event for each change', async () => {
    const couponId = await coupon();
    const customer = await post('/v1/customers', 'email=promo@example.com');
    const customerId = customer.body.id as string;
    const expiresAt = future();
    const code = unique('Spring');
    const created = await post(
      '/v1/promotion_codes',
      `promotion[type]=coupon&promotion[coupon]=${couponId}&code=${code}&customer=${customerId}&expires_at=${expiresAt}` +
        '&max_redemptions=5&restrictions[first_time_transaction]=true&restrictions[minimum_amount]=1000' +
        '&restrictions[minimum_amount_currency]=USD&metadata[campaign]=spring',
    );
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const id = created.body.id as string;
    expect(id).toMatch(/^promo_[0-9A-Za-z]{24}$/);
    expect(created.body).toEqual({
      id,
      object: 'promotion_code',
      active: true,
      code,
      created: expect.any(Number),
      customer: customerId,
      customer_account: null,
      expires_at: expiresAt,
      livemode: false,
      max_redemptions: 5,
      metadata: { campaign: 'spring' },
      promotion: { coupon: couponId, type: 'coupon' },
      restrictions: { first_time_transaction: true, minimum_amount: 1000, minimum_amount_currency: 'usd' },
      times_redeemed: 0,
    });
    expect((await get(`/v1/promotion_codes/${id}`)).body).toEqual(created.body);

    const updated = await post(`/v1/promotion_codes/${id}`, 'active=false&metadata[campaign]=&metadata[team]=growth');
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ active: false, metadata: { team: 'growth' } });
    const events = await get(`/v1/events?object_id=${id}`);
    const mine = events.body.data as Array<{ type: string; data: { previous_attributes?: Record<string, unknown> } }>;
    expect(mine.map((e) => e.type)).toEqual(['promotion_code.updated', 'promotion_code.created']);
    expect(mine[0]?.data.previous_attributes).toEqual({ active: true, metadata: { campaign: 'spring' } });
    expect((await get('/v1/promotion_codes/promo_nope')).status).toBe(404);
    expect((await get(`/v1/promotion_codes/${id}`, account.liveSecretKey)).status).toBe(404);
  });

  it('generates an 8-character code from an unambiguous alphabet when none is given', async () => {
    const created = await postJson('/v1/promotion_codes', { promotion: { type: 'coupon', coupon: await coupon() } });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    expect(created.body.code).toMatch(/^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{8}$/);
    for (let i = 0; i < 50; i++) {
      const code = generatePromotionCode();
      expect(code).toHaveLength(8);
      for (const ch of code) expect(CODE_ALPHABET).toContain(ch);
    }
    expect(CODE_ALPHABET).not.toMatch(/[01OIL]/);
  });

  it('keeps active codes unique ignoring case, and lets inactive ones repeat', async () => {
    const couponId = await coupon();
    const code = unique('Summer');
    const first = await post('/v1/promotion_codes', `promotion[type]=coupon&promotion[coupon]=${couponId}&code=${code}`);
    expect(first.status).toBe(200);
    const before = await counts();
    const again = await post('/v1/promotion_codes', `promotion[type]=coupon&promotion[coupon]=${couponId}&code=${code.toUpperCase()}`);
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ error: { type: 'invalid_request_error', param: 'code' } });
    expect(await counts()).toEqual(before);

    const inactive = await post('/v1/promotion_codes', `promotion[type]=coupon&promotion[coupon]=${couponId}&code=${code.toLowerCase()}&active=false`);
    expect(inactive.status, JSON.stringify(inactive.body)).toBe(200);
    const reactivate = await post(`/v1/promotion_codes/${inactive.body.id as string}`, 'active=true');
    expect(reactivate.status).toBe(400);
    expect(reactivate.body).toMatchObject({ error: { param: 'active' } });

    await post(`/v1/promotion_codes/${first.body.id as string}`, 'active=false');
    const reused = await post('/v1/promotion_codes', `promotion[type]=coupon&promotion[coupon]=${couponId}&code=${code}`);
    expect(reused.status, JSON.stringify(reused.body)).toBe(200);
  });

  it('refuses invalid promotion codes, naming the param, and writes nothing', async () => {
    const couponId = await coupon();
    const deleted = await coupon();
    await call(server.baseUrl, 'DELETE', `/v1/coupons/${deleted}`, { key: account.secretKey });
    const liveCoupon = await post('/v1/coupons', 'percent_off=5', account.liveSecretKey);
    const liveCustomer = await post('/v1/customers', 'email=live@example.com', account.liveSecretKey);
    const past = Math.floor(Date.now() / 1000) - 60;
    const base = `promotion[type]=coupon&promotion[coupon]=${couponId}`;
    const cases: Array<[string, string]> = [
      ['promotion[type]=coupon', 'promotion[coupon]'],
      ['promotion[type]=coupon&promotion[coupon]=co_nope', 'promotion[coupon]'],
      [`promotion[type]=coupon&promotion[coupon]=${deleted}`, 'promotion[coupon]'],
      [`promotion[type]=coupon&promotion[coupon]=${liveCoupon.body.id as string}`, 'promotion[coupon]'],
      [`promotion[type]=other&promotion[coupon]=${couponId}`, 'promotion[type]'],
      [`${base}&expires_at=${past}`, 'expires_at'],
      [`${base}&max_redemptions=0`, 'max_redemptions'],
      [`${base}&restrictions[minimum_amount]=100`, 'restrictions[minimum_amount_currency]'],
      [`${base}&restrictions[minimum_amount]=-1&restrictions[minimum_amount_currency]=usd`, 'restrictions[minimum_amount]'],
      [`${base}&restrictions[minimum_amount]=100&restrictions[minimum_amount_currency]=xyz`, 'restrictions[minimum_amount_currency]'],
      [`${base}&customer=${liveCustomer.body.id as string}`, 'customer'],
      [`${base}&customer=cus_nope`, 'customer'],
      [`${base}&code=has+space`, 'code'],
      [`${base}&times_redeemed=3`, 'times_redeemed'],
    ];
    const before = await counts();
    for (const [form, param] of cases) {
      const response = await post('/v1/promotion_codes', form);
      expect(response.status, form).toBe(400);
      expect((response.body.error as { param?: string }).param, form).toBe(param);
    }
    expect(await counts()).toEqual(before);
  });

  it('refuses to update anything but active and metadata', async () => {
    const created = await post('/v1/promotion_codes', `promotion[type]=coupon&promotion[coupon]=${await coupon()}`);
    const id = created.body.id as string;
    for (const field of ['code=NEW', 'max_redemptions=5', 'expires_at=9999999999', 'customer=cus_x']) {
      const response = await post(`/v1/promotion_codes/${id}`, field);
      expect(response.status, field).toBe(400);
      expect(response.body).toMatchObject({ error: { code: 'parameter_unknown', param: field.split('=')[0] } });
    }
  });

  it('lists newest first with filters and cursors', async () => {
    const couponA = await coupon();
    const couponB = await coupon();
    const customer = await post('/v1/customers', 'email=list@example.com');
    const customerId = customer.body.id as string;
    const code = unique('List');
    const a = await post('/v1/promotion_codes', `promotion[type]=coupon&promotion[coupon]=${couponA}&code=${code}`);
    const b = await post('/v1/promotion_codes', `promotion[type]=coupon&promotion[coupon]=${couponA}&active=false`);
    const c = await post('/v1/promotion_codes', `promotion[type]=coupon&promotion[coupon]=${couponB}&customer=${customerId}`);
    const [ia, ib, ic] = [a.body.id, b.body.id, c.body.id] as string[];

    const page1 = await get('/v1/promotion_codes?limit=2');
    expect(page1.body).toMatchObject({ object: 'list', url: '/v1/promotion_codes', has_more: true });
    expect(ids(page1.body)).toEqual([ic, ib]);
    expect(ids((await get(`/v1/promotion_codes?limit=1&starting_after=${ib}`)).body)).toEqual([ia]);
    expect(ids((await get(`/v1/promotion_codes?limit=2&ending_before=${ia}`)).body)).toEqual([ic, ib]);
    expect(ids((await get(`/v1/promotion_codes?coupon=${couponA}`)).body)).toEqual([ib, ia]);
    expect(ids((await get(`/v1/promotion_codes?coupon=${couponA}&active=true`)).body)).toEqual([ia]);
    expect(ids((await get(`/v1/promotion_codes?coupon=${couponA}&active=false`)).body)).toEqual([ib]);
    expect(ids((await get(`/v1/promotion_codes?code=${code.toUpperCase()}`)).body)).toEqual([ia]);
    expect(ids((await get(`/v1/promotion_codes?customer=${customerId}`)).body)).toEqual([ic]);
    const created = a.body.created as number;
    expect(ids((await get(`/v1/promotion_codes?created[gte]=${created}&limit=100`)).body)).toEqual(expect.arrayContaining([ia, ib, ic]));
    expect(ids((await get(`/v1/promotion_codes?created[lt]=${created}&limit=100`)).body)).not.toContain(ia);
    expect(ids((await get('/v1/promotion_codes?limit=100', account.liveSecretKey)).body)).not.toContain(ia);
  });
});

describe('promotionCodeIsRedeemable', () => {
  const now = new Date('2026-06-01T00:00:00Z');
  const coupon: Selectable<CouponsTable> = {
    workspace_id: 'ws_1',
    id: 'co_1',
    name: null,
    percent_off: '10.00',
    amount_off: null,
    currency: null,
    currency_options: {},
    duration: 'once',
    duration_in_months: null,
    max_redemptions: null,
    times_redeemed: 0,
    redeem_by: null,
    applies_to_products: null,
    metadata: {},
    created_at: now,
    updated_at: now,
    deleted_at: null,
  };
  const row: PromotionCodeRow = {
    workspace_id: 'ws_1',
    id: 'promo_1',
    coupon_id: 'co_1',
    code: 'SAVE',
    active: true,
    customer_id: null,
    max_redemptions: null,
    times_redeemed: 0,
    expires_at: null,
    first_time_transaction: false,
    minimum_amount: null,
    minimum_amount_currency: null,
    metadata: {},
    created_at: now,
    updated_at: now,
  };

  it('accepts a plain active code', () => {
    expect(promotionCodeIsRedeemable(row, coupon, { now, customerId: 'cus_1', amount: 100, currency: 'usd', isFirstTransaction: false })).toBeNull();
  });

  it('names the reason a code cannot be redeemed', () => {
    expect(promotionCodeIsRedeemable({ ...row, active: false }, coupon, { now })).toBe('inactive');
    expect(promotionCodeIsRedeemable({ ...row, expires_at: new Date(now.getTime() - 1) }, coupon, { now })).toBe('expired');
    expect(promotionCodeIsRedeemable({ ...row, expires_at: now }, coupon, { now })).toBe('expired');
    expect(promotionCodeIsRedeemable({ ...row, expires_at: new Date(now.getTime() + 1000) }, coupon, { now })).toBeNull();
    expect(promotionCodeIsRedeemable({ ...row, max_redemptions: 2, times_redeemed: 2 }, coupon, { now })).toBe('max_redemptions');
    expect(promotionCodeIsRedeemable({ ...row, max_redemptions: 2, times_redeemed: 1 }, coupon, { now })).toBeNull();
    expect(promotionCodeIsRedeemable(row, { ...coupon, deleted_at: now }, { now })).toBe('coupon_invalid');
    const restricted = { ...row, customer_id: 'cus_1' };
    expect(promotionCodeIsRedeemable(restricted, coupon, { now, customerId: 'cus_2' })).toBe('wrong_customer');
    expect(promotionCodeIsRedeemable(restricted, coupon, { now })).toBe('wrong_customer');
    expect(promotionCodeIsRedeemable(restricted, coupon, { now, customerId: 'cus_1' })).toBeNull();
    const firstTime = { ...row, first_time_transaction: true };
    expect(promotionCodeIsRedeemable(firstTime, coupon, { now, isFirstTransaction: false })).toBe('first_time_transaction');
    expect(promotionCodeIsRedeemable(firstTime, coupon, { now, isFirstTransaction: true })).toBeNull();
    const minimum = { ...row, minimum_amount: 1000n, minimum_amount_currency: 'usd' };
    expect(promotionCodeIsRedeemable(minimum, coupon, { now, amount: 999, currency: 'usd' })).toBe('minimum_amount');
    expect(promotionCodeIsRedeemable(minimum, coupon, { now, amount: 1000n, currency: 'USD' })).toBeNull();
    expect(promotionCodeIsRedeemable(minimum, coupon, { now, amount: 5000, currency: 'eur' })).toBe('minimum_amount');
  });
});
