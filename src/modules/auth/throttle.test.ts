import { describe, expect, it } from 'vitest';
import { ApiError } from '../../lib/errors.ts';
import { GuessThrottle } from './throttle.ts';

describe('GuessThrottle', () => {
  it('allows max attempts per key in a window, then 429 with Retry-After, and starts over after the window', () => {
    const throttle = new GuessThrottle(3, 60_000);
    for (let i = 0; i < 3; i++) throttle.attempt('a', 1_000);
    let refused: unknown;
    try {
      throttle.attempt('a', 11_000);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).status).toBe(429);
    expect((refused as ApiError).headers['retry-after']).toBe('50');
    throttle.attempt('b', 11_000); // other keys are unaffected
    throttle.attempt('a', 61_000); // a new window
  });

  it('forgets a key on success', () => {
    const throttle = new GuessThrottle(2, 60_000);
    throttle.attempt('a', 0);
    throttle.attempt('a', 0);
    throttle.succeeded('a');
    throttle.attempt('a', 0);
  });

  it('stays bounded, dropping expired entries first', () => {
    const throttle = new GuessThrottle(1, 1_000, 10);
    for (let i = 0; i < 10; i++) throttle.attempt(`old${i}`, 0);
    throttle.attempt('fresh', 5_000);
    expect(() => throttle.attempt('fresh', 5_001)).toThrow(ApiError);
    throttle.attempt('old0', 5_001); // expired and dropped, not refused
  });
});
