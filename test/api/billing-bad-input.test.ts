/**
 * Raw HTTP for billing requests that must be refused: each is a 400 naming the exact
 * parameter, and leaves nothing behind (no subscription, item, invoice, line, pending
 * item, event, redemption, clock change, idempotency record or audit entry).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writtenRows } from '../helpers/counts.ts';
import { call, createTestAccount, startTestServer, type ApiResponse, type TestAccount, type TestServer } from '../helpers/server.ts';

let server: TestServer;
let account: TestAccount;
/** Another tenant, whose objects must be invisible to `account`. */
let other: TestAccount;

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

type Body = Record<string, unknown>;
interface ErrorBody {
  error: { type: string; message: string; code?: string; param?: string };
}

/** Stripe's bracket notation: { items: [{ price: 'p' }] } → items[0][price]=p. */
function form(params: Record<string, unknown>): string {
  const pairs: string[] = [];
  const walk = (key: string, value: unknown) => {
    if (value === undefined) return;
    if (Array.isArray(value)) value.forEach((v, i) => walk(`${key}[${i}]`, v));
    else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(key ? `${key}[${k}]` : k, v);
    else pairs.push(`${key.split(/([[\]])/).map((part) => (part === '[' || part === ']' ? part : encodeURIComponent(part))).join('')}=${encodeURIComponent(String(value))}`);
  };
  walk('', params);
  return pairs.join('&');
}

const post = (path: string, params: Record<string, unknown>, key = account.secretKey) => call<Body>(server.baseUrl, 'POST', path, { key, form: form(params) });
const get = (path: string, key = account.secretKey) => call<Body>(server.baseUrl, 'GET', path, { key });
const del = (path: string, params: Record<string, unknown> = {}) => call<Body>(server.baseUrl, 'DELETE', `${path}?${form(params)}`, { key: account.secretKey });

/** A write that must succeed; returns its body. */
async function ok(response: Promise<ApiResponse<Body>>): Promise<Body> {
  const { status, body } = await response;
  expect(status, JSON.stringify(body)).toBe(200);
  return body;
}

/** Everything a billing write could leave behind in one workspace. */
async function snapshot(workspaceId: string): Promise<Record<string, unknown>> {
  const { db } = server.database;
  const tables = ['subscriptions', 'subscription_items', 'invoices', 'invoice_lines', 'invoice_items', 'customers', 'test_clocks', 'idempotency_keys'] as const;
  const rows: Record<string, number> = {};
  for (const table of tables) rows[table] = (await writtenRows(server.database, workspaceId, table, '')).rows;
  // An empty prefix counts every event of the workspace.
  rows.events = (await writtenRows(server.database, workspaceId, 'customers', '')).events;
  rows.audit = Number(
    (await db.selectFrom('audit_log').select((eb) => eb.fn.countAll<string>().as('n')).where('workspace_id', '=', workspaceId).executeTakeFirstOrThrow()).n,
  );
  const ws = (table: 'customers' | 'coupons' | 'promotion_codes' | 'test_clocks' | 'subscriptions') =>
    db.selectFrom(table).where('workspace_id', '=', workspaceId);
  return {
    ...rows,
    customerState: await ws('customers').select(['id', 'currency', 'balance']).orderBy('id').execute(),
    couponRedemptions: await ws('coupons').select(['id', 'times_redeemed']).orderBy('id').execute(),
    promotionRedemptions: await ws('promotion_codes').select(['id', 'times_redeemed']).orderBy('id').execute(),
    clockTimes: await ws('test_clocks').select(['id', 'frozen_time', 'status']).orderBy('id').execute(),
    subscriptionState: await ws('subscriptions').select(['id', 'status', 'updated_at', 'cancel_at', 'trial_end', 'collection_method', 'days_until_due']).orderBy('id').execute(),
  };
}

/** A request that must be a 400 naming `param` (when given), with nothing written. */
async function rejected(send: () => Promise<ApiResponse<Body>>, param: string | null, workspaceId = account.sandbox.id): Promise<ErrorBody['error']> {
  const before = await snapshot(workspaceId);
  const response = await send();
  expect(response.status, JSON.stringify(response.body)).toBe(400);
  expect(response.headers.get('request-id')).toMatch(/^req_[0-9A-Za-z]+$/);
  const { error } = response.body as unknown as ErrorBody;
  expect(error.type).toBe('invalid_request_error');
  expect(error.message.length).toBeGreaterThan(0);
  if (param !== null) expect(error.param, error.message).toBe(param);
  expect(await snapshot(workspaceId)).toEqual(before);
  return error;
}

const HOUR = 3600;
const DAY = 86400;
/** 2027-04-01 00:00 UTC: where most clocks here start. */
const APRIL = Date.UTC(2027, 3, 1) / 1000;

async function price(params: Record<string, unknown>, key = account.secretKey): Promise<string> {
  const body = await ok(post('/v1/prices', { currency: 'usd', product_data: { name: 'Bad input plan' }, ...params }, key));
  return body.id as string;
}

async function clock(frozenTime = APRIL): Promise<string> {
  return (await ok(post('/v1/test_helpers/test_clocks', { frozen_time: frozenTime }))).id as string;
}

/** A customer on its own test clock, with a card as default payment method. */
async function customer(frozenTime = APRIL): Promise<{ id: string; clock: string }> {
  const clockId = await clock(frozenTime);
  const created = await ok(post('/v1/customers', { name: 'Bad input', test_clock: clockId }));
  const pm = await ok(post('/v1/payment_methods/pm_card_visa/attach', { customer: created.id }));
  await ok(post(`/v1/customers/${created.id as string}`, { invoice_settings: { default_payment_method: pm.id } }));
  return { id: created.id as string, clock: clockId };
}

async function subscription(customerId: string, priceId: string, params: Record<string, unknown> = {}): Promise<Body> {
  return ok(post('/v1/subscriptions', { customer: customerId, items: [{ price: priceId }], ...params }));
}

let monthly: string;
let yearly: string;

beforeAll(async () => {
  server = await startTestServer();
  account = await createTestAccount(server.database);
  other = await createTestAccount(server.database);
  monthly = await price({ unit_amount: 2000, recurring: { interval: 'month' } });
  yearly = await price({ unit_amount: 20000, recurring: { interval: 'year' } });
});
afterAll(async () => server.close());

// ---------------------------------------------------------------------------------------
// Items
// ---------------------------------------------------------------------------------------

describe('subscription items', () => {
  it('refuses items of mixed intervals, naming the item that differs', async () => {
    const { id } = await customer();
    await rejected(() => post('/v1/subscriptions', { customer: id, items: [{ price: monthly }, { price: yearly }] }), 'items[1][price]');
  });

  it('refuses a price not offered in the subscription currency', async () => {
    const { id } = await customer();
    await rejected(() => post('/v1/subscriptions', { customer: id, currency: 'eur', items: [{ price: monthly }] }), 'items[0][price]');
    // The customer's currency, once set by a first subscription, counts the same way.
    const eurOnly = await price({ currency: 'eur', unit_amount: 1800, recurring: { interval: 'month' } });
    await subscription(id, monthly);
    await rejected(() => post('/v1/subscriptions', { customer: id, items: [{ price: eurOnly }] }), 'items[0][price]');
  });

  it('refuses an unknown currency', async () => {
    const { id } = await customer();
    await rejected(() => post('/v1/subscriptions', { customer: id, currency: 'xyz', items: [{ price: monthly }] }), 'currency');
  });

  it('refuses a negative quantity, on create and on update', async () => {
    const { id } = await customer();
    await rejected(() => post('/v1/subscriptions', { customer: id, items: [{ price: monthly, quantity: -1 }] }), 'items[0][quantity]');
    const sub = await subscription(id, monthly);
    const item = ((sub.items as Body).data as Body[])[0]?.id as string;
    await rejected(() => post(`/v1/subscriptions/${sub.id as string}`, { items: [{ id: item, quantity: -3 }] }), 'items[0][quantity]');
  });

  it('refuses an absurd quantity', async () => {
    const { id } = await customer();
    await rejected(() => post('/v1/subscriptions', { customer: id, items: [{ price: monthly, quantity: '10000000000000000' }] }), 'items[0][quantity]');
    await rejected(() => post('/v1/subscriptions', { customer: id, items: [{ price: monthly, quantity: 1.5 }] }), 'items[0][quantity]');
  });

  it('refuses a quantity whose amount is beyond 10^15 − 1 minor units (decisions §15)', async () => {
    const { id } = await customer();
    // 999,999,999,999 × 20.00 = 1.999… × 10^15 cents.
    await rejected(() => post('/v1/subscriptions', { customer: id, items: [{ price: monthly, quantity: 999_999_999_999 }] }), 'items[0][quantity]');
  });

  it('refuses a one-time price as an item', async () => {
    const { id } = await customer();
    const oneTime = await price({ unit_amount: 5000 });
    await rejected(() => post('/v1/subscriptions', { customer: id, items: [{ price: oneTime }] }), 'items[0][price]');
  });

  it('refuses an archived price, on create and when added by an update', async () => {
    const { id } = await customer();
    const archived = await price({ unit_amount: 900, recurring: { interval: 'month' } });
    await ok(post(`/v1/prices/${archived}`, { active: false }));
    await rejected(() => post('/v1/subscriptions', { customer: id, items: [{ price: archived }] }), 'items[0][price]');
    const sub = await subscription(id, monthly);
    await rejected(() => post(`/v1/subscriptions/${sub.id as string}`, { items: [{ price: archived }] }), 'items[0][price]');
  });

  it("refuses a price of another workspace or another account as missing", async () => {
    const { id } = await customer();
    const live = await price({ unit_amount: 2000, recurring: { interval: 'month' } }, account.liveSecretKey);
    const foreign = await price({ unit_amount: 2000, recurring: { interval: 'month' } }, other.secretKey);
    for (const priceId of [live, foreign]) {
      const error = await rejected(() => post('/v1/subscriptions', { customer: id, items: [{ price: priceId }] }), 'items[0][price]');
      expect(error.code).toBe('resource_missing');
    }
    // ... and the other tenant saw nothing happen either.
    expect((await get('/v1/subscriptions?limit=100', other.secretKey)).body.data).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------
// Discounts
// ---------------------------------------------------------------------------------------

describe('discounts', () => {
  it('refuses a coupon past its redeem_by at the customer clock time', async () => {
    // Coupons are created in real time, so this clock starts at the wall clock.
    const now = Math.floor(Date.now() / 1000);
    const { id, clock: clockId } = await customer(now);
    const coupon = await ok(post('/v1/coupons', { percent_off: 10, redeem_by: now + 2 * DAY }));
    await ok(post(`/v1/test_helpers/test_clocks/${clockId}/advance`, { frozen_time: now + 3 * DAY }));
    await rejected(() => post('/v1/subscriptions', { customer: id, items: [{ price: monthly }], discounts: [{ coupon: coupon.id }] }), 'discounts[0][coupon]');
    expect((await get(`/v1/coupons/${coupon.id as string}`)).body.times_redeemed).toBe(0);
  });

  it('refuses a coupon that reached max_redemptions', async () => {
    const { id } = await customer();
    const coupon = await ok(post('/v1/coupons', { amount_off: 500, currency: 'usd', max_redemptions: 1 }));
    await subscription(id, monthly, { discounts: [{ coupon: coupon.id }] });
    await rejected(() => post('/v1/subscriptions', { customer: id, items: [{ price: monthly }], discounts: [{ coupon: coupon.id }] }), 'discounts[0][coupon]');
    expect((await get(`/v1/coupons/${coupon.id as string}`)).body).toMatchObject({ times_redeemed: 1, valid: false });
  });

  it('refuses an inactive promotion code', async () => {
    const { id } = await customer();
    const coupon = await ok(post('/v1/coupons', { percent_off: 15 }));
    const promo = await ok(post('/v1/promotion_codes', { promotion: { type: 'coupon', coupon: coupon.id }, active: false }));
    await rejected(
      () => post('/v1/subscriptions', { customer: id, items: [{ price: monthly }], discounts: [{ promotion_code: promo.id }] }),
      'discounts[0][promotion_code]',
    );
    const sub = await subscription(id, monthly);
    await rejected(() => post(`/v1/subscriptions/${sub.id as string}`, { discounts: [{ promotion_code: promo.id }] }), 'discounts[0][promotion_code]');
  });
});

// ---------------------------------------------------------------------------------------
// Test clocks
// ---------------------------------------------------------------------------------------

describe('test clocks', () => {
  it('are refused in a live workspace', async () => {
    const sandboxClock = await clock();
    await rejected(() => post('/v1/customers', { name: 'Live', test_clock: sandboxClock }, account.liveSecretKey), 'test_clock', account.live.id);
    await rejected(() => post('/v1/test_helpers/test_clocks', { frozen_time: APRIL }, account.liveSecretKey), null, account.live.id);
  });

  it('cannot be advanced backwards', async () => {
    const { clock: clockId } = await customer();
    await rejected(() => post(`/v1/test_helpers/test_clocks/${clockId}/advance`, { frozen_time: APRIL - HOUR }), 'frozen_time');
    expect((await get(`/v1/test_helpers/test_clocks/${clockId}`)).body.frozen_time).toBe(APRIL);
  });
});

// ---------------------------------------------------------------------------------------
// Dates, collection, ended subscriptions
// ---------------------------------------------------------------------------------------

describe('dates and collection', () => {
  it('refuses days_until_due without collection_method=send_invoice', async () => {
    const { id } = await customer();
    await rejected(() => post('/v1/subscriptions', { customer: id, items: [{ price: monthly }], days_until_due: 14 }), 'days_until_due');
    await rejected(
      () => post('/v1/subscriptions', { customer: id, items: [{ price: monthly }], collection_method: 'charge_automatically', days_until_due: 14 }),
      'days_until_due',
    );
  });

  it('refuses days_until_due on an update of a charge_automatically subscription', async () => {
    const { id } = await customer();
    const sub = await subscription(id, monthly);
    await rejected(() => post(`/v1/subscriptions/${sub.id as string}`, { days_until_due: 14 }), 'days_until_due');
  });

  it('refuses trial_end in the past of the customer clock (create and update)', async () => {
    const { id } = await customer();
    // Later than the wall clock, but before the customer's clock.
    const past = APRIL - DAY;
    await rejected(() => post('/v1/subscriptions', { customer: id, items: [{ price: monthly }], trial_end: past }), 'trial_end');
    const sub = await subscription(id, monthly, { trial_period_days: 14 });
    await rejected(() => post(`/v1/subscriptions/${sub.id as string}`, { trial_end: past }), 'trial_end');
  });

  it('refuses cancel_at in the past of the customer clock (create and update)', async () => {
    const { id } = await customer();
    const past = APRIL - HOUR;
    await rejected(() => post('/v1/subscriptions', { customer: id, items: [{ price: monthly }], cancel_at: past }), 'cancel_at');
    const sub = await subscription(id, monthly);
    await rejected(() => post(`/v1/subscriptions/${sub.id as string}`, { cancel_at: past }), 'cancel_at');
  });

  it('refuses to update or cancel again a canceled subscription', async () => {
    const { id } = await customer();
    const sub = await subscription(id, monthly);
    const subId = sub.id as string;
    const item = ((sub.items as Body).data as Body[])[0]?.id as string;
    await ok(del(`/v1/subscriptions/${subId}`));
    const canceled = (await get(`/v1/subscriptions/${subId}`)).body;
    expect(canceled.status).toBe('canceled');
    await rejected(() => post(`/v1/subscriptions/${subId}`, { items: [{ id: item, quantity: 3 }] }), null);
    await rejected(() => post(`/v1/subscriptions/${subId}`, { cancel_at_period_end: true }), null);
    await rejected(() => post(`/v1/subscriptions/${subId}`, { pause_collection: { behavior: 'void' } }), null);
    await rejected(() => del(`/v1/subscriptions/${subId}`), null);
    expect((await get(`/v1/subscriptions/${subId}`)).body).toEqual(canceled);
  });
});
