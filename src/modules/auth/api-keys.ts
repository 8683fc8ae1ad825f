import type { Selectable } from 'kysely';
import { z } from 'zod';
import type { Executor } from '../../db/database.ts';
import { resourceMissing } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { newToken, tokenHash } from '../../lib/secrets.ts';
import type { WorkspaceRef } from '../../server/context.ts';
import { unixSeconds } from '../../lib/time.ts';
import type { WorkspaceMode } from '../workspaces/models.ts';
import type { ApiKeyType, ApiKeysTable } from './models.ts';

type ApiKeyRow = Selectable<ApiKeysTable>;

export const apiKeySchema = z.object({
  id: z.string(),
  object: z.literal('api_key'),
  type: z.enum(['secret', 'publishable']),
  name: z.string().nullable(),
  redacted: z.string().describe('The key with all but its first and last characters hidden.'),
  created: z.number().int(),
  created_by: z.string().nullable().describe('The user who created the key (expandable).'),
  last_used: z.number().int().nullable(),
  revoked: z.boolean(),
  livemode: z.boolean(),
  secret: z.string().optional().describe('The key itself; present only in the response that creates it.'),
});
export type ApiKeyObject = z.infer<typeof apiKeySchema>;

function keyPrefix(type: ApiKeyType, mode: WorkspaceMode): string {
  return `${type === 'secret' ? 'sk' : 'pk'}_${mode === 'live' ? 'live' : 'test'}_`;
}

export function apiKeyObject(row: ApiKeyRow, mode: WorkspaceMode, secret?: string): ApiKeyObject {
  return {
    id: row.id,
    object: 'api_key',
    type: row.type,
    name: row.name,
    redacted: row.redacted,
    created: unixSeconds(row.created_at),
    created_by: row.created_by,
    last_used: row.last_used_at ? unixSeconds(row.last_used_at) : null,
    revoked: row.revoked_at !== null,
    livemode: mode === 'live',
    ...(secret ? { secret } : {}),
  };
}

/** Creates a key and returns it in full: the only time anyone sees it. */
export async function createApiKey(
  db: Executor,
  workspace: WorkspaceRef,
  input: { type: ApiKeyType; name?: string | null | undefined; createdBy?: string | null },
): Promise<{ row: ApiKeyRow; secret: string }> {
  const secret = keyPrefix(input.type, workspace.mode) + newToken(40);
  const row = await db
    .insertInto('api_keys')
    .values({
      workspace_id: workspace.id,
      id: newId('apiKey'),
      type: input.type,
      name: input.name ?? null,
      secret_hash: tokenHash(secret),
      redacted: `${secret.slice(0, 8)}…${secret.slice(-4)}`,
      created_by: input.createdBy ?? null,
      last_used_at: null,
      revoked_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { row, secret };
}

export interface ResolvedKey {
  key: ApiKeyRow;
  workspace: WorkspaceRef;
}

export async function findKeyBySecret(db: Executor, secret: string): Promise<ResolvedKey | null> {
  const row = await db
    .selectFrom('api_keys')
    .innerJoin('workspaces', 'workspaces.id', 'api_keys.workspace_id')
    .selectAll('api_keys')
    .select(['workspaces.account_id', 'workspaces.mode'])
    .where('api_keys.secret_hash', '=', tokenHash(secret))
    .executeTakeFirst();
  if (!row) return null;
  const { account_id, mode, ...key } = row;
  return { key, workspace: { id: key.workspace_id, accountId: account_id, mode } };
}

export async function listApiKeys(db: Executor, workspaceId: string): Promise<ApiKeyRow[]> {
  return db.selectFrom('api_keys').selectAll().where('workspace_id', '=', workspaceId).orderBy('id', 'desc').execute();
}

export async function revokeApiKey(db: Executor, workspaceId: string, id: string): Promise<ApiKeyRow> {
  const row = await db
    .updateTable('api_keys')
    .set((eb) => ({ revoked_at: eb.fn.coalesce('revoked_at', eb.fn<Date>('now')) }))
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw resourceMissing('api_key', id);
  return row;
}

export async function touchApiKey(db: Executor, workspaceId: string, id: string): Promise<void> {
  await db.updateTable('api_keys').set({ last_used_at: new Date() }).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}
