import type { GatewayDefinition } from '../gateway.ts';
import { AuthorizeNetGateway } from './authorizenet-gateway.ts';
import { authorizenetCredentials, type AuthorizeNetCredentials } from './credentials.ts';

export const authorizenetGateway: GatewayDefinition<AuthorizeNetCredentials> = {
  kind: 'authorizenet',
  displayName: 'Authorize.net',
  credentials: authorizenetCredentials,
  create: (config) => new AuthorizeNetGateway(config),
};
