/**
 * The worker processes (worker.ts) the fault test starts, kills and restarts, and what they
 * logged.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
// The Node flags `npm run worker` starts a worker with, as the benchmark does.
const workerScript = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> }).scripts.worker ?? '';
const WORKER_NODE_FLAGS = workerScript.split(' ').filter((word) => word.startsWith('--'));

export interface Life {
  name: string;
  child: ChildProcess;
  /** Resolves once the worker's loops run. */
  running: Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Set before we end it ourselves: any other exit is a failure of the test. */
  ending: boolean;
}

export interface WorkerProcesses {
  /** A worker on the test's database with its clock `offsetMs` ahead. */
  start(name: string, offsetMs: number): Life;
  end(life: Life, signal: 'SIGKILL' | 'SIGTERM'): Promise<void>;
  /** Throws when a worker has exited without being told to. */
  assertNoneDied(): void;
  /** What the workers logged (a failed batch, which the runner retries; a Node warning), by message; cleared by each phase. */
  logged: Map<string, number>;
}

/** `env`: what the workers are configured with (SMTP_URL, RECUR_SECRET_KEY), as `recur worker` is. */
export function workerProcesses(dbUrl: string, env: Record<string, string>): WorkerProcesses {
  const logged = new Map<string, number>();
  const unexpectedExits: string[] = [];
  const log = (message: string) => logged.set(message, (logged.get(message) ?? 0) + 1);

  function start(name: string, offsetMs: number): Life {
    const child = spawn(process.execPath, [...WORKER_NODE_FLAGS, '--import', 'tsx', 'test/faults/worker.ts', dbUrl, String(offsetMs), name], {
      cwd: root,
      env: { ...process.env, ...env, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const life: Life = { name, child, running: Promise.resolve(), exited: Promise.resolve({ code: null, signal: null }), ending: false };
    life.exited = new Promise((resolve) =>
      child.on('exit', (code, signal) => {
        if (!life.ending) unexpectedExits.push(`${name} exited by itself (code ${code}, signal ${signal})`);
        resolve({ code, signal });
      }),
    );
    life.running = new Promise((resolve, reject) => {
      let out = '';
      child.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('running\n')) resolve();
      });
      void life.exited.then(() => reject(new Error(`${name} exited before it ran`)));
    });
    let err = '';
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
      let newline: number;
      while ((newline = err.indexOf('\n')) >= 0) {
        const line = err.slice(0, newline);
        err = err.slice(newline + 1);
        readLogLine(name, line, log);
      }
    });
    return life;
  }

  return {
    start,
    async end(life, signal) {
      life.ending = true;
      life.child.kill(signal);
      const { code } = await life.exited;
      if (signal === 'SIGTERM' && code !== 0) throw new Error(`${life.name} did not stop cleanly (code ${code})`);
    },
    assertNoneDied() {
      if (unexpectedExits.length > 0) throw new Error(unexpectedExits.join('; '));
    },
    logged,
  };
}

/** A worker's stderr line: pino's JSON, a Node warning (counted), or anything else (shown). */
function readLogLine(name: string, line: string, log: (message: string) => void): void {
  if (!line.trim()) return;
  try {
    const entry = JSON.parse(line) as { msg?: string; work?: string; err?: { message?: string } };
    log(`${entry.work ? `${entry.work}: ` : ''}${entry.msg ?? ''}: ${entry.err?.message ?? ''}`);
    return;
  } catch {
    // not JSON
  }
  const warning = /^\(node:\d+\) (\w+Warning: .*)$/.exec(line);
  if (warning?.[1]) log(warning[1]);
  else if (!line.startsWith('(Use `node --trace-warnings')) process.stderr.write(`[${name}] ${line}\n`);
}
