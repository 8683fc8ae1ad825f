import { z } from 'zod';
import type { Executor } from '../../db/database.ts';
import { ApiError, invalidRequest, permissionDenied, resourceMissing } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { newToken, tokenHash } from '../../lib/secrets.ts';
import type { Actor } from '../../server/context.ts';
import { unixSeconds } from '../../lib/time.ts';
import type { Role, UsersTable } from './models.ts';
import { hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from './passwords.ts';
import type { Selectable } from 'kysely';

type UserRow = Selectable<UsersTable>;

const INVITE_VALIDITY_MS = 7 * 24 * 3600 * 1000;

export const userSchema = z.object({
  id: z.string(),
  object: z.literal('user'),
  email: z.string(),
  name: z.string().nullable(),
  role: z.enum(['owner', 'admin', 'support']),
  status: z.enum(['active', 'invited', 'disabled']),
  created: z.number().int(),
  invited_by: z.string().nullable(),
  invitation_expires_at: z.number().int().nullable().describe('When the pending invitation link stops working (invited users only).'),
});
export type UserObject = z.infer<typeof userSchema>;

export function userObject(row: UserRow): UserObject {
  return {
    id: row.id,
    object: 'user',
    email: row.email,
    name: row.name,
    role: row.role,
    status: row.disabled_at ? 'disabled' : row.password_hash ? 'active' : 'invited',
    created: unixSeconds(row.created_at),
    invited_by: row.invited_by,
    invitation_expires_at: row.invite_expires_at && !row.password_hash ? unixSeconds(row.invite_expires_at) : null,
  };
}

function checkPassword(password: string, param = 'password'): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw invalidRequest(`Passwords must be at least ${MIN_PASSWORD_LENGTH} characters long.`, param);
  }
}

export async function createOwner(
  db: Executor,
  input: { accountId: string; email: string; password: string; name?: string },
): Promise<UserRow> {
  checkPassword(input.password);
  return db
    .insertInto('users')
    .values({
      account_id: input.accountId,
      id: newId('user'),
      email: input.email,
      name: input.name ?? null,
      role: 'owner',
      password_hash: await hashPassword(input.password),
      invite_token_hash: null,
      invite_expires_at: null,
      invited_by: null,
      disabled_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Only an owner may grant or touch the owner role. */
function assertMayManage(actor: Actor, role: Role): void {
  if (role === 'owner' && actor.role !== 'owner') {
    throw permissionDenied('Only an owner can grant or change the owner role.');
  }
}

export async function inviteUser(
  db: Executor,
  accountId: string,
  actor: Actor,
  input: { email: string; role: Role; name?: string | null },
): Promise<{ user: UserRow; inviteToken: string }> {
  assertMayManage(actor, input.role);
  const taken = await db
    .selectFrom('users')
    .select('id')
    .where((eb) => eb(eb.fn('lower', ['email']), '=', input.email.toLowerCase()))
    .executeTakeFirst();
  if (taken) throw invalidRequest(`A user with email '${input.email}' already exists.`, 'email', 'email_taken');
  const inviteToken = newToken(40);
  const user = await db
    .insertInto('users')
    .values({
      account_id: accountId,
      id: newId('user'),
      email: input.email,
      name: input.name ?? null,
      role: input.role,
      password_hash: null,
      invite_token_hash: tokenHash(inviteToken),
      invite_expires_at: new Date(Date.now() + INVITE_VALIDITY_MS),
      invited_by: actor.id,
      disabled_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { user, inviteToken };
}

/** A fresh invitation link for someone who has not joined yet; the old link stops working. */
export async function reissueInvite(
  db: Executor,
  accountId: string,
  actor: Actor,
  id: string,
): Promise<{ user: UserRow; inviteToken: string }> {
  const user = await getUser(db, accountId, id);
  assertMayManage(actor, user.role);
  if (user.password_hash || user.disabled_at) {
    throw invalidRequest('Only a user who has not joined yet (status invited) can be sent a new invitation.', 'id', 'user_not_invited');
  }
  const inviteToken = newToken(40);
  const updated = await db
    .updateTable('users')
    .set({ invite_token_hash: tokenHash(inviteToken), invite_expires_at: new Date(Date.now() + INVITE_VALIDITY_MS) })
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return { user: updated, inviteToken };
}

export async function acceptInvite(
  db: Executor,
  input: { token: string; password: string; name?: string | undefined },
): Promise<UserRow> {
  checkPassword(input.password);
  const user = await db
    .selectFrom('users')
    .selectAll()
    .where('invite_token_hash', '=', tokenHash(input.token))
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
  if (!user || !user.invite_expires_at || user.invite_expires_at < new Date()) {
    throw invalidRequest('This invitation is invalid or has expired. Ask an admin for a new one.', 'token', 'invitation_invalid');
  }
  const accepted = await db
    .updateTable('users')
    .set({
      password_hash: await hashPassword(input.password),
      invite_token_hash: null,
      invite_expires_at: null,
      name: input.name ?? user.name,
    })
    .where('account_id', '=', user.account_id)
    .where('id', '=', user.id)
    // Single use: of concurrent acceptances, only the first to update still finds the token.
    .where('invite_token_hash', '=', tokenHash(input.token))
    .returningAll()
    .executeTakeFirst();
  if (!accepted) throw invalidRequest('This invitation is invalid or has expired. Ask an admin for a new one.', 'token', 'invitation_invalid');
  return accepted;
}

// Verifying against a throwaway hash when the email is unknown keeps response times
// from telling which emails have accounts.
let decoyHash: Promise<string> | null = null;

export async function authenticate(db: Executor, email: string, password: string): Promise<UserRow | null> {
  const user = await db
    .selectFrom('users')
    .selectAll()
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
    .executeTakeFirst();
  if (!user || !user.password_hash || user.disabled_at) {
    decoyHash ??= hashPassword('decoy password, never matches');
    await verifyPassword(password, await decoyHash);
    return null;
  }
  return (await verifyPassword(password, user.password_hash)) ? user : null;
}

export async function getUser(db: Executor, accountId: string, id: string): Promise<UserRow> {
  const user = await db.selectFrom('users').selectAll().where('account_id', '=', accountId).where('id', '=', id).executeTakeFirst();
  if (!user) throw resourceMissing('user', id);
  return user;
}

export async function listUsers(db: Executor, accountId: string): Promise<UserRow[]> {
  return db.selectFrom('users').selectAll().where('account_id', '=', accountId).orderBy('id').execute();
}

async function assertAnotherOwner(db: Executor, accountId: string, exceptId: string): Promise<void> {
  const other = await db
    .selectFrom('users')
    .select('id')
    .where('account_id', '=', accountId)
    .where('role', '=', 'owner')
    .where('disabled_at', 'is', null)
    // Active: an invitation not yet accepted (it may never be, or expire) is no owner yet.
    .where('password_hash', 'is not', null)
    .where('id', '!=', exceptId)
    .executeTakeFirst();
  if (!other) throw new ApiError(400, 'invalid_request_error', 'The account must keep at least one active owner.', { code: 'last_owner' });
}

export async function updateUser(
  db: Executor,
  accountId: string,
  actor: Actor,
  id: string,
  input: { role?: Role | undefined; name?: string | null | undefined; disabled?: boolean | undefined },
): Promise<UserRow> {
  const user = await getUser(db, accountId, id);
  assertMayManage(actor, user.role);
  if (input.role) assertMayManage(actor, input.role);
  const losesOwner = user.role === 'owner' && ((input.role && input.role !== 'owner') || input.disabled === true);
  if (losesOwner) await assertAnotherOwner(db, accountId, id);
  const updated = await db
    .updateTable('users')
    .set({
      ...(input.role ? { role: input.role } : {}),
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.disabled !== undefined ? { disabled_at: input.disabled ? new Date() : null } : {}),
    })
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  if (input.disabled) await db.deleteFrom('sessions').where('account_id', '=', accountId).where('user_id', '=', id).execute();
  return updated;
}

/** A signed-in user changing their own password: the current one must be right. */
export async function changeOwnPassword(
  db: Executor,
  accountId: string,
  id: string,
  input: { currentPassword: string; newPassword: string },
): Promise<void> {
  const user = await getUser(db, accountId, id);
  if (!user.password_hash || !(await verifyPassword(input.currentPassword, user.password_hash))) {
    throw new ApiError(400, 'invalid_request_error', 'The current password is not right.', { code: 'password_incorrect', param: 'current_password' });
  }
  checkPassword(input.newPassword, 'new_password');
  await setPassword(db, accountId, id, input.newPassword);
}

export async function setPassword(db: Executor, accountId: string, id: string, password: string): Promise<void> {
  checkPassword(password);
  await db
    .updateTable('users')
    .set({ password_hash: await hashPassword(password), invite_token_hash: null, invite_expires_at: null })
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .execute();
}
