import type { ColumnType, Generated } from 'kysely';
import type { GatewayKind } from '../gateways/gateway.ts';

type Json<T> = ColumnType<T, string, string>;

export interface CardDetails {
  brand: string;
  last4: string;
  exp_month: number;
  exp_year: number;
  funding: string;
  country: string | null;
}

export interface BillingDetails {
  address?: Record<string, string | null> | null;
  email?: string | null;
  name?: string | null;
  phone?: string | null;
}

export interface PaymentMethodsTable {
  workspace_id: string;
  id: string;
  customer_id: string | null;
  gateway: GatewayKind;
  /** Null: the built-in test gateway. */
  gateway_account_id: string | null;
  gateway_ref: string;
  type: 'card';
  card: Json<CardDetails>;
  billing_details: Json<BillingDetails>;
  metadata: Json<Record<string, string>>;
  created_at: Generated<Date>;
  detached_at: Date | null;
}

export interface TestGatewayChargesTable {
  workspace_id: string;
  idempotency_key: string;
  payment_method: string;
  amount: bigint;
  currency: string;
  status: 'succeeded' | 'failed';
  payment_ref: string | null;
  amount_refunded: Generated<bigint>;
  failure_code: string | null;
  decline_code: string | null;
  failure_message: string | null;
  created_at: Generated<Date>;
}

export interface TestGatewayRefundsTable {
  workspace_id: string;
  idempotency_key: string;
  refund_ref: string;
  payment_ref: string;
  amount: bigint;
  created_at: Generated<Date>;
}

/** What charging a saved payment method takes: its gateway account and reference. */
export interface ChargeSource {
  paymentMethodId: string;
  /** Null: the built-in test gateway. */
  gatewayAccountId: string | null;
  gatewayRef: string;
}
