import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { API_VERSION } from '../lib/api-version.ts';
import type { RouteSpec } from './route.ts';

type JsonSchema = Record<string, unknown>;

function toJsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', unrepresentable: 'any', io }) as JsonSchema;
  delete json.$schema;
  return json;
}

const errorSchema = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: {
        type: {
          type: 'string',
          enum: ['invalid_request_error', 'idempotency_error', 'card_error', 'authentication_error', 'permission_error', 'rate_limit_error', 'api_error'],
        },
        code: { type: 'string' },
        message: { type: 'string' },
        param: { type: 'string' },
        decline_code: { type: 'string' },
      },
      required: ['type', 'message'],
    },
  },
  required: ['error'],
};

/** The OpenAPI 3.1 document, generated from the same zod schemas that validate requests. */
export function buildOpenApi(routes: RouteSpec[]): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of routes) {
    const path = spec.path.replace(/:(\w+)/g, '{$1}');
    const pathParams = [...spec.path.matchAll(/:(\w+)/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    // Parameters are documented as the values they are validated into.
    const params = toJsonSchema(spec.params, 'output');
    const operation: Record<string, unknown> = {
      operationId: spec.operationId,
      summary: spec.summary,
      tags: [spec.tag],
      'x-recur-access': spec.access,
      responses: {
        '200': { description: 'Success', content: { 'application/json': { schema: toJsonSchema(spec.response, 'output') } } },
        default: { description: 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
      },
    };
    if (spec.method === 'POST') {
      operation.parameters = pathParams;
      operation.requestBody = {
        content: {
          'application/x-www-form-urlencoded': { schema: params },
          'application/json': { schema: params },
        },
      };
    } else {
      const properties = (params.properties ?? {}) as Record<string, JsonSchema>;
      const required = new Set((params.required as string[] | undefined) ?? []);
      operation.parameters = [
        ...pathParams,
        ...Object.entries(properties).map(([name, schema]) => ({
          name,
          in: 'query',
          required: required.has(name),
          schema,
          ...(name === 'expand' || schema.type === 'object' ? { style: 'deepObject', explode: true } : {}),
        })),
      ];
    }
    paths[path] = { ...paths[path], [spec.method.toLowerCase()]: operation };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Recur API',
      version: API_VERSION,
      description:
        "Recur's REST API follows Stripe's resource model and conventions: form-encoded or JSON bodies with bracket notation, Bearer secret keys, Idempotency-Key on POST, cursor pagination, expand[], and Stripe's error shape. The official stripe SDK works against it.",
    },
    servers: [{ url: '/' }],
    security: [{ secretKey: [] }],
    components: {
      securitySchemes: {
        secretKey: { type: 'http', scheme: 'bearer', description: 'A secret key: sk_test_… (sandbox) or sk_live_… (live).' },
      },
      schemas: { Error: errorSchema },
    },
    paths,
  };
}

const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Recur API reference</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="docs"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script>SwaggerUIBundle({ url: '/openapi.json', dom_id: '#docs', deepLinking: true });</script>
</body></html>`;

export async function mountOpenApi(app: FastifyInstance, document: JsonSchema): Promise<void> {
  const assets = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  const { default: fastifyStatic } = await import('@fastify/static');
  await app.register(fastifyStatic, { root: assets, prefix: '/docs/assets/', decorateReply: false });
  app.get('/openapi.json', async () => document);
  app.get('/docs', async (_request, reply) => reply.type('text/html; charset=utf-8').send(DOCS_PAGE));
}
