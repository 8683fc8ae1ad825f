import type { ColumnType, Generated } from 'kysely';

/** Stripe's tax_type values (TaxRate.TaxType in the stripe SDK). */
export const TAX_TYPES = [
  'admissions_tax',
  'amusement_tax',
  'attendance_tax',
  'communications_tax',
  'digital_excise_tax',
  'entertainment_tax',
  'get_fund',
  'gross_receipts_tax',
  'gst',
  'hospitality_tax',
  'hst',
  'igst',
  'jct',
  'lease_tax',
  'luxury_tax',
  'mass_transit_parking_tax',
  'nhil',
  'parking_tax',
  'pst',
  'qst',
  'resort_tax',
  'retail_delivery_fee',
  'rst',
  'sales_tax',
  'service_tax',
  'tourism_tax',
  'utility_users_tax',
  'vat',
] as const;
export type TaxType = (typeof TAX_TYPES)[number];

type Json<T> = ColumnType<T, string, string>;

export interface TaxRatesTable {
  workspace_id: string;
  id: string;
  display_name: string;
  description: string | null;
  /** numeric(7,4): read back as decimal text ("19.6000"); written once, at creation. */
  percentage: ColumnType<string, string, never>;
  /** Fixed at creation. */
  inclusive: ColumnType<boolean, boolean, never>;
  active: boolean;
  /** ISO 3166-1 alpha-2, uppercase. */
  country: string | null;
  /** ISO 3166-2 subdivision code without the country prefix ("CA" for US-CA). */
  state: string | null;
  jurisdiction: string | null;
  tax_type: TaxType | null;
  metadata: Json<Record<string, string>>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
