import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasPrefix, newId } from './ids.ts';

describe('ids', () => {
  it('sort in creation order under the "C" collation (plain code-unit order)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 45 }), fc.integer({ min: 1, max: 2 ** 30 }), (t, dt) => {
        const earlier = newId('customer', t);
        const later = newId('customer', t + dt);
        expect(earlier < later).toBe(true);
      }),
    );
  });

  it('carry their prefix, a fixed length and only base62 characters', () => {
    const id = newId('customer');
    expect(id).toMatch(/^cus_[0-9A-Za-z]{24}$/);
    expect(hasPrefix(id, 'customer')).toBe(true);
    expect(hasPrefix(id, 'event')).toBe(false);
  });

  it('do not repeat', () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => newId('event', 0)));
    expect(ids.size).toBe(10_000);
  });
});
