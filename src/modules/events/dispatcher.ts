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
  /**
   * The batch's events at once, in order, instead of `handle` for each: for a consumer that
   * reads what the whole batch needs in one query (the email consumer's recipients).
   */
  handleBatch?(tx: Transaction<Database>, events: readonly EventRow[]): Promise<void>;
}

/** Hands a batch to a consumer: all at once when it takes batches, else one event at a time. */
export async function consume(tx: Transaction<Database>, consumer: EventConsumer, events: readonly EventRow[]): Promise<void> {
  if (consumer.handleBatch) return consumer.handleBatch(tx, events);
  for (const event of events) await consumer.handle(tx, event);
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
        for (const consumer of consumers) await consume(tx, consumer, events);
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
