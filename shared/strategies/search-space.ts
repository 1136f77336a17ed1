// Each strategy's declared parameter ranges: what a sweep and each in-sample window of the walk-forward
// evaluation try. Parameters not listed keep their defaults. Kept small on purpose: a walk-forward run
// costs windows × combinations × in-sample candles, so every value added multiplies the run time.
// A test holds every combination against the strategy's own schema.

export type SearchSpace = Readonly<Record<string, readonly number[]>>;

export const SEARCH_SPACES: Readonly<Record<string, SearchSpace>> = {
  // Entry/exit thresholds per 8-h settlement (the schema wants exit < entry): 0.01 % is Binance's
  // neutral rate; 2021's bull market paid 0.05–0.3 %. The funding redesign replaces these ranges.
  funding_arbitrage: {
    entryFundingRate: [0.0002, 0.0003, 0.0005, 0.001],
    exitFundingRate: [0, 0.00005, 0.0001],
  },
  grid: {
    levels: [6, 10, 14],
    atrMultiple: [2, 3, 4, 6],
  },
  long_short_switch: {
    fastEma: [8, 12, 20],
    slowEma: [26, 40],
    trailingStopPct: [2, 3, 5],
  },
  volatility_breakout: {
    squeezePercentile: [10, 20, 30],
    stopAtr: [1, 1.5, 2],
    targetAtr: [2, 3],
  },
};

/** Every combination of a search space, in a fixed order (the first parameter varies slowest). */
export function searchCombinations(space: SearchSpace): Record<string, number>[] {
  let out: Record<string, number>[] = [{}];
  for (const [param, values] of Object.entries(space)) {
    out = out.flatMap((c) => values.map((v) => ({ ...c, [param]: v })));
  }
  return out;
}
