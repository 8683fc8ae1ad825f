import type { RequestContext } from '../../server/context.ts';
import { recordUpdate } from '../events/service.ts';
import { customerObject } from './service.ts';

/**
 * Changes a customer's balance by `delta` (Stripe's sign: negative is credit the customer
 * holds, applied to their next invoices) and records `customer.updated` with the old
 * balance. Deleted customers keep their balance too: it is still owed.
 */
export async function adjustBalance(ctx: RequestContext, customerId: string, delta: bigint): Promise<void> {
  if (delta === 0n) return;
  const before = await ctx.db
    .selectFrom('customers')
    .selectAll()
    .where('workspace_id', '=', ctx.workspace.id)
    .where('id', '=', customerId)
    .forNoKeyUpdate()
    .executeTakeFirstOrThrow();
  const after = await ctx.db
    .updateTable('customers')
    .set({ balance: before.balance + delta, updated_at: new Date() })
    .where('workspace_id', '=', ctx.workspace.id)
    .where('id', '=', customerId)
    .returningAll()
    .executeTakeFirstOrThrow();
  recordUpdate(ctx, 'customer.updated', customerObject(before, ctx), customerObject(after, ctx));
}
