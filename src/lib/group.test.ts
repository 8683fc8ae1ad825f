import { describe, expect, it } from 'vitest';
import { groupBy } from './group.ts';

describe('groupBy', () => {
  it('keeps rows in their order under each key, null keys included', () => {
    const rows = [{ k: 'a', n: 1 }, { k: null, n: 2 }, { k: 'a', n: 3 }, { k: 'b', n: 4 }];
    const groups = groupBy(rows, (r) => r.k);
    expect([...groups.keys()]).toEqual(['a', null, 'b']);
    expect(groups.get('a')?.map((r) => r.n)).toEqual([1, 3]);
    expect(groups.get(null)?.map((r) => r.n)).toEqual([2]);
  });
});
