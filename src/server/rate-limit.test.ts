import { describe, expect, it } from 'vitest';
import { ApiError } from '../lib/errors.ts';
import { RateLimiter } from './rate-limit.ts';

describe('RateLimiter', () => {
  it('allows a burst of two seconds, then refuses with 429 and Retry-After, then refills', () => {
    const limiter = new RateLimiter(10);
    for (let i = 0; i < 20; i++) limiter.take('key_a', 1_000);
    let refused: unknown;
    try {
      limiter.take('key_a', 1_000);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).status).toBe(429);
    expect((refused as ApiError).headers['retry-after']).toBe('1');
    limiter.take('key_b', 1_000); // other callers are unaffected
    limiter.take('key_a', 1_100); // 100 ms later one token is back
    expect(() => limiter.take('key_a', 1_100)).toThrow(ApiError);
  });

  it('is off at 0', () => {
    const limiter = new RateLimiter(0);
    for (let i = 0; i < 10_000; i++) limiter.take('key', 0);
  });
});
