import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestAccount, type ApiResponse, type TestAccount, type TestServer } from '../../../test/helpers/server.ts';
import { asUser, join, login, sessionCookie, TEAM_PASSWORD, tryLogin, type Session, startWithOwner } from '../../../test/helpers/session.ts';

let server: TestServer;
let account: TestAccount;
let owner: Session;

beforeAll(async () => ({ server, account, owner } = await startWithOwner()));
afterAll(async () => server.close());

interface ErrorBody {
  error: { type: string; code?: string; message: string; param?: string };
}
interface CustomerBody {
  id: string;
  livemode: boolean;
}

const errorOf = (response: ApiResponse<unknown>) => (response.body as ErrorBody).error;
const session = (cookie: string) => call(server.baseUrl, 'GET', '/auth/session', { headers: { cookie } });
const createCustomer = (as: Session, options: { csrf?: boolean; workspace?: string } = {}) =>
  asUser<CustomerBody>(server.baseUrl, as, 'POST', '/v1/customers', { form: 'name=Cookie+Customer', ...options });

describe('sign-in', () => {
  it('signs in with the right password and sets an HttpOnly, SameSite=Strict session cookie', async () => {
    const response = await tryLogin(server.baseUrl, account.ownerEmail.toUpperCase(), account.ownerPassword);
    expect(response.status).toBe(200);
    expect(response.body.user).toMatchObject({ email: account.ownerEmail, role: 'owner', status: 'active' });
    expect(response.body.csrf_token).toMatch(/^[0-9A-Za-z]{20,}$/);
    expect(response.body.workspaces.map((w) => [w.id, w.livemode]).sort()).toEqual(
      [
        [account.sandbox.id, false],
        [account.live.id, true],
      ].sort(),
    );
    const setCookie = response.headers.getSetCookie().find((c) => c.startsWith('recur_session='));
    expect(setCookie).toBeDefined();
    const attributes = (setCookie ?? '').split(';').map((a) => a.trim().toLowerCase());
    expect(attributes).toContain('httponly');
    expect(attributes).toContain('samesite=strict');
    expect(attributes).toContain('path=/');
  });

  it('rejects a wrong password and an unknown email with the same 401 login_failed', async () => {
    const wrong = await tryLogin(server.baseUrl, account.ownerEmail, 'not the password at all');
    const unknown = await tryLogin(server.baseUrl, 'nobody-here@example.com', 'not the password at all');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(errorOf(wrong)).toEqual({ type: 'authentication_error', code: 'login_failed', message: 'Incorrect email or password.', param: 'password' });
    expect(errorOf(unknown)).toEqual(errorOf(wrong));
    expect(sessionCookie(wrong)).toBeNull();
    expect(sessionCookie(unknown)).toBeNull();
  });
});

describe('/auth/session and logout', () => {
  it('answers 401 session_missing without a cookie and the user with one', async () => {
    const without = await call(server.baseUrl, 'GET', '/auth/session');
    expect(without.status).toBe(401);
    expect(errorOf(without).code).toBe('session_missing');

    const withCookie = await session(owner.cookie);
    expect(withCookie.status).toBe(200);
    expect(withCookie.body).toMatchObject({ user: { id: owner.userId, email: account.ownerEmail }, csrf_token: owner.csrf });
  });

  it('needs the CSRF header to log out, then ends the session', async () => {
    const mine = await login(server.baseUrl, account.ownerEmail, account.ownerPassword);

    const noCsrf = await call(server.baseUrl, 'POST', '/auth/logout', { headers: { cookie: mine.cookie } });
    expect(noCsrf.status).toBe(403);
    expect(errorOf(noCsrf).code).toBe('csrf_token_invalid');
    expect((await session(mine.cookie)).status).toBe(200);

    const out = await call(server.baseUrl, 'POST', '/auth/logout', { headers: { cookie: mine.cookie, 'x-csrf-token': mine.csrf } });
    expect(out.status).toBe(200);
    expect(out.body).toEqual({ signed_out: true });
    expect(out.headers.getSetCookie().some((c) => /^recur_session=;/.test(c))).toBe(true);

    expect((await session(mine.cookie)).status).toBe(401);
    const api = await asUser(server.baseUrl, mine, 'GET', '/v1/customers');
    expect(api.status).toBe(401);
    expect(errorOf(api).code).toBe('session_expired');
    // The owner's other session is untouched.
    expect((await session(owner.cookie)).status).toBe(200);
  });
});

describe('cookie-authenticated API calls', () => {
  it('refuses writes without the session CSRF token and accepts them with it', async () => {
    const missing = await createCustomer(owner, { csrf: false });
    expect(missing.status).toBe(403);
    expect(errorOf(missing)).toMatchObject({ type: 'permission_error', code: 'csrf_token_invalid' });

    const wrong = await asUser(server.baseUrl, owner, 'POST', '/v1/customers', {
      form: 'name=x',
      csrf: false,
      headers: { 'x-csrf-token': `${owner.csrf}x` },
    });
    expect(wrong.status).toBe(403);
    expect(errorOf(wrong).code).toBe('csrf_token_invalid');

    const ok = await createCustomer(owner);
    expect(ok.status).toBe(200);
    expect(ok.body.id).toMatch(/^cus_/);

    const deleteWithout = await asUser(server.baseUrl, owner, 'DELETE', `/v1/customers/${ok.body.id}`, { csrf: false });
    expect(deleteWithout.status).toBe(403);
    expect(errorOf(deleteWithout).code).toBe('csrf_token_invalid');
  });

  it('needs no CSRF token for GETs', async () => {
    const list = await asUser(server.baseUrl, owner, 'GET', '/v1/customers', { csrf: false });
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ object: 'list' });
  });

  it('switches between sandbox and live with the Recur-Workspace header', async () => {
    const inSandbox = await createCustomer(owner, { workspace: 'sandbox' });
    expect(inSandbox.status).toBe(200);
    expect(inSandbox.body.livemode).toBe(false);
    const id = inSandbox.body.id;

    expect((await asUser(server.baseUrl, owner, 'GET', `/v1/customers/${id}`)).status).toBe(200);
    expect((await asUser(server.baseUrl, owner, 'GET', `/v1/customers/${id}`, { workspace: 'live' })).status).toBe(404);
    const liveList = await asUser<{ data: CustomerBody[] }>(server.baseUrl, owner, 'GET', '/v1/customers?limit=100', { workspace: 'live' });
    expect(liveList.body.data.map((c) => c.id)).not.toContain(id);

    // By workspace id as well as by mode.
    const inLive = await createCustomer(owner, { workspace: account.live.id });
    expect(inLive.status).toBe(200);
    expect(inLive.body.livemode).toBe(true);
    expect((await asUser<CustomerBody>(server.baseUrl, owner, 'GET', `/v1/customers/${inLive.body.id}`, { workspace: 'live' })).body.livemode).toBe(true);
    expect((await asUser(server.baseUrl, owner, 'GET', `/v1/customers/${inLive.body.id}`, { workspace: 'sandbox' })).status).toBe(404);
    // The live secret key sees the one made in live through the dashboard.
    expect((await call(server.baseUrl, 'GET', `/v1/customers/${inLive.body.id}`, { key: account.liveSecretKey })).status).toBe(200);
  });

  it("answers 400 for an unknown workspace, including another account's", async () => {
    const other = await createTestAccount(server.database);
    for (const workspace of ['staging', 'ws_doesnotexist', other.sandbox.id]) {
      const response = await asUser(server.baseUrl, owner, 'GET', '/v1/customers', { workspace });
      expect(response.status, workspace).toBe(400);
      expect(errorOf(response)).toMatchObject({ type: 'invalid_request_error', param: 'recur-workspace' });
    }
  });
});

describe('login throttling', () => {
  it('answers 429 after 10 failures for an email and IP, even with the right password', async () => {
    const target = await createTestAccount(server.database);
    for (let i = 0; i < 10; i++) {
      const failed = await tryLogin(server.baseUrl, target.ownerEmail, `wrong password ${i}`);
      expect(failed.status, `attempt ${i + 1}`).toBe(401);
    }
    const blocked = await tryLogin(server.baseUrl, target.ownerEmail, target.ownerPassword);
    expect(blocked.status).toBe(429);
    expect(errorOf(blocked).type).toBe('rate_limit_error');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(sessionCookie(blocked)).toBeNull();

    // Another email from the same IP is not affected.
    expect((await tryLogin(server.baseUrl, account.ownerEmail, account.ownerPassword)).status).toBe(200);
  });

  it('counts parallel guesses too: at most 10 of 20 simultaneous attempts are checked', async () => {
    const target = await createTestAccount(server.database);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => tryLogin(server.baseUrl, target.ownerEmail, `guess ${i}`)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10);
    expect((await tryLogin(server.baseUrl, target.ownerEmail, target.ownerPassword)).status).toBe(429);
  });
});

describe('disabled users', () => {
  it('cannot sign in, and their open sessions end', async () => {
    const admin = await join(server.baseUrl, owner, 'admin');
    expect((await session(admin.cookie)).status).toBe(200);

    const disabled = await asUser(server.baseUrl, owner, 'POST', `/v1/users/${admin.userId}`, { form: 'disabled=true' });
    expect(disabled.status).toBe(200);
    expect(disabled.body).toMatchObject({ id: admin.userId, status: 'disabled' });

    expect((await session(admin.cookie)).status).toBe(401);
    expect((await asUser(server.baseUrl, admin, 'GET', '/v1/customers')).status).toBe(401);
    const sessions = await server.database.db.selectFrom('sessions').select('token_hash').where('user_id', '=', admin.userId).execute();
    expect(sessions).toEqual([]);

    const again = await tryLogin(server.baseUrl, admin.email, TEAM_PASSWORD);
    expect(again.status).toBe(401);
    expect(errorOf(again).code).toBe('login_failed');

    // Enabled again, the same password works.
    expect((await asUser(server.baseUrl, owner, 'POST', `/v1/users/${admin.userId}`, { form: 'disabled=false' })).status).toBe(200);
    expect((await tryLogin(server.baseUrl, admin.email, TEAM_PASSWORD)).status).toBe(200);
  });
});
