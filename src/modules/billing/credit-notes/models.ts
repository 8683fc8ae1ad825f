import type { ColumnType, Selectable } from 'kysely';
import type { StoredTaxAmount } from '../invoices/models.ts';

type Json<T> = ColumnType<T, string, string>;

export const CREDIT_NOTE_REASONS = ['duplicate', 'fraudulent', 'order_change', 'product_unsatisfactory'] as const;
export type CreditNoteReason = (typeof CREDIT_NOTE_REASONS)[number];
export type CreditNoteType = 'pre_payment' | 'post_payment' | 'mixed';

/** A discount credited back, per discount (amounts as decimal strings, as invoices keep them). */
export interface StoredCreditedDiscount {
  discount: string;
  amount: string;
}

export interface CreditNotesTable {
  workspace_id: string;
  id: string;
  invoice_id: string;
  customer_id: string;
  number: string;
  currency: string;
  status: 'issued' | 'void';
  type: CreditNoteType;
  subtotal: bigint;
  discount_amount: bigint;
  discount_amounts: Json<StoredCreditedDiscount[]>;
  total_excluding_tax: bigint;
  total_taxes: Json<StoredTaxAmount[]>;
  total: bigint;
  pre_payment_amount: bigint;
  post_payment_amount: bigint;
  refund_amount: bigint;
  credit_amount: bigint;
  out_of_band_amount: bigint | null;
  reason: CreditNoteReason | null;
  memo: string | null;
  metadata: Json<Record<string, string>>;
  voided_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export interface CreditNoteLinesTable {
  workspace_id: string;
  credit_note_id: string;
  position: number;
  id: string;
  type: 'invoice_line_item' | 'custom_line_item';
  invoice_line_id: string | null;
  description: string | null;
  quantity: bigint | null;
  unit_amount: bigint | null;
  unit_amount_decimal: string | null;
  amount: bigint;
  discount_amount: bigint;
  discount_amounts: Json<StoredCreditedDiscount[]>;
  taxes: Json<StoredTaxAmount[]>;
  metadata: Json<Record<string, string>>;
}

export type CreditNoteRow = Selectable<CreditNotesTable>;
export type CreditNoteLineRow = Selectable<CreditNoteLinesTable>;
