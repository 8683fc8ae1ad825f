import type { Generated } from 'kysely';
import type { FinalAction } from './schedule.ts';

export interface DunningSettingsTable {
  workspace_id: string;
  retry_days: number[];
  final_action: FinalAction;
  updated_at: Generated<Date>;
}
