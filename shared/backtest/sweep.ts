// Parameter sweep: every combination of the swept values, run in parallel on worker threads over the
// in-sample part of the data, ranked by a metric; the best rows are then run on the held-back final
// part (walk-forward split). A combination that only shines in-sample is over-fitted, and shows it.
import type { Dataset } from '../market-data/dataset.ts';
import type { BacktestArgs } from './cli-args.ts';
import type { Metrics } from './metrics.ts';
import { BACKTEST_STRATEGIES } from './registry.ts';
import { BacktestPool, type PoolPerf, perfOf } from './worker-pool.ts';

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
  /** Simulated candles summed over all runs (combinations × candles): the sweep's cost. */
  candles: number;
}

export function combinations(sweeps: readonly { param: string; values: readonly number[] }[]) {
  let out: Record<string, number>[] = [{}];
  for (const { param, values } of sweeps) out = out.flatMap((c) => values.map((v) => ({ ...c, [param]: v })));
  return out;
}

export async function runSweep(p: {
  args: BacktestArgs;
  dataset: Dataset;
  base: Record<string, unknown>;
  spotUsdt: number;
  workers: number;
  onProgress?: ((done: number, total: number) => void) | undefined;
}): Promise<{ result: SweepResult; perf: PoolPerf }> {
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
  const times = p.dataset.candles.time;
  const inRange = Array.from(times).filter(
    (t) => (args.from === undefined || t >= args.from) && (args.to === undefined || t < args.to),
  );
  if (inRange.length < 10) throw new Error('too few candles in the range to sweep');
  const split = inRange[Math.floor(inRange.length * (1 - args.holdout / 100))]!;
  const end = inRange[inRange.length - 1]! + 3_600_000;
  const start = inRange[0]!;
  const common = {
    strategy: args.strategy,
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

  const pool = new BacktestPool(p.dataset, Math.min(p.workers, combos.length));
  try {
    const inSample = await pool.run(
      combos.map((c, index) => ({
        ...common,
        index,
        params: { ...p.base, ...c },
        from: args.from,
        to: split,
      })),
      tick,
    );
    const better =
      args.rank === 'maxDrawdownPct' ? (a: number, b: number) => a - b : (a: number, b: number) => b - a;
    const ranked = combos
      .map((c, i) => ({ params: c, inSample: inSample[i]!.metrics, index: i }))
      .sort((a, b) => better(a.inSample[args.rank], b.inSample[args.rank]) || a.index - b.index)
      .slice(0, top);
    const outOfSample = await pool.run(
      ranked.map((r, index) => ({
        ...common,
        index,
        params: { ...p.base, ...r.params },
        from: split,
        to: end,
      })),
      tick,
    );
    const result: SweepResult = {
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
      candles: pool.stats.candles,
    };
    return { result, perf: perfOf(pool) };
  } finally {
    await pool.close();
  }
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
