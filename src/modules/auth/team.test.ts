import type { FastifyRequest } from 'fastify';
import {
  sql,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { call, createTestAccount, startTestServer, type ApiResponse, type TestAccount, type TestServer } from '../../../test/helpers/server.ts';
import { startServerProcess, type ServerProcess } from '../../../test/helpers/server-process.ts';
import {
  acceptInvitation,
  asUser,
  invite,
  join,
  login,
  TEAM_PASSWORD,
  uniqueEmail,
  type Session,
} from '../../../test/helpers/session.ts';
import { Authenticator } from '../../server/auth.ts';
import { createApiKey } from './api-keys.ts';

let server: TestServer;
let account: TestAccount;
let owner: Session;
let admin: Session;

beforeAll(async () => {
  server = await startTestServer();
  account = await createTestAccount(server.database);
  owner = await login(server.baseUrl, account.ownerEmail, account.ownerPassword);
  admin = await join(server.baseUrl, owner, 'admin');
});
afterAll(async () => server.close());

interface ErrorBody {
  error: { type: string; code?: string; message: string; param?: string };
}
interface ApiKeyBody {
  id: string;
  object: 'api_key';
  type: string;
  redacted: string;
  created_by: string | { id: string; object: string; email: string } | null;
  revoked: boolean;
  livemode: boolean;
  secret?: string;
}
interface UserBody {
  id: string;
  role: string;
  status: string;
}

const errorOf = (response: ApiResponse<unknown>) => (response.body as ErrorBody).error;
const as = <T = Record<string, unknown>>(user: Session, method: string, path: string, form?: string) =>
  asUser<T>(server.baseUrl, user, method, path, form === undefined ? {} : { form });
const withKey = (key: string, method: string, path: string, form?: string) =>
  call(server.baseUrl, method, path, { key, ...(form === undefined ? {} : { form }) });

async function newKey(user: Session, form = 'name=test'): Promise<ApiKeyBody & { secret: string }> {
  const response = await as<ApiKeyBody>(user, 'POST', '/v1/api_keys', form);
  expect(response.status).toBe(200);
  const { secret } = response.body;
  if (!secret) throw new Error('a new key must carry its secret');
  return { ...response.body, secret };
}

/** Polls until the call answers `wanted` or the time is up; returns the last status. */
async function pollStatus(send: () => Promise<ApiResponse<unknown>>, wanted: number, withinMs = 2000): Promise<number> {
  const deadline = Date.now() + withinMs;
  let status = (await send()).status;
  while (status !== wanted && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    status = (await send()).status;
  }
  return status;
}

// The server process's connections carry this application name (test/helpers/server-child.ts).
const CHILD_APP = 'recur-test-child';
const LISTEN_QUERY = 'LISTEN recur_api_keys';

/** Whether the server process has a connection listening for key revocations, polled for up to 5 s. */
async function pollListening(withinMs = 5000): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const rows = await sql<{ pid: number }>`
      SELECT pid FROM pg_stat_activity
      WHERE datname = current_database() AND application_name = ${CHILD_APP} AND query = ${LISTEN_QUERY}`.execute(server.database.db);
    if (rows.rows.length > 0) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Every team route, with a body that would succeed for an owner. */
const teamCalls = (): Array<[method: string, path: string, form?: string]> => [
  ['GET', '/v1/api_keys'],
  ['POST', '/v1/api_keys', 'name=x'],
  ['POST', '/v1/api_keys/key_doesnotexist/revoke'],
  ['GET', '/v1/users'],
  ['POST', '/v1/users', new URLSearchParams({ email: uniqueEmail('x'), role: 'support' }).toString()],
  ['POST', `/v1/users/${owner.userId}`, 'name=Renamed'],
  ['GET', '/v1/audit_log'],
];

describe('roles', () => {
  it('lets owners and admins write and manage the team and keys', async () => {
    for (const user of [owner, admin]) {
      expect((await as(user, 'POST', '/v1/customers', 'name=Team+write')).status).toBe(200);
      expect((await as(user, 'GET', '/v1/api_keys')).status).toBe(200);
      const key = await newKey(user);
      expect((await as(user, 'POST', `/v1/api_keys/${key.id}/revoke`)).status).toBe(200);
      expect((await as(user, 'GET', '/v1/users')).status).toBe(200);
      expect((await as(user, 'GET', '/v1/audit_log')).status).toBe(200);
      const invited = await invite(server.baseUrl, user, 'support');
      expect((await as<UserBody>(user, 'POST', `/v1/users/${invited.id}`, 'role=admin')).body.role).toBe('admin');
    }
  });

  it('keeps support users read-only: invited, joined, signed in, then 403 on writes and team routes', async () => {
    const invited = await invite(server.baseUrl, owner, 'support');
    const accepted = await acceptInvitation(server.baseUrl, invited.token);
    expect(accepted.status).toBe(200);
    expect(accepted.body.user).toMatchObject({ id: invited.id, role: 'support', status: 'active' });
    const support = await login(server.baseUrl, invited.email, TEAM_PASSWORD);

    expect((await as(support, 'GET', '/v1/customers')).status).toBe(200);
    expect((await as(support, 'GET', '/v1/events')).status).toBe(200);

    const write = await as(support, 'POST', '/v1/customers', 'name=Nope');
    expect(write.status).toBe(403);
    expect(errorOf(write)).toMatchObject({ type: 'permission_error', code: 'permission_denied' });
    for (const [method, path, form] of teamCalls()) {
      const response = await as(support, method, path, form);
      expect(response.status, `${method} ${path}`).toBe(403);
      expect(errorOf(response).type, `${method} ${path}`).toBe('permission_error');
    }
  });

  it('refuses team routes to secret keys, and everything to publishable keys', async () => {
    expect((await withKey(account.secretKey, 'POST', '/v1/customers', 'name=Key+write')).status).toBe(200);
    for (const [method, path, form] of teamCalls()) {
      const response = await withKey(account.secretKey, method, path, form);
      expect(response.status, `${method} ${path}`).toBe(403);
      expect(errorOf(response).type, `${method} ${path}`).toBe('permission_error');
    }
    for (const [method, path] of [
      ['GET', '/v1/customers'],
      ['POST', '/v1/customers'],
      ['GET', '/v1/api_keys'],
    ] as const) {
      expect((await withKey(account.publishableKey, method, path)).status, `${method} ${path}`).toBe(403);
    }
  });

  it('lets only an owner grant the owner role or change an owner', async () => {
    const grant = await as(admin, 'POST', '/v1/users', new URLSearchParams({ email: uniqueEmail('owner'), role: 'owner' }).toString());
    expect(grant.status).toBe(403);
    expect(errorOf(grant).type).toBe('permission_error');
    expect((await as(admin, 'POST', `/v1/users/${admin.userId}`, 'role=owner')).status).toBe(403);
    for (const form of ['name=Demoted', 'role=support', 'disabled=true']) {
      expect((await as(admin, 'POST', `/v1/users/${owner.userId}`, form)).status, form).toBe(403);
    }
    const ownerRow = await server.database.db.selectFrom('users').selectAll().where('id', '=', owner.userId).executeTakeFirstOrThrow();
    expect(ownerRow).toMatchObject({ role: 'owner', name: null, disabled_at: null });

    // An owner may: promote an admin to owner and back.
    const other = await invite(server.baseUrl, owner, 'admin');
    expect((await as<UserBody>(owner, 'POST', `/v1/users/${other.id}`, 'role=owner')).body.role).toBe('owner');
    expect((await as<UserBody>(owner, 'POST', `/v1/users/${other.id}`, 'role=admin')).body.role).toBe('admin');
  });
});

describe('the last active owner', () => {
  it('cannot be demoted or disabled, not even while another owner is only invited', async () => {
    const fresh = await createTestAccount(server.database);
    const soleOwner = await login(server.baseUrl, fresh.ownerEmail, fresh.ownerPassword);
    for (const form of ['role=admin', 'disabled=true']) {
      const response = await as(soleOwner, 'POST', `/v1/users/${soleOwner.userId}`, form);
      expect(response.status, form).toBe(400);
      expect(errorOf(response).code, form).toBe('last_owner');
    }

    // An invitation nobody has accepted (and that may expire) is not an active owner.
    const pending = await invite(server.baseUrl, soleOwner, 'owner');
    const whilePending = await as(soleOwner, 'POST', `/v1/users/${soleOwner.userId}`, 'role=admin');
    expect(whilePending.status).toBe(400);
    expect(errorOf(whilePending).code).toBe('last_owner');

    // Once the second owner has joined, the first may step down.
    expect((await acceptInvitation(server.baseUrl, pending.token)).status).toBe(200);
    expect((await as<UserBody>(soleOwner, 'POST', `/v1/users/${soleOwner.userId}`, 'role=admin')).body.role).toBe('admin');
  });
});

describe('invitations', () => {
  it('are single-use', async () => {
    const invited = await invite(server.baseUrl, owner, 'support');
    expect((await acceptInvitation(server.baseUrl, invited.token)).status).toBe(200);
    const again = await acceptInvitation(server.baseUrl, invited.token, 'another long password');
    expect(again.status).toBe(400);
    expect(errorOf(again)).toMatchObject({ code: 'invitation_invalid', param: 'token' });
    // The first password still signs in; the second never took effect.
    expect((await call(server.baseUrl, 'POST', '/auth/login', { json: { email: invited.email, password: TEAM_PASSWORD } })).status).toBe(200);
  });

  it('are single-use under concurrent acceptance too', async () => {
    const invited = await invite(server.baseUrl, owner, 'support');
    const results = await Promise.all([
      acceptInvitation(server.baseUrl, invited.token, 'first long password'),
      acceptInvitation(server.baseUrl, invited.token, 'second long password'),
      acceptInvitation(server.baseUrl, invited.token, 'third long password'),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 400, 400]);
  });

  it('expire', async () => {
    const invited = await invite(server.baseUrl, owner, 'support');
    await server.database.db
      .updateTable('users')
      .set({ invite_expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', invited.id)
      .execute();
    const expired = await acceptInvitation(server.baseUrl, invited.token);
    expect(expired.status).toBe(400);
    expect(errorOf(expired)).toMatchObject({ code: 'invitation_invalid', param: 'token' });
  });

  it('refuse a password shorter than 10 characters, and stay usable', async () => {
    const invited = await invite(server.baseUrl, owner, 'support');
    const short = await acceptInvitation(server.baseUrl, invited.token, '123456789');
    expect(short.status).toBe(400);
    expect(errorOf(short)).toMatchObject({ type: 'invalid_request_error', param: 'password' });
    expect((await acceptInvitation(server.baseUrl, invited.token, '1234567890')).status).toBe(200);
  });

  it('refuse an email that is already a user, in any letter case', async () => {
    for (const email of [admin.email, account.ownerEmail.toUpperCase()]) {
      const response = await as(owner, 'POST', '/v1/users', new URLSearchParams({ email, role: 'support' }).toString());
      expect(response.status, email).toBe(400);
      expect(errorOf(response)).toMatchObject({ type: 'invalid_request_error', param: 'email' });
    }
  });
});

describe('API keys made in the dashboard', () => {
  it('show the key in full once, never in the list', async () => {
    const key = await newKey(owner, 'name=Deploy');
    expect(key.secret).toMatch(/^sk_test_[0-9A-Za-z]{40}$/);
    expect(key).toMatchObject({ object: 'api_key', type: 'secret', livemode: false, created_by: owner.userId, revoked: false });
    expect(key.redacted).toBe(`${key.secret.slice(0, 8)}…${key.secret.slice(-4)}`);
    expect((await withKey(key.secret, 'GET', '/v1/customers')).status).toBe(200);

    const listed = await as<{ data: ApiKeyBody[] }>(owner, 'GET', '/v1/api_keys');
    expect(listed.body.data.map((k) => k.id)).toContain(key.id);
    for (const item of listed.body.data) expect(item).not.toHaveProperty('secret');
    expect(JSON.stringify(listed.body)).not.toContain(key.secret);

    const live = await asUser<ApiKeyBody>(server.baseUrl, owner, 'POST', '/v1/api_keys', { form: 'type=publishable', workspace: 'live' });
    expect(live.body).toMatchObject({ type: 'publishable', livemode: true });
    expect(live.body.secret).toMatch(/^pk_live_/);
  });

  it('expand created_by to the user, and leave a key made without one (CLI) at null', async () => {
    const created = await as<ApiKeyBody>(owner, 'POST', '/v1/api_keys', 'expand[]=created_by');
    expect(created.body.created_by).toMatchObject({ id: owner.userId, object: 'user', email: account.ownerEmail });
    const cli = await createApiKey(server.database.db, account.sandbox, { type: 'secret', name: 'cli' });

    const listed = await as<{ data: ApiKeyBody[] }>(owner, 'GET', '/v1/api_keys?expand[]=data.created_by');
    expect(listed.status).toBe(200);
    expect(listed.body.data.find((k) => k.id === created.body.id)?.created_by).toMatchObject({ id: owner.userId, object: 'user' });
    const cliKey = listed.body.data.find((k) => k.id === cli.row.id);
    expect(cliKey).toBeDefined();
    expect(cliKey?.created_by).toBeNull();
  });
});

describe('revoking a key', () => {
  it('makes the very next request with it fail in this process', async () => {
    const key = await newKey(owner);
    expect((await withKey(key.secret, 'GET', '/v1/customers')).status).toBe(200); // now cached
    const revoked = await as<ApiKeyBody>(owner, 'POST', `/v1/api_keys/${key.id}/revoke`);
    expect(revoked.body.revoked).toBe(true);
    const next = await withKey(key.secret, 'GET', '/v1/customers');
    expect(next.status).toBe(401);
    expect(errorOf(next)).toMatchObject({ type: 'authentication_error', code: 'api_key_invalid' });
  });

  describe('in another process', () => {
    let other: ServerProcess;
    beforeAll(async () => {
      other = await startServerProcess(inject('databaseUrl'));
    });
    afterAll(async () => other.close());

    it('drops its cached copy within a second (NOTIFY)', async () => {
      const key = await newKey(owner);
      const onOther = () => call(other.baseUrl, 'GET', '/v1/customers', { key: key.secret });
      expect((await onOther()).status).toBe(200); // the other process caches it for 30 s
      expect((await onOther()).status).toBe(200);

      expect((await as(owner, 'POST', `/v1/api_keys/${key.id}/revoke`)).status).toBe(200);
      expect(await pollStatus(onOther, 401), 'the other process still accepts the revoked key after 2 s').toBe(401);
    });

    it('still hears revocations after its listening connection was cut (database restart, failover)', async () => {
      const key = await newKey(owner);
      const onOther = () => call(other.baseUrl, 'GET', '/v1/customers', { key: key.secret });
      expect((await onOther()).status).toBe(200);

      const cut = await sql<{ pid: number }>`
        SELECT pg_terminate_backend(pid), pid FROM pg_stat_activity
        WHERE datname = current_database() AND application_name = ${CHILD_APP} AND query = ${LISTEN_QUERY}`.execute(server.database.db);
      expect(cut.rows).toHaveLength(1);

      expect((await as(owner, 'POST', `/v1/api_keys/${key.id}/revoke`)).status).toBe(200);
      expect(await pollStatus(onOther, 401), 'the other process still accepts the revoked key after 2 s').toBe(401);

      // It listens again, and a revocation after that reaches it as before.
      expect(await pollListening(), 'the other process did not listen again within 5 s').toBe(true);
      const next = await newKey(owner);
      const nextOnOther = () => call(other.baseUrl, 'GET', '/v1/customers', { key: next.secret });
      expect((await nextOnOther()).status).toBe(200);
      expect((await as(owner, 'POST', `/v1/api_keys/${next.id}/revoke`)).status).toBe(200);
      expect(await pollStatus(nextOnOther, 401)).toBe(401);
    });
  });

  it('is not undone by a lookup that read the key just before the revocation', async () => {
    const key = await newKey(owner);
    const gate = new ResultGate();
    const authenticator = new Authenticator(server.database.db.withPlugin(gate), pino({ level: 'silent' }));
    await authenticator.listen(server.database.pool); // it caches only while it hears revocations
    try {
      const request = { headers: { authorization: `Bearer ${key.secret}` }, cookies: {} } as unknown as FastifyRequest;
      const release = gate.hold();
      const inFlight = authenticator.authenticate(request);
      await gate.reached; // the lookup has read the key, still valid, and not yet cached it
      expect((await as(owner, 'POST', `/v1/api_keys/${key.id}/revoke`)).status).toBe(200);
      release();
      await inFlight.catch(() => undefined); // began before the revocation: either answer is fine

      await expect(authenticator.authenticate(request)).rejects.toMatchObject({ status: 401, code: 'api_key_invalid' });
    } finally {
      await authenticator.close();
    }
  });
});

/** Holds the result of the next query until released: a way to pause a lookup between reading and using what it read. */
class ResultGate implements KyselyPlugin {
  reached: Promise<void> = Promise.resolve();
  private pending: { arrived: () => void; released: Promise<void> } | null = null;

  hold(): () => void {
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let arrived = () => {};
    this.reached = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    this.pending = { arrived, released };
    return release;
  }

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const pending = this.pending;
    this.pending = null;
    if (pending) {
      pending.arrived();
      await pending.released;
    }
    return args.result;
  }
}
