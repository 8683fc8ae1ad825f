/**
 * `npm run bench:billing`: renewals per second of the billing engine on PostgreSQL, against
 * a floor in the same run. N subscriptions fall due at the same instant on a fresh database
 * (with each subscription's first invoice as history); K worker processes (billing-worker.ts,
 * each running one billing loop as `recur worker` does, so its RSS is its own) start together
 * and drain the engine. A renewal is a finalized, paid invoice with its line, a charge through
 * the test gateway, the period advanced and the events written. The floor writes as many
 * rows into empty copies of the same tables with plain 1,000-row INSERTs (and the
 * subscriptions' UPDATE in 1,000-row batches), from one process with K connections.
 *
 *   npm run bench:billing [-- --subs 100000 --workers 2 --batch 500 --keep]
 *
 * --batch: rows per engine batch (default: the engine's own).
 *
 * Uses DATABASE_URL's server (default: the local PostgreSQL at 127.0.0.1:5432).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { connect } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';
import { periodStart } from '../../src/modules/subscriptions/periods.ts';
import { createAccountWithWorkspaces, findWorkspace } from '../../src/modules/workspaces/service.ts';
import { SEED_ID_WIDTH, seedDueSubscriptions } from '../helpers/seed.ts';
import type { FloorPlan, WorkerReport } from './billing-worker.ts';

const { values } = parseArgs({
  options: {
    subs: { type: 'string', default: '100000' },
    workers: { type: 'string', default: '2' },
    batch: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});
const subs = Number(values.subs);
const workers = Number(values.workers);
const positive = (n: number) => Number.isSafeInteger(n) && n >= 1;
if (!positive(subs) || !positive(workers) || (values.batch !== undefined && !positive(Number(values.batch)))) {
  throw new Error('--subs, --workers and --batch take positive integers');
}
const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const root = fileURLToPath(new URL('../..', import.meta.url));
const FLOOR_SCHEMA = 'bench_floor';
// The Node flags `npm run worker` starts a worker with (e.g. its young generation's size),
// so the bench's workers run as the real ones do.
const workerScript = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> }).scripts.worker ?? '';
const WORKER_NODE_FLAGS = workerScript.split(' ').filter((word) => word.startsWith('--'));

const number = (n: number) => Math.round(n).toLocaleString('en-US');
const mib = (bytes: number) => `${Math.round(bytes / 2 ** 20)}`;
const iso = (seconds: number) => new Date(seconds * 1000).toISOString();
const percentages = (busy: Record<string, number>) => {
  const total = Object.values(busy).reduce((a, b) => a + b, 0);
  return Object.entries(busy)
    .sort((a, b) => b[1] - a[1])
    .map(([name, ms]) => `${name} ${Math.round((ms / total) * 100)}%`)
    .join(', ');
};

/** A child process (billing-worker.ts), started up to its `ready`; `go()` starts its timed part. */
function startWorker(args: string[]): Promise<{ go: () => Promise<WorkerReport> }> {
  return new Promise((resolveReady, rejectReady) => {
    // RECUR_BENCH_PROFILE=<dir>: a V8 CPU profile of the child (open it in Chrome's devtools).
    const profile = process.env.RECUR_BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.RECUR_BENCH_PROFILE}`] : [];
    const child = spawn(process.execPath, [...profile, ...WORKER_NODE_FLAGS, '--import', 'tsx', 'test/bench/billing-worker.ts', ...args], {
      cwd: root,
      env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let out = '';
    let resolveReport: (report: WorkerReport) => void = () => undefined;
    let rejectReport: (error: Error) => void = () => undefined;
    const report = new Promise<WorkerReport>((resolve, reject) => {
      resolveReport = resolve;
      rejectReport = reject;
    });
    let ready = false;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (!ready && out.startsWith('ready\n')) {
        ready = true;
        out = out.slice('ready\n'.length);
        resolveReady({
          go: () => {
            child.stdin.end('go\n');
            return report;
          },
        });
      }
    });
    child.on('exit', (code) => {
      const last = out.trim().split('\n').at(-1);
      const error = new Error(`billing-worker ${args[0]} exited with ${code}`);
      if (!ready) rejectReady(error);
      else if (code === 0 && last) resolveReport(JSON.parse(last) as WorkerReport);
      else rejectReport(error);
    });
  });
}

/** Starts `count` worker processes together; their report as one (wall time from first start to last end). */
async function runWorkers(count: number, args: string[]): Promise<WorkerReport & { each: WorkerReport[]; machine: { busySeconds: number; share: number; cores: number } }> {
  const started = await Promise.all(Array.from({ length: count }, () => startWorker(args)));
  const cpuBefore = machineCpu();
  const each = await Promise.all(started.map((w) => w.go()));
  const cpuAfter = machineCpu();
  const busy: Record<string, number> = {};
  for (const r of each) for (const [name, ms] of Object.entries(r.busy)) busy[name] = (busy[name] ?? 0) + ms;
  const startedAt = Math.min(...each.map((r) => r.startedAt));
  const endedAt = Math.max(...each.map((r) => r.endedAt));
  const first = each[0] as WorkerReport;
  return {
    ...first,
    seconds: (endedAt - startedAt) / 1000,
    startedAt,
    endedAt,
    cpuSeconds: each.reduce((sum, r) => sum + r.cpuSeconds, 0),
    handled: each.reduce((sum, r) => sum + r.handled, 0),
    peakRssBytes: Math.max(...each.map((r) => r.peakRssBytes)),
    busy,
    each,
    machine: { busySeconds: (cpuAfter.busy - cpuBefore.busy) / 1000, share: (cpuAfter.busy - cpuBefore.busy) / (cpuAfter.total - cpuBefore.total), cores: os.cpus().length },
  };
}

/** The whole machine's CPU time so far (ms, all cores): busy, and busy + idle. */
function machineCpu(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const { times } of os.cpus()) {
    busy += times.user + times.nice + times.sys + times.irq;
    total += times.user + times.nice + times.sys + times.irq + times.idle;
  }
  return { busy, total };
}

/** Row counts of every table in a schema. */
async function tableCounts(client: pg.Pool, schema: string): Promise<Map<string, number>> {
  const tables = await client.query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE schemaname = $1 AND tablename <> 'schema_migrations'`, [schema]);
  const counts = new Map<string, number>();
  for (const { tablename } of tables.rows) {
    const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${schema}.${tablename}`);
    counts.set(tablename, Number(rows[0]?.n));
  }
  return counts;
}

async function countOf(client: pg.Pool, text: string, params: unknown[] = []): Promise<number> {
  const { rows } = await client.query<{ n: string }>(text, params);
  return Number(rows[0]?.n);
}

const dbName = `recur_bench_billing_${Date.now()}`;
const admin = new pg.Client({ connectionString: serverUrl });
await admin.connect();
await admin.query(`CREATE DATABASE ${dbName}`);
const dbUrl = new URL(serverUrl);
dbUrl.pathname = `/${dbName}`;
const database = connect(dbUrl.toString(), { max: 2 });
const pool = database.pool;
let failed = false;
try {
  await migrate(pool);
  const { accountId } = await createAccountWithWorkspaces(database.db, 'Bench');
  const workspaceId = (await findWorkspace(database.db, accountId, 'sandbox'))?.id as string;
  // Every subscription's period ends at T0, two hours ago: due, and past the one-hour draft
  // window. T0 is taken back from the anchor so month-end clamping cannot move it.
  const anchor = periodStart(Math.floor(Date.now() / 1000) - 2 * 3600, 'month', 1, -1);
  const t0 = periodStart(anchor, 'month', 1, 1);
  const nextEnd = periodStart(anchor, 'month', 1, 2);

  const seedStarted = performance.now();
  await seedDueSubscriptions(pool, {
    workspaceId,
    name: 'Bench',
    plan: {
      text: `SELECT n, $1::timestamptz, $2::timestamptz, false, 'bench' || n || '@example.com' FROM generate_series(1, $3::int) n`,
      values: [iso(anchor), iso(t0), subs],
    },
  });
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  console.log(`seeded ${number(subs)} subscriptions in ${seedSeconds.toFixed(1)} s`);

  const before = await tableCounts(pool, 'public');
  // Both timed runs start from a clean checkpoint, so neither pays for the other's dirty pages
  // (needs superuser or pg_checkpoint; skipped without).
  const checkpoint = () => pool.query('CHECKPOINT').catch(() => undefined);
  await checkpoint();
  // Each worker process runs one billing loop on one connection, as `recur worker` does.
  const engine = await runWorkers(workers, ['engine', dbUrl.toString(), '1', new Date().toISOString(), ...(values.batch ? [values.batch] : [])]);
  const after = await tableCounts(pool, 'public');

  // A renewal counts only when all of it happened, exactly once per subscription.
  const renewals = await countOf(pool, `SELECT count(*) AS n FROM invoices WHERE billing_reason = 'subscription_cycle' AND status = 'paid'`);
  const cycleInvoices = await countOf(pool, `SELECT count(*) AS n FROM invoices WHERE billing_reason = 'subscription_cycle'`);
  const invoicedSubs = await countOf(pool, `SELECT count(DISTINCT subscription_id) AS n FROM invoices WHERE billing_reason = 'subscription_cycle'`);
  const advanced = await countOf(pool, `SELECT count(*) AS n FROM subscriptions WHERE current_period_start = $1 AND current_period_end = $2`, [iso(t0), iso(nextEnd)]);
  const charged = await countOf(pool, `SELECT count(*) AS n FROM test_gateway_charges WHERE status = 'succeeded'`);
  const problems = [
    renewals !== subs && `${number(renewals)} paid renewal invoices`,
    (cycleInvoices !== subs || invoicedSubs !== subs) && `${number(cycleInvoices)} renewal invoices for ${number(invoicedSubs)} subscriptions`,
    advanced !== subs && `${number(advanced)} subscriptions moved to the next period`,
    charged !== subs && `${number(charged)} successful charges`,
  ].filter((p): p is string => typeof p === 'string');
  if (problems.length > 0) throw new Error(`expected ${number(subs)} of each, got ${problems.join('; ')}`);

  // The floor: empty copies (indexes, defaults and checks; not foreign keys) of the tables
  // the engine inserted into, and a copy of the subscriptions to update.
  const written = [...after].filter(([table, n]) => n > (before.get(table) ?? 0)).map(([name, n]) => ({ name, rows: n - (before.get(name) ?? 0) }));
  await pool.query(`CREATE SCHEMA ${FLOOR_SCHEMA}`);
  for (const { name } of [...written, { name: 'subscriptions' }]) {
    await pool.query(`CREATE TABLE ${FLOOR_SCHEMA}.${name} (LIKE public.${name} INCLUDING ALL)`);
  }
  await pool.query(`INSERT INTO ${FLOOR_SCHEMA}.subscriptions SELECT * FROM public.subscriptions`);
  await pool.query(`VACUUM ANALYZE ${FLOOR_SCHEMA}.subscriptions`);
  await checkpoint();
  const plan: FloorPlan = {
    schema: FLOOR_SCHEMA,
    workspaceId,
    tables: written,
    subscriptionIds: { prefix: 'sub_', width: SEED_ID_WIDTH, count: subs },
    period: { start: iso(t0), end: iso(nextEnd) },
  };
  // The floor: one process with as many connections as the engine had workers.
  const floor = await runWorkers(1, ['floor', dbUrl.toString(), String(workers), JSON.stringify(plan)]);
  const floorExpected = written.reduce((sum, t) => sum + t.rows, 0) + subs;
  if (floor.handled !== floorExpected) throw new Error(`the floor wrote ${floor.handled} rows, expected ${floorExpected}`);

  const version = (await pool.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version;
  const line = (label: string, value: string) => console.log(label.padEnd(33) + value);
  console.log(
    `\nbench:billing — ${number(subs)} subscriptions due at once, ${workers} worker process${workers === 1 ? '' : 'es'} (one loop and connection each, as recur worker), batches of ${engine.batchSize}, PostgreSQL ${version}, Node ${process.version}`,
  );
  line('seed (not timed)', `${seedSeconds.toFixed(1)} s`);
  line('engine', `${engine.seconds.toFixed(1)} s`);
  line('renewals/s', number(renewals / engine.seconds));
  line('engine time by step', percentages(engine.busy));
  line('rows written', [...written.map((t) => `${t.name} ${number(t.rows)}`), `subscriptions updated ${number(subs)}`].join(', '));
  const perCore = (r: WorkerReport) => `${Math.round((r.cpuSeconds / r.seconds) * 100)}%`;
  line('worker CPU', `${engine.cpuSeconds.toFixed(1)} s in all (of one core: ${engine.each.map(perCore).join(', ')}; floor ${perCore(floor)})`);
  // Everything on the machine (workers and PostgreSQL): whether the run was CPU-bound, and
  // what a renewal costs in CPU, a steadier figure than the rate when the machine is noisy.
  line('machine CPU during the engine', `${Math.round(engine.machine.share * 100)}% of ${engine.machine.cores} cores, ${Math.round((engine.machine.busySeconds * 1e6) / renewals)} µs per renewal (workers and PostgreSQL)`);
  line('worker peak RSS', `${mib(engine.peakRssBytes)} MiB (the largest worker)`);
  engine.each.forEach((r, i) => {
    const rss = r.rssAt;
    line(`worker ${i + 1} RSS at 0/25/50/75/100 %`, `${[rss.start, rss.p25, rss.p50, rss.p75, rss.p100].map(mib).join(' / ')} MiB`);
  });
  line('floor (1,000-row statements)', `${floor.seconds.toFixed(1)} s, ${number(floor.handled)} rows, ${number(floor.handled / floor.seconds)} rows/s`);
  line('floor time by table', percentages(floor.busy));
  line('engine time / floor time', `${(engine.seconds / floor.seconds).toFixed(2)}×`);
  console.log('\nTarget: ≥ 3,000 renewals/s with flat worker memory.');
} catch (error) {
  failed = true;
  throw error;
} finally {
  await database.close();
  if (values.keep) console.log(`kept database ${dbName}`);
  else await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
  if (failed && !values.keep) console.error(`(dropped ${dbName}; run with --keep to inspect it)`);
}
