import type { Generated } from 'kysely';

export type TestClockStatus = 'ready' | 'advancing' | 'internal_failure';

export interface TestClocksTable {
  workspace_id: string;
  id: string;
  name: string | null;
  frozen_time: Date;
  status: Generated<TestClockStatus>;
  deletes_after: Date;
  created_at: Generated<Date>;
  deleted_at: Date | null;
}
