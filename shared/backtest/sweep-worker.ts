// Worker thread of the sweep and the walk-forward: receives the dataset once (shared memory, see
// shared-dataset.ts), then runs one backtest per message and posts its metrics back.
import { parentPort, workerData } from 'node:worker_threads';
import type { Dataset } from '../market-data/dataset.ts';
import { runBacktest } from './engine.ts';
import type { Metrics } from './metrics.ts';
import { BACKTEST_STRATEGIES } from './registry.ts';

export interface SweepTask {
  index: number;
  strategy: string;
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

export function runTask(dataset: Dataset, t: SweepTask): SweepTaskResult {
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
  return { index: t.index, metrics: r.metrics };
}

if (parentPort) {
  const dataset = (workerData as { dataset: Dataset }).dataset;
  parentPort.on('message', (t: SweepTask) => parentPort?.postMessage(runTask(dataset, t)));
}
