import type { Selectable } from 'kysely';
import type { GatewayKind } from '../gateways/gateway.ts';

/** One payment attempt on an invoice (Stripe's charge), successful or not. */
export interface ChargesTable {
  workspace_id: string;
  id: string;
  invoice_id: string;
  customer_id: string;
  attempt: number;
  payment_method_id: string | null;
  gateway: GatewayKind;
  gateway_account_id: string | null;
  gateway_payment_ref: string | null;
  amount: bigint;
  amount_refunded: bigint;
  currency: string;
  status: 'succeeded' | 'failed' | 'pending';
  failure_code: string | null;
  decline_code: string | null;
  failure_message: string | null;
  created_at: Date;
}

export type ChargeRow = Selectable<ChargesTable>;
