import { sql, type SelectQueryBuilder } from 'kysely';
import { invalidRequest, resourceMissing } from './errors.ts';
import type { RangeFilter } from './params.ts';

/**
 * Stripe-style cursor lists, newest first. Ids sort in creation order, so a cursor is a
 * range condition on the id column.
 */
export interface ListParams {
  limit?: number | undefined;
  starting_after?: string | undefined;
  ending_before?: string | undefined;
}

export interface List<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
  url: string;
}

export const DEFAULT_LIMIT = 10;

function pageLimit(params: ListParams): number {
  if (params.starting_after && params.ending_before) {
    throw invalidRequest('You may only specify one of these parameters: starting_after, ending_before.', 'ending_before');
  }
  return params.limit ?? DEFAULT_LIMIT;
}

export async function paginate<DB, TB extends keyof DB, Row>(
  query: SelectQueryBuilder<DB, TB, Row>,
  params: ListParams,
  idColumn: string,
): Promise<{ rows: Row[]; hasMore: boolean }> {
  const limit = pageLimit(params);
  const id = sql.ref(idColumn);
  if (params.ending_before) {
    const rows = await query
      .where(id, '>', params.ending_before)
      .orderBy(id, 'asc')
      .limit(limit + 1)
      .execute();
    return { rows: rows.slice(0, limit).reverse(), hasMore: rows.length > limit };
  }
  const page = params.starting_after ? query.where(id, '<', params.starting_after) : query;
  const rows = await page
    .orderBy(id, 'desc')
    .limit(limit + 1)
    .execute();
  return { rows: rows.slice(0, limit), hasMore: rows.length > limit };
}

export function list<T>(url: string, data: T[], hasMore: boolean): List<T> {
  return { object: 'list', data, has_more: hasMore, url };
}

/** `GET /v1/<resources>/search`'s answer: a list with `next_page` for the `page` parameter. */
export interface SearchResult<T> {
  object: 'search_result';
  data: T[];
  has_more: boolean;
  next_page: string | null;
  url: string;
}

export function searchResult<T>(url: string, page: { data: T[]; hasMore: boolean; nextPage: string | null }): SearchResult<T> {
  return { object: 'search_result', data: page.data, has_more: page.hasMore, next_page: page.nextPage, url };
}

/** Applies `created=…` / `created[gte]=…` to a timestamp column. */
export function whereCreated<DB, TB extends keyof DB, Row>(
  query: SelectQueryBuilder<DB, TB, Row>,
  filter: RangeFilter | undefined,
  column: string,
): SelectQueryBuilder<DB, TB, Row> {
  if (filter === undefined) return query;
  const col = sql.ref(column);
  const at = (seconds: number) => new Date(seconds * 1000);
  if (typeof filter === 'number') {
    return query.where(col, '>=', at(filter)).where(col, '<', at(filter + 1));
  }
  let q = query;
  if (filter.gt !== undefined) q = q.where(col, '>=', at(filter.gt + 1));
  if (filter.gte !== undefined) q = q.where(col, '>=', at(filter.gte));
  if (filter.lt !== undefined) q = q.where(col, '<', at(filter.lt));
  if (filter.lte !== undefined) q = q.where(col, '<', at(filter.lte + 1));
  return q;
}

/**
 * The same lists for objects whose ids the caller may choose (products, coupons): such ids
 * do not sort by creation, so the order and the cursor are (created_at, id). A cursor naming
 * no object is a 404 on the cursor's parameter (or `cursorParam`, e.g. search's `page`).
 */
export async function paginateByCreation<DB, TB extends keyof DB, Row>(
  query: SelectQueryBuilder<DB, TB, Row>,
  params: ListParams,
  cursor: { objectName: string; createdAt(id: string): Promise<Date | undefined>; cursorParam?: string },
): Promise<{ rows: Row[]; hasMore: boolean }> {
  const limit = pageLimit(params);
  const position = async (id: string, param: string) => {
    const createdAt = await cursor.createdAt(id);
    if (!createdAt) throw resourceMissing(cursor.objectName, id, cursor.cursorParam ?? param);
    return sql`(${createdAt}::timestamptz, ${id}::text)`;
  };
  const key = sql`(${sql.ref('created_at')}, ${sql.ref('id')})`;
  if (params.ending_before) {
    const at = await position(params.ending_before, 'ending_before');
    const rows = await query
      .where(sql<boolean>`${key} > ${at}`)
      .orderBy(sql.ref('created_at'), 'asc')
      .orderBy(sql.ref('id'), 'asc')
      .limit(limit + 1)
      .execute();
    return { rows: rows.slice(0, limit).reverse(), hasMore: rows.length > limit };
  }
  const page = params.starting_after ? query.where(sql<boolean>`${key} < ${await position(params.starting_after, 'starting_after')}`) : query;
  const rows = await page
    .orderBy(sql.ref('created_at'), 'desc')
    .orderBy(sql.ref('id'), 'desc')
    .limit(limit + 1)
    .execute();
  return { rows: rows.slice(0, limit), hasMore: rows.length > limit };
}
