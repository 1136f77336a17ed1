// Sweep throughput for `npm run bench`: one strategy's declared search space (every combination) over
// the whole multi-year dataset on the worker pool the sweep and walk-forward use
// (shared/backtest/worker-pool.ts: one thread per core, the dataset in shared memory, never copied per
// task), as combinations × candles per second of wall time.
import { availableParallelism } from 'node:os';
import { BacktestPool } from '../../shared/backtest/worker-pool.ts';
import { SEARCH_SPACES, searchCombinations } from '../../shared/strategies/search-space.ts';
import { multiYearDataset } from './data.ts';

export interface SweepRate {
  strategy: string;
  combinations: number;
  workers: number;
  /** Candles simulated, summed over the combinations. */
  candles: number;
  wallSeconds: number;
  candlesPerSecond: number;
}

export async function sweepRate(strategy = 'volatility_breakout'): Promise<SweepRate> {
  const dataset = multiYearDataset();
  const combos = searchCombinations(SEARCH_SPACES[strategy]!);
  const pool = new BacktestPool(dataset, Math.min(availableParallelism(), combos.length));
  const task = (params: Record<string, number>, index: number) => ({
    index,
    strategy,
    params,
    from: undefined,
    to: undefined,
    equity: 10_000,
    spotUsdt: 0,
    makerFee: 0.0002,
    takerFee: 0.0005,
    slippagePct: 0.01,
  });
  try {
    // One warm-up task per worker (module load, JIT), then the timed sweep.
    await pool.run(Array.from({ length: pool.size }, (_, i) => task(combos[i]!, i)));
    const before = { ...pool.stats };
    await pool.run(combos.map(task));
    const candles = pool.stats.candles - before.candles;
    const wallSeconds = (pool.stats.wallMs - before.wallMs) / 1000;
    return {
      strategy,
      combinations: combos.length,
      workers: pool.size,
      candles,
      wallSeconds,
      candlesPerSecond: candles / wallSeconds,
    };
  } finally {
    await pool.close();
  }
}
