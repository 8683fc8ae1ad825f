/**
 * The worker process of `npm run test:faults` (test/faults/billing.ts): what `recur worker`
 * runs, as a process of its own that the test kills with SIGKILL. It runs the real worker
 * loop (worker/runner.ts: startWorker, with its pauses and its retry after a failed batch)
 * over faultWork(), on a pool of RECUR_DB_POOL_SIZE's default size and the gateway's own
 * pool, as `recur worker` does, with the wall clock moved by a fixed offset (the test's
 * second phase runs a day later).
 *
 *   worker.ts <database url> <clock offset ms> <application name>
 *
 * Prints `running` once its loops have started. SIGTERM stops it gently (the last phase's
 * end); SIGKILL is the fault under test.
 */
import { pino } from 'pino';
import { connect } from '../../src/db/database.ts';
import { billingWork } from '../../src/modules/billing/run.ts';
import { startWorker, type DueWork } from '../../src/worker/runner.ts';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';

const [url, offsetArg, name] = process.argv.slice(2);
if (!url || offsetArg === undefined || !name) throw new Error('usage: worker.ts <database url> <clock offset ms> <application name>');
const offsetMs = Number(offsetArg);

/**
 * Hook: the background work under test. Only the billing run for now; once the notifications
 * and webhooks modules are done, their work joins here (the event dispatcher with their
 * consumers, the email sender, the webhook deliverer: worker/index.ts's backgroundWork), and
 * billing.ts's deliveryChecks() checks what they sent.
 */
function faultWork(gatewayDb: Kysely<Database>): DueWork[] {
  return billingWork(gatewayDb);
}

// As `recur worker`: RECUR_DB_POOL_SIZE's default, and the gateway's own pool beside it.
const database = connect(url, { max: 10, applicationName: name });
// Batch failures are logged (and the batch retried) by the runner; the test counts them.
const logger = pino({ level: 'warn', base: { worker: name } }, pino.destination(2));
const worker = startWorker(database.db, faultWork(database.gatewayDb), logger, () => new Date(Date.now() + offsetMs));
process.stdout.write('running\n');

process.once('SIGTERM', () => {
  void (async () => {
    await worker.stop();
    await database.close();
    process.exit(0);
  })();
});
