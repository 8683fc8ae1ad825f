/** The fault test's own database, made fresh (empty: the test migrates it) on DATABASE_URL's server and dropped after a pass. */
import pg from 'pg';
import { connect, type DatabaseHandle } from '../../src/db/database.ts';

export interface FaultDatabase {
  name: string;
  url: string;
  handle: DatabaseHandle;
  pool: pg.Pool;
  one<T>(text: string, params?: unknown[]): Promise<T>;
  count(text: string, params?: unknown[]): Promise<number>;
  /** Closes the test's connections; drops the database unless it is to be kept. */
  close(keep: boolean): Promise<void>;
}

export async function createFaultDatabase(): Promise<FaultDatabase> {
  const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `recur_faults_${Date.now()}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const handle = connect(url.toString(), { max: 4, applicationName: 'fault-test' });
  const pool = handle.pool;
  const one = async <T>(text: string, params: unknown[] = []): Promise<T> => (await pool.query(text, params)).rows[0] as T;
  return {
    name,
    url: url.toString(),
    handle,
    pool,
    one,
    count: async (text, params = []) => Number((await one<{ n: string }>(text, params)).n),
    async close(keep) {
      await handle.close();
      if (!keep) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
