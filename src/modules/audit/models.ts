import type { Generated } from 'kysely';

export type ActorType = 'user' | 'api_key' | 'system';

export interface AuditLogTable {
  account_id: string;
  id: string;
  workspace_id: string | null;
  actor_type: ActorType;
  actor_id: string | null;
  actor_label: string | null;
  action: string;
  method: string | null;
  path: string | null;
  object_id: string | null;
  status_code: number | null;
  ip: string | null;
  request_id: string | null;
  created_at: Generated<Date>;
}
