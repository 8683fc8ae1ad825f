/**
 * `npm run test:faults`: the billing run exactly once under faults, with real processes,
 * real PostgreSQL and real SIGKILLs.
 *
 * On a fresh database (like the benchmark) it seeds two sets of N subscriptions (default
 * 10,000 each), every fifth with a card whose charges fail (`test_chargeCustomerFail_…`):
 *
 * - Phase 1, one worker process (worker.ts: `recur worker`'s loop over the billing run) at
 *   the wall clock. Set A is due: 80 % of it two hours ago (renewed, finalized and charged in
 *   one batch), 20 % half an hour ago (a draft for its first hour). The worker is killed with
 *   SIGKILL at random moments while work remains (--kills times, at least five; every other
 *   kill just after the gateway has made charges that no commit has recorded yet) and
 *   restarted each time; the last one finishes. At least one kill must have left charges
 *   unrecorded, else the run has not tested what it is for.
 * - Phase 2, two worker processes side by side, their clocks a day and an hour ahead: set B
 *   falls due, set A's drafts are finalized and charged, and its failed invoices get their
 *   first retry. One of the two is killed at random moments too (--kills-2).
 *
 * After each phase it checks, from the database and the test gateway's ledger (which the
 * gateway writes outside the workers' transactions, so a kill cannot take a charge back):
 * one renewal invoice per subscription period, none missing; at the gateway, one charge per
 * invoice attempt and none Recur did not record; every paid invoice with exactly one
 * successful charge of its amount and no successful charge without a paid invoice; every
 * failed invoice's next attempt on the dunning schedule (first failure + 1 day, then + 2)
 * and its subscription past_due; every subscription moved exactly one period; invoice
 * numbers gap-free; each invoice's events exactly once. It prints its figures and exits
 * non-zero on any violation.
 *
 *   npm run test:faults [-- --subs 10000 --kills 5 --kills-2 2 --seed <n> --keep]
 *
 * Uses DATABASE_URL's server (default: the local PostgreSQL at 127.0.0.1:5432).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { connect } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';
import { newId } from '../../src/lib/ids.ts';
import { DEFAULT_DUNNING_POLICY } from '../../src/modules/payments/dunning/schedule.ts';
import { periodStart } from '../../src/modules/subscriptions/periods.ts';
import { seedTransaction } from '../helpers/seed.ts';
import { createAccountWithWorkspaces, findWorkspace } from '../../src/modules/workspaces/service.ts';

const { values } = parseArgs({
  options: {
    subs: { type: 'string', default: '10000' },
    kills: { type: 'string', default: '5' },
    'kills-2': { type: 'string', default: '2' },
    seed: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});
const N = Number(values.subs);
const KILLS = Number(values.kills);
const KILLS_2 = Number(values['kills-2']);
const SEED = values.seed !== undefined ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
if (!Number.isSafeInteger(N) || N < 10 || !Number.isSafeInteger(KILLS) || KILLS < 5 || !Number.isSafeInteger(KILLS_2) || KILLS_2 < 0 || !Number.isSafeInteger(SEED)) {
  throw new Error('--subs takes an integer ≥ 10, --kills one ≥ 5; --kills-2 and --seed integers ≥ 0');
}

const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const root = fileURLToPath(new URL('../..', import.meta.url));
const HOUR = 3600;
const DAY = 86_400;
/** Phase 2's clocks: a day and an hour ahead, past set A's first retries and drafts. */
const PHASE_2_OFFSET_MS = (DAY + HOUR) * 1000;
/**
 * When a kill comes: once the workers have done a random part (up to KILL_SHARE) of their
 * fair share of what is left (what is due ÷ the kills still to come, plus one), so that the
 * kills cannot use up the work before the last of them; then every other kill after a random
 * pause of up to KILL_PAUSE_MS (about a batch), anywhere in a batch, and the others once the
 * gateway has charges that no commit has recorded yet (a batch between its charges and its
 * commit), after a random pause of up to AFTER_CHARGE_PAUSE_MS.
 */
const KILL_SHARE = 0.5;
const KILL_PAUSE_MS = 400;
const AFTER_CHARGE_PAUSE_MS = 100;
/** How long the last worker may take to finish what is due before the test gives up. */
const FINISH_TIMEOUT_MS = 120_000;
const ID_WIDTH = 24;
const NUMBER_PREFIX = 'FAULT';
// The Node flags `npm run worker` starts a worker with, as the benchmark does.
const workerScript = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> }).scripts.worker ?? '';
const WORKER_NODE_FLAGS = workerScript.split(' ').filter((word) => word.startsWith('--'));

/** mulberry32: the kills' random choices, repeatable with --seed (their moments follow the workers' progress too). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = random(SEED);
const between = (min: number, max: number) => min + Math.floor(rand() * (max - min + 1));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const number = (n: number) => Math.round(n).toLocaleString('en-US');
const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

// ---------------------------------------------------------------------------------------
// Worker processes
// ---------------------------------------------------------------------------------------

interface Life {
  name: string;
  child: ChildProcess;
  running: Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Set before we end it ourselves: any other exit is a failure of the test. */
  ending: boolean;
}

/** What the workers logged (a failed batch, which the runner retries), by message. */
const workerErrors = new Map<string, number>();
const unexpectedExits: string[] = [];

function startLife(name: string, offsetMs: number): Life {
  const child = spawn(process.execPath, [...WORKER_NODE_FLAGS, '--import', 'tsx', 'test/faults/worker.ts', dbUrl, String(offsetMs), name], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'warn' },
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
      try {
        const entry = JSON.parse(line) as { msg?: string; err?: { message?: string } };
        const message = `${entry.msg ?? ''}: ${entry.err?.message ?? ''}`;
        workerErrors.set(message, (workerErrors.get(message) ?? 0) + 1);
      } catch {
        if (line.trim()) process.stderr.write(`[${name}] ${line}\n`);
      }
    }
  });
  return life;
}

async function end(life: Life, signal: 'SIGKILL' | 'SIGTERM'): Promise<void> {
  life.ending = true;
  life.child.kill(signal);
  const { code } = await life.exited;
  if (signal === 'SIGTERM' && code !== 0) throw new Error(`${life.name} did not stop cleanly (code ${code})`);
}

// ---------------------------------------------------------------------------------------
// The database
// ---------------------------------------------------------------------------------------

const dbName = `recur_faults_${Date.now()}`;
const admin = new pg.Client({ connectionString: serverUrl });
await admin.connect();
await admin.query(`CREATE DATABASE ${dbName}`);
const dbUrlObject = new URL(serverUrl);
dbUrlObject.pathname = `/${dbName}`;
const dbUrl = dbUrlObject.toString();
const database = connect(dbUrl, { max: 4, applicationName: 'fault-test' });
const pool = database.pool;

async function one<T>(text: string, params: unknown[] = []): Promise<T> {
  const { rows } = await pool.query(text, params);
  return rows[0] as T;
}
const count = async (text: string, params: unknown[] = []) => Number((await one<{ n: string }>(text, params)).n);

/** What was seeded, one row per subscription: the fault test's own table of expectations. */
interface PlanRow {
  subscription_id: string;
  batch: 'A' | 'B';
  failing: boolean;
  draft: boolean;
  period_start: Date;
  period_end: Date;
}

/** Set A's groups fall due two hours and half an hour ago; set B two hours before phase 2's clock. */
function schedule(now: number) {
  const group = (end: number) => {
    const anchor = periodStart(end, 'month', 1, -1);
    return { anchor, start: periodStart(anchor, 'month', 1, 1), end: periodStart(anchor, 'month', 1, 2) };
  };
  return { a: group(now - 2 * HOUR), drafts: group(now - HOUR / 2), b: group(now + PHASE_2_OFFSET_MS / 1000 - 2 * HOUR) };
}

async function seed(workspaceId: string): Promise<void> {
  const productId = newId('product');
  const priceId = newId('price');
  await pool.query(`INSERT INTO products (workspace_id, id, name) VALUES ($1, $2, 'Fault plan')`, [workspaceId, productId]);
  await pool.query(
    `INSERT INTO prices (workspace_id, id, product_id, currency, unit_amount, type, recurring_interval, recurring_interval_count, billing_scheme)
     VALUES ($1, $2, $3, 'usd', 2000, 'recurring', 'month', 1, 'per_unit')`,
    [workspaceId, priceId, productId],
  );
  const times = schedule(Math.floor(Date.now() / 1000));
  await seedTransaction(pool, async (seeder, replica) => {
    await seeder.query(`CREATE TABLE fault_plan (subscription_id text COLLATE "C" PRIMARY KEY, n int NOT NULL, batch text NOT NULL, failing boolean NOT NULL,
      draft boolean NOT NULL, anchor timestamptz NOT NULL, period_start timestamptz NOT NULL, period_end timestamptz NOT NULL)`);
    // n in 1..N is set A, N+1..2N set B; every fifth card fails; set A's n ≡ 3, 5 (mod 10) are drafts.
    const pick = (column: number) => `CASE WHEN n > $1 THEN $${8 + column}::timestamptz WHEN n % 10 IN (3, 5) THEN $${5 + column}::timestamptz ELSE $${2 + column}::timestamptz END`;
    await seeder.query(
      `INSERT INTO fault_plan
       SELECT 'sub_' || lpad(n::text, ${ID_WIDTH}, '0'), n, CASE WHEN n <= $1 THEN 'A' ELSE 'B' END, n % 5 = 0, n <= $1 AND n % 10 IN (3, 5), ${pick(0)}, ${pick(1)}, ${pick(2)}
       FROM generate_series(1, 2 * $1::int) n`,
      [N, ...[times.a, times.drafts, times.b].flatMap((t) => [iso(t.anchor), iso(t.start), iso(t.end)])],
    );
    const id = (prefix: string) => `'${prefix}_' || lpad(p.n::text, ${ID_WIDTH}, '0')`;
    const from = `FROM fault_plan p`;
    await seeder.query(
      `INSERT INTO customers (workspace_id, id, email, name, default_payment_method_id, created_at, updated_at)
       SELECT $1, ${id('cus')}, 'fault' || p.n || '@example.com', 'Fault Customer ' || p.n, ${replica ? id('pm') : 'NULL'}, p.anchor, p.anchor ${from}`,
      [workspaceId],
    );
    await seeder.query(
      `INSERT INTO payment_methods (workspace_id, id, customer_id, gateway, gateway_ref, card, created_at)
       SELECT $1, ${id('pm')}, ${id('cus')}, 'test',
              CASE WHEN p.failing THEN 'test_chargeCustomerFail_' ELSE 'test_visa_' END || lpad(p.n::text, 16, '0'),
              CASE WHEN p.failing THEN '{"brand":"visa","last4":"0341","exp_month":12,"exp_year":2030,"funding":"credit","country":"US"}'
                   ELSE '{"brand":"visa","last4":"4242","exp_month":12,"exp_year":2030,"funding":"credit","country":"US"}' END::jsonb,
              p.anchor ${from}`,
      [workspaceId],
    );
    if (!replica) await seeder.query(`UPDATE customers SET default_payment_method_id = 'pm_' || substr(id, 5) WHERE workspace_id = $1`, [workspaceId]);
    await seeder.query(
      `INSERT INTO subscriptions (workspace_id, id, customer_id, status, currency, interval, interval_count, collection_method,
         billing_cycle_anchor, current_period_start, current_period_end, start_date, next_action_at, created_at, updated_at)
       SELECT $1, p.subscription_id, ${id('cus')}, 'active', 'usd', 'month', 1, 'charge_automatically',
              p.anchor, p.anchor, p.period_start, p.anchor, p.period_start, p.anchor, p.anchor ${from}`,
      [workspaceId],
    );
    await seeder.query(
      `INSERT INTO subscription_items (workspace_id, id, subscription_id, price_id, quantity, created_at)
       SELECT $1, ${id('si')}, p.subscription_id, $2, 1, p.anchor ${from}`,
      [workspaceId, priceId],
    );
    // Each subscription's first invoice, paid (a billing database has its history, and the
    // planner its statistics: decisions.md §21), numbered FAULT-1 … FAULT-2N.
    await seeder.query(
      `INSERT INTO invoices (workspace_id, id, customer_id, subscription_id, status, number, currency, billing_reason,
         collection_method, period_start, period_end, subtotal, total_excluding_tax, tax, total, amount_due, amount_paid,
         amount_remaining, attempt_count, attempted, finalized_at, paid_at, created_at, updated_at)
       SELECT $1, ${id('in')}, ${id('cus')}, p.subscription_id, 'paid', '${NUMBER_PREFIX}-' || lpad(p.n::text, greatest(4, length(p.n::text)), '0'), 'usd', 'subscription_create',
              'charge_automatically', p.anchor, p.anchor, 2000, 2000, 0, 2000, 2000, 2000, 0, 1, true, p.anchor, p.anchor, p.anchor, p.anchor ${from}`,
      [workspaceId],
    );
    await seeder.query(
      `INSERT INTO invoice_lines (workspace_id, invoice_id, position, id, amount, currency, description, quantity, price_id,
         product_id, unit_amount_decimal, subscription_id, subscription_item_id, period_start, period_end)
       SELECT $1, ${id('in')}, 0, ${id('il')}, 2000, 'usd', '1 × Fault plan', 1, $2, $3, '2000', p.subscription_id, ${id('si')}, p.anchor, p.period_start ${from}`,
      [workspaceId, priceId, productId],
    );
    await seeder.query(`UPDATE subscriptions SET latest_invoice_id = 'in_' || substr(id, 5) WHERE workspace_id = $1`, [workspaceId]);
    await seeder.query(`INSERT INTO invoice_numbering (workspace_id, prefix, next_number) VALUES ($1, '${NUMBER_PREFIX}', $2)`, [workspaceId, 2 * N + 1]);
  });
  await pool.query('VACUUM ANALYZE');
}

/** Due work at a worker's clock: subscriptions, drafts to finalize, payments to attempt. */
function dueAt(workspaceId: string, offsetMs: number): Promise<number> {
  return count(
    `SELECT (SELECT count(*) FROM subscriptions WHERE workspace_id = $1 AND next_action_at <= $2)
          + (SELECT count(*) FROM invoices WHERE workspace_id = $1 AND status = 'draft' AND automatically_finalizes_at <= $2)
          + (SELECT count(*) FROM invoices WHERE workspace_id = $1 AND status = 'open' AND next_payment_attempt <= $2) AS n`,
    [workspaceId, new Date(Date.now() + offsetMs)],
  );
}

/** A killed worker's sessions end once PostgreSQL sees its sockets closed (and rolls back). */
async function sessionsGone(name: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while ((await count(`SELECT count(*) AS n FROM pg_stat_activity WHERE application_name IN ($1, $2)`, [name, `${name}-gateway`])) > 0) {
    if (Date.now() > deadline) throw new Error(`${name}'s database sessions outlived it by 15 s`);
    await sleep(20);
  }
}

/** How many more charges the gateway has made than the invoices' recorded attempts (cheap). */
function chargesAhead(workspaceId: string): Promise<number> {
  return count(
    `SELECT (SELECT count(*) FROM test_gateway_charges WHERE workspace_id = $1)
          - (SELECT coalesce(sum(attempt_count), 0) FROM invoices WHERE workspace_id = $1 AND billing_reason = 'subscription_cycle') AS n`,
    [workspaceId],
  );
}

/**
 * Charges the gateway made that Recur has not recorded (yet): a kill between a batch's
 * charges and its commit leaves these, for the next run of that batch to find again.
 */
function unrecordedCharges(workspaceId: string): Promise<{ n: string; succeeded: string }> {
  return one(
    `SELECT count(*) AS n, count(*) FILTER (WHERE c.status = 'succeeded') AS succeeded
     FROM test_gateway_charges c
     WHERE c.workspace_id = $1 AND NOT EXISTS (
       SELECT 1 FROM invoices i
       WHERE i.workspace_id = c.workspace_id AND i.subscription_id = split_part(c.idempotency_key, ':', 2)
         AND i.cycle_period_start = to_timestamp(split_part(c.idempotency_key, ':', 3)::bigint)
         AND i.attempt_count >= split_part(c.idempotency_key, ':', 4)::int)`,
    [workspaceId],
  );
}

// ---------------------------------------------------------------------------------------
// A phase: workers started, killed at random moments, restarted, and let finish
// ---------------------------------------------------------------------------------------

interface PhaseReport {
  seconds: number;
  kills: number;
  lives: number;
  /** How each kill was timed. */
  kinds: ('any moment' | 'after a charge')[];
  /** Per kill, with one worker: was it timed after a charge, and the charges it left unrecorded. */
  unrecorded: { afterCharge: boolean; n: number; succeeded: number }[];
}

async function runPhase(label: string, workspaceId: string, options: { workers: number; kills: number; offsetMs: number }): Promise<PhaseReport> {
  let lives = 0;
  const start = () => startLife(`fault-${label}-w${++lives}`, options.offsetMs);
  const started = performance.now();
  const slots = Array.from({ length: options.workers }, start);
  const report: PhaseReport = { seconds: 0, kills: 0, lives: 0, kinds: [], unrecorded: [] };
  try {
    await Promise.all(slots.map((life) => life.running));
    while (report.kills < options.kills) {
      const due = await dueAt(workspaceId, options.offsetMs);
      const until = due - Math.floor((rand() * KILL_SHARE * due) / (options.kills - report.kills + 1));
      while ((await dueAt(workspaceId, options.offsetMs)) > until) {
        if (unexpectedExits.length > 0) throw new Error(unexpectedExits.join('; '));
        await sleep(20);
      }
      const afterCharge = report.kills % 2 === 1;
      if (afterCharge) {
        while ((await chargesAhead(workspaceId)) === 0 && (await dueAt(workspaceId, options.offsetMs)) > 0) {
          if (unexpectedExits.length > 0) throw new Error(unexpectedExits.join('; '));
          await sleep(5);
        }
        await sleep(between(0, AFTER_CHARGE_PAUSE_MS));
      } else {
        await sleep(between(0, KILL_PAUSE_MS));
      }
      if (unexpectedExits.length > 0) throw new Error(unexpectedExits.join('; '));
      if ((await dueAt(workspaceId, options.offsetMs)) === 0) {
        throw new Error(`${label}: the work was done after ${report.kills} of ${options.kills} kills: more subscriptions (--subs) are needed`);
      }
      const slot = Math.floor(rand() * slots.length);
      const victim = slots[slot] as Life;
      await end(victim, 'SIGKILL');
      report.kills += 1;
      await sessionsGone(victim.name);
      // Counted with one worker only: a second one's batch in flight would count as well.
      const left = options.workers === 1 ? await unrecordedCharges(workspaceId) : null;
      report.kinds.push(afterCharge ? 'after a charge' : 'any moment');
      if (left) report.unrecorded.push({ afterCharge, n: Number(left.n), succeeded: Number(left.succeeded) });
      slots[slot] = start();
      await slots[slot].running;
    }
    const deadline = Date.now() + FINISH_TIMEOUT_MS;
    while ((await dueAt(workspaceId, options.offsetMs)) > 0) {
      if (unexpectedExits.length > 0) throw new Error(unexpectedExits.join('; '));
      if (Date.now() > deadline) throw new Error(`${label}: work still due after ${FINISH_TIMEOUT_MS / 1000} s`);
      await sleep(50);
    }
    report.seconds = (performance.now() - started) / 1000;
    report.lives = lives;
  } finally {
    await Promise.all(slots.filter((life) => !life.ending).map((life) => end(life, 'SIGTERM')));
  }
  return report;
}

// ---------------------------------------------------------------------------------------
// The checks
// ---------------------------------------------------------------------------------------

interface InvoiceFacts {
  id: string;
  subscription_id: string;
  status: string;
  number: string | null;
  attempt_count: number;
  amount_due: string;
  amount_paid: string;
  payment_failed_at: Date | null;
  next_payment_attempt: Date | null;
  decline_code: string | null;
  cycle_period_start: Date;
  /** Ledger rows for this invoice's period: all, succeeded, lowest and highest attempt, … */
  charges: string;
  succeeded: string;
  first_attempt: number | null;
  last_attempt: number | null;
  succeeded_amount: string | null;
  last_succeeded: boolean | null;
  last_decline_code: string | null;
  created: string;
  finalized: string;
  paid: string;
  payment_succeeded: string;
  payment_failed: string;
}

interface SubscriptionFacts extends PlanRow {
  status: string;
  current_period_start: Date;
  current_period_end: Date;
  next_action_at: Date | null;
  latest_invoice_id: string | null;
  cycle_invoices: string;
}

interface Figures {
  subscriptions: number;
  invoices: number;
  paid: number;
  open: number;
  drafts: number;
  charges: number;
  succeededCharges: number;
  failedCharges: number;
  duplicates: number;
  events: number;
}

/** The invoice a subscription of `plan` should have after `phase`: status and attempts, or none. */
function expected(plan: PlanRow, phase: 1 | 2): { status: 'paid' | 'open' | 'draft'; attempts: number } | null {
  if (plan.batch === 'B') {
    if (phase === 1) return null;
    return plan.failing ? { status: 'open', attempts: 1 } : { status: 'paid', attempts: 1 };
  }
  if (plan.draft) {
    if (phase === 1) return { status: 'draft', attempts: 0 };
    return plan.failing ? { status: 'open', attempts: 1 } : { status: 'paid', attempts: 1 };
  }
  if (!plan.failing) return { status: 'paid', attempts: 1 };
  // Phase 2's clock is past the first retry (first failure + 1 day), which fails again.
  return { status: 'open', attempts: phase === 1 ? 1 : 2 };
}

async function checkBilling(workspaceId: string, phase: 1 | 2): Promise<{ violations: string[]; figures: Figures }> {
  const violations: string[] = [];
  const problems = new Map<string, string[]>();
  const fail = (rule: string, example: string) => {
    const list = problems.get(rule) ?? [];
    list.push(example);
    problems.set(rule, list);
  };
  const seconds = (d: Date) => Math.floor(d.getTime() / 1000);
  // Fresh statistics: analyzed while the renewals did not exist, the tables look empty to
  // the planner, which then joins the ledger to the invoices by nested loops (minutes).
  await pool.query('ANALYZE invoices, test_gateway_charges, events, subscriptions');
  /** Double work found: a period invoiced twice, an invoice charged twice or for an attempt it did not record. */
  let doubles = 0;

  // One renewal invoice per subscription period: the unique index says so, the count checks it.
  const duplicates = await count(
    `SELECT count(*) AS n FROM (SELECT 1 FROM invoices WHERE workspace_id = $1 AND billing_reason = 'subscription_cycle'
       GROUP BY subscription_id, cycle_period_start HAVING count(*) > 1) d`,
    [workspaceId],
  );
  if (duplicates > 0) fail('more than one renewal invoice for a subscription period', `${duplicates} periods`);
  doubles += duplicates;

  const invoices = (
    await pool.query<InvoiceFacts>(
      `WITH charges AS (
         SELECT split_part(idempotency_key, ':', 2) AS subscription_id, to_timestamp(split_part(idempotency_key, ':', 3)::bigint) AS period,
                split_part(idempotency_key, ':', 4)::int AS attempt, status, amount, decline_code
         FROM test_gateway_charges WHERE workspace_id = $1 AND idempotency_key LIKE 'renewal:%'),
       per_invoice AS (
         SELECT i.id, count(c.attempt) AS charges, count(*) FILTER (WHERE c.status = 'succeeded') AS succeeded,
                min(c.attempt) AS first_attempt, max(c.attempt) AS last_attempt,
                sum(c.amount) FILTER (WHERE c.status = 'succeeded') AS succeeded_amount,
                bool_or(c.status = 'succeeded' AND c.attempt = i.attempt_count) AS last_succeeded,
                max(c.decline_code) FILTER (WHERE c.attempt = i.attempt_count) AS last_decline_code
         FROM invoices i LEFT JOIN charges c ON c.subscription_id = i.subscription_id AND c.period = i.cycle_period_start
         WHERE i.workspace_id = $1 AND i.billing_reason = 'subscription_cycle' GROUP BY i.id),
       events_of AS (
         SELECT object_id, count(*) FILTER (WHERE type = 'invoice.created') AS created, count(*) FILTER (WHERE type = 'invoice.finalized') AS finalized,
                count(*) FILTER (WHERE type = 'invoice.paid') AS paid, count(*) FILTER (WHERE type = 'invoice.payment_succeeded') AS payment_succeeded,
                count(*) FILTER (WHERE type = 'invoice.payment_failed') AS payment_failed
         FROM events WHERE workspace_id = $1 AND type LIKE 'invoice.%' GROUP BY object_id)
       SELECT i.id, i.subscription_id, i.status, i.number, i.attempt_count, i.amount_due::text, i.amount_paid::text, i.payment_failed_at,
              i.next_payment_attempt, i.last_payment_error->>'decline_code' AS decline_code, i.cycle_period_start,
              p.charges, p.succeeded, p.first_attempt, p.last_attempt, p.succeeded_amount::text, p.last_succeeded, p.last_decline_code,
              coalesce(e.created, 0) AS created, coalesce(e.finalized, 0) AS finalized, coalesce(e.paid, 0) AS paid,
              coalesce(e.payment_succeeded, 0) AS payment_succeeded, coalesce(e.payment_failed, 0) AS payment_failed
       FROM invoices i JOIN per_invoice p ON p.id = i.id LEFT JOIN events_of e ON e.object_id = i.id
       WHERE i.workspace_id = $1 AND i.billing_reason = 'subscription_cycle'`,
      [workspaceId],
    )
  ).rows;
  const invoiceOf = new Map(invoices.map((i) => [i.subscription_id, i]));

  const subscriptions = (
    await pool.query<SubscriptionFacts>(
      `SELECT p.*, s.status, s.current_period_start, s.current_period_end, s.next_action_at, s.latest_invoice_id,
              (SELECT count(*) FROM invoices i WHERE i.workspace_id = s.workspace_id AND i.subscription_id = s.id AND i.billing_reason = 'subscription_cycle') AS cycle_invoices
       FROM fault_plan p JOIN subscriptions s ON s.workspace_id = $1 AND s.id = p.subscription_id`,
      [workspaceId],
    )
  ).rows;
  if (subscriptions.length !== 2 * N) fail('seeded subscriptions missing', `${subscriptions.length} of ${2 * N}`);

  for (const sub of subscriptions) {
    const want = expected(sub, phase);
    const invoice = invoiceOf.get(sub.subscription_id);
    const cycleInvoices = Number(sub.cycle_invoices);
    if (!want) {
      // Not due yet: untouched.
      if (cycleInvoices !== 0) fail('renewal invoice for a subscription not yet due', sub.subscription_id);
      if (sub.current_period_end.getTime() !== sub.period_start.getTime() || sub.status !== 'active') fail('subscription not yet due was changed', sub.subscription_id);
      continue;
    }
    if (!invoice || cycleInvoices === 0) {
      fail('renewal invoice missing', sub.subscription_id);
      continue;
    }
    if (cycleInvoices !== 1) fail('more than one renewal invoice', `${sub.subscription_id}: ${cycleInvoices}`);
    if (invoice.cycle_period_start.getTime() !== sub.period_start.getTime()) fail('renewal invoice for the wrong period', sub.subscription_id);
    // Exactly one period further, and due again at its end.
    if (
      sub.current_period_start.getTime() !== sub.period_start.getTime() ||
      sub.current_period_end.getTime() !== sub.period_end.getTime() ||
      sub.next_action_at?.getTime() !== sub.period_end.getTime()
    ) {
      fail('subscription not advanced exactly one period', `${sub.subscription_id}: ${sub.current_period_start.toISOString()}–${sub.current_period_end.toISOString()}`);
    }
    if (sub.latest_invoice_id !== invoice.id) fail('latest_invoice is not the renewal', sub.subscription_id);
    if (invoice.status !== want.status || invoice.attempt_count !== want.attempts) {
      fail('invoice not in the expected state', `${invoice.id} (${sub.batch}${sub.failing ? ', failing card' : ''}${sub.draft ? ', draft' : ''}): ${invoice.status}/${invoice.attempt_count}, expected ${want.status}/${want.attempts}`);
    }
    const wantStatus = invoice.status === 'open' ? 'past_due' : 'active';
    if (sub.status !== wantStatus) fail(`subscription status is not ${wantStatus}`, `${sub.subscription_id}: ${sub.status}`);
  }

  const retryDays = DEFAULT_DUNNING_POLICY.retryDays;
  for (const invoice of invoices) {
    const charges = Number(invoice.charges);
    const succeeded = Number(invoice.succeeded);
    // At the gateway: exactly the attempts Recur recorded, 1…attempt_count, each once (the
    // ledger's key is the attempt's idempotency key); none Recur has no record of.
    if (charges !== invoice.attempt_count || (charges > 0 && (invoice.first_attempt !== 1 || invoice.last_attempt !== invoice.attempt_count))) {
      doubles += 1;
      fail('gateway charges do not match the recorded attempts', `${invoice.id}: ${charges} charges (attempts ${invoice.first_attempt}–${invoice.last_attempt}), attempt_count ${invoice.attempt_count}`);
    }
    if (succeeded > 1) {
      doubles += 1;
      fail('charged successfully more than once', `${invoice.id}: ${succeeded}`);
    }
    if (invoice.status === 'paid') {
      if (succeeded !== 1 || invoice.last_succeeded !== true) fail('paid without a successful charge', invoice.id);
      else if (invoice.succeeded_amount !== invoice.amount_paid || invoice.amount_paid !== invoice.amount_due) {
        fail('charged amount differs from the amount paid', `${invoice.id}: charged ${invoice.succeeded_amount}, paid ${invoice.amount_paid} of ${invoice.amount_due}`);
      }
    } else if (succeeded > 0) {
      fail('successful charge without a paid invoice', `${invoice.id} (${invoice.status})`);
    }
    if (invoice.status === 'open' && invoice.attempt_count > 0) {
      // Failed: retried on the dunning schedule, counted from the first failure.
      const days = retryDays[invoice.attempt_count - 1];
      const wanted = invoice.payment_failed_at && days !== undefined ? seconds(invoice.payment_failed_at) + days * DAY : null;
      const got = invoice.next_payment_attempt ? seconds(invoice.next_payment_attempt) : null;
      if (wanted === null || got !== wanted) {
        fail('failed invoice not scheduled for its retry', `${invoice.id}: next attempt ${invoice.next_payment_attempt?.toISOString()}, first failure ${invoice.payment_failed_at?.toISOString()}, attempts ${invoice.attempt_count}`);
      }
      if (invoice.decline_code !== invoice.last_decline_code) fail('recorded error differs from the gateway\'s answer', invoice.id);
    }
    if (invoice.status === 'draft' && (invoice.attempt_count !== 0 || charges !== 0 || invoice.number !== null)) fail('draft charged or numbered', invoice.id);
    // The outbox: each step's events exactly once.
    const want = {
      created: 1,
      finalized: invoice.status === 'draft' ? 0 : 1,
      paid: invoice.status === 'paid' ? 1 : 0,
      payment_succeeded: invoice.status === 'paid' ? 1 : 0,
      payment_failed: Math.max(0, invoice.attempt_count - succeeded),
    };
    const got = { created: Number(invoice.created), finalized: Number(invoice.finalized), paid: Number(invoice.paid), payment_succeeded: Number(invoice.payment_succeeded), payment_failed: Number(invoice.payment_failed) };
    if (JSON.stringify(got) !== JSON.stringify(want)) fail('invoice events not exactly once', `${invoice.id}: ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
  }

  // Charges for nothing: keys of no renewal invoice (e.g. an invoice made twice under two ids).
  const strays = await count(
    `SELECT count(*) AS n FROM test_gateway_charges c WHERE c.workspace_id = $1 AND (c.idempotency_key NOT LIKE 'renewal:%' OR NOT EXISTS (
       SELECT 1 FROM invoices i WHERE i.workspace_id = c.workspace_id AND i.subscription_id = split_part(c.idempotency_key, ':', 2)
         AND i.cycle_period_start = to_timestamp(split_part(c.idempotency_key, ':', 3)::bigint)))`,
    [workspaceId],
  );
  if (strays > 0) fail('gateway charges for no renewal invoice', `${strays} charges`);
  doubles += strays;
  // Events of invoices that do not exist: an event outside its batch's transaction.
  const orphanEvents = await count(
    `SELECT count(*) AS n FROM events e WHERE e.workspace_id = $1 AND e.type LIKE 'invoice.%'
       AND NOT EXISTS (SELECT 1 FROM invoices i WHERE i.workspace_id = e.workspace_id AND i.id = e.object_id)`,
    [workspaceId],
  );
  if (orphanEvents > 0) fail('events of invoices that do not exist', `${orphanEvents} events`);

  // Invoice numbers: gap-free after the seeded 2N (a killed batch gave its numbers back).
  const numbered = invoices.filter((i) => i.number !== null).map((i) => Number((i.number as string).slice(NUMBER_PREFIX.length + 1)));
  const distinct = new Set(numbered);
  const lowest = Math.min(...numbered);
  const highest = Math.max(...numbered);
  const next = Number((await one<{ next_number: string }>(`SELECT next_number FROM invoice_numbering WHERE workspace_id = $1`, [workspaceId])).next_number);
  if (numbered.length > 0 && (distinct.size !== numbered.length || lowest !== 2 * N + 1 || highest !== 2 * N + numbered.length || next !== highest + 1)) {
    fail('invoice numbers not gap-free', `${numbered.length} numbers (${distinct.size} distinct) from ${lowest} to ${highest}, next ${next}`);
  }

  for (const [rule, examples] of problems) violations.push(`${rule}: ${examples.length} (e.g. ${examples.slice(0, 3).join('; ')})`);
  const ledger = await one<{ n: string; succeeded: string; failed: string }>(
    `SELECT count(*) AS n, count(*) FILTER (WHERE status = 'succeeded') AS succeeded, count(*) FILTER (WHERE status = 'failed') AS failed
     FROM test_gateway_charges WHERE workspace_id = $1`,
    [workspaceId],
  );
  const eventCount = await count(`SELECT count(*) AS n FROM events WHERE workspace_id = $1`, [workspaceId]);
  return {
    violations,
    figures: {
      subscriptions: subscriptions.filter((s) => expected(s, phase) !== null).length,
      invoices: invoices.length,
      paid: invoices.filter((i) => i.status === 'paid').length,
      open: invoices.filter((i) => i.status === 'open').length,
      drafts: invoices.filter((i) => i.status === 'draft').length,
      charges: Number(ledger.n),
      succeededCharges: Number(ledger.succeeded),
      failedCharges: Number(ledger.failed),
      duplicates: doubles,
      events: eventCount,
    },
  };
}

/**
 * Hook: checks of what the notifications and webhooks modules deliver under the same kills
 * (each invoice email and each webhook delivery made once per event, none lost) go here once
 * those modules are done, with their work added to worker.ts's faultWork(). None yet.
 */
async function deliveryChecks(_workspaceId: string, _phase: 1 | 2): Promise<string[]> {
  return [];
}

// ---------------------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------------------

const line = (label: string, value: string) => console.log(`  ${label.padEnd(32)}${value}`);
let failed = false;
try {
  await migrate(pool);
  const { accountId } = await createAccountWithWorkspaces(database.db, 'Faults');
  const workspaceId = (await findWorkspace(database.db, accountId, 'sandbox'))?.id as string;
  const seeding = performance.now();
  await seed(workspaceId);
  console.log(`test:faults — seed ${SEED}; ${number(2 * N)} subscriptions seeded in ${((performance.now() - seeding) / 1000).toFixed(1)} s (database ${dbName})`);

  const phases: { label: string; phase: 1 | 2; workers: number; kills: number; offsetMs: number; title: string }[] = [
    { label: 'p1', phase: 1, workers: 1, kills: KILLS, offsetMs: 0, title: `phase 1: ${number(N)} subscriptions due, one worker, killed ${KILLS} times` },
    { label: 'p2', phase: 2, workers: 2, kills: KILLS_2, offsetMs: PHASE_2_OFFSET_MS, title: `phase 2: a day later, a fresh ${number(N)} due, set A's drafts and retries; two workers, one killed ${KILLS_2} times` },
  ];
  for (const phase of phases) {
    console.log(`\n${phase.title}`);
    const report = await runPhase(phase.label, workspaceId, phase);
    const checking = performance.now();
    const { violations, figures } = await checkBilling(workspaceId, phase.phase);
    violations.push(...(await deliveryChecks(workspaceId, phase.phase)));
    const targeted = report.kinds.filter((k) => k === 'after a charge').length;
    line('kills (SIGKILL)', `${report.kills} (${report.kills - targeted} at any moment, ${targeted} just after a charge), ${report.lives} worker processes in all`);
    if (report.unrecorded.length > 0) {
      const hit = report.unrecorded.filter((u) => u.n > 0).length;
      line('charges left unrecorded by', `${hit} of ${report.kills} kills: ${report.unrecorded.map((u) => `${u.n} (${u.succeeded} ok)${u.afterCharge ? '*' : ''}`).join(', ')}  (* just after a charge)`);
    }
    line('subscriptions renewed', `${number(figures.subscriptions)}${phase.phase === 2 ? ' (sets A and B)' : ''}`);
    line('renewal invoices', `${number(figures.invoices)} (paid ${number(figures.paid)}, open ${number(figures.open)}, draft ${number(figures.drafts)})`);
    line('gateway charges', `${number(figures.charges)} (succeeded ${number(figures.succeededCharges)}, failed ${number(figures.failedCharges)})`);
    line('events', number(figures.events));
    line('duplicates found', String(figures.duplicates));
    line('worker errors logged', workerErrors.size === 0 ? '0' : [...workerErrors].map(([m, n]) => `${n}× ${m}`).join('; '));
    line('time', `${report.seconds.toFixed(1)} s (first worker started → nothing due); checks ${((performance.now() - checking) / 1000).toFixed(1)} s`);
    workerErrors.clear();
    if (report.unrecorded.length > 1 && report.unrecorded.every((u) => u.n === 0)) {
      violations.push('no kill landed between a batch\'s charges and its commit: the run did not test what it is for');
    }
    if (violations.length > 0) {
      failed = true;
      console.log(`\n  VIOLATIONS (${violations.length}):`);
      for (const v of violations) console.log(`  - ${v}`);
      break;
    }
    console.log('  ok');
  }
} catch (error) {
  failed = true;
  console.error(error);
} finally {
  await database.close();
  if (values.keep || failed) console.log(`\nkept database ${dbName}`);
  else await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
}
console.log(failed ? '\ntest:faults FAILED' : '\ntest:faults passed');
process.exit(failed ? 1 : 0);
