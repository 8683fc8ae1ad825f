import type { Selectable, Transaction } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DueWork } from '../../worker/runner.ts';
import type { EventsTable } from './models.ts';

export type EventRow = Selectable<EventsTable>;

/**
 * A consumer of the event outbox (webhooks, emails, automation, analytics). It runs in the
 * dispatcher's transaction and should only write its own rows (e.g. deliveries to make),
 * so a crash before commit simply hands the event to the next dispatcher.
 */
export interface EventConsumer {
  name: string;
  handle(tx: Transaction<Database>, event: EventRow): Promise<void>;
}

export function eventDispatcher(consumers: EventConsumer[], batchSize = 500): DueWork {
  return {
    name: 'events.dispatch',
    batchSize,
    idleMs: 500,
    async runBatch(db, now) {
      return db.transaction().execute(async (tx) => {
        const events = await tx
          .selectFrom('events')
          .selectAll()
          .where('dispatched_at', 'is', null)
          .orderBy('created_at')
          .limit(batchSize)
          .forUpdate()
          .skipLocked()
          .execute();
        if (events.length === 0) return 0;
        for (const event of events) {
          for (const consumer of consumers) await consumer.handle(tx, event);
        }
        await tx
          .updateTable('events')
          .set({ dispatched_at: now })
          .where(sql<boolean>`(workspace_id, id) IN (${sql.join(events.map((e) => sql`(${e.workspace_id}, ${e.id})`))})`)
          .execute();
        return events.length;
      });
    },
  };
}
