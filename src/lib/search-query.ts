import { invalidRequest } from './errors.ts';

/**
 * Stripe's search query language, e.g.
 *   email:'jane@example.com' AND metadata['plan']:'pro'
 *   name~'jan' OR -created<1700000000
 * Clauses joined by AND or OR (not both), at most 10; `~` is substring (3+ characters);
 * `-` negates; strings are quoted, numbers are not; `null` matches a missing value.
 */
export type SearchOperator = ':' | '~' | '>' | '<' | '>=' | '<=';

export interface SearchClause {
  field: string;
  metadataKey?: string;
  operator: SearchOperator;
  value: string | number | null;
  negated: boolean;
}

export interface SearchQuery {
  combinator: 'AND' | 'OR';
  clauses: SearchClause[];
}

const MAX_CLAUSES = 10;

function fail(message: string): never {
  throw invalidRequest(`Invalid search query: ${message}`, 'query', 'search_query_invalid');
}

export function parseSearchQuery(input: string): SearchQuery {
  let pos = 0;
  const src = input.trim();
  const skipSpaces = () => {
    while (pos < src.length && /\s/.test(src[pos] as string)) pos++;
  };
  const quoted = (): string => {
    const quote = src[pos];
    if (quote !== "'" && quote !== '"') fail(`expected a quoted string at position ${pos}.`);
    pos++;
    let out = '';
    while (pos < src.length && src[pos] !== quote) {
      if (src[pos] === '\\' && pos + 1 < src.length) pos++;
      out += src[pos];
      pos++;
    }
    if (pos >= src.length) fail('unterminated string.');
    pos++;
    return out;
  };

  const clauses: SearchClause[] = [];
  let combinator: 'AND' | 'OR' | null = null;
  for (;;) {
    skipSpaces();
    const negated = src[pos] === '-';
    if (negated) pos++;
    const fieldMatch = /^[a-z_][a-z0-9_.]*/i.exec(src.slice(pos));
    if (!fieldMatch) fail(`expected a field name at position ${pos}.`);
    const field = fieldMatch[0].toLowerCase();
    pos += fieldMatch[0].length;
    let metadataKey: string | undefined;
    if (src[pos] === '[') {
      pos++;
      metadataKey = quoted();
      if (src[pos] !== ']') fail(`expected ']' at position ${pos}.`);
      pos++;
    }
    const opMatch = /^(>=|<=|:|~|>|<)/.exec(src.slice(pos));
    if (!opMatch) fail(`expected an operator (:, ~, >, <, >=, <=) after '${field}'.`);
    const operator = opMatch[0] as SearchOperator;
    pos += operator.length;
    let value: string | number | null;
    if (src[pos] === "'" || src[pos] === '"') {
      value = quoted();
    } else {
      const bare = /^[^\s]+/.exec(src.slice(pos))?.[0] ?? '';
      pos += bare.length;
      if (bare === 'null') value = null;
      else if (/^-?\d+(\.\d+)?$/.test(bare)) value = Number(bare);
      else fail(`the value for '${field}' must be quoted.`);
    }
    if (operator === '~' && (typeof value !== 'string' || value.length < 3)) {
      fail(`the ~ operator needs a quoted value of at least 3 characters.`);
    }
    clauses.push({ field, ...(metadataKey !== undefined ? { metadataKey } : {}), operator, value, negated });
    if (clauses.length > MAX_CLAUSES) fail(`at most ${MAX_CLAUSES} clauses are allowed.`);
    skipSpaces();
    if (pos >= src.length) break;
    const joiner = /^(AND|OR)\s/.exec(src.slice(pos))?.[1] as 'AND' | 'OR' | undefined;
    if (!joiner) fail(`expected AND or OR at position ${pos}.`);
    if (combinator && combinator !== joiner) fail('AND and OR cannot be combined in one query.');
    combinator = joiner;
    pos += joiner.length;
  }
  if (clauses.length === 0) fail('the query is empty.');
  return { combinator: combinator ?? 'AND', clauses };
}
