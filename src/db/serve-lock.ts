import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Marks a data directory as served by one `recur start`, so a second one on the same
 * directory fails with a clear message, and short-lived commands know to leave the
 * embedded PostgreSQL running for the server. A lock whose process is gone is stale.
 */
export interface ServeLock {
  release(): Promise<void>;
}

function lockPath(dataDir: string): string {
  return join(dataDir, 'server.pid');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid of the live `recur start` serving this directory, or null. */
export async function servingPid(dataDir: string): Promise<number | null> {
  const pid = Number((await readFile(lockPath(dataDir), 'utf8').catch(() => '')).trim());
  return pid && pid !== process.pid && alive(pid) ? pid : null;
}

export class AlreadyServedError extends Error {}

export async function acquireServeLock(dataDir: string): Promise<ServeLock> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(lockPath(dataDir), String(process.pid), { flag: 'wx', mode: 0o644 });
      return {
        async release() {
          await rm(lockPath(dataDir), { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = await servingPid(dataDir);
      if (pid !== null) {
        throw new AlreadyServedError(`Recur is already serving ${dataDir} (process ${pid}); stop it first or set RECUR_DATA_DIR.`);
      }
      await rm(lockPath(dataDir), { force: true });
    }
  }
  throw new AlreadyServedError(`Could not lock ${dataDir}: another Recur is starting on it.`);
}
