import fastifyCookie from '@fastify/cookie';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type pg from 'pg';
import type { Database } from '../db/database.ts';
import { newRequestId } from '../lib/ids.ts';
import type { Logger } from '../lib/logger.ts';
import { auditRoutes } from '../modules/audit/routes.ts';
import { teamExpanders, teamRoutes } from '../modules/auth/routes.ts';
import { mountSessionRoutes } from '../modules/auth/session-routes.ts';
import { couponRoutes } from '../modules/catalog/coupons/routes.ts';
import { promotionCodeRoutes } from '../modules/catalog/promotion-codes/routes.ts';
import { priceRoutes } from '../modules/catalog/prices/routes.ts';
import { productRoutes } from '../modules/catalog/products/routes.ts';
import { taxRateRoutes } from '../modules/catalog/tax-rates/routes.ts';
import { customerRoutes } from '../modules/customers/routes.ts';
import { taskExpanders } from '../modules/crm/tasks/expanders.ts';
import { taskRoutes } from '../modules/crm/tasks/routes.ts';
import { eventRoutes } from '../modules/events/routes.ts';
import { emailMessageRoutes } from '../modules/notifications/routes.ts';
import { dunningRoutes } from '../modules/payments/dunning/routes.ts';
import { chargeRoutes } from '../modules/payments/charges/routes.ts';
import { refundRoutes } from '../modules/payments/refunds/routes.ts';
import { creditNoteRoutes } from '../modules/billing/credit-notes/routes.ts';
import { gatewayAccountRoutes } from '../modules/payments/gateway-accounts/routes.ts';
import { Gateways } from '../modules/payments/gateways/registry.ts';
import { mountGatewayWebhooks } from '../modules/payments/gateway-webhooks/intake.ts';
import { refundWebhookHandler } from '../modules/payments/refunds/settle.ts';
import { mountCardUpdatePage } from '../modules/payments/card-update/routes.ts';
import { paymentMethodRoutes } from '../modules/payments/payment-methods/routes.ts';
import { invoiceItemRoutes } from '../modules/billing/invoice-items/routes.ts';
import { invoiceRoutes } from '../modules/billing/invoices/routes.ts';
import { subscriptionExpanders } from '../modules/subscriptions/expanders.ts';
import { subscriptionRoutes } from '../modules/subscriptions/routes.ts';
import { scheduleRoutes } from '../modules/subscriptions/schedules/routes.ts';
import { testClockRoutes } from '../modules/subscriptions/test-clocks/routes.ts';
import { webhookRoutes } from '../modules/webhooks/routes.ts';
import type { SecretBox } from '../lib/secret-box.ts';
import { mountApiRoutes } from './api.ts';
import { Authenticator } from './auth.ts';
import { errorHandler, frameworkErrorHandler, notFoundHandler } from './errors.ts';
import type { Expanders } from './expand.ts';
import { buildOpenApi, mountOpenApi } from './openapi.ts';
import { RateLimiter } from './rate-limit.ts';
import type { RouteSpec } from './route.ts';
import { mountWeb } from './web.ts';

/** Every API route, in the order the OpenAPI document lists them. */
export const apiRoutes: RouteSpec[] = [...customerRoutes, ...productRoutes, ...priceRoutes, ...taxRateRoutes, ...couponRoutes, ...promotionCodeRoutes, ...paymentMethodRoutes, ...subscriptionRoutes, ...scheduleRoutes, ...invoiceRoutes, ...invoiceItemRoutes, ...testClockRoutes, ...dunningRoutes, ...gatewayAccountRoutes, ...chargeRoutes, ...refundRoutes, ...creditNoteRoutes, ...taskRoutes, ...eventRoutes, ...emailMessageRoutes, ...webhookRoutes, ...teamRoutes, ...auditRoutes];
const expanders: Expanders = { ...teamExpanders, ...subscriptionExpanders, ...taskExpanders };

export interface AppOptions {
  db: Kysely<Database>;
  /** The payment gateway's own handle (DatabaseHandle.gatewayDb). */
  gatewayDb: Kysely<Database>;
  pool: pg.Pool;
  logger: Logger;
  /** Requests per second per API key or user; 0 turns the limit off. */
  rateLimitPerSecond: number;
  bodyLimitBytes: number;
  /** Built dashboard (dist/web); null serves none. */
  webDir: string | null;
  secureCookies: boolean;
  /** Seals and opens the secrets Recur keeps (lib/secret-box.ts). */
  secrets: SecretBox;
  /** RECUR_PUBLIC_URL: the card-update page takes posts from its origin too (behind a proxy). */
  publicUrl?: string;
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    // Per-request logs would cost more than the requests; errors are logged by the error handler.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.bodyLimitBytes,
    trustProxy: process.env.RECUR_TRUST_PROXY === 'true',
    genReqId: newRequestId,
    requestIdHeader: false,
    routerOptions: { ignoreTrailingSlash: true },
    frameworkErrors: frameworkErrorHandler,
  });

  // Parameters are parsed by the route (so their errors have the API's shape):
  // here bodies are only read as text.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(['application/json', 'application/x-www-form-urlencoded'], { parseAs: 'string' }, (_req, body, done) =>
    done(null, body),
  );
  await app.register(fastifyCookie);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('request-id', request.id);
  });
  app.setErrorHandler(errorHandler(options.logger));
  app.setNotFoundHandler(notFoundHandler);

  const authenticator = new Authenticator(options.db, options.logger);
  await authenticator.listen(options.pool);
  app.addHook('onClose', async () => authenticator.close());

  const gateways = new Gateways(options.gatewayDb, options.secrets);
  mountApiRoutes(app, apiRoutes, {
    db: options.db,
    gateways,
    authenticator,
    rateLimiter: new RateLimiter(options.rateLimitPerSecond),
    expanders,
    secrets: options.secrets,
  });
  mountSessionRoutes(app, options.db, { secureCookies: options.secureCookies });
  mountGatewayWebhooks(app, { db: options.db, gateways, handlers: [refundWebhookHandler] });
  mountCardUpdatePage(app, { db: options.db, gateways, secrets: options.secrets, publicUrl: options.publicUrl ?? null });

  app.get('/health', async () => ({ status: 'ok' }));
  app.get('/ready', async (_request, reply) => {
    try {
      await sql`SELECT 1 FROM schema_migrations LIMIT 1`.execute(options.db);
      return { status: 'ready' };
    } catch (error) {
      return reply.code(503).send({ status: 'unavailable', reason: (error as Error).message });
    }
  });
  await mountOpenApi(app, buildOpenApi(apiRoutes));
  if (options.webDir) await mountWeb(app, options.webDir);
  return app;
}
