import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import type { Logger } from '../lib/logger.ts';

/**
 * A kind of background work: each call takes one batch of due rows (selected with
 * FOR UPDATE SKIP LOCKED, so any number of workers can share a database) and returns how
 * many it handled. A full batch means more is waiting, so the runner calls again at once.
 */
export interface DueWork {
  name: string;
  batchSize: number;
  /** How long to wait after a partial batch. */
  idleMs: number;
  runBatch(db: Kysely<Database>, now: Date): Promise<number>;
}

export interface Worker {
  /** Resolves when every loop has finished its current batch. */
  stop(): Promise<void>;
  /** Runs each kind of work until nothing is due; for tests and `recur bill`. */
  drain(): Promise<void>;
}

export function startWorker(db: Kysely<Database>, works: DueWork[], logger: Logger, clock: () => Date = () => new Date()): Worker {
  let stopping = false;
  const wakers = new Set<() => void>();
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      // A batch that ends after stop() must not start a pause that nothing will wake.
      if (stopping) return resolve();
      const done = () => {
        clearTimeout(timer);
        wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      wakers.add(done);
    });

  async function loop(work: DueWork): Promise<void> {
    while (!stopping) {
      let handled = 0;
      try {
        handled = await work.runBatch(db, clock());
      } catch (error) {
        logger.error({ err: error, work: work.name }, 'background work failed; retrying after a pause');
        await sleep(Math.max(work.idleMs, 1000));
        continue;
      }
      if (handled < work.batchSize) await sleep(work.idleMs);
    }
  }

  const loops = works.map((work) => loop(work));
  return {
    async stop() {
      stopping = true;
      for (const wake of [...wakers]) wake();
      await Promise.all(loops);
    },
    async drain() {
      await drainWork(db, works, clock);
    },
  };
}

/** Runs every kind of work until each returns a partial batch. */
export async function drainWork(db: Kysely<Database>, works: DueWork[], clock: () => Date = () => new Date()): Promise<void> {
  for (const work of works) {
    while ((await work.runBatch(db, clock())) >= work.batchSize) {
      // keep going: a full batch means more is due
    }
  }
}
