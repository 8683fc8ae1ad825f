import { sql } from 'kysely';
import type { Config } from '../config.ts';
import { openDatabase } from '../db/open.ts';
import type { Logger } from '../lib/logger.ts';
import { loadSecretKey, secretBox } from '../lib/secret-box.ts';
import { billingWork } from '../modules/billing/run.ts';
import { Gateways } from '../modules/payments/gateways/registry.ts';
import { drainWork } from '../worker/runner.ts';

/**
 * `recur bill`: runs the billing run once until nothing is due (renewals, finalizations,
 * payments), then exits. For cron-style operation, or to catch up after a pause; safe beside
 * running workers (they share the queues with SKIP LOCKED).
 */
export async function billCommand(config: Config, logger: Logger): Promise<void> {
  const database = await openDatabase(config, logger, { poolSize: 2 });
  try {
    const started = Date.now();
    const count = async () =>
      (await sql<{ n: number }>`SELECT count(*)::int AS n FROM invoices WHERE billing_reason = 'subscription_cycle'`.execute(database.db)).rows[0]?.n ?? 0;
    const before = await count();
    const secrets = secretBox(loadSecretKey(process.env, config.dataDir));
    await drainWork(database.db, billingWork(new Gateways(database.gatewayDb, secrets)));
    process.stdout.write(`Billing run done in ${Date.now() - started} ms: ${(await count()) - before} renewal invoices made.\n`);
  } finally {
    await database.shutdown({ stopEmbedded: 'if-started-here' });
  }
}
