import type { FastifyRequest } from 'fastify';
import { invalidRequest } from '../lib/errors.ts';
import { parseForm, type FormObject } from '../lib/form.ts';

function queryString(url: string): string {
  const at = url.indexOf('?');
  return at === -1 ? '' : url.slice(at + 1);
}

function parseJsonBody(body: string): Record<string, unknown> {
  if (body.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    throw invalidRequest(`Invalid JSON body: ${(error as Error).message}`, undefined, 'parameter_invalid_json');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidRequest('The JSON body must be an object of parameters.', undefined, 'parameter_invalid_json');
  }
  return value as Record<string, unknown>;
}

/**
 * The request's parameters: the query string for GET and DELETE; for POST the body
 * (form or JSON) plus any query parameters, a name given in both being a duplicate.
 */
export function readParams(request: FastifyRequest): Record<string, unknown> {
  const query: FormObject = parseForm(queryString(request.url));
  if (request.method !== 'POST') return query;
  const raw = typeof request.body === 'string' ? request.body : '';
  // Media types are case-insensitive (RFC 9110): `Application/JSON` is JSON too.
  const type = (request.headers['content-type'] ?? '').toLowerCase();
  const body = type.startsWith('application/json') ? parseJsonBody(raw) : parseForm(raw);
  for (const key of Object.keys(query)) {
    if (key in body) throw invalidRequest(`Parameter '${key}' was given more than once.`, key, 'parameter_duplicated');
    body[key] = query[key];
  }
  return body;
}
