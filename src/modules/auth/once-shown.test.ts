import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type TestAccount, type TestServer } from '../../../test/helpers/server.ts';
import { acceptInvitation, asUser, invite, join, login, tryLogin, TEAM_PASSWORD, type Session, startWithOwner } from '../../../test/helpers/session.ts';

/** Secrets shown once (keys, invitation links), re-invitations and changing one's own password. */
let server: TestServer;
let account: TestAccount;
let owner: Session;

beforeAll(async () => ({ server, account, owner } = await startWithOwner()));
afterAll(async () => server.close());

async function storedResponses(): Promise<string> {
  const rows = await sql<{ body: string }>`
    SELECT response_body AS body FROM idempotency_keys WHERE workspace_id = ${account.sandbox.id}`.execute(server.database.db);
  return rows.rows.map((r) => r.body).join('\n');
}

describe('secrets shown once', () => {
  it('a replayed key creation does not show the key again, and the key is not stored for replays', async () => {
    const headers = { 'idempotency-key': `key-create-${Date.now()}` };
    const first = await asUser<{ id: string; secret?: string }>(server.baseUrl, owner, 'POST', '/v1/api_keys', { form: 'name=once', headers });
    expect(first.body.secret).toMatch(/^sk_test_/);
    const replay = await asUser<{ id: string; secret?: string }>(server.baseUrl, owner, 'POST', '/v1/api_keys', { form: 'name=once', headers });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body.id).toBe(first.body.id);
    expect(replay.body).not.toHaveProperty('secret');
    expect(await storedResponses()).not.toContain(first.body.secret as string);
  });

  it('a replayed invitation does not show the link again, and the link is not stored', async () => {
    const headers = { 'idempotency-key': `invite-${Date.now()}` };
    const form = new URLSearchParams({ email: `replay-${Date.now()}@example.com`, role: 'support' }).toString();
    const first = await asUser<{ invite_url?: string }>(server.baseUrl, owner, 'POST', '/v1/users', { form, headers });
    const token = first.body.invite_url?.split('/').pop() as string;
    expect(token).toBeTruthy();
    const replay = await asUser<{ invite_url?: string }>(server.baseUrl, owner, 'POST', '/v1/users', { form, headers });
    expect(replay.body).not.toHaveProperty('invite_url');
    expect(await storedResponses()).not.toContain(token);
  });
});

describe('a new invitation link', () => {
  it('replaces the old one for someone who has not joined', async () => {
    const invited = await invite(server.baseUrl, owner, 'support');
    const again = await asUser<{ invite_url: string; invitation_expires_at: number }>(server.baseUrl, owner, 'POST', `/v1/users/${invited.id}/invitation`);
    expect(again.status).toBe(200);
    expect(again.body.invitation_expires_at).toBeGreaterThan(Date.now() / 1000 + 6 * 24 * 3600);
    expect((await acceptInvitation(server.baseUrl, invited.token)).status).toBe(400);
    expect((await acceptInvitation(server.baseUrl, again.body.invite_url.split('/').pop() as string)).status).toBe(200);
  });

  it('is refused for someone who has joined', async () => {
    const response = await asUser<{ error: { param: string; code: string } }>(server.baseUrl, owner, 'POST', `/v1/users/${owner.userId}/invitation`);
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ code: 'user_not_invited', param: 'id' });
  });
});

describe('changing your own password', () => {
  it('needs the current password and the CSRF token, ends your other sessions and keeps this one', async () => {
    const member = await join(server.baseUrl, owner, 'admin');
    const other = await login(server.baseUrl, member.email, TEAM_PASSWORD);
    const change = (current: string, next: string, csrf = true) =>
      asUser<{ error?: { param: string } }>(server.baseUrl, member, 'POST', '/auth/password', {
        csrf,
        headers: { 'content-type': 'application/json' },
        form: JSON.stringify({ current_password: current, new_password: next }),
      });

    expect((await change(TEAM_PASSWORD, 'a brand new password', false)).status).toBe(403);
    const wrong = await change('not the password', 'a brand new password');
    expect(wrong.status).toBe(400);
    expect(wrong.body.error?.param).toBe('current_password');
    const short = await change(TEAM_PASSWORD, 'short');
    expect(short.body.error?.param).toBe('new_password');

    expect((await change(TEAM_PASSWORD, 'a brand new password')).status).toBe(200);
    expect((await tryLogin(server.baseUrl, member.email, TEAM_PASSWORD)).status).toBe(401);
    expect((await tryLogin(server.baseUrl, member.email, 'a brand new password')).status).toBe(200);
    expect((await asUser(server.baseUrl, member, 'GET', '/v1/customers')).status).toBe(200);
    expect((await asUser(server.baseUrl, other, 'GET', '/v1/customers')).status).toBe(401);
    const audit = await call<{ data: Array<{ action: string }> }>(server.baseUrl, 'GET', `/v1/audit_log?object_id=${member.userId}&action=user.password_changed`, {
      headers: { cookie: owner.cookie },
    });
    expect(audit.body.data).toHaveLength(1);
  });

  it('limits wrong current-password guesses like sign-ins', async () => {
    const member = await join(server.baseUrl, owner, 'support');
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      const response = await asUser(server.baseUrl, member, 'POST', '/auth/password', {
        headers: { 'content-type': 'application/json' },
        form: JSON.stringify({ current_password: `guess ${i}`, new_password: 'whatever long enough' }),
      });
      statuses.push(response.status);
    }
    expect(statuses.slice(0, 10).every((s) => s === 400)).toBe(true);
    expect(statuses[10]).toBe(429);
  });

  it('lists account-wide audit entries with workspace=account', async () => {
    const entries = await asUser<{ data: Array<{ workspace: string | null; action: string }> }>(server.baseUrl, owner, 'GET', '/v1/audit_log?workspace=account&limit=100');
    expect(entries.body.data.length).toBeGreaterThan(0);
    expect(entries.body.data.every((e) => e.workspace === null)).toBe(true);
    expect(entries.body.data.map((e) => e.action)).toContain('user.password_changed');
  });
});
