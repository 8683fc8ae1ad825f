import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { apiRoutes } from './app.ts';
import { buildOpenApi } from './openapi.ts';

describe('OpenAPI document', () => {
  const document = buildOpenApi(apiRoutes) as { openapi: string; paths: Record<string, Record<string, { operationId: string }>> };

  it('lists every route once, with Stripe-style paths', () => {
    expect(document.openapi).toBe('3.1.0');
    const operations = Object.values(document.paths).flatMap((methods) => Object.values(methods).map((op) => op.operationId));
    expect(operations.sort()).toEqual(apiRoutes.map((r) => r.operationId).sort());
    expect(document.paths['/v1/customers/{id}']).toHaveProperty('get');
    expect(document.paths['/v1/customers/{id}']).toHaveProperty('post');
    expect(document.paths['/v1/customers/{id}']).toHaveProperty('delete');
  });

  it('is what docs/openapi.json holds (run `npm run docs:openapi` after changing a route)', async () => {
    const committed = JSON.parse(await readFile(new URL('../../docs/openapi.json', import.meta.url), 'utf8')) as unknown;
    expect(committed).toEqual(JSON.parse(JSON.stringify(document)));
  });
});
