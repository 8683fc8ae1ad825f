import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { apiErrorOf } from '../../test/helpers/errors.ts';
import { parseSearchQuery } from '../lib/search-query.ts';
import { decodePage, nextPage, searchCondition, type SearchFields } from './search.ts';

interface ThingRow {
  id: string;
  name: string | null;
  status: string;
  active: boolean;
  metadata: Record<string, string>;
  created_at: Date;
}

const table = `search_probe_${process.pid}`;
const FIELDS: SearchFields = {
  resource: 'things',
  text: ['name'],
  boolean: ['active'],
  keyword: ['status'],
  timestamp: { created: 'created_at' },
  metadata: true,
};

let pool: pg.Pool;
let db: Kysely<Record<string, ThingRow>>;

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: inject('databaseUrl'), max: 1 });
  db = new Kysely({ dialect: new PostgresDialect({ pool }) });
  await pool.query(`CREATE TABLE ${table} (id text PRIMARY KEY, name text, status text NOT NULL, active boolean NOT NULL, metadata jsonb NOT NULL, created_at timestamptz NOT NULL)`);
  // b's created_at has a fraction: `created` is its whole second, 1001.
  await pool.query(`INSERT INTO ${table} VALUES
    ('a', 'Alice Smith', 'active', true, '{"tier": "gold"}', to_timestamp(1000)),
    ('b', 'bob', 'canceled', false, '{"tier": "silver"}', to_timestamp(1001.7)),
    ('c', NULL, 'active', true, '{}', to_timestamp(1002))`);
});
afterAll(async () => {
  await pool.query(`DROP TABLE IF EXISTS ${table}`);
  await db.destroy();
});

async function search(query: string): Promise<string[]> {
  const rows = await db.selectFrom(table).select('id').where(searchCondition(parseSearchQuery(query), FIELDS)).orderBy('id').execute();
  return rows.map((r) => r.id);
}

const rejects = (query: string) => apiErrorOf(() => searchCondition(parseSearchQuery(query), FIELDS));

describe('searchCondition', () => {
  it('matches text exactly ignoring case, or as a literal substring with ~', async () => {
    expect(await search(`name:'alice SMITH'`)).toEqual(['a']);
    expect(await search(`name~'LIC'`)).toEqual(['a']);
    expect(await search(`name~'%%%'`)).toEqual([]);
    expect(await search(`name:null`)).toEqual(['c']);
    expect(await search(`name:"x' OR '1'='1"`)).toEqual([]);
  });

  it('matches keywords and booleans exactly, metadata by containment or absence', async () => {
    expect(await search(`status:'active'`)).toEqual(['a', 'c']);
    expect(await search(`status:'ACTIVE'`)).toEqual([]);
    expect(await search(`active:'false'`)).toEqual(['b']);
    expect(await search(`metadata['tier']:'gold'`)).toEqual(['a']);
    expect(await search(`metadata['tier']:null`)).toEqual(['c']);
  });

  it('compares timestamps in whole seconds', async () => {
    expect(await search('created:1001')).toEqual(['b']);
    expect(await search('created>1000')).toEqual(['b', 'c']);
    expect(await search('created>=1001')).toEqual(['b', 'c']);
    expect(await search('created<1001')).toEqual(['a']);
    expect(await search('created<=1001')).toEqual(['a', 'b']);
    expect(await search('created>=1001 AND created<=1001')).toEqual(['b']);
  });

  it('joins with AND or OR, and a negated clause also finds rows where the column is NULL', async () => {
    expect(await search(`status:'active' AND metadata['tier']:'gold'`)).toEqual(['a']);
    expect(await search(`status:'canceled' OR metadata['tier']:'gold'`)).toEqual(['a', 'b']);
    expect(await search(`-name:'bob'`)).toEqual(['a', 'c']);
    expect(await search(`-metadata['tier']:'gold' AND -created:1002`)).toEqual(['b']);
    // A two-sided clause (created:…) stays one clause inside OR.
    expect(await search(`created:1000 OR created:1002`)).toEqual(['a', 'c']);
  });

  it('refuses fields, operators and values the spec does not allow, naming query', () => {
    const unknown = rejects(`email:'x'`);
    expect(unknown).toMatchObject({ status: 400, param: 'query', code: 'search_query_invalid' });
    expect(unknown.message).toBe("Invalid search query: things cannot be searched by 'email'. Searchable fields: active, created, metadata, name, status.");
    expect(rejects(`constructor:'x'`).message).toContain("cannot be searched by 'constructor'.");
    expect(rejects(`status~'act'`).message).toContain("cannot be searched by 'status' with ~.");
    expect(rejects(`active~'tru'`).message).toContain("cannot be searched by 'active' with ~.");
    expect(rejects(`name>'abc'`).message).toContain("cannot be searched by 'name' with >.");
    expect(rejects(`name['k']:'x'`).message).toContain("cannot be searched by 'name['k']'.");
    for (const bad of [`created:'abc'`, 'created>1.5', 'created>-1', 'created<253402300800', `active:'yes'`, `metadata:'x'`, `metadata['k']~'abc'`, 'name:5']) {
      expect(rejects(bad), bad).toMatchObject({ status: 400, param: 'query', code: 'search_query_invalid' });
    }
  });
});

describe('page tokens', () => {
  const pattern = /^thing_[0-9A-Za-z]+$/;

  it('round-trip the last id of a page that has more', () => {
    const token = nextPage([{ id: 'thing_1' }, { id: 'thing_2' }], true);
    expect(token).not.toContain('thing_');
    expect(decodePage(token as string, pattern)).toBe('thing_2');
    expect(nextPage([{ id: 'thing_1' }], false)).toBeNull();
    expect(decodePage(undefined, pattern)).toBeUndefined();
  });

  it('refuse a token that is not one, naming page', () => {
    for (const token of ['not-a-real-token', Buffer.from('other_1').toString('base64url'), '']) {
      expect(apiErrorOf(() => decodePage(token, pattern)), token).toMatchObject({ status: 400, param: 'page' });
    }
  });
});
