import type { Customer } from '../../api.ts';
import { searchString, useSearchableList } from '../../searchableList.ts';

export const MIN_SEARCH_LENGTH = 3;

/** The search query for what was typed, or null to list instead (too short to search). */
export function customerSearchQuery(input: string): string | null {
  const text = input.trim();
  if (text.length < MIN_SEARCH_LENGTH) return null;
  if (text.includes('@')) return `email~${searchString(text)}`;
  return `name~${searchString(text)} OR email~${searchString(text)}`;
}

export function useCustomerResults(term: string) {
  return useSearchableList<Customer>('/v1/customers', customerSearchQuery(term));
}
