import type { ColumnType, Selectable } from 'kysely';

/**
 * What opened a task: Recur itself when an invoice's payment retries ran out
 * (`dunning_exhausted`), or a person (`manual`). New kinds come with the CRM's later parts.
 */
export const TASK_KINDS = ['dunning_exhausted', 'manual'] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

export const TASK_STATUSES = ['open', 'completed'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export interface TasksTable {
  workspace_id: string;
  id: string;
  customer_id: string;
  kind: TaskKind;
  title: string;
  description: string | null;
  status: TaskStatus;
  due_at: Date | null;
  related_invoice_id: string | null;
  related_subscription_id: string | null;
  completed_at: Date | null;
  metadata: ColumnType<Record<string, string>, string, string>;
  created_at: Date;
  updated_at: Date;
}

export type TaskRow = Selectable<TasksTable>;
