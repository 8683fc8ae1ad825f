/**
 * Stripe's times are unix seconds; ours are Dates (timestamptz). The conversions, in one
 * place: seconds are whole (floored), as periods are computed in seconds.
 */
export function unixSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

export function unixSecondsOrNull(date: Date | null): number | null {
  return date ? unixSeconds(date) : null;
}

export function fromUnixSeconds(seconds: number): Date {
  return new Date(seconds * 1000);
}
