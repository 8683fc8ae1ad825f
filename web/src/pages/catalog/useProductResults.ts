import { useState } from 'react';
import type { List, Product, SearchResult } from '../../api.ts';
import { useCursorPaging } from '../../components/Pager.tsx';
import { useV1Query } from '../../hooks.ts';

export const PAGE_SIZE = 20;
export const MIN_SEARCH_LENGTH = 2;

function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** The search query for what was typed, or null to list instead. */
export function productSearchQuery(input: string): string | null {
  const text = input.trim();
  return text.length < MIN_SEARCH_LENGTH ? null : `name~${quote(text)}`;
}

/** One page of products: the list (cursor paging) with no search, the search endpoint (page tokens) with one. */
export function useProductResults(term: string) {
  const query = productSearchQuery(term);
  const paging = useCursorPaging();
  const [pages, setPages] = useState<string[]>([]);
  const [pagedQuery, setPagedQuery] = useState(query);
  if (pagedQuery !== query) {
    setPagedQuery(query);
    paging.reset();
    setPages([]);
  }
  const list = useV1Query<List<Product>>('/v1/products', { limit: PAGE_SIZE, ...(paging.cursor ?? {}) }, { enabled: query === null, keepPrevious: true });
  const search = useV1Query<SearchResult<Product>>(
    '/v1/products/search',
    { query: query ?? '', limit: PAGE_SIZE, page: pages.at(-1) },
    { enabled: query !== null, keepPrevious: true },
  );
  if (query === null) {
    const data = list.data?.data ?? [];
    return { mode: 'list' as const, result: list, data, ...paging.pageInfo(data, list.data?.has_more ?? false), firstPage: paging.cursor === null };
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
