import { decodePage, nextPage, searchCondition, type SearchFields } from '../../db/search.ts';
import { idPattern } from '../../lib/ids.ts';
import { paginate } from '../../lib/pagination.ts';
import { parseSearchQuery } from '../../lib/search-query.ts';
import type { RequestContext } from '../../server/context.ts';
import type { SubscriptionObject } from './objects.ts';
import type { SearchSubscriptionsParams } from './schema.ts';
import { subscriptionObjectsOf } from './service.ts';

/**
 * Stripe's query fields for subscriptions, and only those (docs.stripe.com/search): no
 * `customer`, which Stripe's subscription search does not offer (the list's filter does).
 */
const SUBSCRIPTION_SEARCH: SearchFields = {
  resource: 'subscriptions',
  keyword: ['status'],
  timestamp: { created: 'created_at' },
  metadata: true,
};

/** Unlike the list, search covers every status, canceled subscriptions too, as Stripe's does. */
export async function searchSubscriptions(
  ctx: RequestContext,
  params: SearchSubscriptionsParams,
): Promise<{ data: SubscriptionObject[]; hasMore: boolean; nextPage: string | null }> {
  const query = ctx.db
    .selectFrom('subscriptions')
    .selectAll()
    .where('workspace_id', '=', ctx.workspace.id)
    .where(searchCondition(parseSearchQuery(params.query), SUBSCRIPTION_SEARCH));
  const page = { limit: params.limit, starting_after: decodePage(params.page, idPattern('subscription')) };
  const { rows, hasMore } = await paginate(query, page, 'id');
  return { data: await subscriptionObjectsOf(ctx, rows), hasMore, nextPage: nextPage(rows, hasMore) };
}
