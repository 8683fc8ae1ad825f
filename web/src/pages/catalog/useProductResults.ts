import type { Product } from '../../api.ts';
import { searchString, useSearchableList } from '../../searchableList.ts';

export const MIN_SEARCH_LENGTH = 2;

/** The search query for what was typed, or null to list instead. */
export function productSearchQuery(input: string): string | null {
  const text = input.trim();
  return text.length < MIN_SEARCH_LENGTH ? null : `name~${searchString(text)}`;
}

export function useProductResults(term: string) {
  return useSearchableList<Product>('/v1/products', productSearchQuery(term));
}
