import { purgeExpiredSessions } from '../modules/auth/sessions.ts';
import { billingWork } from '../modules/billing/run.ts';
import { Gateways } from '../modules/payments/gateways/registry.ts';
import { eventDispatcher } from '../modules/events/dispatcher.ts';
import { emailConsumer } from '../modules/notifications/consumer.ts';
import { emailOwnerEndpointDisabled } from '../modules/notifications/owner.ts';
import { emailSender } from '../modules/notifications/sender.ts';
import { cardExpiringReminders } from '../modules/payments/card-update/expiring.ts';
import { webhookConsumer } from '../modules/webhooks/consumer.ts';
import { webhookDeliverer } from '../modules/webhooks/deliverer.ts';
import { purgeIdempotencyKeys } from '../server/idempotency.ts';
import type { Kysely } from 'kysely';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import type { SecretBox } from '../lib/secret-box.ts';
import type { DueWork } from './runner.ts';

/** What background work may need besides the database: settings, and the secrets' key. */
export interface WorkerOptions {
  config: Config;
  secrets: SecretBox;
  /** The payment gateway's own handle (DatabaseHandle.gatewayDb). */
  gatewayDb: Kysely<Database>;
}

/** Every kind of background work. Later modules add theirs here (renewals, retries, deliveries). */
export function backgroundWork(options: WorkerOptions): DueWork[] {
  return [
    eventDispatcher([webhookConsumer(), emailConsumer({ publicUrl: options.config.publicUrl, secrets: options.secrets })]),
    ...billingWork(new Gateways(options.gatewayDb, options.secrets)),
    webhookDeliverer({ secrets: options.secrets, notifyOwner: emailOwnerEndpointDisabled }),
    emailSender({ smtpUrl: options.config.smtpUrl, emailFrom: options.config.emailFrom }),
    cardExpiringReminders({ publicUrl: options.config.publicUrl, secrets: options.secrets }),
    purgeIdempotencyKeys(),
    {
      name: 'sessions.purge',
      batchSize: Number.MAX_SAFE_INTEGER,
      idleMs: 3600_000,
      runBatch: (db, now) => purgeExpiredSessions(db, now),
    },
  ];
}
