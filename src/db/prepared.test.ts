import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { isStalePlanError, withPreparedStatements } from './prepared.ts';

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
    const client = withPreparedStatements(await pool.connect());
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
    const client = withPreparedStatements(await pool.connect());
    client.release();
    // The pool hands out the same (now wrapped) client: a hang here is the bug this guards.
    expect((await pool.query(`SELECT name FROM ${table} WHERE id = $1`, [1])).rows).toEqual([{ name: 'one' }]);
    expect((await pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  it('recovers after a migration changes the shape of a prepared SELECT *', async () => {
    const client = withPreparedStatements(await pool.connect());
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
