import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import { randomBase62 } from '../../lib/ids.ts';
import { createOwner } from '../auth/users.ts';
import { createAccountWithWorkspaces } from './service.ts';

export interface BootstrapResult {
  /** True on the very first start, when the account and owner were just made. */
  created: boolean;
  ownerEmail: string;
  /** Only when Recur generated it: shown once, never stored in clear. */
  generatedPassword: string | null;
}

const BOOTSTRAP_LOCK_ID = 7_310_452_002;
export const DEFAULT_ADMIN_EMAIL = 'admin@recur.local';

/**
 * First start: an account with a sandbox and a live workspace and an owner, whose email
 * and password come from RECUR_ADMIN_EMAIL / RECUR_ADMIN_PASSWORD or are generated.
 */
export async function ensureBootstrapped(
  db: Kysely<Database>,
  input: { adminEmail: string | null; adminPassword: string | null },
): Promise<BootstrapResult> {
  return db.transaction().execute(async (tx) => {
    await sql`SELECT pg_advisory_xact_lock(${BOOTSTRAP_LOCK_ID})`.execute(tx);
    const owner = await tx.selectFrom('users').select('email').where('role', '=', 'owner').orderBy('created_at').limit(1).executeTakeFirst();
    if (owner) return { created: false, ownerEmail: owner.email, generatedPassword: null };
    const ownerEmail = input.adminEmail ?? DEFAULT_ADMIN_EMAIL;
    const generatedPassword = input.adminPassword ? null : randomBase62(20);
    const { accountId } = await createAccountWithWorkspaces(tx, 'My business');
    await createOwner(tx, { accountId, email: ownerEmail, password: input.adminPassword ?? (generatedPassword as string) });
    return { created: true, ownerEmail, generatedPassword };
  });
}
