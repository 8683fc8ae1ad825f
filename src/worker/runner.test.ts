import { pino } from 'pino';
import { afterAll, afterEach, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import { connect } from '../db/database.ts';
import { drainWork, startWorker, type DueWork } from './runner.ts';

// The runner hands this to the work and never queries it itself.
const database = connect(inject('databaseUrl'), { max: 1 });
afterAll(async () => database.close());

const clockTime = new Date('2030-01-02T03:04:05Z');
const clock = () => clockTime;

interface LogLine {
  level: number;
  msg: string;
  work?: string;
  err?: { message: string };
}

/** A pino logger whose lines land in an array. */
function memoryLogger() {
  const lines: LogLine[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) });
  return { logger, lines };
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
}
function deferred<T>(): Deferred<T> {
  let resolve: (value: T) => void = () => {};
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** Work whose batches return the scripted counts in turn (then 0), recording each call. */
function scripted(name: string, batchSize: number, counts: number[], idleMs = 1000) {
  const calls: Array<{ db: unknown; now: Date }> = [];
  const work: DueWork = {
    name,
    batchSize,
    idleMs,
    async runBatch(db, now) {
      calls.push({ db, now });
      return counts[calls.length - 1] ?? 0;
    },
  };
  return { work, calls };
}

/** Work whose every batch waits until the test finishes it. */
function controlled(batchSize: number, idleMs: number) {
  const batches: Array<Deferred<number>> = [];
  const started: Array<Deferred<void>> = [deferred()];
  const work: DueWork = {
    name: 'controlled',
    batchSize,
    idleMs,
    runBatch() {
      const batch = deferred<number>();
      batches.push(batch);
      started[batches.length - 1]?.resolve();
      started.push(deferred());
      return batch.promise;
    },
  };
  return { work, batches, started: (n: number) => started[n]?.promise };
}

describe('startWorker', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('calls again at once after a full batch and waits idleMs after a partial one', async () => {
    const { logger } = memoryLogger();
    const { work, calls } = scripted('loop', 3, [3, 3, 1, 3, 2], 1000);
    const worker = startWorker(database.db, [work], logger, clock);

    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toHaveLength(3); // 3, 3 (full: again at once), 1 (partial: pause)
    await vi.advanceTimersByTimeAsync(999);
    expect(calls).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(5); // 3 (full), 2 (partial: pause)
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toHaveLength(6);

    for (const call of calls) expect(call).toEqual({ db: database.db, now: clockTime });
    await worker.stop();
  });

  it('runs each kind of work in its own loop', async () => {
    const { logger } = memoryLogger();
    const slow = controlled(10, 1000);
    const fast = scripted('fast', 10, [10, 10, 10, 0]);
    const worker = startWorker(database.db, [slow.work, fast.work], logger, clock);
    await vi.advanceTimersByTimeAsync(0);
    // The first loop is stuck in a batch; the second is not held up by it.
    expect(slow.batches).toHaveLength(1);
    expect(fast.calls).toHaveLength(4);
    const stopping = worker.stop();
    slow.batches[0]?.resolve(10);
    await stopping;
    expect(slow.batches).toHaveLength(1);
  });

  it('stop() waits for the batch in progress, then starts no other', async () => {
    const { logger } = memoryLogger();
    const { work, batches, started } = controlled(10, 1000);
    const worker = startWorker(database.db, [work], logger, clock);
    await started(0);

    let stopped = false;
    const stopping = worker.stop().then(() => {
      stopped = true;
    });
    await vi.advanceTimersByTimeAsync(5000);
    expect(stopped).toBe(false);

    batches[0]?.resolve(10); // a full batch: without stop() the loop would go on at once
    await stopping;
    expect(stopped).toBe(true);
    expect(batches).toHaveLength(1);
  });

  it('stop() does not sit out the idle pause of a batch that ends after it was called', async () => {
    const { logger } = memoryLogger();
    const { work, batches, started } = controlled(10, 3_600_000);
    const worker = startWorker(database.db, [work], logger, clock);
    await started(0);

    let stopped = false;
    const stopping = worker.stop().then(() => {
      stopped = true;
    });
    batches[0]?.resolve(1); // partial: the loop would now pause for an hour
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(true);
    await stopping;
    expect(batches).toHaveLength(1);
  });

  it('stop() wakes a loop that is pausing', async () => {
    const { logger } = memoryLogger();
    const { work, calls } = scripted('idle', 10, [0], 3_600_000);
    const worker = startWorker(database.db, [work], logger, clock);
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toHaveLength(1);

    let stopped = false;
    const stopping = worker.stop().then(() => {
      stopped = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(true);
    await stopping;
    expect(calls).toHaveLength(1);
  });

  it('logs a failing batch and retries it after a pause', async () => {
    const { logger, lines } = memoryLogger();
    let calls = 0;
    const work: DueWork = {
      name: 'flaky',
      batchSize: 10,
      idleMs: 100,
      async runBatch() {
        calls += 1;
        if (calls === 1) throw new Error('database went away');
        return 0;
      },
    };
    const worker = startWorker(database.db, [work], logger, clock);
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 50, work: 'flaky', err: { message: 'database went away' } });
    expect(lines[0]?.msg).toMatch(/failed/);

    // Not in a hot loop: the retry waits (at least a second, even with a shorter idleMs).
    await vi.advanceTimersByTimeAsync(999);
    expect(calls).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toBe(2);
    expect(lines).toHaveLength(1);
    await worker.stop();
  });
});

describe('drainWork', () => {
  it('runs each kind of work until it returns a partial batch', async () => {
    const a = scripted('a', 5, [5, 5, 2, 5]);
    const b = scripted('b', 100, [0, 100]);
    const c = scripted('c', 3, [3, 3, 3, 0]);
    await drainWork(database.db, [a.work, b.work, c.work], clock);
    expect(a.calls).toHaveLength(3);
    expect(b.calls).toHaveLength(1);
    expect(c.calls).toHaveLength(4);
    expect(a.calls[0]).toEqual({ db: database.db, now: clockTime });
  });

  it('passes a failure on', async () => {
    const failing: DueWork = {
      name: 'failing',
      batchSize: 1,
      idleMs: 0,
      runBatch: async () => {
        throw new Error('no database');
      },
    };
    await expect(drainWork(database.db, [failing], clock)).rejects.toThrow('no database');
  });

  it("is what worker.drain() does, without waiting for the loop's pause", async () => {
    vi.useFakeTimers();
    try {
      const { logger } = memoryLogger();
      let queued = 0;
      let calls = 0;
      const work: DueWork = {
        name: 'queue',
        batchSize: 3,
        idleMs: 3_600_000,
        async runBatch() {
          calls += 1;
          const taken = Math.min(queued, 3);
          queued -= taken;
          return taken;
        },
      };
      const worker = startWorker(database.db, [work], logger, clock);
      await vi.advanceTimersByTimeAsync(0);
      expect(calls).toBe(1); // nothing due: the loop pauses for an hour

      queued = 7;
      await worker.drain();
      expect(queued).toBe(0);
      expect(calls).toBe(4); // 3 + 3 + 1
      await worker.stop();
    } finally {
      vi.useRealTimers();
    }
  });
});
