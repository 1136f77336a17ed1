import { describe, expect, it } from 'vitest';
import { STRATEGIES } from '../../../shared/strategies/registry.ts';
import { SEARCH_SPACES, searchCombinations } from '../../../shared/strategies/search-space.ts';

describe('SEARCH_SPACES', () => {
  it.each(Object.keys(STRATEGIES))('%s declares ranges, and every combination passes its schema', (name) => {
    const space = SEARCH_SPACES[name];
    expect(space).toBeDefined();
    const combos = searchCombinations(space!);
    const expected = Object.values(space!).reduce((n, v) => n * v.length, 1);
    expect(combos).toHaveLength(expected);
    for (const c of combos)
      expect(
        (STRATEGIES as Record<string, (typeof STRATEGIES)['grid']>)[name]!.paramsSchema.safeParse(c).success,
      ).toBe(true);
  });

  it('combinations come in a fixed order, the first parameter varying slowest', () => {
    expect(searchCombinations({ a: [1, 2], b: [5, 6] })).toEqual([
      { a: 1, b: 5 },
      { a: 1, b: 6 },
      { a: 2, b: 5 },
      { a: 2, b: 6 },
    ]);
  });
});
