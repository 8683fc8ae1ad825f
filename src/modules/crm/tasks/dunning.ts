/**
 * The billing team's follow-up when an invoice's payment retries run out (BILLING.md
 * "Collection and dunning"): one `dunning_exhausted` task on the customer per invoice,
 * written with the billing batch's other rows. Called by billing/invoices/settle.ts only when
 * retries ran out, so a renewal that is paid (or retried) costs nothing here.
 */
import type { Executor } from '../../../db/database.ts';
import { inWorkspaceKeys } from '../../../db/bulk.ts';
import { newId } from '../../../lib/ids.ts';
import { formatAmount } from '../../../lib/money.ts';
import type { InvoiceRow } from '../../billing/invoices/models.ts';
import { recordEvent, type EventContext } from '../../events/service.ts';
import type { FinalAction } from '../../payments/dunning/schedule.ts';
import type { TaskRow } from './models.ts';
import { taskInsertable, taskObject } from './objects.ts';

export interface ExhaustedInvoice {
  ctx: EventContext;
  /** The invoice as the batch holds it: its number may be taken after this is made. */
  invoice: Pick<InvoiceRow, 'id' | 'number' | 'customer_id' | 'amount_remaining' | 'currency' | 'attempt_count' | 'last_payment_error'>;
  subscriptionId: string;
  finalAction: FinalAction;
  /** Billing time (a test clock's, for its customers). */
  at: Date;
}

const FINAL_ACTIONS: Record<FinalAction, string> = {
  cancel: 'the subscription was canceled',
  unpaid: 'the subscription was marked unpaid',
  past_due: 'the subscription was left past due',
};

/**
 * Those of `exhausted` whose invoice has no dunning task yet. An invoice's retries can run out
 * again after a new card also fails (unpaid and past_due subscriptions keep it open); its row
 * is locked by whoever charges it, so this read sees any task an earlier charge committed,
 * and no second task.created event is recorded. The unique index holds it anyway.
 */
export async function withoutDunningTask(db: Executor, exhausted: readonly ExhaustedInvoice[]): Promise<ExhaustedInvoice[]> {
  if (exhausted.length === 0) return [];
  const existing = await db
    .selectFrom('tasks')
    .select(['workspace_id', 'related_invoice_id'])
    .where('kind', '=', 'dunning_exhausted')
    .where(inWorkspaceKeys(exhausted.map((e) => ({ workspace_id: e.ctx.workspace.id, id: e.invoice.id })), 'related_invoice_id'))
    .execute();
  const done = new Set(existing.map((row) => `${row.workspace_id}/${row.related_invoice_id}`));
  return exhausted.filter((e) => !done.has(`${e.ctx.workspace.id}/${e.invoice.id}`));
}

export function dunningTaskRow(e: ExhaustedInvoice): TaskRow {
  const number = e.invoice.number ?? e.invoice.id;
  const amount = formatAmount(e.invoice.amount_remaining, e.invoice.currency, 'en-US');
  const decline = e.invoice.last_payment_error?.message;
  const attempts = e.invoice.attempt_count === 1 ? '1 failed payment attempt' : `${e.invoice.attempt_count} failed payment attempts`;
  return {
    workspace_id: e.ctx.workspace.id,
    // Wall-clock ids (as charges'): tasks list in the order they were made, test clocks or not.
    id: newId('task'),
    customer_id: e.invoice.customer_id,
    kind: 'dunning_exhausted',
    title: `Payment failed: retries exhausted for invoice ${number}`,
    description:
      `${amount} is still due on invoice ${number} after ${attempts}` +
      `${decline ? ` (last: ${decline})` : ''}. Final action: ${FINAL_ACTIONS[e.finalAction]}.`,
    status: 'open',
    due_at: null,
    related_invoice_id: e.invoice.id,
    related_subscription_id: e.subscriptionId,
    completed_at: null,
    metadata: {},
    created_at: e.at,
    updated_at: e.at,
  };
}

/** Queues the tasks and their task.created events into each one's pending writes. */
export function queueDunningTasks(db: Executor, exhausted: readonly ExhaustedInvoice[]): void {
  const byPending = new Map<EventContext['pending'], TaskRow[]>();
  for (const e of exhausted) {
    const row = dunningTaskRow(e);
    byPending.set(e.ctx.pending, [...(byPending.get(e.ctx.pending) ?? []), row]);
    recordEvent(e.ctx, 'task.created', taskObject(row, e.ctx.workspace));
  }
  for (const [pending, rows] of byPending) {
    // Not deferRows: a COPY cannot skip a conflicting row. At most a batch's (500) rows,
    // well within one INSERT's parameters.
    pending.inserts.push(
      db
        .insertInto('tasks')
        .values(rows.map(taskInsertable))
        .onConflict((oc) => oc.columns(['workspace_id', 'kind', 'related_invoice_id']).where('kind', '=', 'dunning_exhausted').doNothing()),
    );
  }
}
