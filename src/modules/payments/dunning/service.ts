import type { Executor } from '../../../db/database.ts';
import { invalidRequest } from '../../../lib/errors.ts';
import { fromUnixSeconds, unixSeconds } from '../../../lib/time.ts';
import { livemode, type RequestContext } from '../../../server/context.ts';
import { settleExisting } from '../../billing/invoices/due.ts';
import type { InvoiceRow } from '../../billing/invoices/models.ts';
import type { Settlement } from '../../billing/invoices/settle.ts';
import { billingTime } from '../../subscriptions/test-clocks/service.ts';
import type { DunningSettingsObject, UpdateDunningSettingsParams } from './schema.ts';
import { afterFailedAttempt, DEFAULT_DUNNING_POLICY, retryDaysProblem, type DunningPolicy, type RetryDecision } from './schedule.ts';

/** The workspace's policy, or the default when it has not set one. */
export async function dunningPolicy(db: Executor, workspaceId: string): Promise<DunningPolicy> {
  const row = await db.selectFrom('dunning_settings').select(['retry_days', 'final_action']).where('workspace_id', '=', workspaceId).executeTakeFirst();
  return row ? { retryDays: row.retry_days, finalAction: row.final_action } : DEFAULT_DUNNING_POLICY;
}

/**
 * After a failed charge of `row` (its attempt already counted): when to try again, set on
 * the row as `next_payment_attempt`. A subscription's first invoice is not retried: the
 * subscription stays `incomplete` and expires after 23 hours, as Stripe's does.
 */
export function scheduleRetry(
  policy: DunningPolicy,
  row: InvoiceRow,
  failure: { declineCode: string | null; hasPaymentMethod: boolean },
  now: Date,
): RetryDecision | null {
  if (row.billing_reason === 'subscription_create') {
    row.next_payment_attempt = null;
    return null;
  }
  row.payment_failed_at ??= now;
  const decision = afterFailedAttempt(
    policy,
    { firstFailureAt: unixSeconds(row.payment_failed_at), failedAttempts: row.attempt_count, ...failure },
    unixSeconds(now),
  );
  row.next_payment_attempt = decision.kind === 'retry' ? fromUnixSeconds(decision.at) : null;
  return decision;
}

export async function retrieveDunningSettings(ctx: RequestContext): Promise<DunningSettingsObject> {
  const policy = await dunningPolicy(ctx.db, ctx.workspace.id);
  return { object: 'dunning_settings', retry_days: [...policy.retryDays], final_action: policy.finalAction, livemode: livemode(ctx.workspace) };
}

export async function updateDunningSettings(ctx: RequestContext, params: UpdateDunningSettingsParams): Promise<DunningSettingsObject> {
  const current = await dunningPolicy(ctx.db, ctx.workspace.id);
  const retryDays = params.retry_days ?? [...current.retryDays];
  const problem = retryDaysProblem(retryDays);
  if (problem) throw invalidRequest(`Invalid retry_days: ${problem}.`, 'retry_days');
  const finalAction = params.final_action ?? current.finalAction;
  await ctx.db
    .insertInto('dunning_settings')
    .values({ workspace_id: ctx.workspace.id, retry_days: retryDays, final_action: finalAction })
    .onConflict((oc) => oc.column('workspace_id').doUpdateSet({ retry_days: retryDays, final_action: finalAction, updated_at: new Date() }))
    .execute();
  return { object: 'dunning_settings', retry_days: retryDays, final_action: finalAction, livemode: livemode(ctx.workspace) };
}

/**
 * A new default card (the customer's, or one subscription's): the invoices it pays that are
 * in dunning are tried again at once, in this request (BILLING.md: "a new card triggers an
 * immediate retry"). A failure counts as one more attempt on the schedule; it does not fail
 * the request. Returns what was settled (the subscriptions' new statuses among it).
 */
export async function retryWithNewCard(
  ctx: RequestContext,
  owner: { customerId: string; subscriptionId?: string; testClockId: string | null },
): Promise<Settlement[]> {
  let query = ctx.db
    .selectFrom('invoices')
    .selectAll()
    .where('workspace_id', '=', ctx.workspace.id)
    .where('customer_id', '=', owner.customerId)
    .where('status', '=', 'open')
    .where('collection_method', '=', 'charge_automatically')
    .where('payment_failed_at', 'is not', null);
  if (owner.subscriptionId) query = query.where('subscription_id', '=', owner.subscriptionId);
  const rows = await query.orderBy('id').forUpdate().execute();
  if (rows.length === 0) return [];
  const now = await billingTime(ctx, owner.testClockId);
  const withWorkspace = rows.map((row) => ({ ...row, mode: ctx.workspace.mode, account_id: ctx.workspace.accountId }));
  return settleExisting(ctx.db, ctx.gateways, withWorkspace, now, { finalize: false, ctx, chargeNow: true });
}
