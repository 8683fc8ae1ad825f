import type { ColumnType, Selectable } from 'kysely';
import type { GatewayKind } from '../gateways/gateway.ts';

type Json<T> = ColumnType<T, string, string>;

export const REFUND_REASONS = ['duplicate', 'fraudulent', 'requested_by_customer'] as const;
export type RefundReason = (typeof REFUND_REASONS)[number];
export type RefundStatus = 'pending' | 'succeeded' | 'failed' | 'canceled';

/** A refund of (part of) a charge, made through the charge's gateway; it belongs to a credit note. */
export interface RefundsTable {
  workspace_id: string;
  id: string;
  charge_id: string;
  invoice_id: string;
  customer_id: string;
  payment_method_id: string | null;
  credit_note_id: string;
  amount: bigint;
  currency: string;
  reason: RefundReason | null;
  status: RefundStatus;
  failure_reason: string | null;
  gateway: GatewayKind;
  gateway_account_id: string | null;
  gateway_refund_ref: string | null;
  idempotency_key: string;
  metadata: Json<Record<string, string>>;
  created_at: Date;
  updated_at: Date;
}

export type RefundRow = Selectable<RefundsTable>;
