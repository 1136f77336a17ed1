// Each strategy's declared parameter ranges: what a sweep and each in-sample window of the walk-forward
// evaluation try. Parameters not listed keep their defaults. Kept small on purpose: a walk-forward run
// costs windows × combinations × in-sample candles, so every value added multiplies the run time.
// A test holds every combination against the strategy's own schema.

export type SearchSpace = Readonly<Record<string, readonly number[]>>;

export const SEARCH_SPACES: Readonly<Record<string, SearchSpace>> = {
  // The carry thresholds (annualised smoothed funding, %/yr) and the smoothing window; leverage, size
  // and the margin rules are risk settings, not signals, and stay at their defaults.
  funding_arbitrage: {
    entryAprPct: [5, 10, 20],
    exitAprPct: [-5, 0],
    smoothingSettlements: [3, 9],
  },
  grid: {
    levels: [6, 10],
    atrMultiple: [2, 3, 4],
  },
  long_short_switch: {
    fastEma: [8, 12, 20],
    slowEma: [26, 40],
    trailingStopPct: [3, 5],
  },
  volatility_breakout: {
    squeezePercentile: [10, 20],
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
