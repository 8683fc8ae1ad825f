import type { ColumnType, Generated, Selectable } from 'kysely';

type Json<T> = ColumnType<T, string, string>;

export interface SchedulePhase {
  /** Unix seconds. */
  start_date: number;
  end_date: number;
  items: { price: string; quantity: number; tax_rates: string[] | null }[];
  proration_behavior: 'create_prorations' | 'always_invoice' | 'none';
  metadata: Record<string, string>;
}

export type ScheduleStatus = 'not_started' | 'active' | 'completed' | 'released' | 'canceled';

export interface SubscriptionSchedulesTable {
  workspace_id: string;
  id: string;
  customer_id: string;
  subscription_id: string | null;
  status: ScheduleStatus;
  end_behavior: 'release' | 'cancel';
  phases: Json<SchedulePhase[]>;
  current_phase: number;
  released_subscription_id: string | null;
  test_clock_id: string | null;
  metadata: Json<Record<string, string>>;
  canceled_at: Date | null;
  completed_at: Date | null;
  released_at: Date | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export type ScheduleRow = Selectable<SubscriptionSchedulesTable>;
