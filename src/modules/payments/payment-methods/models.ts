import type { ColumnType, Generated } from 'kysely';

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
  gateway: 'test';
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
  failure_code: string | null;
  decline_code: string | null;
  failure_message: string | null;
  created_at: Generated<Date>;
}
