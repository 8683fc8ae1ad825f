import { useState } from 'react';
import type { List, Query, SearchResult } from './api.ts';
import { useCursorPaging } from './components/Pager.tsx';
import { useV1Query } from './hooks.ts';

export const PAGE_SIZE = 20;

/** A quoted string in Stripe's search language: it's is written 'it\'s'. */
export function searchString(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/**
 * One page of a resource: its list endpoint (cursor paging) when `searchQuery` is null, its
 * search endpoint (page tokens, remembered for going back) otherwise.
 */
export function useSearchableList<T extends { id: string }>(path: string, searchQuery: string | null) {
  const paging = useCursorPaging();
  const [pages, setPages] = useState<string[]>([]);
  // A new search starts from its first page (reset while rendering: no request for the stale page).
  const [pagedQuery, setPagedQuery] = useState(searchQuery);
  if (pagedQuery !== searchQuery) {
    setPagedQuery(searchQuery);
    paging.reset();
    setPages([]);
  }

  const list = useV1Query<List<T>>(path, { limit: PAGE_SIZE, ...(paging.cursor ?? {}) }, { enabled: searchQuery === null, keepPrevious: true });
  const search = useV1Query<SearchResult<T>>(
    `${path}/search`,
    { query: searchQuery ?? '', limit: PAGE_SIZE, page: pages.at(-1) },
    { enabled: searchQuery !== null, keepPrevious: true },
  );

  if (searchQuery === null) {
    const data = list.data?.data ?? [];
    const info = paging.pageInfo(data, list.data?.has_more ?? false);
    return { mode: 'list' as const, result: list, data, ...info, firstPage: paging.cursor === null };
  }
  const data = search.data?.data ?? [];
  const nextPage = search.data?.next_page ?? null;
  return {
    mode: 'search' as const,
    result: search,
    data,
    hasNext: Boolean(search.data?.has_more && nextPage),
    hasPrev: pages.length > 0,
    next: () => {
      if (nextPage) setPages((p) => [...p, nextPage]);
    },
    prev: () => setPages((p) => p.slice(0, -1)),
    firstPage: pages.length === 0,
  };
}

/**
 * One page of a list endpoint with filters (cursor paging): a change of filters starts again
 * from the first page, as a cursor from another filter would skip or repeat rows.
 */
export function usePagedList<T extends { id: string }>(path: string, filters: Query = {}) {
  const paging = useCursorPaging();
  const filterKey = JSON.stringify(filters);
  const [pagedKey, setPagedKey] = useState(filterKey);
  if (pagedKey !== filterKey) {
    setPagedKey(filterKey);
    paging.reset();
  }
  const result = useV1Query<List<T>>(path, { ...filters, limit: PAGE_SIZE, ...(paging.cursor ?? {}) }, { keepPrevious: true });
  const data = result.data?.data ?? [];
  return { result, data, ...paging.pageInfo(data, result.data?.has_more ?? false), firstPage: paging.cursor === null };
}
