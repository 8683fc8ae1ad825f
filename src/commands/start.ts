import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { Config } from '../config.ts';
import { openDatabase } from '../db/open.ts';
import { acquireServeLock, type ServeLock } from '../db/serve-lock.ts';
import type { Logger } from '../lib/logger.ts';
import { loadSecretKey, secretBox } from '../lib/secret-box.ts';
import { ensureBootstrapped } from '../modules/workspaces/bootstrap.ts';
import { buildApp } from '../server/app.ts';
import { backgroundWork } from '../worker/index.ts';
import { startWorker } from '../worker/runner.ts';
import { UserError } from './errors.ts';

async function assertPortFree(host: string, port: number): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new UserError(`Port ${port} on ${host} is already in use. Stop what is using it, or set PORT to another port.`)
          : new UserError(`Cannot listen on ${host}:${port}: ${error.message}`),
      ),
    );
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

/** `recur start`: API, dashboard and worker in one process. */
export async function startCommand(config: Config, logger: Logger, options: { worker: boolean }): Promise<void> {
  await assertPortFree(config.host, config.port);
  let lock: ServeLock | null = null;
  if (!config.databaseUrl) {
    await mkdir(config.dataDir, { recursive: true });
    lock = await acquireServeLock(config.dataDir).catch((error: Error) => {
      throw new UserError(error.message);
    });
  }
  const database = await openDatabase(config, logger).catch(async (error: unknown) => {
    await lock?.release();
    throw error;
  });
  const boot = await ensureBootstrapped(database.db, config);
  const secrets = secretBox(loadSecretKey(process.env, config.dataDir));
  const app = await buildApp({
    secrets,
    db: database.db,
    gatewayDb: database.gatewayDb,
    pool: database.pool,
    logger,
    rateLimitPerSecond: config.rateLimitPerSecond,
    bodyLimitBytes: config.bodyLimitBytes,
    webDir: config.webDir,
    secureCookies: config.secureCookies,
    publicUrl: config.publicUrl,
  });
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    await database.shutdown({ stopEmbedded: 'always' });
    await lock?.release();
    throw (error as NodeJS.ErrnoException).code === 'EADDRINUSE'
      ? new UserError(`Port ${config.port} on ${config.host} is already in use. Stop what is using it, or set PORT to another port.`)
      : error;
  }
  const worker = options.worker ? startWorker(database.db, backgroundWork({ config, secrets, gatewayDb: database.gatewayDb }), logger) : null;

  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const base = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  const login = boot.generatedPassword
    ? `${boot.ownerEmail} / ${boot.generatedPassword}   (generated on first start and shown only now: keep it)`
    : boot.created
      ? `${boot.ownerEmail} with the password from RECUR_ADMIN_PASSWORD`
      : `${boot.ownerEmail} (forgot the password? npx recur users reset-password --email ${boot.ownerEmail})`;
  process.stdout.write(
    [
      'Recur is running.',
      `  Dashboard:  ${base}/admin`,
      `  Sign in:    ${login}`,
      `  API:        ${base}/v1   (reference: ${base}/docs)`,
      `  Database:   ${config.databaseUrl ? 'DATABASE_URL' : `embedded PostgreSQL in ${config.dataDir}`}`,
      '  Stop with Ctrl+C.',
      '',
    ].join('\n'),
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    try {
      await app.close();
      await worker?.stop();
      await database.shutdown({ stopEmbedded: 'always' });
    } finally {
      await lock?.release();
    }
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}
