import { useState } from 'react';
import type { Customer, List, SearchResult } from '../../api.ts';
import { useCursorPaging } from '../../components/Pager.tsx';
import { useV1Query } from '../../hooks.ts';

export const PAGE_SIZE = 20;
export const MIN_SEARCH_LENGTH = 3;

/** A quoted string in the search language: 'it''s' is written 'it\'s'. */
function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** The search query for what was typed, or null to list instead (too short to search). */
export function customerSearchQuery(input: string): string | null {
  const text = input.trim();
  if (text.length < MIN_SEARCH_LENGTH) return null;
  if (text.includes('@')) return `email~${quote(text)}`;
  return `name~${quote(text)} OR email~${quote(text)}`;
}

/**
 * One page of customers: the list endpoint (cursor paging) with no search, the search
 * endpoint (page tokens, remembered for going back) with one.
 */
export function useCustomerResults(term: string) {
  const query = customerSearchQuery(term);
  const paging = useCursorPaging();
  const [pages, setPages] = useState<string[]>([]);
  // A new search starts from its first page (reset while rendering: no request for the stale page).
  const [pagedQuery, setPagedQuery] = useState(query);
  if (pagedQuery !== query) {
    setPagedQuery(query);
    paging.reset();
    setPages([]);
  }

  const list = useV1Query<List<Customer>>('/v1/customers', { limit: PAGE_SIZE, ...(paging.cursor ?? {}) }, { enabled: query === null, keepPrevious: true });
  const search = useV1Query<SearchResult<Customer>>(
    '/v1/customers/search',
    { query: query ?? '', limit: PAGE_SIZE, page: pages.at(-1) },
    { enabled: query !== null, keepPrevious: true },
  );

  if (query === null) {
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
