import { describe, expect, it } from 'vitest';
import { apiErrorOf } from '../../test/helpers/errors.ts';
import { parseSearchQuery } from './search-query.ts';

const rejects = (query: string) => apiErrorOf(() => parseSearchQuery(query));

describe("Stripe's search query language", () => {
  it('parses clauses, operators, quoting, metadata keys and negation', () => {
    expect(parseSearchQuery(`email:'jane@example.com' AND metadata['plan']:"pro" AND -created<1700000000`)).toEqual({
      combinator: 'AND',
      clauses: [
        { field: 'email', operator: ':', value: 'jane@example.com', negated: false },
        { field: 'metadata', metadataKey: 'plan', operator: ':', value: 'pro', negated: false },
        { field: 'created', operator: '<', value: 1700000000, negated: true },
      ],
    });
    expect(parseSearchQuery(`name~'jan' OR phone:null`).combinator).toBe('OR');
    expect(parseSearchQuery(`name:'O\\'Brien'`).clauses[0]?.value).toBe("O'Brien");
    expect(parseSearchQuery(`created>=1`).clauses[0]?.operator).toBe('>=');
  });

  it('refuses what Stripe refuses, naming the query parameter', () => {
    for (const bad of [
      '',
      `email:jane`,
      `name~'ja'`,
      `email:'a' AND name:'b' OR phone:'c'`,
      `email:'unterminated`,
      `email 'x'`,
      Array.from({ length: 11 }, (_, i) => `name:'${i}'`).join(' AND '),
    ]) {
      const error = rejects(bad);
      expect(error.param).toBe('query');
      expect(error.status).toBe(400);
    }
  });
});
