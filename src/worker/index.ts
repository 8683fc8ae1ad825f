import { purgeExpiredSessions } from '../modules/auth/sessions.ts';
import { billingWork } from '../modules/billing/run.ts';
import { eventDispatcher } from '../modules/events/dispatcher.ts';
import { purgeIdempotencyKeys } from '../server/idempotency.ts';
import type { Config } from '../config.ts';
import type { SecretBox } from '../lib/secret-box.ts';
import type { DueWork } from './runner.ts';

/** What background work may need besides the database: settings, and the secrets' key. */
export interface WorkerOptions {
  config: Config;
  secrets: SecretBox;
}

/** Every kind of background work. Later modules add theirs here (renewals, retries, deliveries). */
export function backgroundWork(_options: WorkerOptions): DueWork[] {
  return [
    eventDispatcher([]),
    ...billingWork(),
    purgeIdempotencyKeys(),
    {
      name: 'sessions.purge',
      batchSize: Number.MAX_SAFE_INTEGER,
      idleMs: 3600_000,
      runBatch: (db, now) => purgeExpiredSessions(db, now),
    },
  ];
}
