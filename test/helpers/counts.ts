import type { DatabaseHandle } from '../../src/db/database.ts';
import type { Database } from '../../src/db/schema.ts';

type WorkspaceTable = { [T in keyof Database]: Database[T] extends { workspace_id: string } ? T : never }[keyof Database];

/**
 * How many rows a workspace has in `table`, and how many events of `eventPrefix` (e.g.
 * 'product.'): taken before and after a rejected write, they show that nothing was written.
 */
export async function writtenRows(
  database: DatabaseHandle,
  workspaceId: string,
  table: WorkspaceTable,
  eventPrefix: string,
): Promise<{ rows: number; events: number }> {
  const { db } = database;
  const rows = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirstOrThrow();
  const events = await db
    .selectFrom('events')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('workspace_id', '=', workspaceId)
    .where('type', 'like', `${eventPrefix}%`)
    .executeTakeFirstOrThrow();
  return { rows: Number(rows.n), events: Number(events.n) };
}
