import type { GatewayDefinition } from '../gateway.ts';
import { paypalCredentials, type PayPalCredentials } from './credentials.ts';
import { PayPalGateway } from './paypal-gateway.ts';

export const paypalGateway: GatewayDefinition<PayPalCredentials> = {
  kind: 'paypal',
  displayName: 'PayPal',
  credentials: paypalCredentials,
  create: (config) => new PayPalGateway(config),
};
