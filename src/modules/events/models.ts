import type { Generated } from 'kysely';

export interface EventData {
  object: Record<string, unknown>;
  previous_attributes?: Record<string, unknown>;
}

export interface EventsTable {
  workspace_id: string;
  id: string;
  type: string;
  object_id: string;
  api_version: string;
  /** The JSON of an EventData, as written (text: cheaper to insert than jsonb, never queried inside). */
  data: string;
  request_id: string | null;
  idempotency_key: string | null;
  created_at: Generated<Date>;
  dispatched_at: Date | null;
}
