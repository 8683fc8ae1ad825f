import type { Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import { newId } from '../../lib/ids.ts';
import type { EventConsumer } from '../events/dispatcher.ts';
import { endpointWants } from './event-types.ts';

interface EnabledEndpoint {
  id: string;
  enabled_events: string[];
}

/**
 * Queues each new event for every enabled endpoint of its workspace that wants its type:
 * one pending delivery per (endpoint, event), due at once. Nothing is sent here: the
 * deliverer (deliverer.ts) does that outside the dispatcher's transaction.
 */
export function webhookConsumer(): EventConsumer {
  // A dispatcher batch (one transaction) often holds many events of one workspace, and most
  // workspaces have no endpoint: their endpoints are read once per batch, not once per event.
  const endpointsOfBatch = new WeakMap<Transaction<Database>, Map<string, EnabledEndpoint[]>>();

  async function enabledEndpoints(tx: Transaction<Database>, workspaceId: string): Promise<EnabledEndpoint[]> {
    let byWorkspace = endpointsOfBatch.get(tx);
    if (!byWorkspace) {
      byWorkspace = new Map();
      endpointsOfBatch.set(tx, byWorkspace);
    }
    let endpoints = byWorkspace.get(workspaceId);
    if (!endpoints) {
      endpoints = await tx
        .selectFrom('webhook_endpoints')
        .select(['id', 'enabled_events'])
        .where('workspace_id', '=', workspaceId)
        .where('status', '=', 'enabled')
        .execute();
      byWorkspace.set(workspaceId, endpoints);
    }
    return endpoints;
  }

  return {
    name: 'webhooks',
    async handle(tx, event) {
      const wanting = (await enabledEndpoints(tx, event.workspace_id)).filter((e) => endpointWants(e.enabled_events, event.type));
      if (wanting.length === 0) return;
      await tx
        .insertInto('webhook_deliveries')
        .values(
          wanting.map((endpoint) => ({
            workspace_id: event.workspace_id,
            id: newId('webhookDelivery'),
            endpoint_id: endpoint.id,
            event_id: event.id,
            // Due since the event happened: the deliverer takes it at its next run.
            next_attempt_at: event.created_at,
          })),
        )
        .onConflict((oc) => oc.columns(['workspace_id', 'endpoint_id', 'event_id']).doNothing())
        .execute();
    },
  };
}
