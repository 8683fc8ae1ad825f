/**
 * Subscription schedules: phases of items a subscription moves through. Phase changes take
 * effect at the renewal that starts the next phase (billing run, renewals.ts), so phases
 * normally end on period ends (as `iterations` makes them); end_behavior=cancel becomes the
 * subscription's cancel_at, release lets it run on.
 */
import { invalidRequest, resourceMissing } from '../../../lib/errors.ts';
import { hasPrefix, newId } from '../../../lib/ids.ts';
import { paginate } from '../../../lib/pagination.ts';
import { applyMetadata } from '../../../lib/params.ts';
import { livemode, type RequestContext } from '../../../server/context.ts';
import { fromUnixSeconds, unixSeconds, unixSecondsOrNull } from '../../../lib/time.ts';
import type { Executor } from '../../../db/database.ts';
import { recordEvent } from '../../events/service.ts';
import { updateSubscription } from '../changes.ts';
import type { SubscriptionRow } from '../models.ts';
import { periodStart } from '../periods.ts';
import { nextActionDate } from '../renewals.ts';
import { checkRecurringPrice, loadPrices } from '../references.ts';
import { cancelSubscription, createSubscription, findSubscriptionRow, saveSubscription } from '../service.ts';
import { billingTime } from '../test-clocks/service.ts';
import type { ScheduleRow, SchedulePhase } from './models.ts';
import type { CreateScheduleParams, ListSchedulesParams, PhaseParam, ScheduleObject, UpdateScheduleParams } from './schema.ts';


export function scheduleObject(row: ScheduleRow, ctx: Pick<RequestContext, 'workspace'>): ScheduleObject {
  const current = row.status === 'active' ? row.phases[row.current_phase] : undefined;
  return {
    id: row.id,
    object: 'subscription_schedule',
    canceled_at: unixSecondsOrNull(row.canceled_at),
    completed_at: unixSecondsOrNull(row.completed_at),
    created: unixSeconds(row.created_at),
    current_phase: current ? { start_date: current.start_date, end_date: current.end_date } : null,
    customer: row.customer_id,
    end_behavior: row.end_behavior,
    livemode: livemode(ctx.workspace),
    metadata: row.metadata,
    phases: row.phases.map((p) => ({ ...p, items: p.items.map((i) => ({ ...i, tax_rates: i.tax_rates ?? [] })) })),
    released_at: unixSecondsOrNull(row.released_at),
    released_subscription: row.released_subscription_id,
    status: row.status,
    subscription: row.subscription_id,
    test_clock: row.test_clock_id,
  };
}

async function findRow(ctx: RequestContext, id: string, lock = false): Promise<ScheduleRow> {
  let query = ctx.db.selectFrom('subscription_schedules').selectAll().where('workspace_id', '=', ctx.workspace.id).where('id', '=', id);
  if (lock) query = query.forUpdate();
  const row = hasPrefix(id, 'subscriptionSchedule') ? await query.executeTakeFirst() : undefined;
  if (!row) throw resourceMissing('subscription_schedule', id);
  return row;
}

/** Phases from parameters: contiguous, each ending at end_date or after `iterations` intervals. */
async function resolvePhases(ctx: RequestContext, params: readonly PhaseParam[], start: number, currency: string): Promise<SchedulePhase[]> {
  if (params.length === 0) throw invalidRequest('A schedule needs at least one phase.', 'phases');
  const prices = await loadPrices(ctx, params.flatMap((p, i) => p.items.map((item, j) => ({ id: item.price, param: `phases[${i}][items][${j}][price]` }))));
  const phases: SchedulePhase[] = [];
  let at = start;
  for (const [i, p] of params.entries()) {
    if (p.items.length === 0) throw invalidRequest('A phase needs at least one item.', `phases[${i}][items]`);
    const first = prices.get(p.items[0]?.price ?? '');
    for (const [j, item] of p.items.entries()) {
      const price = prices.get(item.price);
      if (!price || !first) continue;
      checkRecurringPrice(price, currency, `phases[${i}][items][${j}][price]`, true);
      if (price.recurring_interval !== first.recurring_interval || price.recurring_interval_count !== first.recurring_interval_count) {
        throw invalidRequest('All items of a phase must share one billing interval.', `phases[${i}][items][${j}][price]`);
      }
    }
    let end: number;
    const given = [p.end_date, p.duration, p.iterations].filter((v) => v !== undefined).length;
    if (given > 1) throw invalidRequest('Give one of end_date, duration or iterations.', `phases[${i}][end_date]`);
    if (p.end_date !== undefined) end = p.end_date;
    else if (p.duration !== undefined) end = periodStart(at, p.duration.interval, p.duration.interval_count ?? 1, 1);
    else if (p.iterations !== undefined && first?.recurring_interval) end = periodStart(at, first.recurring_interval, first.recurring_interval_count ?? 1, p.iterations);
    else throw invalidRequest('Each phase needs end_date, duration or iterations.', `phases[${i}][end_date]`);
    if (end <= at) throw invalidRequest('A phase must end after it starts.', `phases[${i}][end_date]`);
    phases.push({
      start_date: at,
      end_date: end,
      items: p.items.map((item) => ({ price: item.price, quantity: item.quantity ?? 1, tax_rates: item.tax_rates ?? null })),
      proration_behavior: p.proration_behavior ?? 'create_prorations',
      metadata: applyMetadata({}, p.metadata),
    });
    at = end;
  }
  return phases;
}

/** end_behavior=cancel: the subscription ends with the last phase. */
async function applyEndBehavior(ctx: RequestContext, subscriptionId: string, row: Pick<ScheduleRow, 'end_behavior' | 'phases'>): Promise<void> {
  const sub = await findSubscriptionRow(ctx, subscriptionId, { lock: true });
  const last = row.phases.at(-1);
  sub.cancel_at = row.end_behavior === 'cancel' && last ? fromUnixSeconds(last.end_date) : null;
  sub.next_action_at = nextActionDate(sub);
  await saveSubscription(ctx, sub);
}

async function insertSchedule(ctx: RequestContext, row: ScheduleRow): Promise<ScheduleObject> {
  await ctx.db.insertInto('subscription_schedules').values({ ...row, phases: JSON.stringify(row.phases), metadata: JSON.stringify(row.metadata) }).execute();
  const object = scheduleObject(row, ctx);
  recordEvent(ctx, 'subscription_schedule.created', object);
  return object;
}

export async function createSchedule(ctx: RequestContext, params: CreateScheduleParams): Promise<ScheduleObject> {
  if ((params.from_subscription === undefined) === (params.customer === undefined)) {
    throw invalidRequest('Give either from_subscription or customer (with phases).', 'from_subscription');
  }
  let sub: SubscriptionRow;
  let phases: SchedulePhase[];
  if (params.from_subscription !== undefined) {
    if (params.phases) throw invalidRequest('With from_subscription, set phases with an update afterwards (as Stripe).', 'phases');
    sub = await findSubscriptionRow(ctx, params.from_subscription, { lock: true });
    if (sub.schedule_id) throw invalidRequest(`The subscription already has the schedule ${sub.schedule_id}.`, 'from_subscription');
    if (sub.status === 'canceled' || sub.status === 'incomplete_expired') throw invalidRequest('The subscription has ended.', 'from_subscription');
    const items = await ctx.db.selectFrom('subscription_items').selectAll().where('workspace_id', '=', ctx.workspace.id).where('subscription_id', '=', sub.id).orderBy('id').execute();
    phases = [
      {
        start_date: unixSeconds(sub.current_period_start),
        end_date: unixSeconds(sub.current_period_end),
        items: items.map((i) => ({ price: i.price_id, quantity: Number(i.quantity), tax_rates: i.tax_rate_ids })),
        proration_behavior: 'create_prorations',
        metadata: {},
      },
    ];
  } else {
    if (!params.phases) throw invalidRequest('A schedule for a customer needs phases.', 'phases');
    if (params.start_date !== undefined && params.start_date !== 'now') {
      throw invalidRequest('Schedules start now; a future start_date is not supported yet.', 'start_date');
    }
    const first = params.phases[0];
    const created = await createSubscription(ctx, {
      customer: params.customer as string,
      items: (first?.items ?? []).map((i) => ({ price: i.price, quantity: i.quantity, tax_rates: i.tax_rates })),
    });
    sub = await findSubscriptionRow(ctx, created.id, { lock: true });
    phases = await resolvePhases(ctx, params.phases, unixSeconds(sub.start_date), sub.currency);
  }
  const now = await billingTime(ctx, sub.test_clock_id);
  const row: ScheduleRow = {
    workspace_id: ctx.workspace.id,
    id: newId('subscriptionSchedule', now.getTime()),
    customer_id: sub.customer_id,
    subscription_id: sub.id,
    status: 'active',
    end_behavior: params.end_behavior ?? 'release',
    phases,
    current_phase: 0,
    released_subscription_id: null,
    test_clock_id: sub.test_clock_id,
    metadata: applyMetadata({}, params.metadata),
    canceled_at: null,
    completed_at: null,
    released_at: null,
    created_at: now,
    updated_at: now,
  };
  await ctx.db.updateTable('subscriptions').set({ schedule_id: row.id }).where('workspace_id', '=', ctx.workspace.id).where('id', '=', sub.id).execute();
  const object = await insertSchedule(ctx, row);
  await applyEndBehavior(ctx, sub.id, row);
  return object;
}

function sameItems(a: SchedulePhase['items'], b: SchedulePhase['items']): boolean {
  const key = (items: SchedulePhase['items']) => JSON.stringify(items.map((i) => [i.price, i.quantity]).sort());
  return key(a) === key(b);
}

/** Replaces the phases from the current one on; the current phase keeps its start and items. */
export async function updateSchedule(ctx: RequestContext, id: string, params: UpdateScheduleParams): Promise<ScheduleObject> {
  const row = await findRow(ctx, id, true);
  if (row.status !== 'active' || !row.subscription_id) throw invalidRequest(`The schedule is ${row.status}; it cannot be changed.`);
  const sub = await findSubscriptionRow(ctx, row.subscription_id);
  const current = row.phases[row.current_phase] as SchedulePhase;
  let phases = row.phases.slice(row.current_phase);
  if (params.phases) {
    const start = params.phases[0]?.start_date;
    if (start !== undefined && start !== 'now' && start !== current.start_date) {
      throw invalidRequest("The first phase must keep the current phase's start_date.", 'phases[0][start_date]');
    }
    phases = await resolvePhases(ctx, params.phases, current.start_date, sub.currency);
    if (!sameItems(phases[0]?.items ?? [], current.items)) {
      // The current phase's items changing now is a subscription change: made with its prorations.
      const items = await ctx.db.selectFrom('subscription_items').select(['id']).where('workspace_id', '=', ctx.workspace.id).where('subscription_id', '=', sub.id).execute();
      await updateSubscription(ctx, sub.id, {
        items: [
          ...items.map((i) => ({ id: i.id, deleted: true })),
          ...(phases[0]?.items ?? []).map((i) => ({ price: i.price, quantity: i.quantity, ...(i.tax_rates ? { tax_rates: i.tax_rates } : {}) })),
        ],
        proration_behavior: params.proration_behavior ?? phases[0]?.proration_behavior ?? 'create_prorations',
      });
    }
  }
  const updated = await ctx.db
    .updateTable('subscription_schedules')
    .set({
      phases: JSON.stringify(phases),
      current_phase: 0,
      end_behavior: params.end_behavior ?? row.end_behavior,
      metadata: JSON.stringify(applyMetadata(row.metadata, params.metadata)),
      updated_at: new Date(),
    })
    .where('workspace_id', '=', ctx.workspace.id)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await applyEndBehavior(ctx, sub.id, updated);
  const object = scheduleObject(updated, ctx);
  recordEvent(ctx, 'subscription_schedule.updated', object);
  return object;
}

async function endSchedule(ctx: RequestContext, id: string, how: 'canceled' | 'released'): Promise<ScheduleObject> {
  const row = await findRow(ctx, id, true);
  if (row.status !== 'active' && row.status !== 'not_started') throw invalidRequest(`The schedule is already ${row.status}.`);
  const now = row.subscription_id ? await billingTime(ctx, row.test_clock_id) : new Date();
  if (row.subscription_id) {
    if (how === 'canceled') {
      await cancelSubscription(ctx, row.subscription_id, {});
    } else {
      const sub = await findSubscriptionRow(ctx, row.subscription_id, { lock: true });
      sub.schedule_id = null;
      if (row.end_behavior === 'cancel') sub.cancel_at = null;
          sub.next_action_at = nextActionDate(sub);
      await saveSubscription(ctx, sub);
    }
  }
  const updated = await ctx.db
    .updateTable('subscription_schedules')
    .set(
      how === 'canceled'
        ? { status: 'canceled', canceled_at: now, updated_at: now }
        : { status: 'released', released_at: now, released_subscription_id: row.subscription_id, subscription_id: null, updated_at: now },
    )
    .where('workspace_id', '=', ctx.workspace.id)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  const object = scheduleObject(updated, ctx);
  recordEvent(ctx, `subscription_schedule.${how}`, object);
  return object;
}

export const cancelSchedule = (ctx: RequestContext, id: string) => endSchedule(ctx, id, 'canceled');
export const releaseSchedule = (ctx: RequestContext, id: string) => endSchedule(ctx, id, 'released');

export async function retrieveSchedule(ctx: RequestContext, id: string): Promise<ScheduleObject> {
  return scheduleObject(await findRow(ctx, id), ctx);
}

export async function listSchedules(ctx: RequestContext, params: ListSchedulesParams): Promise<{ data: ScheduleObject[]; hasMore: boolean }> {
  let query = ctx.db.selectFrom('subscription_schedules').selectAll().where('workspace_id', '=', ctx.workspace.id);
  if (params.customer) query = query.where('customer_id', '=', params.customer);
  const { rows, hasMore } = await paginate(query, params, 'id');
  return { data: rows.map((row) => scheduleObject(row, ctx)), hasMore };
}

/**
 * The billing run's part: before renewing subscriptions at `at`, moves those whose schedule
 * phase has ended into the next phase (their items replaced), or releases / completes the
 * schedule after its last phase. Rare, so one subscription at a time.
 */
export async function advanceSchedules(db: Executor, subs: readonly SubscriptionRow[], at: (sub: SubscriptionRow) => Date): Promise<void> {
  for (const sub of subs) {
    if (!sub.schedule_id) continue;
    const row = await db.selectFrom('subscription_schedules').selectAll().where('workspace_id', '=', sub.workspace_id).where('id', '=', sub.schedule_id).forUpdate().executeTakeFirst();
    if (!row || row.status !== 'active') continue;
    const when = at(sub);
    const phase = row.phases[row.current_phase];
    if (!phase || phase.end_date > unixSeconds(when)) continue;
    const next = row.phases[row.current_phase + 1];
    if (next) {
      await db.deleteFrom('subscription_items').where('workspace_id', '=', sub.workspace_id).where('subscription_id', '=', sub.id).execute();
      await db
        .insertInto('subscription_items')
        .values(
          next.items.map((item) => ({
            workspace_id: sub.workspace_id,
            id: newId('subscriptionItem', when.getTime()),
            subscription_id: sub.id,
            price_id: item.price,
            quantity: BigInt(item.quantity),
            tax_rate_ids: item.tax_rates,
            metadata: '{}',
            created_at: when,
          })),
        )
        .execute();
      await db.updateTable('subscription_schedules').set({ current_phase: row.current_phase + 1, updated_at: when }).where('workspace_id', '=', sub.workspace_id).where('id', '=', row.id).execute();
    } else if (row.end_behavior === 'release') {
      sub.schedule_id = null;
      await db
        .updateTable('subscription_schedules')
        .set({ status: 'released', released_at: when, released_subscription_id: sub.id, subscription_id: null, updated_at: when })
        .where('workspace_id', '=', sub.workspace_id)
        .where('id', '=', row.id)
        .execute();
    } else {
      await db.updateTable('subscription_schedules').set({ status: 'completed', completed_at: when, updated_at: when }).where('workspace_id', '=', sub.workspace_id).where('id', '=', row.id).execute();
    }
  }
}
