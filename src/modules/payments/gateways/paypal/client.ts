import { createHash } from 'node:crypto';
import {
  ApiError,
  Client,
  type ClientCredentialsAuthManager,
  Environment,
  OrdersController,
  PaymentsController,
  VaultController,
  type OAuthToken,
} from '@paypal/paypal-server-sdk';
import type { GatewayConfig } from '../gateway.ts';
import type { PayPalCredentials } from './credentials.ts';

const BASE_URLS = { sandbox: 'https://api-m.sandbox.paypal.com', production: 'https://api-m.paypal.com' } as const;

type RequestBuilderFactory = ReturnType<Client['getRequestBuilderFactory']>;

/**
 * The SDK's client, its requests sent to `origin` instead of PayPal's host.
 *
 * @paypal/paypal-server-sdk 2.5 has no custom-URL option: its `Environment` is only
 * Production or Sandbox and `getBaseUri` (client.js) maps them to api-m(.sandbox).paypal.com,
 * throwing for anything else; `httpClientOptions` reach axios, which ignores `baseURL` for
 * the absolute URLs the SDK builds. What it does offer is the request builder of
 * @apimatic/core: every controller (and the OAuth token request) takes its builders from
 * `getRequestBuilderFactory()`, and a builder's public `interceptRequest` may rewrite the
 * request just before it is sent. So this subclass adds one interceptor that swaps the
 * origin and keeps the path and query. The SDK's own code still builds, authenticates,
 * sends and parses every request.
 */
class RebasedClient extends Client {
  // Read when a request is sent, not when the factory is made: the base constructor asks
  // for the factory (for its OAuth controller) before this field is assigned.
  private origin: string | undefined;

  constructor(config: ConstructorParameters<typeof Client>[0], origin: string) {
    super(config);
    this.origin = origin;
  }

  override getRequestBuilderFactory(): RequestBuilderFactory {
    const factory = super.getRequestBuilderFactory();
    return (method, path) => {
      const builder = factory(method, path);
      builder.interceptRequest((request) => ({ ...request, url: this.rebase(request.url) }));
      return builder;
    };
  }

  private rebase(url: string): string {
    if (this.origin === undefined) return url;
    const parsed = new URL(url);
    return `${this.origin}${parsed.pathname}${parsed.search}`;
  }
}

/**
 * One OAuth token per PayPal app and host, shared by every gateway instance of the process
 * (the registry makes a gateway per use, and PayPal asks callers to reuse tokens, which last
 * about nine hours). Concurrent callers wait for one token request.
 */
class TokenCache {
  private token: OAuthToken | undefined;
  private pending: Promise<OAuthToken> | undefined;

  get(manager: ClientCredentialsAuthManager): Promise<OAuthToken> {
    if (this.token && !manager.isExpired(this.token)) return Promise.resolve(this.token);
    this.pending ??= manager
      .fetchToken()
      .then((token) => (this.token = token))
      .finally(() => (this.pending = undefined));
    return this.pending;
  }

  /** After a 401: the token was revoked or expired early; the next call gets a new one. */
  forget(): void {
    this.token = undefined;
  }
}

const tokenCaches = new Map<string, TokenCache>();
const MAX_CACHED_APPS = 1000;

function tokenCacheFor(origin: string, credentials: PayPalCredentials): TokenCache {
  // The secret is part of the key (hashed) so that changed credentials never reuse a token.
  const key = createHash('sha256').update(`${origin}\u0000${credentials.client_id}\u0000${credentials.client_secret}`).digest('base64url');
  let cache = tokenCaches.get(key);
  if (!cache) {
    if (tokenCaches.size >= MAX_CACHED_APPS) tokenCaches.delete(tokenCaches.keys().next().value as string);
    cache = new TokenCache();
    tokenCaches.set(key, cache);
  }
  return cache;
}

export interface PayPalApi {
  vault: VaultController;
  orders: OrdersController;
  payments: PaymentsController;
  /** A bearer token for calls the SDK has no controller for (webhook verification). */
  accessToken(): Promise<string>;
}

/**
 * Makes the SDK clients of one PayPal app. Each operation gets a fresh `Client` (cheap: no
 * connection is opened until a request): the SDK keeps its token as a promise shared by all
 * later calls of that client, so one failed token request (PayPal unreachable for a moment)
 * would otherwise fail every later call of a long-lived client. The token itself is shared
 * through `TokenCache`.
 */
export class PayPalClients {
  readonly origin: string;
  private readonly tokens: TokenCache;

  constructor(private readonly config: GatewayConfig<PayPalCredentials>) {
    this.origin = (config.apiBase ?? BASE_URLS[config.environment]).replace(/\/+$/, '');
    this.tokens = tokenCacheFor(this.origin, config.credentials);
  }

  api(): PayPalApi {
    const client = new RebasedClient(
      {
        environment: this.config.environment === 'production' ? Environment.Production : Environment.Sandbox,
        // No timeout would let a hung connection hold a billing batch forever; a charge cut
        // off here is retried with the same PayPal-Request-Id, so it is never made twice.
        timeout: 60_000,
        clientCredentialsAuthCredentials: {
          oAuthClientId: this.config.credentials.client_id,
          oAuthClientSecret: this.config.credentials.client_secret,
          // Renew a minute early rather than send a token that expires in flight.
          oAuthClockSkew: 60,
          oAuthTokenProvider: (_last, manager) => this.tokens.get(manager),
        },
      },
      this.origin,
    );
    return {
      vault: new VaultController(client),
      orders: new OrdersController(client),
      payments: new PaymentsController(client),
      accessToken: async () => (await this.tokens.get(client.clientCredentialsAuthManager)).accessToken,
    };
  }

  /** Called with any error of a call: a 401 means the cached token is no good any more. */
  noteFailure(error: unknown): void {
    if (error instanceof ApiError && error.statusCode === 401) this.forgetToken();
  }

  forgetToken(): void {
    this.tokens.forget();
  }
}
