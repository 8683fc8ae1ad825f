/**
 * Typed API errors. Every error a client can see has Stripe's shape:
 * `{ "error": { "type", "code", "message", "param" } }` and a 4xx status.
 * Anything else that escapes a handler is a bug and becomes a 500 `api_error`.
 */

export type ApiErrorType =
  | 'invalid_request_error'
  | 'idempotency_error'
  | 'card_error'
  | 'authentication_error'
  | 'permission_error'
  | 'rate_limit_error'
  | 'api_error';

export interface ApiErrorBody {
  type: ApiErrorType;
  message: string;
  code?: string;
  param?: string;
  decline_code?: string;
  doc_url?: string;
  request_log_url?: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly type: ApiErrorType;
  readonly code: string | undefined;
  readonly param: string | undefined;
  readonly declineCode: string | undefined;
  /** Extra response headers (e.g. Retry-After on 429). */
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    type: ApiErrorType,
    message: string,
    options: { code?: string; param?: string; declineCode?: string; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.type = type;
    this.code = options.code;
    this.param = options.param;
    this.declineCode = options.declineCode;
    this.headers = options.headers ?? {};
  }

  toBody(): { error: ApiErrorBody } {
    const error: ApiErrorBody = { type: this.type, message: this.message };
    if (this.code !== undefined) error.code = this.code;
    if (this.param !== undefined) error.param = this.param;
    if (this.declineCode !== undefined) error.decline_code = this.declineCode;
    return { error };
  }
}

export function invalidRequest(message: string, param?: string, code = 'parameter_invalid'): ApiError {
  return new ApiError(400, 'invalid_request_error', message, { code, ...(param ? { param } : {}) });
}

export function missingParam(param: string): ApiError {
  return new ApiError(400, 'invalid_request_error', `Missing required param: ${param}.`, {
    code: 'parameter_missing',
    param,
  });
}

export function unknownParam(param: string): ApiError {
  return new ApiError(400, 'invalid_request_error', `Received unknown parameter: ${param}`, {
    code: 'parameter_unknown',
    param,
  });
}

export function resourceMissing(objectName: string, id: string, param = 'id'): ApiError {
  return new ApiError(404, 'invalid_request_error', `No such ${objectName}: '${id}'`, {
    code: 'resource_missing',
    param,
  });
}

export function routeMissing(method: string, url: string): ApiError {
  return new ApiError(404, 'invalid_request_error', `Unrecognized request URL (${method}: ${url}).`, {
    code: 'resource_missing',
  });
}

export function authenticationRequired(message = 'You did not provide an API key.'): ApiError {
  return new ApiError(401, 'authentication_error', message, { code: 'api_key_missing' });
}

export function invalidApiKey(message = 'Invalid API Key provided.'): ApiError {
  return new ApiError(401, 'authentication_error', message, { code: 'api_key_invalid' });
}

export function permissionDenied(message: string): ApiError {
  return new ApiError(403, 'permission_error', message, { code: 'permission_denied' });
}

export function idempotencyMismatch(key: string): ApiError {
  return new ApiError(
    400,
    'idempotency_error',
    `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
    { code: 'idempotency_key_in_use' },
  );
}

export function rateLimited(retryAfterSeconds: number): ApiError {
  return new ApiError(429, 'rate_limit_error', 'Too many requests hit the API too quickly. Slow down and retry.', {
    code: 'rate_limit',
    headers: { 'retry-after': String(retryAfterSeconds) },
  });
}

export function conflict(message: string, code = 'lock_timeout'): ApiError {
  return new ApiError(409, 'invalid_request_error', message, { code });
}
