import type { ColumnType, Generated, Selectable } from 'kysely';
import type { RealGatewayKind } from '../gateways/registry.ts';

export interface GatewayAccountsTable {
  workspace_id: string;
  id: string;
  gateway: RealGatewayKind;
  display_name: string;
  environment: 'sandbox' | 'production';
  api_base: string | null;
  /** The credentials as JSON, sealed (lib/secret-box.ts). */
  credentials_sealed: string;
  credential_fields: string[];
  is_default: boolean;
  metadata: ColumnType<Record<string, string>, string, string>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  deleted_at: Date | null;
}

export type GatewayAccountRow = Selectable<GatewayAccountsTable>;
