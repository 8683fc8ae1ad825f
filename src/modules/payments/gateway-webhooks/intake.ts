import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database, Executor } from '../../../db/database.ts';
import type { WorkspaceRef } from '../../../server/context.ts';
import { GatewayWebhookError, type GatewayEvent } from '../gateways/gateway.ts';
import type { Gateways } from '../gateways/registry.ts';

/** What a module does with a verified gateway event, inside the transaction that records it. */
export type GatewayEventHandler = (db: Executor, workspace: WorkspaceRef, accountId: string, event: GatewayEvent) => Promise<void>;

export const GATEWAY_HOOKS_PATH = '/hooks/gateways';

/**
 * Where gateways send their webhooks: `POST /hooks/gateways/:account`. Not part of the
 * Stripe-shaped API (no key: the gateway's signature, checked by its adapter, is the
 * authentication). Each gateway event is taken once (gateway_events' key); a repeat is
 * answered 200 so the gateway stops. A failure of a handler answers 500 and records
 * nothing, so the gateway sends it again.
 */
export function mountGatewayWebhooks(app: FastifyInstance, deps: { db: Kysely<Database>; gateways: Gateways; handlers: readonly GatewayEventHandler[] }): void {
  app.post<{ Params: { account: string } }>(`${GATEWAY_HOOKS_PATH}/:account`, async (request, reply) => {
    const account = await deps.db
      .selectFrom('gateway_accounts as a')
      .innerJoin('workspaces as w', 'w.id', 'a.workspace_id')
      .select(['a.workspace_id', 'a.id', 'a.gateway', 'a.environment', 'a.api_base', 'a.credentials_sealed', 'w.mode', 'w.account_id'])
      .where('a.id', '=', request.params.account)
      .executeTakeFirst();
    if (!account) return reply.code(404).send({ error: { type: 'invalid_request_error', message: 'No such gateway account.' } });
    const workspace: WorkspaceRef = { id: account.workspace_id, mode: account.mode, accountId: account.account_id };
    const gateway = deps.gateways.fromAccount(account);
    const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name.toLowerCase(), Array.isArray(value) ? value.join(',') : value]));
    let event: GatewayEvent;
    try {
      event = await gateway.parseWebhook({ rawBody: typeof request.body === 'string' ? request.body : '', headers });
    } catch (error) {
      if (!(error instanceof GatewayWebhookError)) throw error;
      return reply.code(400).send({ error: { type: 'invalid_request_error', message: `Webhook not accepted: ${error.message}` } });
    }
    await deps.db.transaction().execute(async (tx) => {
      const fresh = await tx
        .insertInto('gateway_events')
        .values({
          workspace_id: workspace.id,
          gateway_account_id: account.id,
          gateway_event_id: event.id,
          type: event.type,
          gateway_type: event.gatewayType,
          payment_ref: event.paymentRef,
          refund_ref: event.refundRef,
          amount: event.amount,
          currency: event.currency,
        })
        .onConflict((oc) => oc.columns(['workspace_id', 'gateway_account_id', 'gateway_event_id']).doNothing())
        .returning('gateway_event_id')
        .executeTakeFirst();
      if (!fresh) return;
      for (const handle of deps.handlers) await handle(tx, workspace, account.id, event);
    });
    return reply.code(200).send({ received: true });
  });
}
