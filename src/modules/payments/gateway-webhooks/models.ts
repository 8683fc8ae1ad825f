import type { Generated } from 'kysely';

export interface GatewayEventsTable {
  workspace_id: string;
  gateway_account_id: string;
  gateway_event_id: string;
  type: string;
  gateway_type: string;
  payment_ref: string | null;
  refund_ref: string | null;
  amount: bigint | null;
  currency: string | null;
  received_at: Generated<Date>;
}
