import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/database.ts';
import type { EventConsumer } from '../../src/modules/events/dispatcher.ts';
import type { EmailMessageRow } from '../../src/modules/notifications/models.ts';

/**
 * Hands one workspace's events to a consumer in one transaction, as the dispatcher does.
 * Tests run files side by side on one database, so a test does not run the dispatcher
 * itself: it would take (and mark dispatched) the events other files are waiting for.
 */
export async function consumeEvents(db: Kysely<Database>, workspaceId: string, consumer: EventConsumer, types?: string[]): Promise<number> {
  let query = db.selectFrom('events').selectAll().where('workspace_id', '=', workspaceId);
  if (types) query = query.where('type', 'in', types);
  const events = await query.orderBy('id').execute();
  await db.transaction().execute(async (tx) => {
    for (const event of events) await consumer.handle(tx, event);
  });
  return events.length;
}

export async function emailMessage(db: Kysely<Database>, workspaceId: string, id: string): Promise<EmailMessageRow> {
  return db.selectFrom('email_messages').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirstOrThrow();
}
