// Worker thread of the sweep: runs one backtest per message and posts its metrics back.
import { parentPort } from 'node:worker_threads';
import { loadDataset } from '../market-data/dataset.ts';
import { runBacktest } from './engine.ts';
import type { Metrics } from './metrics.ts';
import { BACKTEST_STRATEGIES } from './registry.ts';

export interface SweepTask {
  index: number;
  strategy: string;
  symbol: string;
  dataDir?: string;
  params: Record<string, unknown>;
  from: number | undefined;
  to: number | undefined;
  equity: number;
  spotUsdt: number;
  makerFee: number;
  takerFee: number;
  slippagePct: number;
}

export interface SweepTaskResult {
  index: number;
  metrics: Metrics;
}

const datasets = new Map<string, ReturnType<typeof loadDataset>>();

parentPort?.on('message', (t: SweepTask) => {
  const key = `${t.dataDir ?? ''}|${t.symbol}`;
  let dataset = datasets.get(key);
  if (!dataset) {
    dataset = loadDataset(t.symbol, t.dataDir);
    datasets.set(key, dataset);
  }
  const strategy = BACKTEST_STRATEGIES[t.strategy]!;
  const r = runBacktest({
    strategy,
    params: strategy.paramsSchema.parse(t.params),
    dataset,
    ...(t.from !== undefined ? { from: t.from } : {}),
    ...(t.to !== undefined ? { to: t.to } : {}),
    initialEquity: t.equity,
    initialSpotUsdt: t.spotUsdt,
    makerFee: t.makerFee,
    takerFee: t.takerFee,
    slippagePct: t.slippagePct,
  });
  const result: SweepTaskResult = { index: t.index, metrics: r.metrics };
  parentPort?.postMessage(result);
});
