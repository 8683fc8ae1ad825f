import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestAccount, type ApiResponse, type TestAccount, type TestServer } from '../../../test/helpers/server.ts';
import { acceptInvitation, asUser, invite, login, TEAM_PASSWORD, tryLogin, uniqueEmail, type Session, startWithOwner } from '../../../test/helpers/session.ts';

let server: TestServer;
let account: TestAccount;
let owner: Session;

beforeAll(async () => ({ server, account, owner } = await startWithOwner()));
afterAll(async () => server.close());

interface AuditEntryBody {
  id: string;
  action: string;
  actor: { type: string; id: string | null; label: string | null };
  workspace: string | null;
  object_id: string | null;
  request: { id: string | null; method: string | null; path: string | null; ip: string | null };
}
interface AuditList {
  data: AuditEntryBody[];
  has_more: boolean;
}

const requestIdOf = (response: ApiResponse<unknown>): string => {
  const id = response.headers.get('request-id');
  if (!id) throw new Error('response without a request-id header');
  return id;
};
const redacted = (secret: string) => `${secret.slice(0, 8)}…${secret.slice(-4)}`;
const form = (params: Record<string, string>) => new URLSearchParams(params).toString();

/** The stored audit rows written by the request that produced this response. */
function rowsFor(response: ApiResponse<unknown>) {
  return server.database.db.selectFrom('audit_log').selectAll().where('request_id', '=', requestIdOf(response)).execute();
}

/** Asserts the request succeeded and wrote exactly one audit row, and returns it. */
async function onlyEntry(response: ApiResponse<unknown>) {
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  const rows = await rowsFor(response);
  expect(rows).toHaveLength(1);
  const row = rows[0];
  if (!row) throw new Error('unreachable');
  expect(row).toMatchObject({ account_id: account.accountId, ip: '127.0.0.1', status_code: 200, request_id: requestIdOf(response) });
  return row;
}

const auditList = (query: string) => asUser<AuditList>(server.baseUrl, owner, 'GET', `/v1/audit_log?${query}`);

describe('audit entries for writes', () => {
  it('records one entry per successful write, naming the key or the user', async () => {
    const keyActor = { actor_type: 'api_key', actor_label: redacted(account.secretKey) };
    const userActor = { actor_type: 'user', actor_id: owner.userId, actor_label: account.ownerEmail };

    const created = await call<{ id: string }>(server.baseUrl, 'POST', '/v1/customers', { key: account.secretKey, form: 'name=Audited' });
    const customer = created.body.id;
    const createdRow = await onlyEntry(created);
    expect(createdRow).toMatchObject({
      ...keyActor,
      action: 'customer.created',
      object_id: customer,
      method: 'POST',
      path: '/v1/customers',
      workspace_id: account.sandbox.id,
    });
    expect(createdRow.actor_id).toMatch(/^key_/);

    const updated = await asUser(server.baseUrl, owner, 'POST', `/v1/customers/${customer}`, { form: 'name=Audited+Again' });
    expect(await onlyEntry(updated)).toMatchObject({
      ...userActor,
      action: 'customer.updated',
      object_id: customer,
      method: 'POST',
      path: `/v1/customers/${customer}`,
      workspace_id: account.sandbox.id,
    });

    const deleted = await call(server.baseUrl, 'DELETE', `/v1/customers/${customer}`, { key: account.secretKey });
    expect(await onlyEntry(deleted)).toMatchObject({ ...keyActor, action: 'customer.deleted', object_id: customer, method: 'DELETE' });

    const inLive = await asUser<{ id: string }>(server.baseUrl, owner, 'POST', '/v1/customers', { form: 'name=Live', workspace: 'live' });
    expect(await onlyEntry(inLive)).toMatchObject({ ...userActor, action: 'customer.created', object_id: inLive.body.id, workspace_id: account.live.id });
  });

  it('records team changes', async () => {
    // Keys belong to a workspace; team members to the account (so user.* entries' workspace is not asserted).
    const userActor = { actor_type: 'user', actor_id: owner.userId, actor_label: account.ownerEmail };
    const key = await asUser<{ id: string }>(server.baseUrl, owner, 'POST', '/v1/api_keys', { form: 'name=Audit', workspace: 'live' });
    expect(await onlyEntry(key)).toMatchObject({ ...userActor, action: 'api_key.created', object_id: key.body.id, path: '/v1/api_keys', workspace_id: account.live.id });

    const revoked = await asUser(server.baseUrl, owner, 'POST', `/v1/api_keys/${key.body.id}/revoke`, { workspace: 'live' });
    expect(await onlyEntry(revoked)).toMatchObject({
      ...userActor,
      action: 'api_key.revoked',
      object_id: key.body.id,
      path: `/v1/api_keys/${key.body.id}/revoke`,
      workspace_id: account.live.id,
    });

    const invited = await asUser<{ id: string }>(server.baseUrl, owner, 'POST', '/v1/users', { form: form({ email: uniqueEmail('audit'), role: 'support' }) });
    expect(await onlyEntry(invited)).toMatchObject({ ...userActor, action: 'user.invited', object_id: invited.body.id });

    const changed = await asUser(server.baseUrl, owner, 'POST', `/v1/users/${invited.body.id}`, { form: 'role=admin' });
    expect(await onlyEntry(changed)).toMatchObject({ ...userActor, action: 'user.updated', object_id: invited.body.id });
  });

  it('records nothing more when an idempotent request is replayed', async () => {
    const headers = { 'idempotency-key': `audit-replay-${Date.now()}` };
    const first = await call<{ id: string }>(server.baseUrl, 'POST', '/v1/customers', { key: account.secretKey, form: 'name=Once', headers });
    await onlyEntry(first);
    const replay = await call<{ id: string }>(server.baseUrl, 'POST', '/v1/customers', { key: account.secretKey, form: 'name=Once', headers });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body.id).toBe(first.body.id);
    expect(await rowsFor(replay)).toEqual([]);
    const forCustomer = await server.database.db.selectFrom('audit_log').select('id').where('object_id', '=', first.body.id).execute();
    expect(forCustomer).toHaveLength(1);
  });

  it('records nothing for failed writes', async () => {
    const before = await countFor(account.accountId);
    const idempotencyKey = `audit-mismatch-${Date.now()}`;
    await onlyEntry(
      await call(server.baseUrl, 'POST', '/v1/customers', { key: account.secretKey, form: 'name=A', headers: { 'idempotency-key': idempotencyKey } }),
    );
    const failures: Array<[number, ApiResponse<unknown>]> = [
      // Rejected inside the write's transaction, after the handler ran or while it ran.
      [400, await call(server.baseUrl, 'POST', '/v1/customers', { key: account.secretKey, form: 'name=B', headers: { 'idempotency-key': idempotencyKey } })],
      [400, await asUser(server.baseUrl, owner, 'POST', '/v1/users', { form: form({ email: account.ownerEmail, role: 'support' }) })],
      [400, await asUser(server.baseUrl, owner, 'POST', `/v1/users/${owner.userId}`, { form: 'role=admin' })],
      // Rejected before it.
      [400, await call(server.baseUrl, 'POST', '/v1/customers', { key: account.secretKey, form: 'nonsense=1' })],
      [404, await call(server.baseUrl, 'POST', '/v1/customers/cus_missing', { key: account.secretKey, form: 'name=C' })],
      [403, await asUser(server.baseUrl, owner, 'POST', '/v1/customers', { form: 'name=D', csrf: false })],
    ];
    for (const [status, response] of failures) {
      expect(response.status, JSON.stringify(response.body)).toBe(status);
      expect(await rowsFor(response)).toEqual([]);
    }
    expect(await countFor(account.accountId)).toBe(before + 1);
  });
});

describe('sign-in entries', () => {
  it('records user.signed_in for a login and user.joined for an accepted invitation', async () => {
    const response = await tryLogin(server.baseUrl, account.ownerEmail, account.ownerPassword);
    expect(await onlyEntry(response)).toMatchObject({
      action: 'user.signed_in',
      actor_type: 'user',
      actor_id: owner.userId,
      actor_label: account.ownerEmail,
      object_id: owner.userId,
      workspace_id: null,
      method: 'POST',
      path: '/auth/login',
    });

    const invited = await invite(server.baseUrl, owner, 'support');
    const joined = await acceptInvitation(server.baseUrl, invited.token);
    expect(await onlyEntry(joined)).toMatchObject({ action: 'user.joined', actor_id: invited.id, actor_label: invited.email, object_id: invited.id });

    const failed = await tryLogin(server.baseUrl, account.ownerEmail, 'wrong password!');
    expect(failed.status).toBe(401);
    expect(await rowsFor(failed)).toEqual([]);
  });
});

describe('GET /v1/audit_log', () => {
  it('filters by workspace, actor, action and object, within the account', async () => {
    const sandboxCustomer = await call<{ id: string }>(server.baseUrl, 'POST', '/v1/customers', { key: account.secretKey, form: 'name=F1' });
    const liveCustomer = await call<{ id: string }>(server.baseUrl, 'POST', '/v1/customers', { key: account.liveSecretKey, form: 'name=F2' });
    await asUser(server.baseUrl, owner, 'POST', `/v1/customers/${sandboxCustomer.body.id}`, { form: 'name=F1b' });
    const other = await createTestAccount(server.database);
    const foreign = await call<{ id: string }>(server.baseUrl, 'POST', '/v1/customers', { key: other.secretKey, form: 'name=Foreign' });

    const live = await auditList(`workspace=${account.live.id}&limit=100`);
    expect(live.status).toBe(200);
    expect(live.body.data.length).toBeGreaterThan(0);
    expect(live.body.data.every((e) => e.workspace === account.live.id)).toBe(true);
    expect(live.body.data.map((e) => e.object_id)).toContain(liveCustomer.body.id);
    expect(live.body.data.map((e) => e.object_id)).not.toContain(sandboxCustomer.body.id);

    const byUser = await auditList(`actor=${owner.userId}&limit=100`);
    expect(byUser.body.data.length).toBeGreaterThan(0);
    expect(byUser.body.data.every((e) => e.actor.id === owner.userId)).toBe(true);
    expect(byUser.body.data.map((e) => e.action)).toContain('customer.updated');

    const created = await auditList('action=customer.created&limit=100');
    expect(created.body.data.every((e) => e.action === 'customer.created')).toBe(true);
    expect(created.body.data.map((e) => e.object_id)).toEqual(expect.arrayContaining([sandboxCustomer.body.id, liveCustomer.body.id]));

    const forObject = await auditList(`object_id=${sandboxCustomer.body.id}`);
    expect(forObject.body.data.map((e) => e.action)).toEqual(['customer.updated', 'customer.created']);
    expect(forObject.body.data[1]).toMatchObject({
      actor: { type: 'api_key', label: redacted(account.secretKey) },
      workspace: account.sandbox.id,
      request: { id: requestIdOf(sandboxCustomer), method: 'POST', path: '/v1/customers', ip: '127.0.0.1' },
    });

    // Another account's entries never show, even asked for by object or workspace.
    expect((await auditList(`object_id=${foreign.body.id}`)).body.data).toEqual([]);
    expect((await auditList(`workspace=${other.sandbox.id}`)).body.data).toEqual([]);
  });

  it('pages with starting_after and ending_before, newest first', async () => {
    for (let i = 0; i < 5; i++) {
      await call(server.baseUrl, 'POST', '/v1/customers', { key: account.secretKey, form: `name=Page+${i}` });
    }
    const all = await auditList('action=customer.created&limit=100');
    const ids = all.body.data.map((e) => e.id);
    expect(ids.length).toBeGreaterThanOrEqual(5);
    expect([...ids].sort().reverse()).toEqual(ids);

    const paged: string[] = [];
    let cursor = '';
    for (let page = 0; page < 50; page++) {
      const response = await auditList(`action=customer.created&limit=2${cursor ? `&starting_after=${cursor}` : ''}`);
      expect(response.body.data.length).toBeLessThanOrEqual(2);
      paged.push(...response.body.data.map((e) => e.id));
      if (!response.body.has_more) break;
      cursor = response.body.data.at(-1)?.id ?? '';
    }
    expect(paged).toEqual(ids);

    const before = await auditList(`action=customer.created&limit=2&ending_before=${ids[3]}`);
    expect(before.body.data.map((e) => e.id)).toEqual([ids[1], ids[2]]);
    expect(before.body.has_more).toBe(true);
  });
});

describe('secrets', () => {
  it('never reach the audit log', async () => {
    const key = await asUser<{ secret: string }>(server.baseUrl, owner, 'POST', '/v1/api_keys', { form: 'name=Secretive' });
    const secret = key.body.secret;
    expect(secret).toMatch(/^sk_test_/);
    expect((await call(server.baseUrl, 'POST', '/v1/customers', { key: secret, form: 'name=With+new+key' })).status).toBe(200);
    const invited = await invite(server.baseUrl, owner, 'admin');
    expect((await acceptInvitation(server.baseUrl, invited.token, TEAM_PASSWORD)).status).toBe(200);
    await login(server.baseUrl, invited.email, TEAM_PASSWORD);
    await login(server.baseUrl, account.ownerEmail, account.ownerPassword);

    const rows = await sql<{ row: string }>`SELECT a::text AS row FROM audit_log a WHERE account_id = ${account.accountId}`.execute(server.database.db);
    const stored = rows.rows.map((r) => r.row);
    // The search covers the rows written for exactly these actions.
    expect(stored.some((r) => r.includes(redacted(secret)))).toBe(true);
    expect(stored.some((r) => r.includes('user.joined') && r.includes(invited.id))).toBe(true);
    for (const needle of [secret, account.secretKey, TEAM_PASSWORD, account.ownerPassword, invited.token, owner.cookie.split('=')[1] ?? owner.cookie, owner.csrf]) {
      expect(stored.filter((r) => r.includes(needle))).toEqual([]);
    }

    const listed = JSON.stringify((await auditList('limit=100')).body);
    for (const needle of [secret, TEAM_PASSWORD, account.ownerPassword, invited.token]) expect(listed).not.toContain(needle);
  });
});

async function countFor(accountId: string): Promise<number> {
  const row = await server.database.db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<bigint>().as('n'))
    .where('account_id', '=', accountId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
