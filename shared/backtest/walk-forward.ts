// Walk-forward evaluation: each in-sample window sweeps the strategy's declared parameter ranges on
// worker threads, the best set by the chosen rank trades the next out-of-sample window, and the
// out-of-sample windows are traded as ONE continuous run whose parameters switch at each boundary
// (scheduled-strategy.ts says why). The result is what a trader would have got by re-fitting every
// month on the past only; the in-sample figures beside it show what the fit promised.
import type { CandleSeries } from '../domain/candles.ts';
import type { Dataset } from '../market-data/dataset.ts';
import { SEARCH_SPACES, searchCombinations } from '../strategies/search-space.ts';
import { type BaselineEquity, buyAndHoldEquity, fundingCarryEquity } from './baselines.ts';
import { type BacktestResult, runBacktest } from './engine.ts';
import { type Metrics, roundMetrics } from './metrics.ts';
import { BACKTEST_STRATEGIES } from './registry.ts';
import { scheduledStrategy } from './scheduled-strategy.ts';
import { type WalkForwardReport, walkForwardReport } from './walk-forward-report.ts';
import { parseSpan, type Span, type Window, walkForwardWindows } from './walk-forward-windows.ts';
import { BacktestPool, type PoolPerf, perfOf } from './worker-pool.ts';

export type RankMetric =
  | 'sharpe'
  | 'sortino'
  | 'returnPct'
  | 'netPnl'
  | 'maxDrawdownPct'
  | 'winRatePct'
  | 'calmar'
  | 'cagrPct';

/** Higher is better, except drawdown; ties go to the earlier combination (deterministic). */
export function rankValue(m: Metrics, rank: RankMetric): number {
  return rank === 'maxDrawdownPct' ? -m.maxDrawdownPct : m[rank];
}

export interface WalkForwardOptions {
  strategy: string;
  dataset: Dataset;
  inSample: Span;
  outOfSample: Span;
  rank: RankMetric;
  /** Parameters not in the search space (defaults when empty). */
  base: Record<string, unknown>;
  from?: number | undefined;
  to?: number | undefined;
  equity: number;
  spotUsdt: number;
  makerFee: number;
  takerFee: number;
  /** Spot taker fee, fraction (the simulator's default: 0.1 %, Binance spot). */
  spotFee: number;
  slippagePct: number;
  workers: number;
  onProgress?: ((done: number, total: number) => void) | undefined;
}

export interface WalkForwardRun {
  report: WalkForwardReport;
  /** The stitched out-of-sample run (for the HTML report). */
  run: BacktestResult;
  baselines: BaselineEquity[];
  segments: { from: number; to: number; kind: 'in-sample' | 'out-of-sample' }[];
  perf: PoolPerf;
}

type WithSeries = Dataset & { spot?: CandleSeries; mark?: CandleSeries };

export class WalkForwardError extends Error {
  override readonly name = 'WalkForwardError';
}

/**
 * The in-sample sweep of each window on the pool: every declared combination over [isFrom, oosFrom);
 * the winner by rank, ties to the earlier combination. Returns the winner's index and metrics.
 */
export async function fitWindows(
  pool: BacktestPool,
  o: Omit<WalkForwardOptions, 'workers' | 'onProgress'>,
  windows: readonly Window[],
  onDone?: () => void,
): Promise<{ combo: number; params: Record<string, number>; metrics: Metrics }[]> {
  const strategy = BACKTEST_STRATEGIES[o.strategy]!;
  const swept = searchCombinations(SEARCH_SPACES[o.strategy] ?? {});
  const combos = swept.map((c) => strategy.paramsSchema.parse({ ...o.base, ...c }));
  const costs = {
    strategy: o.strategy,
    equity: o.equity,
    spotUsdt: o.spotUsdt,
    makerFee: o.makerFee,
    takerFee: o.takerFee,
    slippagePct: o.slippagePct,
  };
  const tasks = windows.flatMap((w) =>
    combos.map((params) => ({ ...costs, index: 0, params, from: w.isFrom, to: w.oosFrom })),
  );
  const results = await pool.run(tasks, onDone);
  return windows.map((_, wi) => {
    const at = (c: number) => results[wi * combos.length + c]!.metrics;
    let best = 0;
    for (let c = 1; c < combos.length; c++) {
      if (rankValue(at(c), o.rank) > rankValue(at(best), o.rank)) best = c;
    }
    return { combo: best, params: swept[best]!, metrics: at(best) };
  });
}

export async function runWalkForward(o: WalkForwardOptions): Promise<WalkForwardRun> {
  const strategy = BACKTEST_STRATEGIES[o.strategy]!;
  const space = SEARCH_SPACES[o.strategy];
  if (!space) {
    throw new WalkForwardError(
      `${o.strategy} declares no parameter ranges to fit (shared/strategies/search-space.ts)`,
    );
  }
  const combos = searchCombinations(space).map((c) => strategy.paramsSchema.parse({ ...o.base, ...c }));
  const lookback = Math.max(...combos.map((p) => strategy.lookback(p)));
  const t = o.dataset.candles.time;
  const n = t.length;
  if (n <= lookback) throw new WalkForwardError(`too few candles for ${o.strategy}'s warm-up (${lookback})`);
  const usableFrom = Math.max(o.from ?? t[0]!, t[lookback]!);
  const dataTo = Math.min(o.to ?? Number.POSITIVE_INFINITY, t[n - 1]! + 3_600_000);
  const windows = walkForwardWindows(usableFrom, dataTo, o.inSample, o.outOfSample);
  if (windows.length === 0) {
    throw new WalkForwardError('the data span is shorter than one in-sample plus one out-of-sample window');
  }
  const total = windows.length * combos.length + 1;
  let done = 0;
  const tick = () => o.onProgress?.(++done, total);

  const pool = new BacktestPool(o.dataset, Math.max(1, Math.min(o.workers, windows.length * combos.length)));
  let fitted: Awaited<ReturnType<typeof fitWindows>>;
  try {
    fitted = await fitWindows(pool, o, windows, tick);
  } finally {
    await pool.close();
  }
  const perf = perfOf(pool);

  const stitched = stitch(
    o,
    windows.map((w, wi) => ({
      ...w,
      params: fitted[wi]!.params,
      inSample: roundMetrics(fitted[wi]!.metrics),
    })),
    combos.length,
    perf.candles,
  );
  tick();
  return { ...stitched, perf };
}

type FittedWindow = Window & { params: Record<string, number>; inSample: Metrics };

/** The out-of-sample run, the baselines over its bars, and the report, from the fitted windows. */
function stitch(
  o: Omit<WalkForwardOptions, 'workers' | 'onProgress'>,
  windows: FittedWindow[],
  combinations: number,
  candlesFitted: number,
): Omit<WalkForwardRun, 'perf'> {
  const strategy = BACKTEST_STRATEGIES[o.strategy]!;
  const t = o.dataset.candles.time;
  const n = t.length;
  const schedule = windows.map((w) => ({
    from: w.oosFrom,
    params: strategy.paramsSchema.parse({ ...o.base, ...w.params }),
  }));
  const oosFrom = windows[0]!.oosFrom;
  const oosTo = windows[windows.length - 1]!.oosTo;
  const run = runBacktest({
    strategy: scheduledStrategy(strategy, schedule),
    params: schedule,
    dataset: o.dataset,
    from: oosFrom,
    to: oosTo,
    initialEquity: o.equity,
    initialSpotUsdt: o.spotUsdt,
    makerFee: o.makerFee,
    takerFee: o.takerFee,
    slippagePct: o.slippagePct,
  });

  const ds = o.dataset as WithSeries;
  let i0 = 0;
  while (i0 < n && t[i0]! < oosFrom) i0++;
  let i1 = i0;
  while (i1 < n && t[i1]! < oosTo) i1++;
  const span = { i0, i1, initialEquity: o.equity + o.spotUsdt, slippagePct: o.slippagePct };
  const baselines = [buyAndHoldEquity({ ...span, perp: ds.candles, spot: ds.spot, spotFee: o.spotFee })];
  if (o.strategy === 'funding_arbitrage') {
    baselines.push(
      fundingCarryEquity({
        ...span,
        perp: ds.candles,
        funding: ds.funding,
        spotFee: o.spotFee,
        takerFee: o.takerFee,
      }),
    );
  }
  const report = walkForwardReport({
    strategy: o.strategy,
    symbol: o.dataset.symbol,
    inSample: o.inSample,
    outOfSample: o.outOfSample,
    rank: o.rank,
    windows,
    combinations,
    candlesSimulated: candlesFitted + run.metrics.bars,
    run,
    baselines,
  });
  const segments = [
    { from: windows[0]!.isFrom, to: oosFrom, kind: 'in-sample' as const },
    ...windows.map((w) => ({ from: w.oosFrom, to: w.oosTo, kind: 'out-of-sample' as const })),
  ];
  return { report, run, baselines, segments };
}

/**
 * Re-run a recorded walk-forward's out-of-sample part from its recorded windows and fitted sets (no
 * sweeps): the cheap half of the README drift check. Equal to the record when the data, the engine
 * and the strategy are unchanged.
 */
export function replayWalkForward(
  o: Omit<WalkForwardOptions, 'workers' | 'onProgress' | 'inSample' | 'outOfSample' | 'rank'>,
  recorded: WalkForwardReport,
): WalkForwardReport {
  const span = (text: string) => parseSpan(text)!;
  const fittedCandles = recorded.candlesSimulated - recorded.outOfSample.metrics.bars;
  return stitch(
    {
      ...o,
      inSample: span(recorded.method.inSample),
      outOfSample: span(recorded.method.outOfSample),
      rank: recorded.method.rank as RankMetric,
    },
    recorded.windows.map((w) => ({
      isFrom: Date.parse(w.inSampleFrom),
      oosFrom: Date.parse(w.outOfSampleFrom),
      oosTo: Date.parse(w.outOfSampleTo),
      params: w.params,
      inSample: (({ rankValue: _, ...m }) => m)(w.inSample),
    })),
    recorded.method.combinations,
    fittedCandles,
  ).report;
}
