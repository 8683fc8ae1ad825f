/**
 * The dashboard's API client: same-origin fetch with the session cookie, the
 * Recur-Workspace header on /v1 calls, X-CSRF-Token on writes, JSON bodies, and
 * Stripe-shaped errors turned into ApiError.
 */

export type Role = 'owner' | 'admin' | 'support';

/** The server's minimum password length (src/modules/auth/passwords.ts). */
export const MIN_PASSWORD_LENGTH = 10;
export type WorkspaceMode = 'sandbox' | 'live';

export interface User {
  id: string;
  object: 'user';
  email: string;
  name: string | null;
  role: Role;
  status: 'active' | 'invited' | 'disabled';
  created: number;
  invited_by: string | null;
  /** When the pending invitation link stops working (unix seconds); null unless status is invited. */
  invitation_expires_at: number | null;
}

/** A user with a freshly issued invitation link (a path under /admin), shown only once. */
export type InvitedUser = User & { invite_url: string };

export interface Workspace {
  id: string;
  mode: WorkspaceMode;
  name: string;
  livemode: boolean;
}

export interface Session {
  user: User;
  csrf_token: string;
  workspaces: Workspace[];
}

export interface Address {
  line1: string | null;
  line2: string | null;
  city: string | null;
  state: string | null;
  postal_code: string | null;
  country: string | null;
}

export interface Customer {
  id: string;
  object: 'customer';
  address: Address | null;
  created: number;
  description: string | null;
  email: string | null;
  invoice_settings: { custom_fields: Array<{ name: string; value: string }> | null; footer: string | null; default_payment_method?: string | null };
  livemode: boolean;
  metadata: Record<string, string>;
  name: string | null;
  phone: string | null;
  preferred_locales: string[];
  shipping: { name: string; phone: string | null; address: Address } | null;
  tax_exempt: 'none' | 'exempt' | 'reverse';
  /** The sandbox test clock the customer was created on (optional: older servers leave it out). */
  test_clock?: string | null;
}

export interface DeletedCustomer {
  id: string;
  object: 'customer';
  deleted: true;
}

export interface RecurEvent {
  id: string;
  object: 'event';
  type: string;
  created: number;
  data: { object: Record<string, unknown>; previous_attributes?: Record<string, unknown> };
  request: { id: string | null; idempotency_key: string | null };
}

export interface ApiKey {
  id: string;
  object: 'api_key';
  type: 'secret' | 'publishable';
  name: string | null;
  redacted: string;
  created: number;
  created_by: string | null;
  last_used: number | null;
  revoked: boolean;
  livemode: boolean;
  secret?: string;
}

export interface AuditEntry {
  id: string;
  object: 'audit_log_entry';
  action: string;
  actor: { type: 'user' | 'api_key' | 'system'; id: string | null; label: string | null };
  workspace: string | null;
  object_id: string | null;
  request: { id: string | null; method: string | null; path: string | null; ip: string | null };
  status_code: number | null;
  created: number;
}

export interface List<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
  url: string;
}

export interface SearchResult<T> {
  object: 'search_result';
  data: T[];
  has_more: boolean;
  next_page: string | null;
  url: string;
}

export type Query = Record<string, string | number | undefined>;

/** An error from the API (or the network), with the fields of Stripe's error body. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly code: string | null = null,
    readonly param: string | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function errorFrom(status: number, body: unknown): ApiError {
  const error = isRecord(body) && isRecord(body.error) ? body.error : null;
  if (!error) return new ApiError(status, 'api_error', `The server answered with an unexpected error (HTTP ${status}).`);
  const text = (key: string) => (typeof error[key] === 'string' ? (error[key] as string) : null);
  return new ApiError(status, text('type') ?? 'api_error', text('message') ?? `Request failed (HTTP ${status}).`, text('code'), text('param'));
}

export interface RequestOptions {
  query?: Query | undefined;
  body?: unknown;
  /** Workspace id (or mode) sent as Recur-Workspace. */
  workspace?: string | undefined;
  csrfToken?: string | undefined;
  signal?: AbortSignal | undefined;
}

function withQuery(path: string, query: Query | undefined): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

export async function request<T>(method: 'GET' | 'POST' | 'DELETE', path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.workspace) headers['Recur-Workspace'] = options.workspace;
  if (method !== 'GET' && options.csrfToken) headers['X-CSRF-Token'] = options.csrfToken;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(withQuery(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'network_error', 'Could not reach the Recur server. Check your connection and try again.');
  }
  const text = await response.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!response.ok) throw errorFrom(response.status, body);
  return body as T;
}

/**
 * A file from the API (an invoice PDF): fetched like any call, with the session cookie and
 * the Recur-Workspace header, which a plain link could not send.
 */
export async function requestBlob(path: string, options: Pick<RequestOptions, 'workspace' | 'signal'> = {}): Promise<Blob> {
  const headers: Record<string, string> = {};
  if (options.workspace) headers['Recur-Workspace'] = options.workspace;
  let response: Response;
  try {
    response = await fetch(path, { headers, credentials: 'same-origin', ...(options.signal ? { signal: options.signal } : {}) });
  } catch {
    throw new ApiError(0, 'network_error', 'Could not reach the Recur server. Check your connection and try again.');
  }
  if (!response.ok) {
    let body: unknown = null;
    try {
      body = await response.json();
    } catch {
      body = null;
    }
    throw errorFrom(response.status, body);
  }
  return response.blob();
}

/** Session endpoints (no workspace). */
export const auth = {
  /** The current session, or null when signed out. */
  async session(): Promise<Session | null> {
    try {
      return await request<Session>('GET', '/auth/session');
    } catch (error) {
      if (isApiError(error) && error.status === 401) return null;
      throw error;
    }
  },
  login: (email: string, password: string) => request<Session>('POST', '/auth/login', { body: { email, password } }),
  logout: (csrfToken: string) => request<{ signed_out: true }>('POST', '/auth/logout', { body: {}, csrfToken }),
  /** Changes the signed-in user's password; their other sessions end, this one stays. */
  changePassword: (csrfToken: string, currentPassword: string, newPassword: string) =>
    request<{ password_changed: true }>('POST', '/auth/password', {
      body: { current_password: currentPassword, new_password: newPassword },
      csrfToken,
    }),
  acceptInvitation: (token: string, password: string, name?: string) =>
    request<Session>('POST', '/auth/invitations/accept', { body: { token, password, ...(name ? { name } : {}) } }),
};

export interface Product {
  id: string;
  object: 'product';
  active: boolean;
  created: number;
  updated: number;
  description: string | null;
  livemode: boolean;
  metadata: Record<string, string>;
  name: string;
  unit_label: string | null;
  url: string | null;
}

export interface DeletedProduct {
  id: string;
  object: 'product';
  deleted: true;
}

export interface PriceTier {
  flat_amount: number | null;
  flat_amount_decimal: string | null;
  unit_amount: number | null;
  unit_amount_decimal: string | null;
  up_to: number | null;
}

export type TaxBehavior = 'inclusive' | 'exclusive' | 'unspecified';

export interface Price {
  id: string;
  object: 'price';
  active: boolean;
  billing_scheme: 'per_unit' | 'tiered';
  created: number;
  currency: string;
  currency_options: Record<string, { tax_behavior: TaxBehavior; tiers?: PriceTier[]; unit_amount: number | null; unit_amount_decimal: string | null }>;
  livemode: boolean;
  lookup_key: string | null;
  metadata: Record<string, string>;
  nickname: string | null;
  product: string;
  recurring: { interval: 'day' | 'week' | 'month' | 'year'; interval_count: number; usage_type: 'licensed' } | null;
  tax_behavior: TaxBehavior;
  tiers?: PriceTier[];
  tiers_mode: 'graduated' | 'volume' | null;
  type?: 'one_time' | 'recurring';
  unit_amount: number | null;
  unit_amount_decimal: string | null;
}

export interface Coupon {
  id: string;
  object: 'coupon';
  amount_off: number | null;
  created: number;
  currency: string | null;
  duration: 'once' | 'repeating' | 'forever';
  duration_in_months: number | null;
  livemode: boolean;
  max_redemptions: number | null;
  metadata: Record<string, string>;
  name: string | null;
  percent_off: number | null;
  redeem_by: number | null;
  times_redeemed: number;
  valid: boolean;
}

export interface TaxRate {
  id: string;
  object: 'tax_rate';
  active: boolean;
  country: string | null;
  created: number;
  description: string | null;
  display_name: string;
  inclusive: boolean;
  jurisdiction: string | null;
  livemode: boolean;
  percentage: number;
  state: string | null;
}
