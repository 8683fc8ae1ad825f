import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Batcher } from './batch.ts';

describe('Batcher', () => {
  it('answers every caller with its own value, in batches of at most maxBatch, one fetch per chunk', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 300 }), async (keys) => {
        const fetched: number[][] = [];
        const batcher = new Batcher<number, string>(
          async (batch) => {
            fetched.push(batch);
            return new Map(batch.filter((k) => k % 7 !== 0).map((k) => [String(k), `value ${k}`]));
          },
          String,
          20,
        );
        const answers = await Promise.all(keys.map((k) => batcher.load(k)));
        expect(answers).toEqual(keys.map((k) => (k % 7 === 0 ? undefined : `value ${k}`)));
        const distinct = new Set(keys).size;
        expect(fetched.flat().length).toBe(distinct);
        expect(fetched.length).toBe(Math.ceil(distinct / 20));
        expect(fetched.every((b) => b.length <= 20)).toBe(true);
      }),
    );
  });

  it('fails every caller of a batch whose fetch fails, and keeps working afterwards', async () => {
    let fail = true;
    const batcher = new Batcher<string, string>(
      async (batch) => {
        if (fail) throw new Error('database down');
        return new Map(batch.map((k) => [k, k.toUpperCase()]));
      },
      (k) => k,
    );
    await expect(Promise.all([batcher.load('a'), batcher.load('b')])).rejects.toThrow('database down');
    fail = false;
    expect(await Promise.all([batcher.load('a'), batcher.load('b')])).toEqual(['A', 'B']);
  });
});
