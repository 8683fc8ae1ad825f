import fc from 'fast-check';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { COMMIT_MARK, inlineValues, isStalePlanError, wrapClient } from './client.ts';

let pool: pg.Pool;
const table = `prepared_probe_${process.pid}`;

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: inject('databaseUrl'), max: 1 });
  await pool.query(`CREATE TABLE ${table} (id int PRIMARY KEY, name text)`);
  await pool.query(`INSERT INTO ${table} VALUES (1, 'one')`);
});
afterAll(async () => {
  await pool.query(`DROP TABLE IF EXISTS ${table}`);
  await pool.end();
});

describe('prepared statements', () => {
  it('prepares parameterised queries once per connection', async () => {
    const client = wrapClient(await pool.connect());
    try {
      for (let i = 0; i < 3; i++) {
        expect((await client.query(`SELECT name FROM ${table} WHERE id = $1`, [1])).rows).toEqual([{ name: 'one' }]);
      }
      const prepared = await client.query(`SELECT count(*)::int AS n FROM pg_prepared_statements WHERE statement LIKE '%${table}%'`);
      expect(prepared.rows[0].n).toBe(1);
    } finally {
      client.release();
    }
  });

  it('leaves callback-style and parameterless calls alone (pg.Pool.query uses callbacks)', async () => {
    const client = wrapClient(await pool.connect());
    client.release();
    // The pool hands out the same (now wrapped) client: a hang here is the bug this guards.
    expect((await pool.query(`SELECT name FROM ${table} WHERE id = $1`, [1])).rows).toEqual([{ name: 'one' }]);
    expect((await pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  it('recovers after a migration changes the shape of a prepared SELECT *', async () => {
    const client = wrapClient(await pool.connect());
    try {
      const select = `SELECT * FROM ${table} WHERE id = $1`;
      await client.query(select, [1]);
      await client.query(`ALTER TABLE ${table} ADD COLUMN note text`);
      const stale = await client.query(select, [1]).then(
        () => null,
        (error: unknown) => error,
      );
      expect(isStalePlanError(stale)).toBe(true);
      expect((await client.query(select, [1])).rows).toEqual([{ id: 1, name: 'one', note: null }]);
    } finally {
      client.release();
    }
  });
});

describe('values inlined into BEGIN- and COMMIT-carrying statements', () => {
  it('read back exactly, whatever the text (quotes, backslashes, unicode, $1 lookalikes)', async () => {
    const client = await pool.connect();
    try {
      await fc.assert(
        fc.asyncProperty(fc.string({ unit: 'binary' }).filter((s) => !s.includes('\u0000') && !/\p{Cs}/u.test(s)), async (text) => {
          const inlined = inlineValues('SELECT $1::text AS value', [text]) as string;
          expect((await client.query(inlined)).rows[0].value).toBe(text);
        }),
        { numRuns: 200 },
      );
      const row = (
        await client.query(
          inlineValues('SELECT $1::text[] AS list, $2::jsonb AS doc, $3::timestamptz AS at, $4::int AS n, $5::text AS nothing, $10::text AS tenth', [
            ['a', "b'c", 'd\\e', 'f,g'],
            JSON.stringify({ k: "it's" }),
            new Date('2026-01-31T12:00:00Z'),
            42,
            null,
            null, null, null, null,
            'ten',
          ]) as string,
        )
      ).rows[0];
      expect(row).toEqual({ list: ['a', "b'c", 'd\\e', 'f,g'], doc: { k: "it's" }, at: new Date('2026-01-31T12:00:00Z'), n: 42, nothing: null, tenth: 'ten' });
    } finally {
      client.release();
    }
  });

  it('are refused for SQL that has quotes of its own', () => {
    expect(inlineValues("SELECT '$1' || $1", ['x'])).toBeNull();
  });
});

describe('transactions with BEGIN and COMMIT carried by statements', () => {
  const db = () => new Kysely<Record<string, { id: number; name: string }>>({
    dialect: new PostgresDialect({ pool: { connect: async () => wrapClient(await pool.connect()), end: async () => undefined } }),
  });
  const count = async (id: number) => Number((await pool.query(`SELECT count(*) FROM ${table} WHERE id = $1`, [id])).rows[0].count);

  it('commits through the marked statement, and rolls back on a failure anywhere', async () => {
    const k = db();
    await k.transaction().execute(async (tx) => {
      await sql`INSERT INTO ${sql.table(table)} (id, name) VALUES (${10}, ${'ten'})`.execute(tx);
      await sql`${sql.raw(COMMIT_MARK)}INSERT INTO ${sql.table(table)} (id, name) VALUES (${11}, ${"it's"})`.execute(tx);
    });
    expect([await count(10), await count(11)]).toEqual([1, 1]);

    await expect(
      k.transaction().execute(async (tx) => {
        await sql`INSERT INTO ${sql.table(table)} (id, name) VALUES (${20}, ${'twenty'})`.execute(tx);
        throw new Error('handler failed');
      }),
    ).rejects.toThrow('handler failed');
    expect(await count(20)).toBe(0);

    await expect(
      k.transaction().execute(async (tx) => {
        await sql`INSERT INTO ${sql.table(table)} (id, name) VALUES (${30}, ${'thirty'})`.execute(tx);
        // Duplicate key inside the committing statement: nothing of the transaction stays.
        await sql`${sql.raw(COMMIT_MARK)}INSERT INTO ${sql.table(table)} (id, name) VALUES (${10}, ${'again'})`.execute(tx);
      }),
    ).rejects.toMatchObject({ code: '23505' });
    expect(await count(30)).toBe(0);

    // The connection is clean afterwards: a new transaction works normally.
    await k.transaction().execute(async (tx) => {
      await sql`INSERT INTO ${sql.table(table)} (id, name) VALUES (${40}, ${'forty'})`.execute(tx);
    });
    expect(await count(40)).toBe(1);
  });
});
