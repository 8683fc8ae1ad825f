import type { GatewayDefinition } from '../gateway.ts';
import { stripeCredentials, type StripeCredentials } from './credentials.ts';
import { StripeGateway } from './stripe-gateway.ts';

export const stripeGateway: GatewayDefinition<StripeCredentials> = {
  kind: 'stripe',
  displayName: 'Stripe',
  credentials: stripeCredentials,
  create: (config) => new StripeGateway(config),
};
