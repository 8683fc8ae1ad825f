import type { GatewayDefinition } from '../gateway.ts';
import { razorpayCredentials, type RazorpayCredentials } from './credentials.ts';
import { RazorpayGateway } from './razorpay-gateway.ts';

export const razorpayGateway: GatewayDefinition<RazorpayCredentials> = {
  kind: 'razorpay',
  displayName: 'Razorpay',
  credentials: razorpayCredentials,
  create: (config) => new RazorpayGateway(config),
};
