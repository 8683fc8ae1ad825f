import type { ColumnType, Generated, Selectable } from 'kysely';

type Json<T> = ColumnType<T, string, string>;

export type EndpointStatus = 'enabled' | 'disabled';
export type DeliveryStatus = 'pending' | 'succeeded' | 'failed';

export interface WebhookEndpointsTable {
  workspace_id: string;
  id: string;
  url: string;
  description: string | null;
  enabled_events: string[];
  metadata: Json<Record<string, string>>;
  status: EndpointStatus;
  /** The whsec_… signing secret, sealed (lib/secret-box.ts). */
  secret_sealed: string;
  api_version: string;
  created_at: Generated<Date>;
  disabled_at: Date | null;
}

export interface WebhookDeliveriesTable {
  workspace_id: string;
  id: string;
  endpoint_id: string;
  event_id: string;
  status: Generated<DeliveryStatus>;
  attempts: Generated<number>;
  next_attempt_at: Date | null;
  first_attempt_at: Date | null;
  last_attempt_at: Date | null;
  last_status_code: number | null;
  last_error: string | null;
  last_response: string | null;
  created_at: Generated<Date>;
  delivered_at: Date | null;
}

export type EndpointRow = Selectable<WebhookEndpointsTable>;
export type DeliveryRow = Selectable<WebhookDeliveriesTable>;
