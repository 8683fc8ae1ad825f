/**
 * The Stripe API version whose object shapes Recur follows: the one pinned by the `stripe`
 * SDK the compatibility suite runs. Events record it as `api_version`.
 */
export const API_VERSION = '2026-10-28.endive';
