import type { Kysely } from 'kysely';
import type { Database } from '../../../db/database.ts';
import { invalidRequest } from '../../../lib/errors.ts';
import type { SecretBox } from '../../../lib/secret-box.ts';
import type { WorkspaceRef } from '../../../server/context.ts';
import type { GatewayAccountRow } from '../gateway-accounts/models.ts';
import type { Gateway, GatewayDefinition, GatewayKind } from './gateway.ts';
import { authorizenetGateway } from './authorizenet/index.ts';
import { braintreeGateway } from './braintree/index.ts';
import { paypalGateway } from './paypal/index.ts';
import { razorpayGateway } from './razorpay/index.ts';
import { stripeGateway } from './stripe/index.ts';
import { TestGateway } from './test-gateway.ts';

/** The real gateways Recur can use, by kind (each adapter's index.ts). */
export const GATEWAY_DEFINITIONS: Partial<Record<Exclude<GatewayKind, 'test'>, GatewayDefinition<unknown>>> = {
  stripe: stripeGateway as GatewayDefinition<unknown>,
  braintree: braintreeGateway as GatewayDefinition<unknown>,
  authorizenet: authorizenetGateway as GatewayDefinition<unknown>,
  paypal: paypalGateway as GatewayDefinition<unknown>,
  razorpay: razorpayGateway as GatewayDefinition<unknown>,
};

export const GATEWAY_KINDS = ['stripe', 'paypal', 'braintree', 'authorizenet', 'razorpay'] as const satisfies readonly Exclude<GatewayKind, 'test'>[];
export type RealGatewayKind = (typeof GATEWAY_KINDS)[number];

export function gatewayDefinition(kind: RealGatewayKind, param = 'gateway'): GatewayDefinition<unknown> {
  const definition = GATEWAY_DEFINITIONS[kind];
  if (!definition) throw invalidRequest(`The gateway '${kind}' is not available in this version of Recur.`, param);
  return definition;
}

/**
 * How code that moves money reaches a workspace's gateways: the test gateway's ledger
 * handle (outside any transaction of ours, decisions.md §25) and the key that opens the
 * accounts' sealed credentials. Accounts are read on each use, so changed credentials
 * apply at once in every process.
 */
export class Gateways {
  constructor(
    /** The test gateway's own handle (DatabaseHandle.gatewayDb). */
    readonly ledgerDb: Kysely<Database>,
    private readonly secrets: SecretBox,
  ) {}

  /** The gateway behind a payment method: its account, or the test gateway (sandbox only). */
  async forAccount(workspace: WorkspaceRef, accountId: string | null): Promise<Gateway> {
    if (accountId === null) return this.testGateway(workspace);
    const account = await this.ledgerDb
      .selectFrom('gateway_accounts')
      .select(['gateway', 'environment', 'api_base', 'credentials_sealed'])
      .where('workspace_id', '=', workspace.id)
      .where('id', '=', accountId)
      .executeTakeFirst();
    // A deleted account still charges the cards saved through it, until they are replaced.
    if (!account) throw new Error(`gateway account ${accountId} of ${workspace.id} is missing`);
    return this.fromAccount(account);
  }

  /** The gateway of an account already read (its kind, environment, address and sealed credentials). */
  fromAccount(account: Pick<GatewayAccountRow, 'gateway' | 'environment' | 'api_base' | 'credentials_sealed'>): Gateway {
    const definition = gatewayDefinition(account.gateway);
    return definition.create({
      credentials: definition.credentials.parse(JSON.parse(this.secrets.open(account.credentials_sealed))),
      environment: account.environment,
      apiBase: account.api_base ?? undefined,
    });
  }

  /** The built-in test gateway, which only sandbox workspaces may use. */
  testGateway(workspace: WorkspaceRef): Gateway {
    if (workspace.mode === 'live') {
      throw invalidRequest('Live workspaces charge through a gateway account (POST /v1/gateway_accounts); the test gateway is for sandboxes only.', 'payment_method');
    }
    return new TestGateway(this.ledgerDb, workspace.id);
  }
}
