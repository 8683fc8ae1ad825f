import type { Executor } from '../../db/database.ts';
import { newId } from '../../lib/ids.ts';
import type { WorkspaceRef } from '../../server/context.ts';
import type { WorkspaceMode } from './models.ts';

export interface WorkspaceView {
  id: string;
  mode: WorkspaceMode;
  name: string;
  livemode: boolean;
}

export async function createAccountWithWorkspaces(db: Executor, name: string): Promise<{ accountId: string }> {
  const accountId = newId('account');
  await db.insertInto('accounts').values({ id: accountId, name }).execute();
  await db
    .insertInto('workspaces')
    .values([
      { id: newId('workspace'), account_id: accountId, mode: 'sandbox', name: `${name} (sandbox)` },
      { id: newId('workspace'), account_id: accountId, mode: 'live', name },
    ])
    .execute();
  return { accountId };
}

export async function listWorkspaces(db: Executor, accountId: string): Promise<WorkspaceView[]> {
  const rows = await db
    .selectFrom('workspaces')
    .select(['id', 'mode', 'name'])
    .where('account_id', '=', accountId)
    .orderBy('mode', 'desc')
    .execute();
  return rows.map((w) => ({ ...w, livemode: w.mode === 'live' }));
}

export async function findWorkspace(db: Executor, accountId: string, idOrMode: string): Promise<WorkspaceRef | null> {
  const row = await db
    .selectFrom('workspaces')
    .select(['id', 'account_id', 'mode'])
    .where('account_id', '=', accountId)
    .where((eb) => eb.or([eb('id', '=', idOrMode), eb('mode', '=', idOrMode as WorkspaceMode)]))
    .executeTakeFirst();
  return row ? { id: row.id, accountId: row.account_id, mode: row.mode } : null;
}

/** The first (and, in a default install, only) account: the business this Recur runs. */
export async function firstAccountId(db: Executor): Promise<string | null> {
  const row = await db.selectFrom('accounts').select('id').orderBy('id').limit(1).executeTakeFirst();
  return row?.id ?? null;
}
