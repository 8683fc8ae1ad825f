import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/database.ts';
import { consume, type EventConsumer } from '../../src/modules/events/dispatcher.ts';
import { emailConsumer } from '../../src/modules/notifications/consumer.ts';
import type { EmailMessageRow } from '../../src/modules/notifications/models.ts';
import { TEST_SECRETS } from './app-options.ts';

/** The email consumer as the worker makes it, with the test servers' key; links point at `publicUrl`. */
export function testEmailConsumer(options: { publicUrl?: string; clock?: () => Date } = {}): EventConsumer {
  return emailConsumer({ publicUrl: options.publicUrl ?? 'http://recur.test', secrets: TEST_SECRETS, ...(options.clock ? { clock: options.clock } : {}) });
}

/**
 * Hands one workspace's events to a consumer in one transaction, as the dispatcher does.
 * Tests run files side by side on one database, so a test does not run the dispatcher
 * itself: it would take (and mark dispatched) the events other files are waiting for.
 */
export async function consumeEvents(db: Kysely<Database>, workspaceId: string, consumer: EventConsumer, types?: string[]): Promise<number> {
  let query = db.selectFrom('events').selectAll().where('workspace_id', '=', workspaceId);
  if (types) query = query.where('type', 'in', types);
  const events = await query.orderBy('id').execute();
  await db.transaction().execute((tx) => consume(tx, consumer, events));
  return events.length;
}

export async function emailMessage(db: Kysely<Database>, workspaceId: string, id: string): Promise<EmailMessageRow> {
  return db.selectFrom('email_messages').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirstOrThrow();
}
