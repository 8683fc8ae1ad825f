import type { ColumnType, Generated, Selectable } from 'kysely';
import type { StoredDiscount } from '../../subscriptions/models.ts';

type Json<T> = ColumnType<T, string, string>;
/** bigint columns are read back as JS bigints (src/db/database.ts). */
type Money = ColumnType<bigint, bigint, bigint>;
type MoneyWithDefault = ColumnType<bigint, bigint | undefined, bigint>;

export const INVOICE_STATUSES = ['draft', 'open', 'paid', 'void', 'uncollectible'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];
export type BillingReason = 'subscription_create' | 'subscription_cycle' | 'subscription_update' | 'manual';

/** Amounts inside jsonb are decimal strings, so no amount passes through a float. */
export interface StoredDiscountAmount {
  discount: string;
  coupon: string;
  amount: string;
}
export interface StoredTaxAmount {
  tax_rate: string;
  amount: string;
  inclusive: boolean;
  taxable_amount: string;
}
export interface PaymentError {
  code: string;
  decline_code: string | null;
  message: string;
  payment_method: string | null;
  /** api_error: the gateway could not be reached; the charge is tried again later. */
  type: 'card_error' | 'invalid_request_error' | 'api_error';
}

export interface InvoicesTable {
  workspace_id: string;
  id: string;
  customer_id: string;
  subscription_id: string | null;
  status: InvoiceStatus;
  number: string | null;
  currency: string;
  billing_reason: BillingReason;
  collection_method: 'charge_automatically' | 'send_invoice';
  days_until_due: number | null;
  due_date: Date | null;
  period_start: Date;
  period_end: Date;
  cycle_period_start: Date | null;
  subtotal: Money;
  total_excluding_tax: Money;
  tax: Money;
  total: Money;
  total_discount_amounts: Json<StoredDiscountAmount[]>;
  total_taxes: Json<StoredTaxAmount[]>;
  starting_balance: MoneyWithDefault;
  ending_balance: ColumnType<bigint | null, bigint | null | undefined, bigint | null>;
  amount_due: Money;
  amount_paid: MoneyWithDefault;
  amount_remaining: Money;
  /** What issued credit notes took off before payment (Stripe's field), and after it. */
  pre_payment_credit_notes_amount: MoneyWithDefault;
  post_payment_credit_notes_amount: MoneyWithDefault;
  attempt_count: Generated<number>;
  attempted: Generated<boolean>;
  auto_advance: Generated<boolean>;
  next_payment_attempt: Date | null;
  automatically_finalizes_at: Date | null;
  default_payment_method_id: string | null;
  discounts: Json<StoredDiscount[]>;
  default_tax_rate_ids: string[];
  customer_name: string | null;
  customer_email: string | null;
  customer_address: Json<Record<string, string | null> | null>;
  customer_locale: string | null;
  description: string | null;
  footer: string | null;
  last_payment_error: Json<PaymentError | null>;
  /** The first failed attempt: dunning's retries count from it. */
  payment_failed_at: Date | null;
  test_clock_id: string | null;
  metadata: Json<Record<string, string>>;
  finalized_at: Date | null;
  paid_at: Date | null;
  voided_at: Date | null;
  marked_uncollectible_at: Date | null;
  created_at: ColumnType<Date, Date | undefined, Date>;
  updated_at: Generated<Date>;
}

export interface InvoiceLinesTable {
  workspace_id: string;
  invoice_id: string;
  position: number;
  id: string;
  amount: Money;
  currency: string;
  description: string | null;
  quantity: ColumnType<bigint | null, bigint | null, bigint | null>;
  price_id: string | null;
  product_id: string | null;
  unit_amount_decimal: string | null;
  subscription_id: string | null;
  subscription_item_id: string | null;
  invoice_item_id: string | null;
  proration: boolean;
  period_start: Date;
  period_end: Date;
  discountable: boolean;
  discount_amounts: Json<StoredDiscountAmount[]>;
  taxes: Json<StoredTaxAmount[]>;
  metadata: Json<Record<string, string>>;
}

export interface InvoiceItemsTable {
  workspace_id: string;
  id: string;
  customer_id: string;
  subscription_id: string | null;
  subscription_item_id: string | null;
  invoice_id: string | null;
  amount: Money;
  currency: string;
  description: string | null;
  price_id: string | null;
  product_id: string | null;
  quantity: ColumnType<bigint, bigint | undefined, bigint>;
  unit_amount_decimal: string | null;
  proration: boolean;
  discountable: boolean;
  period_start: Date;
  period_end: Date;
  tax_rate_ids: string[] | null;
  metadata: Json<Record<string, string>>;
  test_clock_id: string | null;
  created_at: ColumnType<Date, Date | undefined, Date>;
}

export interface InvoiceNumberingTable {
  workspace_id: string;
  prefix: string;
  next_number: ColumnType<bigint, bigint | undefined, bigint>;
}

export type InvoiceRow = Selectable<InvoicesTable>;
export type InvoiceLineRow = Selectable<InvoiceLinesTable>;
export type InvoiceItemRow = Selectable<InvoiceItemsTable>;
