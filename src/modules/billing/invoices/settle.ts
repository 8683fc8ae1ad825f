/**
 * Finalizing and collecting invoices in bulk, after they were drafted in memory (renewals,
 * subscription changes) or loaded as drafts (the finalize step, the API): numbers, customer
 * balances, the pause behaviours, charges, events, and the writes, in a few statements.
 */
import { groupBy } from '../../../lib/group.ts';
import { sql } from 'kysely';
import type { Executor } from '../../../db/database.ts';
import { bulkUpdate, jsonRows } from '../../../db/bulk.ts';
import { deferRows } from '../../../server/unit-of-work.ts';
import { markCanceled, type SubscriptionRow, type SubscriptionStatus } from '../../subscriptions/models.ts';
import type { FinalAction } from '../../payments/dunning/schedule.ts';
import { queueDunningTasks, withoutDunningTask, type ExhaustedInvoice } from '../../crm/tasks/dunning.ts';
import type { ChargeSource } from '../../payments/payment-methods/models.ts';
import {
  chargeInvoices,
  finalizeInMemory,
  INVOICE_STATE_COLUMNS,
  invoiceInsertable,
  invoiceLineInsertable,
  invoiceState,
  recordInvoiceEvent,
  takeInvoiceNumbers,
  type BillingContext,
  type InvoiceCustomer,
  type InvoiceWithLines,
} from './lifecycle.ts';
import type { InvoiceStatus } from './models.ts';

export interface Settlement {
  ctx: BillingContext;
  invoice: InvoiceWithLines;
  /** The subscription billed, if any; its status follows the payment (in memory). */
  sub: SubscriptionRow | null;
  /** Finalize the draft now (else it stays a draft, to be written as is). */
  finalizeNow: boolean;
  /** The invoice is not in the database yet (insert rather than update). */
  isNew?: boolean;
  /** Charge it once finalized (charge_automatically only); default true. */
  chargeNow?: boolean;
  customer?: InvoiceCustomer & { paymentSource: ChargeSource | null };
  /** A payment method chosen for this payment (POST /v1/invoices/:id/pay's payment_method). */
  paymentSource?: ChargeSource;
  /** The subscription's own payment method, if it has one (else the customer's default). */
  subscriptionPaymentSource?: ChargeSource | null;
}

/** Events about an invoice as it stood after one step (several types share the snapshot). */
interface InvoiceEvents {
  ctx: BillingContext;
  types: string[];
  invoice: InvoiceWithLines;
}

/** The subscription's status after a payment attempt on one of its invoices. */
export function statusAfterPayment(status: SubscriptionStatus, billingReason: string, succeeded: boolean): SubscriptionStatus {
  if (succeeded) return status === 'past_due' || status === 'incomplete' || status === 'unpaid' ? 'active' : status;
  if (billingReason === 'subscription_create') return status === 'active' ? 'incomplete' : status;
  return status === 'active' || status === 'trialing' ? 'past_due' : status;
}

/**
 * When the retries of a subscription's invoice run out: the workspace's final action. False
 * when the subscription had already ended (nothing applies, and no follow-up task is opened).
 */
function endOfDunning(sub: SubscriptionRow, action: FinalAction, now: Date): boolean {
  if (sub.status === 'canceled' || sub.status === 'incomplete_expired') return false;
  if (action === 'cancel') markCanceled(sub, now, 'payment_failed');
  else if (action === 'unpaid') sub.status = 'unpaid';
  return true;
}

/** Finalizes and charges the invoices, and numbers them and queues their writes. */
export async function settleInvoices(db: Executor, settlements: readonly Settlement[], now: Date): Promise<void> {
  const numberAndWrite = await chargeAndFinalize(db, settlements, now);
  await numberAndWrite();
}

/**
 * The first part of settling: finalization in memory and the charges. It returns the second
 * part, which takes the invoice numbers and queues the invoices, their events and the other
 * writes: a caller with much else to write (the billing run) flushes that in between, so the
 * numbering lock, held until commit, covers as little as possible.
 */
export async function chargeAndFinalize(db: Executor, settlements: readonly Settlement[], now: Date): Promise<() => Promise<void>> {
  if (settlements.length === 0) return async () => {};
  const balanceChanges = new Map<string, { workspace_id: string; id: string; delta: bigint }>();
  const balances = new Map<string, bigint>();

  // Events are recorded once numbers are known (they are taken last, see below), each with
  // the invoice as it stood after its step.
  const events: InvoiceEvents[] = [];
  const snapshot = (s: Settlement, ...types: string[]) => events.push({ ctx: s.ctx, types, invoice: { row: { ...s.invoice.row }, lines: s.invoice.lines } });

  // 1. Finalize (in memory): customer balances applied in order, pause behaviours.
  const finalized: Settlement[] = [];
  for (const s of settlements) {
    if (!s.finalizeNow || s.invoice.row.status !== 'draft') continue;
    finalized.push(s);
    const workspaceId = s.ctx.workspace.id;
    const customerKey = `${workspaceId}/${s.invoice.row.customer_id}`;
    const pause = s.sub?.pause_collection?.behavior;
    // An invoice voided at once by a paused subscription must not use up the customer's credit.
    const balance = pause === 'void' ? 0n : (balances.get(customerKey) ?? s.customer?.balance ?? 0n);
    const delta = finalizeInMemory(s.invoice, '', balance, now);
    if (pause !== 'void') balances.set(customerKey, balance + delta);
    if (delta !== 0n) {
      const change = balanceChanges.get(customerKey) ?? { workspace_id: workspaceId, id: s.invoice.row.customer_id, delta: 0n };
      change.delta += delta;
      balanceChanges.set(customerKey, change);
    }
    snapshot(s, 'invoice.finalized');
    // finalizeInMemory moved it on from draft (open, or paid when nothing is due).
    const status = s.invoice.row.status as InvoiceStatus;
    if (status === 'open' && (pause === 'mark_uncollectible' || pause === 'void')) {
      const row = s.invoice.row;
      row.status = pause === 'void' ? 'void' : 'uncollectible';
      row.next_payment_attempt = null;
      if (pause === 'void') row.voided_at = now;
      else row.marked_uncollectible_at = now;
      snapshot(s, pause === 'void' ? 'invoice.voided' : 'invoice.marked_uncollectible');
    } else if (status === 'paid') {
      snapshot(s, 'invoice.paid');
    }
  }

  // 2. Charge what is open and due now, per workspace gateway.
  const exhausted: ExhaustedInvoice[] = [];
  const toCharge = new Map<string, Settlement[]>();
  for (const s of settlements) {
    const row = s.invoice.row;
    // An uncollectible invoice is charged only when asked to (POST /v1/invoices/:id/pay).
    const payable = row.status === 'open' || (row.status === 'uncollectible' && s.chargeNow === true);
    if (!payable || row.collection_method !== 'charge_automatically' || row.amount_due <= 0n || s.chargeNow === false) continue;
    const list = toCharge.get(s.ctx.workspace.id) ?? [];
    list.push(s);
    toCharge.set(s.ctx.workspace.id, list);
  }
  for (const list of toCharge.values()) {
    const ctx = list[0]?.ctx as BillingContext;
    const outcomes = await chargeInvoices(
      ctx,
      list.map((s) => ({
        row: s.invoice.row,
        source: s.paymentSource ?? s.subscriptionPaymentSource ?? s.customer?.paymentSource ?? null,
        isNew: s.isNew !== false,
      })),
      now,
    );
    outcomes.forEach((outcome, i) => {
      const s = list[i] as Settlement;
      // Put off: nothing happened yet, so nothing to tell and no status to change.
      if (outcome.deferred) return;
      if (outcome.succeeded) {
        snapshot(s, 'invoice.paid', 'invoice.payment_succeeded');
      } else {
        snapshot(s, 'invoice.payment_failed');
      }
      if (s.sub) {
        s.sub.status = statusAfterPayment(s.sub.status, s.invoice.row.billing_reason, outcome.succeeded);
        const retry = outcome.retry;
        if (retry?.kind === 'exhausted' && endOfDunning(s.sub, retry.finalAction, now)) {
          exhausted.push({ ctx: s.ctx, invoice: s.invoice.row, subscriptionId: s.sub.id, finalAction: retry.finalAction, at: now });
        }
      }
    });
  }
  // A task for the billing team per invoice whose retries ran out (crm/tasks): read before
  // the numbering lock is taken, queued once numbers are known. Nothing runs otherwise.
  const followUps = exhausted.length > 0 ? await withoutDunningTask(db, exhausted) : [];

  return () => numberAndQueue(db, settlements, finalized, events, balanceChanges, followUps);
}

async function numberAndQueue(
  db: Executor,
  settlements: readonly Settlement[],
  finalized: readonly Settlement[],
  events: readonly InvoiceEvents[],
  balanceChanges: Map<string, { workspace_id: string; id: string; delta: bigint }>,
  followUps: readonly ExhaustedInvoice[],
): Promise<void> {
  // Numbers last: the numbering row's lock lasts until commit, so the less that happens
  // after taking them, the less concurrent batches wait on each other.
  const byWorkspace = groupBy(finalized, (s) => s.ctx.workspace.id);
  const numberOf = new Map<string, string>();
  for (const [workspaceId, list] of byWorkspace) {
    const numbers = await takeInvoiceNumbers(db, workspaceId, list.length);
    list.forEach((s, i) => {
      s.invoice.row.number = numbers[i] as string;
      numberOf.set(`${workspaceId}/${s.invoice.row.id}`, numbers[i] as string);
    });
  }
  for (const event of events) {
    event.invoice.row.number = numberOf.get(`${event.ctx.workspace.id}/${event.invoice.row.id}`) ?? event.invoice.row.number;
    recordInvoiceEvent(event.ctx, event.types, event.invoice);
  }
  if (followUps.length > 0) queueDunningTasks(db, followUps);

  // 3. Writes, deferred to the caller's flush (one statement with its other rows).
  const pending = settlements[0]?.ctx.pending;
  if (!pending) return;
  const fresh = settlements.filter((s) => s.isNew !== false);
  const existing = settlements.filter((s) => s.isNew === false);
  if (fresh.length > 0) {
    deferRows(pending, db, 'invoices', fresh.map((s) => invoiceInsertable(s.invoice.row)));
    deferRows(pending, db, 'invoice_lines', fresh.flatMap((s) => s.invoice.lines.map(invoiceLineInsertable)));
  }
  if (existing.length > 0) {
    pending.inserts.push(bulkUpdate('invoices', ['workspace_id', 'id'], INVOICE_STATE_COLUMNS, existing.map((s) => invoiceState(s.invoice.row))));
  }
  const claimed = fresh.flatMap((s) =>
    s.invoice.lines.filter((l) => l.invoice_item_id !== null).map((l) => ({ workspace_id: l.workspace_id, id: l.invoice_item_id, invoice_id: l.invoice_id })),
  );
  if (claimed.length > 0) {
    pending.inserts.push(bulkUpdate('invoice_items', ['workspace_id', 'id'], { workspace_id: 'text', id: 'text', invoice_id: 'text' }, claimed));
  }
  if (balanceChanges.size > 0) {
    const changes = [...balanceChanges.values()];
    pending.inserts.push(
      sql`UPDATE customers c SET balance = c.balance + u.delta FROM jsonb_to_recordset(${jsonRows(changes)}::jsonb) AS u(workspace_id text, id text, delta bigint) WHERE c.workspace_id = u.workspace_id AND c.id = u.id`,
    );
  }
}
