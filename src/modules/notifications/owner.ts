/**
 * Mail to the account's owner about the account itself (not to a customer): today, a webhook
 * endpoint that Recur disabled after persistent failure (webhooks/deliverer.ts calls this in
 * the transaction that disables it).
 */
import type { Executor } from '../../db/database.ts';
import type { DisabledEndpoint } from '../webhooks/deliverer.ts';
import { enqueueEmail } from './outbox.ts';

export async function emailOwnerEndpointDisabled(db: Executor, disabled: DisabledEndpoint): Promise<void> {
  const owner = await db
    .selectFrom('users')
    .select(['email', 'name'])
    .where('account_id', '=', disabled.workspace.accountId)
    .where('role', '=', 'owner')
    .orderBy('created_at')
    .executeTakeFirst();
  if (!owner) return; // an account always has an owner; one being replaced has none for an instant
  await enqueueEmail(db, {
    workspaceId: disabled.workspace.id,
    // Disabled again after being re-enabled is news again.
    dedupeKey: `webhook_endpoint_disabled:${disabled.endpoint.id}:${disabled.now.getTime()}`,
    to: { customerId: null, address: owner.email, name: owner.name, preferredLocales: [] },
    business: 'Recur',
    template: 'webhook_endpoint_disabled',
    data: { url: disabled.endpoint.url, failingSince: disabled.failingSince, dashboardUrl: null },
    now: disabled.now,
  });
}
