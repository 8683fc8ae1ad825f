import type { Executor } from '../../db/database.ts';
import { newToken, tokenHash } from '../../lib/secrets.ts';
import type { Role } from './models.ts';

export const SESSION_TTL_MS = 12 * 3600 * 1000;

export interface SessionUser {
  accountId: string;
  userId: string;
  email: string;
  name: string | null;
  role: Role;
  csrfToken: string;
}

export async function createSession(
  db: Executor,
  input: { accountId: string; userId: string; ip: string | null; userAgent: string | null },
): Promise<{ token: string; csrfToken: string; expiresAt: Date }> {
  const token = newToken(48);
  const csrfToken = newToken(32);
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
  await db
    .insertInto('sessions')
    .values({
      token_hash: tokenHash(token),
      account_id: input.accountId,
      user_id: input.userId,
      csrf_token: csrfToken,
      ip: input.ip,
      user_agent: input.userAgent?.slice(0, 500) ?? null,
      expires_at: expiresAt,
    })
    .execute();
  return { token, csrfToken, expiresAt };
}

export async function findSession(db: Executor, token: string): Promise<SessionUser | null> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', (join) => join.onRef('users.account_id', '=', 'sessions.account_id').onRef('users.id', '=', 'sessions.user_id'))
    .select(['sessions.account_id', 'sessions.user_id', 'sessions.csrf_token', 'users.email', 'users.name', 'users.role'])
    .where('sessions.token_hash', '=', tokenHash(token))
    .where('sessions.expires_at', '>', new Date())
    .where('users.disabled_at', 'is', null)
    .executeTakeFirst();
  if (!row) return null;
  return {
    accountId: row.account_id,
    userId: row.user_id,
    email: row.email,
    name: row.name,
    role: row.role,
    csrfToken: row.csrf_token,
  };
}

export async function deleteSession(db: Executor, token: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', tokenHash(token)).execute();
}

export async function purgeExpiredSessions(db: Executor, now: Date): Promise<number> {
  const result = await db.deleteFrom('sessions').where('expires_at', '<', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
