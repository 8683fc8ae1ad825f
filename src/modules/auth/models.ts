import type { Generated } from 'kysely';

export type Role = 'owner' | 'admin' | 'support';
export type ApiKeyType = 'secret' | 'publishable';

export interface UsersTable {
  account_id: string;
  id: string;
  email: string;
  name: string | null;
  role: Role;
  password_hash: string | null;
  invite_token_hash: string | null;
  invite_expires_at: Date | null;
  invited_by: string | null;
  created_at: Generated<Date>;
  disabled_at: Date | null;
}

export interface SessionsTable {
  token_hash: string;
  account_id: string;
  user_id: string;
  csrf_token: string;
  ip: string | null;
  user_agent: string | null;
  created_at: Generated<Date>;
  expires_at: Date;
}

export interface ApiKeysTable {
  workspace_id: string;
  id: string;
  type: ApiKeyType;
  name: string | null;
  secret_hash: string;
  redacted: string;
  created_by: string | null;
  created_at: Generated<Date>;
  last_used_at: Date | null;
  revoked_at: Date | null;
}
