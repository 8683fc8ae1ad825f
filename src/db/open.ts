import type { Config } from '../config.ts';
import type { Logger } from '../lib/logger.ts';
import { connect, type DatabaseHandle } from './database.ts';
import { openEmbeddedPostgres, type EmbeddedPostgres } from './embedded.ts';
import { migrate } from './migrate.ts';
import { servingPid } from './serve-lock.ts';

export interface OpenDatabase extends DatabaseHandle {
  embedded: EmbeddedPostgres | null;
  /** Closes the pool, and stops an embedded server this process is responsible for. */
  shutdown(options: { stopEmbedded: 'always' | 'if-started-here' }): Promise<void>;
}

/**
 * The database every command uses: DATABASE_URL when set, else the embedded PostgreSQL
 * under the data directory (found running or started). Migrations run on open.
 */
export async function openDatabase(config: Config, logger: Logger, options: { poolSize?: number } = {}): Promise<OpenDatabase> {
  const embedded = config.databaseUrl ? null : await openEmbeddedPostgres(config.dataDir);
  const url = config.databaseUrl ?? (embedded as EmbeddedPostgres).url;
  const handle = connect(url, { logger, max: options.poolSize ?? config.databasePoolSize });
  try {
    const { applied } = await migrate(handle.pool);
    if (applied.length > 0) logger.info({ applied }, 'migrations applied');
  } catch (error) {
    await handle.close();
    throw error;
  }
  return {
    ...handle,
    embedded,
    async shutdown({ stopEmbedded }) {
      await handle.close();
      if (!embedded) return;
      // A short-lived command leaves the server's PostgreSQL alone.
      const serverRunning = (await servingPid(config.dataDir)) !== null;
      if (stopEmbedded === 'always' || (embedded.startedHere && !serverRunning)) await embedded.stop();
    },
  };
}
