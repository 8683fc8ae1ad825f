import { rateLimited } from '../../lib/errors.ts';

/**
 * Limits password guesses: at most `max` attempts per key (e.g. email and address) in a
 * window. An attempt is counted before the (slow) password check, so parallel guesses
 * cannot slip under the limit; a success forgets the key. In memory, per process.
 */
export class GuessThrottle {
  private readonly attempts = new Map<string, { count: number; since: number }>();

  constructor(
    private readonly max = 10,
    private readonly windowMs = 15 * 60 * 1000,
    private readonly maxTracked = 100_000,
  ) {}

  /** Counts an attempt, or throws a 429 when the key has used up its window. */
  attempt(key: string, now = Date.now()): void {
    const record = this.attempts.get(key);
    const fresh = !record || now - record.since >= this.windowMs;
    if (!fresh && record.count >= this.max) {
      throw rateLimited(Math.ceil((record.since + this.windowMs - now) / 1000));
    }
    if (fresh && this.attempts.size >= this.maxTracked) this.forgetOld(now);
    this.attempts.set(key, fresh ? { count: 1, since: now } : { count: record.count + 1, since: record.since });
  }

  succeeded(key: string): void {
    this.attempts.delete(key);
  }

  // Entries older than the window count for nothing: drop them before the map grows large.
  private forgetOld(now: number): void {
    for (const [key, record] of this.attempts) if (now - record.since >= this.windowMs) this.attempts.delete(key);
    if (this.attempts.size >= this.maxTracked) this.attempts.clear();
  }
}
