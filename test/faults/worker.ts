/**
 * The worker process of `npm run test:faults` (test/faults/billing.ts): what `recur worker`
 * runs, as a process of its own that the test kills with SIGKILL. It runs the real worker
 * loop (worker/runner.ts: startWorker, with its pauses and its retry after a failed batch)
 * over faultWork(), on a pool of RECUR_DB_POOL_SIZE's default size and the gateway's own
 * pool, as `recur worker` does, with the wall clock moved by a fixed offset (the test's
 * second phase runs a day later; the end of a phase, past the leases, minutes later).
 *
 *   worker.ts <database url> <clock offset ms> <application name>
 *
 * Configured from the environment as `recur worker` is: the test sets SMTP_URL (its SMTP
 * server) and RECUR_SECRET_KEY (the key its webhook endpoint's secret is sealed with).
 * Prints `running` once its loops have started. SIGTERM stops it gently (a phase's end);
 * SIGKILL is the fault under test.
 */
import { pino } from 'pino';
import { loadConfig } from '../../src/config.ts';
import { connect, type DatabaseHandle } from '../../src/db/database.ts';
import { loadSecretKey, secretBox } from '../../src/lib/secret-box.ts';
import { backgroundWork } from '../../src/worker/index.ts';
import { startWorker, type DueWork } from '../../src/worker/runner.ts';

const [url, offsetArg, name] = process.argv.slice(2);
if (!url || offsetArg === undefined || !name) throw new Error('usage: worker.ts <database url> <clock offset ms> <application name>');
const offsetMs = Number(offsetArg);

/**
 * The background work under test: all of `recur worker`'s (worker/index.ts), so the billing
 * run, the event dispatcher with its consumers, the webhook deliverer and the email sender
 * are killed together, as in production; the checks are billing-checks.ts and
 * delivery-checks.ts.
 */
function faultWork(database: DatabaseHandle): DueWork[] {
  const config = loadConfig(process.env);
  return backgroundWork({ config, secrets: secretBox(loadSecretKey(process.env, config.dataDir)), gatewayDb: database.gatewayDb });
}

// As `recur worker`: RECUR_DB_POOL_SIZE's default, and the gateway's own pool beside it.
const database = connect(url, { max: 10, applicationName: name });
// Batch failures are logged (and the batch retried) by the runner; the test counts them.
const logger = pino({ level: 'warn', base: { worker: name } }, pino.destination(2));
const worker = startWorker(database.db, faultWork(database), logger, () => new Date(Date.now() + offsetMs));
process.stdout.write('running\n');

process.once('SIGTERM', () => {
  void (async () => {
    await worker.stop();
    await database.close();
    process.exit(0);
  })();
});
