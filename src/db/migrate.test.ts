import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { randomBase62 } from '../lib/ids.ts';
import { migrate } from './migrate.ts';

/** Tables that belong to the account (the team), not to a workspace: see 0001_foundation.sql. */
const ACCOUNT_LEVEL = ['accounts', 'audit_log', 'schema_migrations', 'sessions', 'users', 'workspaces'];

const serverUrl = inject('databaseUrl');
const name = `recur_migrate_${Date.now()}_${randomBase62(6).toLowerCase()}`;
const url = new URL(serverUrl);
url.pathname = `/${name}`;
const pools: pg.Pool[] = [];

async function onServer(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

function newPool(): pg.Pool {
  const pool = new pg.Pool({ connectionString: url.toString(), max: 2 });
  // afterAll drops the database WITH (FORCE) once the pools are ended; a connection still
  // closing then is terminated by the server (57P01), which is expected, not a failure.
  pool.on('error', (error: Error & { code?: string }) => {
    if (error.code !== '57P01') throw error;
  });
  pools.push(pool);
  return pool;
}

async function migrationFiles(): Promise<string[]> {
  const dir = fileURLToPath(new URL('./migrations/', import.meta.url));
  return (await readdir(dir))
    .filter((f) => /^\d{4}_[\w-]+\.sql$/.test(f))
    .map((f) => f.replace(/\.sql$/, ''))
    .sort();
}

beforeAll(async () => {
  await onServer(`CREATE DATABASE ${name}`);
});
afterAll(async () => {
  await Promise.all(pools.map((p) => p.end()));
  await onServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
});

describe('migrate()', () => {
  it('applies each migration exactly once when three processes start together, and nothing the second time', async () => {
    const versions = await migrationFiles();
    expect(versions.length).toBeGreaterThan(0);

    const results = await Promise.all([newPool(), newPool(), newPool()].map((pool) => migrate(pool)));
    expect(results.flatMap((r) => r.applied).sort()).toEqual(versions);
    // One of them did all the work; the others waited for the lock and found nothing to do.
    expect(results.map((r) => r.applied.length).sort()).toEqual([0, 0, versions.length]);

    const pool = newPool();
    const rows = await pool.query<{ version: string; n: string }>('SELECT version, count(*) AS n FROM schema_migrations GROUP BY version ORDER BY version');
    expect(rows.rows).toEqual(versions.map((version) => ({ version, n: '1' })));

    expect(await migrate(pool)).toEqual({ applied: [] });
    expect((await pool.query('SELECT version FROM schema_migrations')).rowCount).toBe(versions.length);
  });

  it('leads every business table\'s primary key with workspace_id', async () => {
    const pool = newPool();
    await migrate(pool);
    const tables = await pool.query<{ table: string; first_key_column: string | null }>(`
      SELECT c.relname AS table, a.attname AS first_key_column
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
      LEFT JOIN pg_index i ON i.indrelid = c.oid AND i.indisprimary
      LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = i.indkey[0]
      WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
      ORDER BY c.relname`);
    const names = tables.rows.map((t) => t.table);
    expect(names).toEqual(expect.arrayContaining(ACCOUNT_LEVEL));

    const business = tables.rows.filter((t) => !ACCOUNT_LEVEL.includes(t.table));
    expect(business.map((t) => t.table)).toEqual(expect.arrayContaining(['api_keys', 'customers', 'events', 'idempotency_keys']));
    const offenders = business.filter((t) => t.first_key_column !== 'workspace_id');
    expect(offenders, 'tables whose primary key does not start with workspace_id (or that have none)').toEqual([]);
  });
});
