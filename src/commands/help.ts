export function usage(): string {
  return `Usage: recur <command>

  start                 API, dashboard and background worker (--no-worker: API only)
  worker                background worker only
  migrate               apply database migrations
  bill                  run the billing run once until nothing is due, then exit
  keys create           print a new API key: --workspace sandbox|live, --type secret|publishable, --name
  users reset-password  print a new password for a user: --email EMAIL

Environment: PORT (4100), HOST (127.0.0.1), DATABASE_URL (unset: embedded PostgreSQL in
RECUR_DATA_DIR, default ./.recur), RECUR_ADMIN_EMAIL / RECUR_ADMIN_PASSWORD (first start),
RECUR_RATE_LIMIT (requests per second per key, 1000), LOG_LEVEL (info).
`;
}
