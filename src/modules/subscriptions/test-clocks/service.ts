import type { Selectable } from 'kysely';
import { invalidRequest, resourceMissing } from '../../../lib/errors.ts';
import { hasPrefix, newId } from '../../../lib/ids.ts';
import { paginate } from '../../../lib/pagination.ts';
import type { RequestContext } from '../../../server/context.ts';
import { fromUnixSeconds, unixSeconds } from '../../../lib/time.ts';
import type { TestClocksTable } from './models.ts';
import { advanceClockTo } from '../../billing/run.ts';
import type { AdvanceTestClockParams, CreateTestClockParams, ListTestClocksParams, TestClockObject } from './schema.ts';

export type TestClockRow = Selectable<TestClocksTable>;

/** Stripe deletes a test clock 30 days after creation. */
const LIFETIME_MS = 30 * 86400_000;

export function testClockObject(row: TestClockRow, target?: Date): TestClockObject {
  return {
    id: row.id,
    object: 'test_helpers.test_clock',
    created: unixSeconds(row.created_at),
    deletes_after: unixSeconds(row.deletes_after),
    frozen_time: unixSeconds(row.frozen_time),
    livemode: false,
    name: row.name,
    status: row.status,
    status_details: target ? { advancing: { target_frozen_time: unixSeconds(target) } } : {},
  };
}

function sandboxOnly(ctx: Pick<RequestContext, 'workspace'>, param?: string): void {
  if (ctx.workspace.mode !== 'sandbox') throw invalidRequest('Test clocks exist only in sandbox workspaces.', param);
}

/** A live test clock of this workspace; `param` names the parameter that referred to it. */
export async function findTestClockRow(
  ctx: Pick<RequestContext, 'db' | 'workspace'>,
  id: string,
  param = 'id',
  options: { lock?: boolean } = {},
): Promise<TestClockRow> {
  sandboxOnly(ctx, param);
  let query = ctx.db.selectFrom('test_clocks').selectAll().where('workspace_id', '=', ctx.workspace.id).where('id', '=', id).where('deleted_at', 'is', null);
  if (options.lock) query = query.forUpdate();
  const row = hasPrefix(id, 'testClock') ? await query.executeTakeFirst() : undefined;
  if (!row) throw resourceMissing('test_clock', id, param);
  return row;
}

/**
 * The time billing runs on for a customer: its test clock's frozen time, or the wall clock.
 * Everything time-based asks this instead of reading the wall clock (ARCHITECTURE "A clock
 * is passed in").
 */
export async function billingTime(ctx: Pick<RequestContext, 'db' | 'workspace'>, testClockId: string | null): Promise<Date> {
  // Whole seconds: Stripe's times are unix seconds, and periods are computed in seconds.
  if (!testClockId) return fromUnixSeconds(unixSeconds(new Date()));
  const row = await ctx.db
    .selectFrom('test_clocks')
    .select('frozen_time')
    .where('workspace_id', '=', ctx.workspace.id)
    .where('id', '=', testClockId)
    .executeTakeFirstOrThrow();
  return row.frozen_time;
}

export async function createTestClock(ctx: RequestContext, params: CreateTestClockParams): Promise<TestClockObject> {
  sandboxOnly(ctx);
  const now = new Date();
  const row = await ctx.db
    .insertInto('test_clocks')
    .values({
      workspace_id: ctx.workspace.id,
      id: newId('testClock', now.getTime()),
      name: params.name ?? null,
      frozen_time: fromUnixSeconds(params.frozen_time),
      deletes_after: new Date(now.getTime() + LIFETIME_MS),
      created_at: now,
      deleted_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return testClockObject(row);
}

export async function retrieveTestClock(ctx: RequestContext, id: string): Promise<TestClockObject> {
  return testClockObject(await findTestClockRow(ctx, id));
}

export async function listTestClocks(ctx: RequestContext, params: ListTestClocksParams): Promise<{ data: TestClockObject[]; hasMore: boolean }> {
  sandboxOnly(ctx);
  const query = ctx.db.selectFrom('test_clocks').selectAll().where('workspace_id', '=', ctx.workspace.id).where('deleted_at', 'is', null);
  const { rows, hasMore } = await paginate(query, params, 'id');
  return { data: rows.map((row) => testClockObject(row)), hasMore };
}

/**
 * Deletes the clock. Its customers keep their history and stay frozen at the clock's last
 * time (Stripe deletes them; we keep billing records).
 */
export async function deleteTestClock(ctx: RequestContext, id: string): Promise<{ id: string; object: 'test_helpers.test_clock'; deleted: true }> {
  await findTestClockRow(ctx, id, 'id', { lock: true });
  await ctx.db.updateTable('test_clocks').set({ deleted_at: new Date() }).where('workspace_id', '=', ctx.workspace.id).where('id', '=', id).execute();
  return { id, object: 'test_helpers.test_clock', deleted: true };
}

/**
 * Moves the clock to `frozen_time`, running everything due on its customers in between in
 * time order (billing/run.ts). It runs within the request, so the answer is `ready`.
 */
export async function advanceTestClock(ctx: RequestContext, id: string, params: AdvanceTestClockParams): Promise<TestClockObject> {
  const clock = await findTestClockRow(ctx, id, 'id', { lock: true });
  const target = fromUnixSeconds(params.frozen_time);
  if (target.getTime() <= clock.frozen_time.getTime()) {
    throw invalidRequest('The frozen_time must be after the test clock\'s current frozen_time.', 'frozen_time');
  }
  await advanceClockTo(ctx.db, ctx.gateways, ctx.workspace.id, id, target);
  const row = await ctx.db
    .updateTable('test_clocks')
    .set({ frozen_time: target, status: 'ready' })
    .where('workspace_id', '=', ctx.workspace.id)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return testClockObject(row);
}
