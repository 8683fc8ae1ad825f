/**
 * When a failed delivery is tried again (pure: no clock, no database). Like Stripe's: the
 * first retries within minutes, then hours apart, for up to three days from the first
 * attempt; after that the delivery has failed for good.
 *
 * Wait after the n-th failed attempt: 1 min, 5 min, 30 min, 2 h, 5 h, then every 10 h.
 * Attempts therefore go out at about 0, 1 min, 6 min, 36 min, 2 h 36, 7 h 36, 17 h 36,
 * 27 h 36, 37 h 36, 47 h 36, 57 h 36 and 67 h 36: twelve attempts within three days.
 */
export const RETRY_DELAYS_SECONDS = [60, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600] as const;
export const LATER_RETRY_DELAY_SECONDS = 10 * 3600;
/** How long a delivery is retried, and how long an endpoint may fail before it is disabled. */
export const RETRY_WINDOW_SECONDS = 3 * 24 * 3600;

/** The wait after the `attempts`-th failed attempt (attempts ≥ 1). */
export function retryDelaySeconds(attempts: number): number {
  return RETRY_DELAYS_SECONDS[attempts - 1] ?? LATER_RETRY_DELAY_SECONDS;
}

/**
 * After a failed attempt: when to try again, or null when the next try would fall outside
 * the three days that began with the first attempt (the delivery has then failed).
 */
export function nextAttemptAfterFailure(firstAttemptAt: Date, attempts: number, failedAt: Date): Date | null {
  const next = failedAt.getTime() + retryDelaySeconds(attempts) * 1000;
  return next > firstAttemptAt.getTime() + RETRY_WINDOW_SECONDS * 1000 ? null : new Date(next);
}
