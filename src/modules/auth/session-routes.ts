import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/database.ts';
import { ApiError, invalidRequest } from '../../lib/errors.ts';
import { parseParams, str } from '../../lib/params.ts';
import { tokenHash } from '../../lib/secrets.ts';
import { SESSION_COOKIE, WORKSPACE_HEADER } from '../../server/auth.ts';
import { readParams } from '../../server/input.ts';
import { recordAudit } from '../audit/service.ts';
import { listWorkspaces } from '../workspaces/service.ts';
import { GuessThrottle } from './throttle.ts';
import { createSession, deleteSession, findSession, SESSION_TTL_MS } from './sessions.ts';
import { acceptInvite, authenticate, changeOwnPassword, userObject } from './users.ts';

/**
 * Dashboard sign-in. The session lives in an HttpOnly, SameSite=Strict cookie; writes made
 * with it must echo the session's CSRF token in the X-CSRF-Token header.
 */

const loginParams = z.strictObject({ email: str(320), password: str(1000) });
const passwordParams = z.strictObject({ current_password: str(1000), new_password: str(1000) });
const acceptParams = z.strictObject({ token: str(200), password: str(1000), name: str(200).optional() });

export function mountSessionRoutes(app: FastifyInstance, db: Kysely<Database>, options: { secureCookies: boolean }): void {
  const guesses = new GuessThrottle();

  const setCookie = (reply: FastifyReply, token: string) =>
    reply.setCookie(SESSION_COOKIE, token, {
      path: '/',
      httpOnly: true,
      sameSite: 'strict',
      secure: options.secureCookies,
      maxAge: Math.floor(SESSION_TTL_MS / 1000),
    });

  async function sessionBody(accountId: string, userId: string, csrfToken: string) {
    const user = await db.selectFrom('users').selectAll().where('account_id', '=', accountId).where('id', '=', userId).executeTakeFirstOrThrow();
    return { user: userObject(user), csrf_token: csrfToken, workspaces: await listWorkspaces(db, accountId) };
  }

  async function startSession(
    request: FastifyRequest,
    reply: FastifyReply,
    user: { account_id: string; id: string; email: string },
    action: string,
  ) {
    const { account_id: accountId, id: userId } = user;
    const session = await db.transaction().execute(async (tx) => {
      const created = await createSession(tx, { accountId, userId, ip: request.ip, userAgent: request.headers['user-agent'] ?? null });
      await recordAudit(tx, {
        account_id: accountId,
        workspace_id: null,
        actor_type: 'user',
        actor_id: userId,
        actor_label: user.email,
        action,
        method: request.method,
        path: request.url,
        object_id: userId,
        status_code: 200,
        ip: request.ip,
        request_id: request.id,
      });
      return created;
    });
    setCookie(reply, session.token);
    return sessionBody(accountId, userId, session.csrfToken);
  }

  app.post('/auth/login', async (request, reply) => {
    const params = parseParams(loginParams, readParams(request));
    const throttleKey = `${params.email.toLowerCase()}|${request.ip}`;
    guesses.attempt(throttleKey);
    const user = await authenticate(db, params.email, params.password);
    if (!user) {
      throw new ApiError(401, 'authentication_error', 'Incorrect email or password.', { code: 'login_failed', param: 'password' });
    }
    guesses.succeeded(throttleKey);
    return startSession(request, reply, user, 'user.signed_in');
  });

  app.post('/auth/invitations/accept', async (request, reply) => {
    const params = parseParams(acceptParams, readParams(request));
    const user = await acceptInvite(db, params);
    return startSession(request, reply, user, 'user.joined');
  });

  app.get('/auth/session', async (request) => {
    const token = request.cookies[SESSION_COOKIE];
    const session = token ? await findSession(db, token) : null;
    if (!session) throw new ApiError(401, 'authentication_error', 'Not signed in.', { code: 'session_missing' });
    return sessionBody(session.accountId, session.userId, session.csrfToken);
  });

  app.post('/auth/password', async (request) => {
    const token = request.cookies[SESSION_COOKIE];
    const session = token ? await findSession(db, token) : null;
    if (!session || !token) throw new ApiError(401, 'authentication_error', 'Not signed in.', { code: 'session_missing' });
    if (request.headers['x-csrf-token'] !== session.csrfToken) {
      throw new ApiError(403, 'permission_error', 'Missing or invalid CSRF token.', { code: 'csrf_token_invalid' });
    }
    const params = parseParams(passwordParams, readParams(request));
    // A stolen session must not become unlimited guesses at the password.
    const throttleKey = `password|${session.userId}`;
    guesses.attempt(throttleKey);
    await db.transaction().execute(async (tx) => {
      await changeOwnPassword(tx, session.accountId, session.userId, {
        currentPassword: params.current_password,
        newPassword: params.new_password,
      });
      // Every other session of this user ends; this one stays signed in.
      await tx
        .deleteFrom('sessions')
        .where('account_id', '=', session.accountId)
        .where('user_id', '=', session.userId)
        .where('token_hash', '!=', tokenHash(token))
        .execute();
      await recordAudit(tx, {
        account_id: session.accountId,
        workspace_id: null,
        actor_type: 'user',
        actor_id: session.userId,
        actor_label: session.email,
        action: 'user.password_changed',
        method: request.method,
        path: request.url,
        object_id: session.userId,
        status_code: 200,
        ip: request.ip,
        request_id: request.id,
      });
    });
    guesses.succeeded(throttleKey);
    return { password_changed: true };
  });

  app.post('/auth/logout', async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) {
      const session = await findSession(db, token);
      if (session && request.headers['x-csrf-token'] !== session.csrfToken) {
        throw new ApiError(403, 'permission_error', 'Missing or invalid CSRF token.', { code: 'csrf_token_invalid' });
      }
      await deleteSession(db, token);
    }
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { signed_out: true };
  });

  // The dashboard names its workspace in a header; reject a malformed one early and clearly.
  app.addHook('onRequest', async (request) => {
    const wanted = request.headers[WORKSPACE_HEADER];
    if (Array.isArray(wanted)) throw invalidRequest(`Give the ${WORKSPACE_HEADER} header once.`, WORKSPACE_HEADER);
  });
}
