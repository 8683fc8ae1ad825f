/**
 * `npm run bench:api`: HTTP throughput of the API on PostgreSQL, against a bare Fastify
 * route in the same run. Recur runs as its own process (`recur start --no-worker`) on a
 * fresh database; autocannon drives it with 50 connections from this process.
 *
 *   npm run bench:api [-- --duration 10 --connections 50]
 *
 * Uses DATABASE_URL's server (default: the local PostgreSQL at 127.0.0.1:5432).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { connect } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';
import { createApiKey } from '../../src/modules/auth/api-keys.ts';
import { createAccountWithWorkspaces, findWorkspace } from '../../src/modules/workspaces/service.ts';
import type { WorkspaceRef } from '../../src/server/context.ts';

const { values } = parseArgs({
  options: { duration: { type: 'string', default: '10' }, connections: { type: 'string', default: '50' } },
});
const duration = Number(values.duration);
const connections = Number(values.connections);
const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const root = fileURLToPath(new URL('../..', import.meta.url));

function spawnUntilReady(args: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (ready.test(out)) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}`)));
  });
}

interface Figure {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

async function load(name: string, options: autocannon.Options): Promise<Figure> {
  // A short warm-up so JIT and connection pools are settled before measuring.
  await autocannon({ ...options, duration: 2 });
  const result = await autocannon({ ...options, duration, connections });
  return {
    name,
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

const dbName = `recur_bench_${Date.now()}`;
const admin = new pg.Client({ connectionString: serverUrl });
await admin.connect();
await admin.query(`CREATE DATABASE ${dbName}`);
const dbUrl = new URL(serverUrl);
dbUrl.pathname = `/${dbName}`;
const database = connect(dbUrl.toString(), { max: 2 });
const children: ChildProcess[] = [];
try {
  await migrate(database.pool);
  const { accountId } = await createAccountWithWorkspaces(database.db, 'Bench');
  const sandbox = (await findWorkspace(database.db, accountId, 'sandbox')) as WorkspaceRef;
  const { secret } = await createApiKey(database.db, sandbox, { type: 'secret' });
  const auth = { authorization: `Bearer ${secret}` };

  const port = 4400 + Math.floor(Math.random() * 500);
  children.push(
    await spawnUntilReady(
      ['bin/recur.js', 'start', '--no-worker'],
      { DATABASE_URL: dbUrl.toString(), PORT: String(port), RECUR_RATE_LIMIT: '10000000', LOG_LEVEL: 'warn', RECUR_ADMIN_PASSWORD: 'bench-password-1' },
      /Stop with Ctrl\+C/,
    ),
  );
  children.push(await spawnUntilReady(['--import', 'tsx', 'test/bench/bare-server.ts'], { PORT: String(port + 1) }, /ready/));
  const base = `http://127.0.0.1:${port}`;

  // Reads pick one of many customers at random, so no two concurrent requests can be
  // answered by the same row (which would flatter the batched lookups).
  const customerIds: string[] = [];
  for (let i = 0; i < 1000; i++) {
    const created = await fetch(`${base}/v1/customers`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/x-www-form-urlencoded' },
      body: `name=Bench+Customer+${i}&email=bench${i}%40example.com&metadata[plan]=pro`,
    });
    customerIds.push(((await created.json()) as { id: string }).id);
  }
  const randomCustomer = () => customerIds[Math.floor(Math.random() * customerIds.length)] as string;

  const form = { ...auth, 'content-type': 'application/x-www-form-urlencoded' };
  let counter = 0;
  const figures: Figure[] = [];
  figures.push(await load('bare Fastify GET', { url: `http://127.0.0.1:${port + 1}/bare` }));
  figures.push(
    await load('GET /v1/customers/:id (1,000 ids)', {
      url: `${base}/v1/customers/${randomCustomer()}`,
      headers: auth,
      requests: [{ setupRequest: (request) => ({ ...request, path: `/v1/customers/${randomCustomer()}` }) }],
    }),
  );
  figures.push(
    await load('POST /v1/customers', { url: `${base}/v1/customers`, method: 'POST', headers: form, body: 'name=Bench+Write&email=w%40example.com&metadata[plan]=pro' }),
  );
  figures.push(
    await load('POST /v1/customers + Idempotency-Key', {
      url: `${base}/v1/customers`,
      method: 'POST',
      headers: form,
      body: 'name=Bench+Write&email=w%40example.com&metadata[plan]=pro',
      setupClient: (client) => {
        client.setHeaders({ ...form, 'idempotency-key': `bench-${process.pid}-${counter++}` });
        client.on('response', () => client.setHeaders({ ...form, 'idempotency-key': `bench-${process.pid}-${counter++}` }));
      },
    }),
  );

  const bare = figures[0] as Figure;
  console.log(`\nbench:api — ${connections} connections, ${duration} s per target, PostgreSQL ${(await admin.query('SHOW server_version')).rows[0].server_version}, Node ${process.version}`);
  console.log('target'.padEnd(40) + 'req/s'.padStart(9) + 'p50 ms'.padStart(9) + 'p99 ms'.padStart(9) + 'vs bare'.padStart(9) + 'errors'.padStart(8));
  for (const f of figures) {
    console.log(
      f.name.padEnd(40) +
        String(f.rps).padStart(9) +
        String(f.p50).padStart(9) +
        String(f.p99).padStart(9) +
        `${((f.rps / bare.rps) * 100).toFixed(1)}%`.padStart(9) +
        String(f.errors + f.non2xx).padStart(8),
    );
  }
  console.log('\nTargets: reads ≥ 5,000 req/s with p99 ≤ 20 ms; writes ≥ 1,500 req/s with p99 ≤ 50 ms.');
} finally {
  for (const child of children) child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 1000));
  await database.close();
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
}
