import type { Generated } from 'kysely';

export type WorkspaceMode = 'sandbox' | 'live';

export interface AccountsTable {
  id: string;
  name: string;
  created_at: Generated<Date>;
}

export interface WorkspacesTable {
  id: string;
  account_id: string;
  mode: WorkspaceMode;
  name: string;
  created_at: Generated<Date>;
}
