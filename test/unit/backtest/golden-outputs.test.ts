// A faster engine gives the same results: every strategy on both shipped symbols over the whole
// multi-year data, its fills, rejections, liquidations, margin moves and every bar's equity identical
// (sha256) to the digests recorded from the engine before the speed work (test/bench/golden.ts).
import { describe, expect, it } from 'vitest';
import { digestOf, GOLDEN_STRATEGIES, GOLDEN_SYMBOLS, readGolden } from '../../bench/golden.ts';

const golden = readGolden();

describe('engine outputs on the shipped data equal the recorded ones', () => {
  for (const symbol of GOLDEN_SYMBOLS)
    for (const strategy of GOLDEN_STRATEGIES)
      it(`${strategy} on ${symbol}`, () => {
        expect(digestOf(strategy, symbol)).toEqual(golden[`${strategy}/${symbol}`]);
      }, 120_000);
});
