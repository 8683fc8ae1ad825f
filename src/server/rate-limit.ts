import { rateLimited } from '../lib/errors.ts';

/**
 * Per-caller token buckets, in memory: each process enforces the limit on the traffic it
 * sees, so N processes behind a balancer allow up to N times the rate. A bucket refills at
 * `perSecond` and holds up to two seconds' worth.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly perSecond: number) {}

  take(callerId: string, now = Date.now()): void {
    if (this.perSecond <= 0) return;
    const capacity = this.perSecond * 2;
    const bucket = this.buckets.get(callerId) ?? { tokens: capacity, at: now };
    bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond);
    bucket.at = now;
    if (bucket.tokens < 1) {
      this.buckets.set(callerId, bucket);
      throw rateLimited(Math.max(1, Math.ceil((1 - bucket.tokens) / this.perSecond)));
    }
    bucket.tokens -= 1;
    this.buckets.set(callerId, bucket);
    if (this.buckets.size > 100_000) this.buckets.clear();
  }
}
