import type { GatewayDefinition } from '../gateway.ts';
import { BraintreeGateway } from './braintree-gateway.ts';
import { braintreeCredentials, type BraintreeCredentials } from './credentials.ts';

export const braintreeGateway: GatewayDefinition<BraintreeCredentials> = {
  kind: 'braintree',
  displayName: 'Braintree',
  credentials: braintreeCredentials,
  create: (config) => new BraintreeGateway(config),
};
