import type { Insertable, Selectable } from 'kysely';
import { z } from 'zod';
import type { Executor } from '../../db/database.ts';
import { newId } from '../../lib/ids.ts';
import { paginate, whereCreated, type ListParams } from '../../lib/pagination.ts';
import type { RangeFilter } from '../../lib/params.ts';
import { unixSeconds } from '../../lib/time.ts';
import type { AuditLogTable } from './models.ts';

type AuditRow = Selectable<AuditLogTable>;
export type AuditEntry = Omit<AuditRow, 'id' | 'created_at'>;

export const auditEntrySchema = z.object({
  id: z.string(),
  object: z.literal('audit_log_entry'),
  action: z.string().describe('What was done, e.g. customer.created or api_key.revoked.'),
  actor: z.object({
    type: z.enum(['user', 'api_key', 'system']),
    id: z.string().nullable(),
    label: z.string().nullable().describe('The user email or the redacted key.'),
  }),
  workspace: z.string().nullable(),
  object_id: z.string().nullable(),
  request: z.object({ id: z.string().nullable(), method: z.string().nullable(), path: z.string().nullable(), ip: z.string().nullable() }),
  status_code: z.number().int().nullable(),
  created: z.number().int(),
});
export type AuditEntryObject = z.infer<typeof auditEntrySchema>;

export function auditEntryObject(row: AuditRow): AuditEntryObject {
  return {
    id: row.id,
    object: 'audit_log_entry',
    action: row.action,
    actor: { type: row.actor_type, id: row.actor_id, label: row.actor_label },
    workspace: row.workspace_id,
    object_id: row.object_id,
    request: { id: row.request_id, method: row.method, path: row.path, ip: row.ip },
    status_code: row.status_code,
    created: unixSeconds(row.created_at),
  };
}

export function auditRow(entry: AuditEntry): Insertable<AuditLogTable> {
  return { ...entry, id: newId('auditEntry') };
}

/** Written in the same transaction as the change it records. */
export async function recordAudit(db: Executor, entry: AuditEntry): Promise<void> {
  await db.insertInto('audit_log').values(auditRow(entry)).execute();
}

export async function listAudit(
  db: Executor,
  accountId: string,
  params: ListParams & {
    workspace?: string | undefined;
    actor?: string | undefined;
    action?: string | undefined;
    object_id?: string | undefined;
    created?: RangeFilter | undefined;
  },
): Promise<{ data: AuditEntryObject[]; hasMore: boolean }> {
  let query = db.selectFrom('audit_log').selectAll().where('account_id', '=', accountId);
  // 'account' asks for the account-wide entries (team changes, sign-ins), which have no workspace.
  if (params.workspace === 'account') query = query.where('workspace_id', 'is', null);
  else if (params.workspace) query = query.where('workspace_id', '=', params.workspace);
  if (params.actor) query = query.where('actor_id', '=', params.actor);
  if (params.action) query = query.where('action', '=', params.action);
  if (params.object_id) query = query.where('object_id', '=', params.object_id);
  query = whereCreated(query, params.created, 'created_at');
  const { rows, hasMore } = await paginate(query, params, 'id');
  return { data: rows.map(auditEntryObject), hasMore };
}
