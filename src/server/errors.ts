import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, conflict, routeMissing } from '../lib/errors.ts';
import { isStalePlanError } from '../db/client.ts';
import type { Logger } from '../lib/logger.ts';

/** Fastify's own 4xx errors, in the API's words. */
function fromFastify(error: FastifyError): ApiError | null {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiError(413, 'invalid_request_error', 'The request body is too large.', { code: 'request_too_large' });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ApiError(415, 'invalid_request_error', 'Send parameters as application/x-www-form-urlencoded or application/json.', {
        code: 'unsupported_content_type',
      });
    default:
      if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
        return new ApiError(error.statusCode, 'invalid_request_error', error.message, { code: 'invalid_request' });
      }
      return null;
  }
}

/** PostgreSQL conflicts a retry can resolve. */
export function fromDatabase(error: { code?: unknown }): ApiError | null {
  if (error.code === '40001' || error.code === '40P01' || error.code === '55P03' || isStalePlanError(error)) {
    return conflict('This object was being changed by another request at the same moment. Retry the request.');
  }
  // A unique index refusing a row means a concurrent request got there first (the service
  // checked before inserting); retried, the request meets that row and gets its proper answer.
  if (error.code === '23505') {
    return conflict('Another request created a conflicting object at the same moment. Retry the request.', 'resource_conflict');
  }
  return null;
}

export function sendError(reply: FastifyReply, error: ApiError): FastifyReply {
  if (error.status === 409) reply.header('stripe-should-retry', 'true');
  return reply.code(error.status).headers(error.headers).send(error.toBody());
}

/** A URL fit for logs: capability links (the card-update page's sealed token) are cut off. */
export function loggableUrl(url: string): string {
  return url.startsWith('/pay/card/') ? '/pay/card/…' : url;
}

export function errorHandler(logger: Logger) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const known = error instanceof ApiError ? error : (fromFastify(error) ?? fromDatabase(error));
    if (known) return sendError(reply, known);
    logger.error({ err: error, requestId: request.id, method: request.method, url: loggableUrl(request.url) }, 'unhandled error');
    return sendError(
      reply,
      new ApiError(500, 'api_error', `An unexpected error occurred. Quote request ${request.id} when reporting it.`),
    );
  };
}

/**
 * What the router answers itself, before any hook (Fastify's `frameworkErrors`): a path it
 * cannot decode, or a path parameter longer than any id. Same shape and request id as the rest.
 */
export function frameworkErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  reply.header('request-id', request.id);
  const path = (request.url.split('?')[0] ?? request.url).slice(0, 200);
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    return sendError(
      reply,
      new ApiError(404, 'invalid_request_error', `No such object: the id in '${path}' is longer than any id.`, { code: 'resource_missing' }),
    );
  }
  if (error.code === 'FST_ERR_BAD_URL') {
    return sendError(
      reply,
      new ApiError(400, 'invalid_request_error', `Malformed percent-encoding in the URL path '${path}'.`, { code: 'parameter_invalid_encoding' }),
    );
  }
  return sendError(reply, fromFastify(error) ?? new ApiError(400, 'invalid_request_error', error.message, { code: 'invalid_request' }));
}

export function notFoundHandler(request: FastifyRequest, reply: FastifyReply) {
  return sendError(reply, routeMissing(request.method, request.url.split('?')[0] ?? request.url));
}
