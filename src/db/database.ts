import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import type { Logger } from '../lib/logger.ts';
import { wrapClient } from './client.ts';
import type { Database } from './schema.ts';

export type { Database };
/** The handle services take: the pool or a transaction, whichever the caller is in. */
export type Executor = Kysely<Database> | Transaction<Database>;

// int8 as bigint: money columns are bigint minor units and must never pass through a float.
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === 20 ? (value: string) => BigInt(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

export interface DatabaseHandle {
  db: Kysely<Database>;
  pool: pg.Pool;
  url: string;
  close(): Promise<void>;
}

export function connect(
  url: string,
  options: { max?: number; applicationName?: string; logger?: Logger } = {},
): DatabaseHandle {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'recur',
    types,
  });
  // An idle client's error (e.g. the server restarting) must not crash the process:
  // the pool discards that client and the next query gets a fresh one.
  pool.on('error', (error) => options.logger?.warn({ err: error }, 'idle database connection failed'));
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({
      pool: { connect: async () => wrapClient(await pool.connect()), end: () => pool.end() },
    }),
  });
  return {
    db,
    pool,
    url,
    async close() {
      await db.destroy();
    },
  };
}
