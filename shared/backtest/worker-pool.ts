// A pool of worker threads that run backtests over one dataset. The dataset goes to each worker once,
// in shared memory; then each task is a small message (strategy, parameters, range) and each answer a
// Metrics object. Results come back in task order whatever the worker count, so sweeps and
// walk-forward runs are deterministic. Throughput is reported as simulated candles per second summed
// over all tasks (combinations × candles / wall time), the figure that decides a sweep's cost.
import { Worker } from 'node:worker_threads';
import type { Dataset } from '../market-data/dataset.ts';
import { shareDataset } from './shared-dataset.ts';
import type { SweepTask, SweepTaskResult } from './sweep-worker.ts';

// Workers start without the TypeScript loader of the parent; register tsx's ESM hooks in the worker
// first, then load the worker module.
const WORKER_BOOT = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(
  new URL('./sweep-worker.ts', import.meta.url).href,
)}); });`;

export interface PoolStats {
  tasks: number;
  /** Candles simulated, summed over tasks. */
  candles: number;
  wallMs: number;
}

export class BacktestPool {
  private readonly workers: Worker[];
  readonly stats: PoolStats = { tasks: 0, candles: 0, wallMs: 0 };

  constructor(dataset: Dataset, size: number) {
    const shared = shareDataset(dataset);
    this.workers = Array.from(
      { length: size },
      () => new Worker(WORKER_BOOT, { eval: true, workerData: { dataset: shared } }),
    );
  }

  get size(): number {
    return this.workers.length;
  }

  /** Run every task; each worker takes the next task when it finishes one. */
  async run(tasks: readonly SweepTask[], onDone?: () => void): Promise<SweepTaskResult[]> {
    const started = performance.now();
    const results: SweepTaskResult[] = new Array(tasks.length);
    let next = 0;
    await Promise.all(
      this.workers.slice(0, tasks.length).map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            const feed = () => {
              if (next >= tasks.length) {
                w.off('message', onMessage);
                w.off('error', reject);
                resolve();
                return;
              }
              const i = next++;
              w.postMessage({ ...tasks[i]!, index: i });
            };
            const onMessage = (r: SweepTaskResult) => {
              results[r.index] = r;
              this.stats.candles += r.metrics.bars;
              onDone?.();
              feed();
            };
            w.on('message', onMessage);
            w.on('error', reject);
            feed();
          }),
      ),
    );
    this.stats.tasks += tasks.length;
    this.stats.wallMs += performance.now() - started;
    return results;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** What a pool's work cost: wall time and throughput. Not deterministic, so never in --json output. */
export interface PoolPerf {
  workers: number;
  candles: number;
  wallMs: number;
  /** Simulated candles per second over all workers (combinations × candles / wall time). */
  candlesPerSecond: number;
}

export function perfOf(pool: BacktestPool): PoolPerf {
  const s = pool.stats;
  return {
    workers: pool.size,
    candles: s.candles,
    wallMs: Math.round(s.wallMs),
    candlesPerSecond: s.wallMs > 0 ? Math.round(s.candles / (s.wallMs / 1000)) : 0,
  };
}

export function formatPerf(p: PoolPerf): string {
  return `${p.candles.toLocaleString('en-US')} candles simulated (combinations × candles) in ${(p.wallMs / 1000).toFixed(1)} s on ${p.workers} worker thread(s): ${p.candlesPerSecond.toLocaleString('en-US')} candles/s\n`;
}
