/**
 * `npm run bench:billing`: renewals per second of the billing engine on PostgreSQL, against
 * a floor in the same run. N subscriptions fall due at the same instant on a fresh database;
 * a child process (billing-worker.ts, so its RSS is its own) drains the engine with K
 * concurrent loops. A renewal is a finalized, paid invoice with its line, a charge through
 * the test gateway, the period advanced and the events written. The floor writes as many
 * rows into empty copies of the same tables with plain 1,000-row INSERTs (and the
 * subscriptions' UPDATE in 1,000-row batches), from the same kind of process.
 *
 *   npm run bench:billing [-- --subs 100000 --workers 2 --batch 500 --keep]
 *
 * --batch: rows per engine batch (default: the engine's own).
 *
 * Uses DATABASE_URL's server (default: the local PostgreSQL at 127.0.0.1:5432).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { connect } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';
import { newId } from '../../src/lib/ids.ts';
import { periodStart } from '../../src/modules/subscriptions/periods.ts';
import { createAccountWithWorkspaces, findWorkspace } from '../../src/modules/workspaces/service.ts';
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
// Seeded ids are prefix + zero-padded n (as long as real ids); the floor rebuilds the
// subscription ids from this.
const ID_WIDTH = 24;
const FLOOR_SCHEMA = 'bench_floor';

const number = (n: number) => Math.round(n).toLocaleString('en-US');
const mib = (bytes: number) => `${Math.round(bytes / 2 ** 20)}`;
const iso = (seconds: number) => new Date(seconds * 1000).toISOString();
const percentages = (shares: Record<string, number>) =>
  Object.entries(shares)
    .sort((a, b) => b[1] - a[1])
    .map(([name, share]) => `${name} ${Math.round(share * 100)}%`)
    .join(', ');

function runWorker(args: string[]): Promise<WorkerReport> {
  return new Promise((resolve, reject) => {
    // RECUR_BENCH_PROFILE=<dir>: a V8 CPU profile of the child (open it in Chrome's devtools).
    const profile = process.env.RECUR_BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.RECUR_BENCH_PROFILE}`] : [];
    const child = spawn(process.execPath, [...profile, '--import', 'tsx', 'test/bench/billing-worker.ts', ...args], {
      cwd: root,
      env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => {
      const last = out.trim().split('\n').at(-1);
      if (code === 0 && last) resolve(JSON.parse(last) as WorkerReport);
      else reject(new Error(`billing-worker ${args[0]} exited with ${code}`));
    });
  });
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
  const productId = newId('product');
  const priceId = newId('price');
  await pool.query(`INSERT INTO products (workspace_id, id, name) VALUES ($1, $2, 'Bench plan')`, [workspaceId, productId]);
  await pool.query(
    `INSERT INTO prices (workspace_id, id, product_id, currency, unit_amount, type, recurring_interval, recurring_interval_count, billing_scheme)
     VALUES ($1, $2, $3, 'usd', 2000, 'recurring', 'month', 1, 'per_unit')`,
    [workspaceId, priceId, productId],
  );

  // Every subscription's period ends at T0, two hours ago: due, and past the one-hour draft
  // window. T0 is taken back from the anchor so month-end clamping cannot move it.
  const anchor = periodStart(Math.floor(Date.now() / 1000) - 2 * 3600, 'month', 1, -1);
  const t0 = periodStart(anchor, 'month', 1, 1);
  const nextEnd = periodStart(anchor, 'month', 1, 2);

  const seedStarted = performance.now();
  const seeder = await pool.connect();
  try {
    await seeder.query('BEGIN');
    // The rows are consistent by construction; skipping the foreign-key triggers (superuser
    // only) saves several million lookups, and lets customers name their payment method
    // before it exists. Without the privilege the seed is slower, not wrong.
    await seeder.query('SAVEPOINT replica');
    const replica = await seeder.query('SET LOCAL session_replication_role = replica').then(
      () => true,
      () => seeder.query('ROLLBACK TO SAVEPOINT replica').then(() => false),
    );
    const id = (prefix: string) => `'${prefix}_' || lpad(n::text, ${ID_WIDTH}, '0')`;
    const params = [workspaceId, subs, iso(anchor), iso(t0)];
    await seeder.query(
      `INSERT INTO customers (workspace_id, id, email, name, default_payment_method_id, created_at, updated_at)
       SELECT $1, ${id('cus')}, 'bench' || n || '@example.com', 'Bench Customer ' || n, ${replica ? id('pm') : 'NULL'}, $3, $3
       FROM generate_series(1, $2::int) n`,
      params.slice(0, 3),
    );
    await seeder.query(
      `INSERT INTO payment_methods (workspace_id, id, customer_id, gateway, gateway_ref, card, created_at)
       SELECT $1, ${id('pm')}, ${id('cus')}, 'test', 'test_visa_' || lpad(n::text, 16, '0'),
              '{"brand":"visa","last4":"4242","exp_month":12,"exp_year":2030,"funding":"credit","country":"US"}', $3
       FROM generate_series(1, $2::int) n`,
      params.slice(0, 3),
    );
    if (!replica) await seeder.query(`UPDATE customers SET default_payment_method_id = 'pm_' || substr(id, 5)`);
    await seeder.query(
      `INSERT INTO subscriptions (workspace_id, id, customer_id, status, currency, interval, interval_count, collection_method,
         billing_cycle_anchor, current_period_start, current_period_end, start_date, next_action_at, created_at, updated_at)
       SELECT $1, ${id('sub')}, ${id('cus')}, 'active', 'usd', 'month', 1, 'charge_automatically', $3, $3, $4, $3, $4, $3, $3
       FROM generate_series(1, $2::int) n`,
      params,
    );
    await seeder.query(
      `INSERT INTO subscription_items (workspace_id, id, subscription_id, price_id, quantity, created_at)
       SELECT $1, ${id('si')}, ${id('sub')}, $4, 1, $3 FROM generate_series(1, $2::int) n`,
      [workspaceId, subs, iso(anchor), priceId],
    );
    await seeder.query('COMMIT');
  } finally {
    seeder.release();
  }
  await pool.query('VACUUM ANALYZE');
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  console.log(`seeded ${number(subs)} subscriptions in ${seedSeconds.toFixed(1)} s`);

  const before = await tableCounts(pool, 'public');
  // Both timed runs start from a clean checkpoint, so neither pays for the other's dirty pages
  // (needs superuser or pg_checkpoint; skipped without).
  const checkpoint = () => pool.query('CHECKPOINT').catch(() => undefined);
  await checkpoint();
  const engine = await runWorker(['engine', dbUrl.toString(), String(workers), new Date().toISOString(), ...(values.batch ? [values.batch] : [])]);
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
    subscriptionIds: { prefix: 'sub_', width: ID_WIDTH, count: subs },
    period: { start: iso(t0), end: iso(nextEnd) },
  };
  const floor = await runWorker(['floor', dbUrl.toString(), String(workers), JSON.stringify(plan)]);
  const floorExpected = written.reduce((sum, t) => sum + t.rows, 0) + subs;
  if (floor.handled !== floorExpected) throw new Error(`the floor wrote ${floor.handled} rows, expected ${floorExpected}`);

  const version = (await pool.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version;
  const rss = engine.rssAt;
  const line = (label: string, value: string) => console.log(label.padEnd(33) + value);
  console.log(`\nbench:billing — ${number(subs)} subscriptions due at once, ${workers} worker loops (${workers} connections), batches of ${engine.batchSize}, PostgreSQL ${version}, Node ${process.version}`);
  line('seed (not timed)', `${seedSeconds.toFixed(1)} s`);
  line('engine', `${engine.seconds.toFixed(1)} s`);
  line('renewals/s', number(renewals / engine.seconds));
  line('engine time by step', percentages(engine.shares));
  line('rows written', [...written.map((t) => `${t.name} ${number(t.rows)}`), `subscriptions updated ${number(subs)}`].join(', '));
  line('worker CPU', `${engine.cpuSeconds.toFixed(1)} s (${Math.round((engine.cpuSeconds / engine.seconds) * 100)}% of one core; floor ${Math.round((floor.cpuSeconds / floor.seconds) * 100)}%)`);
  line('worker peak RSS', `${mib(engine.peakRssBytes)} MiB`);
  line('worker RSS at 0/25/50/75/100 %', `${[rss.start, rss.p25, rss.p50, rss.p75, rss.p100].map(mib).join(' / ')} MiB`);
  line('floor (1,000-row statements)', `${floor.seconds.toFixed(1)} s, ${number(floor.handled)} rows, ${number(floor.handled / floor.seconds)} rows/s`);
  line('floor time by table', percentages(floor.shares));
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
