/**
 * The child process of `npm run bench:billing` (test/bench/billing.ts), so that the RSS it
 * reports is the worker's own. Two modes, each with K concurrent loops on a pool of K
 * connections; each prints one JSON line (a WorkerReport) on stdout when done:
 *
 *   engine <url> <loops> <now ISO> [batch]  drains billingWork(batch) with the clock fixed at `now`
 *   floor  <url> <loops> <plan JSON>        the same rows written with plain multi-row statements
 *
 * Once set up it prints `ready` and waits for `go` on stdin, so that several engine processes
 * (billing.ts --workers) start their timed part together.
 */
import { testGateways } from '../helpers/gateways.ts';
import type { Kysely } from 'kysely';
import type pg from 'pg';
import { connect } from '../../src/db/database.ts';
import type { Database } from '../../src/db/schema.ts';
import { drainWork, type DueWork } from '../../src/worker/runner.ts';

export interface WorkerReport {
  seconds: number;
  /** When the timed part began and ended (epoch ms), to combine several processes. */
  startedAt: number;
  endedAt: number;
  /** CPU time (user + system) this process spent in the timed part. */
  cpuSeconds: number;
  /** Rows handled (engine: the sum over billingWork()'s steps; floor: rows written). */
  handled: number;
  peakRssBytes: number;
  /** RSS when the timed part began, then when 25, 50, 75 and 100 % of `handled` was done. */
  rssAt: { start: number; p25: number; p50: number; p75: number; p100: number };
  /** The engine's rows per batch. */
  batchSize?: number;
  /** Milliseconds spent in batches (engine, per step) or statements (floor, per table). */
  busy: Record<string, number>;
}

/** What the floor writes: rows per table (into `schema`'s copies), and N subscription updates. */
export interface FloorPlan {
  schema: string;
  workspaceId: string;
  tables: { name: string; rows: number }[];
  subscriptionIds: { prefix: string; width: number; count: number };
  /** The period the engine moved every subscription to (ISO). */
  period: { start: string; end: string };
}

const ROWS_PER_STATEMENT = 1000;
// PostgreSQL's limit on bind parameters in one statement.
const MAX_PARAMETERS = 65_535;

const [mode, url, workersArg, arg, batchArg] = process.argv.slice(2);
if ((mode !== 'engine' && mode !== 'floor') || !url || !workersArg || !arg) {
  throw new Error('usage: billing-worker.ts engine|floor <url> <workers> <now ISO | plan JSON>');
}
const workers = Number(workersArg);
const database = connect(url, { max: workers, applicationName: `bench-${mode}` });

/** Tells the parent this process is set up, and waits for its go. */
async function readyThenGo(): Promise<void> {
  process.stdout.write('ready\n');
  await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
  process.stdin.pause();
}

/** Runs `loops` concurrently while sampling RSS every 100 ms against the `done()` counter. */
async function measured(loops: () => Promise<void>[], done: () => number): Promise<Omit<WorkerReport, 'busy'>> {
  await readyThenGo();
  const samples: { rss: number; done: number }[] = [];
  const sample = () => samples.push({ rss: process.memoryUsage().rss, done: done() });
  sample();
  const timer = setInterval(sample, 100);
  const started = performance.now();
  const startedAt = Date.now();
  const cpu = process.cpuUsage();
  try {
    await Promise.all(loops());
  } finally {
    clearInterval(timer);
  }
  const seconds = (performance.now() - started) / 1000;
  const endedAt = Date.now();
  const { user, system } = process.cpuUsage(cpu);
  sample();
  const total = done();
  const at = (q: number) => (samples.find((s) => s.done >= q * total) ?? (samples.at(-1) as { rss: number })).rss;
  return {
    seconds,
    startedAt,
    endedAt,
    cpuSeconds: (user + system) / 1e6,
    handled: total,
    // maxRSS (KiB) is the kernel's high-water mark, which catches peaks between samples.
    peakRssBytes: Math.max(process.resourceUsage().maxRSS * 1024, ...samples.map((s) => s.rss)),
    rssAt: { start: (samples[0] as { rss: number }).rss, p25: at(0.25), p50: at(0.5), p75: at(0.75), p100: at(1) },
  };
}

async function runEngine(now: Date, batch: number | undefined): Promise<WorkerReport> {
  // Imported here so that the floor (and the seeding in billing.ts) runs without the engine.
  const { billingWork } = await import('../../src/modules/billing/run.ts');
  let handled = 0;
  const busy = new Map<string, number>();
  // A loop stops after a whole drain round in which it handled nothing: drainWork returns
  // once each step gives a partial batch, and meanwhile another loop may have produced
  // drafts for the finalize step that this loop had already passed.
  async function loop(): Promise<void> {
    let mine = 0;
    const works: DueWork[] = billingWork(testGateways(database), batch).map((work: DueWork) => ({
      ...work,
      runBatch: async (db: Kysely<Database>, at: Date) => {
        const started = performance.now();
        const n = await work.runBatch(db, at);
        busy.set(work.name, (busy.get(work.name) ?? 0) + performance.now() - started);
        mine += n;
        handled += n;
        return n;
      },
    }));
    let before: number;
    do {
      before = mine;
      await drainWork(database.db, works, () => now);
    } while (mine > before);
  }
  const report = await measured(() => Array.from({ length: workers }, loop), () => handled);
  return { ...report, busy: Object.fromEntries(busy), batchSize: billingWork(testGateways(database), batch)[0]?.batchSize };
}

type Row = (string | null)[];

interface Job {
  table: string;
  text: string;
  /** Named (prepared once per connection) when the same text comes again. */
  name: string | undefined;
  values: () => (string | string[] | null)[];
  rows: number;
}

/** Each value in PostgreSQL's text form, so it goes back in unchanged as a text parameter. */
const raw = { getTypeParser: () => (value: string) => value } as unknown as typeof pg.types;

async function insertJobs(pool: pg.Pool, schema: string, table: string, rows: number): Promise<Job[]> {
  const sample = await pool.query<Row>({ text: `SELECT * FROM public.${table} ORDER BY random() LIMIT 1000`, rowMode: 'array', types: raw });
  const columns = sample.fields.map((f) => f.name);
  const templates = sample.rows;
  // Text columns of the unique indexes (bar workspace_id) get a per-row suffix, so the copies
  // stay unique and pay the same index maintenance as the engine's rows.
  const unique = await pool.query<{ attname: string }>(
    `SELECT DISTINCT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
      WHERE i.indrelid = $1::regclass AND i.indisunique AND a.atttypid = 'text'::regtype AND a.attname <> 'workspace_id'`,
    [`public.${table}`],
  );
  const varied = new Set(unique.rows.map((r) => columns.indexOf(r.attname)));
  const perStatement = Math.min(ROWS_PER_STATEMENT, Math.floor(MAX_PARAMETERS / columns.length));
  const statement = (count: number) => {
    const tuples = Array.from({ length: count }, (_, r) => `(${columns.map((_, c) => `$${r * columns.length + c + 1}`).join(', ')})`);
    return `INSERT INTO ${schema}.${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}`;
  };
  // One text shared by the full batches: a few hundred KiB each, too many to keep one per job.
  const full = statement(perStatement);
  const jobs: Job[] = [];
  for (let first = 0; first < rows; first += perStatement) {
    const count = Math.min(perStatement, rows - first);
    jobs.push({
      table,
      text: count === perStatement ? full : statement(count),
      name: count === perStatement ? `floor_${table}` : undefined,
      rows: count,
      values: () => {
        const values: (string | null)[] = [];
        for (let k = first; k < first + count; k++) {
          const template = templates[k % templates.length] as Row;
          template.forEach((v, c) => values.push(v !== null && varied.has(c) ? `${v}~${k}` : v));
        }
        return values;
      },
    });
  }
  return jobs;
}

/** The engine's subscription write, as one UPDATE per 1,000 rows (found by primary key). */
function updateJobs(plan: FloorPlan): Job[] {
  const { prefix, width, count: total } = plan.subscriptionIds;
  const jobs: Job[] = [];
  for (let first = 1; first <= total; first += ROWS_PER_STATEMENT) {
    const count = Math.min(ROWS_PER_STATEMENT, total - first + 1);
    jobs.push({
      table: 'subscriptions',
      // `= ANY` rather than a join to VALUES, whose row estimate makes PostgreSQL hash-join
      // against a scan of the whole table for every batch.
      text: `UPDATE ${plan.schema}.subscriptions SET current_period_start = $2, current_period_end = $3, next_action_at = $3,
               latest_invoice_id = 'in_' || id, updated_at = now()
             WHERE workspace_id = $1 AND id = ANY ($4::text[])`,
      name: 'floor_subscriptions',
      rows: count,
      values: () => [plan.workspaceId, plan.period.start, plan.period.end, Array.from({ length: count }, (_, i) => prefix + String(first + i).padStart(width, '0'))],
    });
  }
  return jobs;
}

async function runFloor(plan: FloorPlan): Promise<WorkerReport> {
  const jobs: Job[] = [];
  for (const { name, rows } of plan.tables) jobs.push(...(await insertJobs(database.pool, plan.schema, name, rows)));
  jobs.push(...updateJobs(plan));
  let next = 0;
  let written = 0;
  const busy = new Map<string, number>();
  async function loop(): Promise<void> {
    for (let job = jobs[next++]; job; job = jobs[next++]) {
      const started = performance.now();
      await database.pool.query({ name: job.name, text: job.text, values: job.values() });
      busy.set(job.table, (busy.get(job.table) ?? 0) + performance.now() - started);
      written += job.rows;
    }
  }
  const report = await measured(() => Array.from({ length: workers }, loop), () => written);
  return { ...report, busy: Object.fromEntries(busy) };
}

try {
  const report = mode === 'engine' ? await runEngine(new Date(arg), batchArg ? Number(batchArg) : undefined) : await runFloor(JSON.parse(arg) as FloorPlan);
  process.stdout.write(`${JSON.stringify(report)}\n`);
} finally {
  await database.close();
}
