import type { ColumnType, Generated } from 'kysely';

export interface Address {
  line1: string | null;
  line2: string | null;
  city: string | null;
  state: string | null;
  postal_code: string | null;
  country: string | null;
}

export interface Shipping {
  name: string;
  phone: string | null;
  address: Address;
}

export interface InvoiceSettings {
  custom_fields: { name: string; value: string }[] | null;
  footer: string | null;
}

export type TaxExempt = 'none' | 'exempt' | 'reverse';

type Json<T> = ColumnType<T, string, string>;

export interface CustomersTable {
  workspace_id: string;
  id: string;
  email: string | null;
  name: string | null;
  phone: string | null;
  description: string | null;
  address: Json<Address | null>;
  shipping: Json<Shipping | null>;
  invoice_settings: Json<Partial<InvoiceSettings>>;
  /** A payment method attached to this customer (payments/payment-methods). */
  default_payment_method_id: string | null;
  preferred_locales: string[];
  /** A sandbox customer's test clock: its billing runs on the clock's frozen time. */
  test_clock_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** Minor units; negative is credit the customer holds (Stripe's sign). */
  balance: ColumnType<bigint, bigint | undefined, bigint>;
  /** Set by the first subscription or invoice; later ones must use it. */
  currency: ColumnType<string | null, string | null | undefined, string | null>;
  tax_exempt: TaxExempt;
  metadata: Json<Record<string, string>>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  deleted_at: Date | null;
}
