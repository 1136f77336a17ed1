// Parameter sweep: every combination of the swept values, run in parallel on worker threads over the
// in-sample part of the data, ranked by a metric; the best rows are then run on the held-back final
// part (walk-forward split). A combination that only shines in-sample is over-fitted, and shows it.
import { Worker } from 'node:worker_threads';
import { loadDataset } from '../market-data/dataset.ts';
import type { BacktestArgs } from './cli-args.ts';
import type { Metrics } from './metrics.ts';
import { BACKTEST_STRATEGIES } from './registry.ts';
import type { SweepTask, SweepTaskResult } from './sweep-worker.ts';

export interface SweepRow {
  params: Record<string, number>;
  inSample: Metrics;
  outOfSample?: Metrics;
}

export interface SweepResult {
  strategy: string;
  symbol: string;
  rank: string;
  combinations: number;
  inSample: { from: string; to: string };
  outOfSample: { from: string; to: string };
  rows: SweepRow[];
}

// Workers start without the TypeScript loader of the parent; register tsx's ESM hooks in the worker
// first, then load the worker module.
const WORKER_BOOT = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(
  new URL('./sweep-worker.ts', import.meta.url).href,
)}); });`;

function combinations(sweeps: BacktestArgs['sweep']): Record<string, number>[] {
  let out: Record<string, number>[] = [{}];
  for (const { param, values } of sweeps) out = out.flatMap((c) => values.map((v) => ({ ...c, [param]: v })));
  return out;
}

/** Run tasks on a pool of worker threads; results come back in task order. */
async function runPool(tasks: SweepTask[], workers: number, onDone: () => void): Promise<SweepTaskResult[]> {
  const results: SweepTaskResult[] = new Array(tasks.length);
  let next = 0;
  const pool = Array.from({ length: Math.min(workers, tasks.length) }, () => {
    const w = new Worker(WORKER_BOOT, { eval: true });
    return new Promise<void>((resolve, reject) => {
      const feed = () => {
        if (next >= tasks.length) {
          void w.terminate().then(() => resolve());
          return;
        }
        w.postMessage(tasks[next++]);
      };
      w.on('message', (r: SweepTaskResult) => {
        results[r.index] = r;
        onDone();
        feed();
      });
      w.on('error', reject);
      feed();
    });
  });
  await Promise.all(pool);
  return results;
}

export async function runSweep(p: {
  args: BacktestArgs;
  base: Record<string, unknown>;
  spotUsdt: number;
  workers: number;
  onProgress?: ((done: number, total: number) => void) | undefined;
}): Promise<SweepResult> {
  const { args } = p;
  const strategy = BACKTEST_STRATEGIES[args.strategy]!;
  const combos = combinations(args.sweep);
  const bad = combos
    .map((c) => ({ c, r: strategy.paramsSchema.safeParse({ ...p.base, ...c }) }))
    .filter((x) => !x.r.success);
  if (bad.length > 0) {
    const first = bad[0]!;
    throw new Error(
      `sweep value rejected by ${strategy.name}'s schema: ${JSON.stringify(first.c)} — ${first.r.error?.issues[0]?.message}`,
    );
  }
  // The split: the last `holdout` percent of the selected candles is held back.
  const ds = loadDataset(args.symbol, args.data);
  const times = ds.candles.time;
  const inRange = Array.from(times).filter(
    (t) => (args.from === undefined || t >= args.from) && (args.to === undefined || t < args.to),
  );
  if (inRange.length < 10) throw new Error('too few candles in the range to sweep');
  const split = inRange[Math.floor(inRange.length * (1 - args.holdout / 100))]!;
  const end = inRange[inRange.length - 1]! + 3_600_000;
  const start = inRange[0]!;
  const common = {
    strategy: args.strategy,
    symbol: args.symbol,
    ...(args.data !== undefined ? { dataDir: args.data } : {}),
    equity: args.equity,
    spotUsdt: p.spotUsdt,
    makerFee: args['maker-fee'] / 100,
    takerFee: args.fee / 100,
    slippagePct: args.slippage,
  };
  const top = Math.min(args.top, combos.length);
  const total = combos.length + top;
  let done = 0;
  const tick = () => p.onProgress?.(++done, total);

  const inSample = await runPool(
    combos.map((c, index) => ({ ...common, index, params: { ...p.base, ...c }, from: args.from, to: split })),
    p.workers,
    tick,
  );
  const better =
    args.rank === 'maxDrawdownPct' ? (a: number, b: number) => a - b : (a: number, b: number) => b - a;
  const ranked = combos
    .map((c, i) => ({ params: c, inSample: inSample[i]!.metrics, index: i }))
    .sort((a, b) => better(a.inSample[args.rank], b.inSample[args.rank]) || a.index - b.index)
    .slice(0, top);
  const outOfSample = await runPool(
    ranked.map((r, index) => ({
      ...common,
      index,
      params: { ...p.base, ...r.params },
      from: split,
      to: end,
    })),
    p.workers,
    tick,
  );
  return {
    strategy: args.strategy,
    symbol: args.symbol,
    rank: args.rank,
    combinations: combos.length,
    inSample: { from: new Date(start).toISOString(), to: new Date(split).toISOString() },
    outOfSample: { from: new Date(split).toISOString(), to: new Date(end).toISOString() },
    rows: ranked.map((r, i) => ({
      params: r.params,
      inSample: r.inSample,
      outOfSample: outOfSample[i]!.metrics,
    })),
  };
}

export function formatSweep(s: SweepResult): string {
  const f = (x: number | undefined, d = 2) => (x === undefined ? '-' : x.toFixed(d));
  const header = [
    '#',
    'params',
    `in ${s.rank}`,
    'in return %',
    'in maxDD %',
    'in trades',
    `out ${s.rank}`,
    'out return %',
    'out maxDD %',
  ];
  const rows = s.rows.map((r, i) => [
    String(i + 1),
    Object.entries(r.params)
      .map(([k, v]) => `${k}=${v}`)
      .join(' '),
    f(r.inSample[s.rank as keyof Metrics]),
    f(r.inSample.returnPct),
    f(r.inSample.maxDrawdownPct),
    String(r.inSample.trades),
    f(r.outOfSample?.[s.rank as keyof Metrics]),
    f(r.outOfSample?.returnPct),
    f(r.outOfSample?.maxDrawdownPct),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]) => cells.map((x, c) => x.padEnd(widths[c]!)).join('  ');
  return [
    `Sweep ${s.strategy} on ${s.symbol}: ${s.combinations} combinations, ranked by ${s.rank}`,
    `in-sample ${s.inSample.from} → ${s.inSample.to}; held back ${s.outOfSample.from} → ${s.outOfSample.to}`,
    line(header),
    ...rows.map(line),
    '',
  ].join('\n');
}
