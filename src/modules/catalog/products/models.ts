import type { ColumnType, Generated } from 'kysely';

export interface MarketingFeature {
  name: string;
}

/** Stripe's units: inches and ounces, up to 2 decimal places. */
export interface PackageDimensions {
  height: number;
  length: number;
  weight: number;
  width: number;
}

type Json<T> = ColumnType<T, string, string>;

export interface ProductsTable {
  workspace_id: string;
  id: string;
  name: string;
  description: string | null;
  active: Generated<boolean>;
  images: string[];
  marketing_features: Json<MarketingFeature[]>;
  metadata: Json<Record<string, string>>;
  url: string | null;
  statement_descriptor: string | null;
  unit_label: string | null;
  shippable: boolean | null;
  package_dimensions: Json<PackageDimensions | null>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
