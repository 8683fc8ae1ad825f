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
  /**
   * The test gateway's own handle: a pool of its own (two connections, opened on first
   * use), never a transaction of ours. The gateway stands for an external service, so what
   * it records commits at once and outlives the caller's transaction; and since a caller
   * holds a connection of `pool` in its transaction while it charges, the gateway must not
   * wait for another connection of that same pool (a full pool would wait on itself).
   */
  gatewayDb: Kysely<Database>;
  url: string;
  close(): Promise<void>;
}

/** Connections of the gateway's own pool (see DatabaseHandle.gatewayDb). */
const GATEWAY_POOL_SIZE = 2;

export function connect(
  url: string,
  options: { max?: number; applicationName?: string; logger?: Logger } = {},
): DatabaseHandle {
  const name = options.applicationName ?? 'recur';
  const open = (max: number, applicationName: string) => {
    const pool = new pg.Pool({ connectionString: url, max, application_name: applicationName, types });
    // An idle client's error (e.g. the server restarting) must not crash the process:
    // the pool discards that client and the next query gets a fresh one.
    pool.on('error', (error) => options.logger?.warn({ err: error }, 'idle database connection failed'));
    const db = new Kysely<Database>({
      dialect: new PostgresDialect({
        pool: { connect: async () => wrapClient(await pool.connect()), end: () => pool.end() },
      }),
    });
    return { pool, db };
  };
  const { pool, db } = open(options.max ?? 10, name);
  const gateway = open(GATEWAY_POOL_SIZE, `${name}-gateway`);
  return {
    db,
    pool,
    gatewayDb: gateway.db,
    url,
    async close() {
      await Promise.all([db.destroy(), gateway.db.destroy()]);
    },
  };
}
