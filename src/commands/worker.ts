import type { Config } from '../config.ts';
import { openDatabase } from '../db/open.ts';
import type { Logger } from '../lib/logger.ts';
import { loadSecretKey, secretBox } from '../lib/secret-box.ts';
import { backgroundWork } from '../worker/index.ts';
import { startWorker } from '../worker/runner.ts';

/** `recur worker`: background work only, for running beside API processes. */
export async function workerCommand(config: Config, logger: Logger): Promise<void> {
  const database = await openDatabase(config, logger);
  const secrets = secretBox(loadSecretKey(process.env, config.dataDir));
  const worker = startWorker(database.db, backgroundWork({ config, secrets, gatewayDb: database.gatewayDb }), logger);
  process.stdout.write('Recur worker is running. Stop with Ctrl+C.\n');
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await worker.stop();
    await database.shutdown({ stopEmbedded: 'if-started-here' });
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}
