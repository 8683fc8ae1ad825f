import { randomBase62 } from '../../src/lib/ids.ts';
import { call, createTestAccount, startTestServer, type ApiResponse, type TestAccount, type TestServer } from './server.ts';

/** A dashboard sign-in: the session cookie and the CSRF token that writes must echo. */
export interface Session {
  cookie: string;
  csrf: string;
  userId: string;
  email: string;
}

export interface SessionBody {
  user: { id: string; email: string; role: string; status: string };
  csrf_token: string;
  workspaces: Array<{ id: string; mode: string; livemode: boolean }>;
}

export const TEAM_PASSWORD = 'a long enough password';

export function uniqueEmail(prefix: string): string {
  return `${prefix}-${randomBase62(10).toLowerCase()}@example.com`;
}

/** The `recur_session=…` pair from a response's Set-Cookie headers, or null. */
export function sessionCookie(response: ApiResponse<unknown>): string | null {
  const header = response.headers.getSetCookie().find((c) => c.startsWith('recur_session='));
  return header ? (header.split(';')[0] ?? null) : null;
}

function sessionFrom(response: ApiResponse<SessionBody>): Session {
  const cookie = sessionCookie(response);
  if (response.status !== 200 || !cookie) throw new Error(`sign-in failed: ${response.status} ${JSON.stringify(response.body)}`);
  return { cookie, csrf: response.body.csrf_token, userId: response.body.user.id, email: response.body.user.email };
}

export function tryLogin(baseUrl: string, email: string, password: string): Promise<ApiResponse<SessionBody>> {
  return call<SessionBody>(baseUrl, 'POST', '/auth/login', { json: { email, password } });
}

export async function login(baseUrl: string, email: string, password: string): Promise<Session> {
  return sessionFrom(await tryLogin(baseUrl, email, password));
}

export interface AsUserOptions {
  form?: string;
  /** Send the session's CSRF token (default true). */
  csrf?: boolean;
  workspace?: string;
  headers?: Record<string, string>;
}

/** An HTTP call authenticated with the session cookie, as the dashboard makes it. */
export function asUser<T = Record<string, unknown>>(
  baseUrl: string,
  session: Session,
  method: string,
  path: string,
  options: AsUserOptions = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { cookie: session.cookie, ...options.headers };
  if (options.csrf !== false) headers['x-csrf-token'] = session.csrf;
  if (options.workspace !== undefined) headers['recur-workspace'] = options.workspace;
  return call<T>(baseUrl, method, path, { headers, ...(options.form !== undefined ? { form: options.form } : {}) });
}

export interface InvitedUser {
  id: string;
  email: string;
  token: string;
}

/** Invites a team member through POST /v1/users and returns the one-time token from invite_url. */
export async function invite(baseUrl: string, inviter: Session, role: string, email = uniqueEmail(role)): Promise<InvitedUser> {
  const response = await asUser<{ id: string; email: string; invite_url: string }>(baseUrl, inviter, 'POST', '/v1/users', {
    form: new URLSearchParams({ email, role }).toString(),
  });
  if (response.status !== 200) throw new Error(`invite failed: ${response.status} ${JSON.stringify(response.body)}`);
  const token = response.body.invite_url.split('/').pop() ?? '';
  return { id: response.body.id, email: response.body.email, token };
}

export function acceptInvitation(baseUrl: string, token: string, password = TEAM_PASSWORD): Promise<ApiResponse<SessionBody>> {
  return call<SessionBody>(baseUrl, 'POST', '/auth/invitations/accept', { json: { token, password } });
}

/** Invites, accepts (which signs in) and returns the new member's session. */
export async function join(baseUrl: string, inviter: Session, role: string): Promise<Session> {
  const invited = await invite(baseUrl, inviter, role);
  return sessionFrom(await acceptInvitation(baseUrl, invited.token));
}

/** A test server, a fresh account and its owner signed in: the setup most team tests share. */
export async function startWithOwner(): Promise<{ server: TestServer; account: TestAccount; owner: Session }> {
  const server = await startTestServer();
  const account = await createTestAccount(server.database);
  return { server, account, owner: await login(server.baseUrl, account.ownerEmail, account.ownerPassword) };
}
