import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { previousAttributes } from './service.ts';

describe('previousAttributes (Stripe’s data.previous_attributes)', () => {
  it('names each changed field with its old value, primitives and objects alike', () => {
    const before = { id: 'sub_1', status: 'active', quantity: 1, items: { data: [{ price: 'p1' }] }, trial_end: null, metadata: { a: '1' } };
    const after = { id: 'sub_1', status: 'past_due', quantity: 1, items: { data: [{ price: 'p2' }] }, trial_end: null, metadata: { a: '1' } };
    expect(previousAttributes(before, after)).toEqual({ status: 'active', items: { data: [{ price: 'p1' }] } });
  });

  it('treats a field that appears as changed from null, and equal objects built apart as unchanged', () => {
    expect(previousAttributes({ id: 'x' }, { id: 'x', canceled_at: 17 })).toEqual({ canceled_at: null });
    expect(previousAttributes({ a: { b: [1, 2] }, c: null }, { a: { b: [1, 2] }, c: { d: 1 } })).toEqual({ c: null });
    expect(previousAttributes({ c: { d: 1 } }, { c: null })).toEqual({ c: { d: 1 } });
  });
});

describe('previousAttributes agrees with comparing JSON', () => {
  it('changes exactly the fields whose JSON differs', () => {
    const value = fc.jsonValue({ maxDepth: 3 });
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd'), value), fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd'), value), (before, after) => {
        const expected = Object.fromEntries(
          Object.keys(after)
            .filter((k) => JSON.stringify(canonical(before[k])) !== JSON.stringify(canonical(after[k])))
            .map((k) => [k, before[k] ?? null]),
        );
        expect(previousAttributes(before, after)).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });
});

/** The value with object keys sorted, so key order does not count. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k])]));
  return value;
}
