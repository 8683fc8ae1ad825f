import Razorpay from 'razorpay';

/** Razorpay's error body (razorpay.com/docs/errors): the SDK rejects with `{ statusCode, error }`. */
export interface RazorpayErrorBody {
  code: string;
  description: string;
  field: string | null;
  source: string | null;
  step: string | null;
  reason: string | null;
  metadata: Record<string, unknown>;
}

/** A failed Razorpay call as an Error (the SDK rejects with a plain object, or a TypeError). */
export class RazorpayApiError extends Error {
  constructor(
    message: string,
    /** Null when Razorpay never answered. */
    readonly statusCode: number | null,
    readonly body: RazorpayErrorBody | null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'RazorpayApiError';
  }
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

function errorBody(value: unknown): RazorpayErrorBody | null {
  if (typeof value !== 'object' || value === null) return null;
  const record = value as Record<string, unknown>;
  const metadata = record.metadata;
  return {
    code: text(record.code) ?? 'UNKNOWN',
    description: text(record.description) ?? '',
    field: text(record.field),
    source: text(record.source),
    step: text(record.step),
    reason: text(record.reason),
    metadata: typeof metadata === 'object' && metadata !== null ? (metadata as Record<string, unknown>) : {},
  };
}

function asRazorpayError(thrown: unknown): RazorpayApiError {
  if (thrown instanceof RazorpayApiError) return thrown;
  if (typeof thrown === 'object' && thrown !== null && 'statusCode' in thrown && 'error' in thrown) {
    const status = Number(thrown.statusCode);
    const body = errorBody(thrown.error);
    return new RazorpayApiError(`Razorpay answered ${status}: ${body?.description || 'no error description'}`, status, body);
  }
  // The SDK reads err.response.status without checking it exists, so a connection failure
  // reaches us as a TypeError from inside the SDK.
  return new RazorpayApiError(`Razorpay could not be reached: ${thrown instanceof Error ? thrown.message : String(thrown)}`, null, null, { cause: thrown });
}

/** Runs an SDK call, turning its rejections into RazorpayApiError. */
export async function call<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw asRazorpayError(error);
  }
}

interface HttpDefaults {
  baseURL?: string;
  timeout?: number;
  headers: Record<string, unknown>;
}

/**
 * The SDK hard-codes https://api.razorpay.com and has no option to change it; it keeps
 * the axios instance it makes as `instance.api.rq`. Setting that instance's
 * `defaults.baseURL` (axios's documented way to re-point an instance) is the least
 * intrusive way in: every resource the SDK builds goes through it. Checked here so an SDK
 * upgrade that moves it fails loudly instead of calling the real API.
 */
function httpDefaults(razorpay: Razorpay): HttpDefaults {
  const api: unknown = razorpay.api;
  const rq = typeof api === 'object' && api !== null && 'rq' in api ? api.rq : undefined;
  // An axios instance is a function with properties.
  const defaults = (typeof rq === 'function' || (typeof rq === 'object' && rq !== null)) && 'defaults' in rq ? rq.defaults : undefined;
  if (typeof defaults !== 'object' || defaults === null || !('headers' in defaults) || typeof defaults.headers !== 'object' || defaults.headers === null) {
    throw new Error('The razorpay SDK no longer keeps its axios instance at api.rq: cannot set its base URL or headers.');
  }
  return defaults as HttpDefaults;
}

export interface RazorpayClientOptions {
  keyId: string;
  keySecret: string;
  apiBase: string | undefined;
  /** Extra headers on every request of this client (X-Refund-Idempotency). */
  headers?: Record<string, string>;
}

export function razorpayClient(options: RazorpayClientOptions): Razorpay {
  const razorpay = new Razorpay({ key_id: options.keyId, key_secret: options.keySecret });
  const defaults = httpDefaults(razorpay);
  if (options.apiBase !== undefined) defaults.baseURL = options.apiBase.replace(/\/+$/, '');
  // axios waits forever by default; a charge run must not hang on one request.
  defaults.timeout = 60_000;
  for (const [name, value] of Object.entries(options.headers ?? {})) defaults.headers[name] = value;
  return razorpay;
}
