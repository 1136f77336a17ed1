// The walk-forward result as data (the `walkForward` part of `--json`, the README's source) and as a
// terminal table. Deterministic: ISO dates and numbers rounded to 1e-8, no timings.
import type { BaselineEquity } from './baselines.ts';
import type { BacktestResult } from './engine.ts';
import { cagr, computeMetrics, type Metrics, roundMetrics } from './metrics.ts';
import { periodReturns } from './periods.ts';
import { type Span, spanText, type Window } from './walk-forward-windows.ts';

const BARS_PER_YEAR_1H = 365 * 24;
const YEAR_MS = 365 * 86_400_000;
const r8 = (x: number) => Math.round(x * 1e8) / 1e8;
const iso = (t: number) => new Date(t).toISOString();

export const STATE_ACROSS_WINDOWS =
  'one continuous out-of-sample run: at each window start the parameters switch to the set fitted on the window before; open positions and strategy state carry over (as when a trader re-tunes a running strategy), so no window pays to close and reopen a position';

export interface BaselineSummary {
  name: string;
  returnPct: number;
  cagrPct: number;
  maxDrawdownPct: number;
  sharpe: number;
  sortino: number;
  fees: number;
  fundingPnl: number;
}

export interface YearRow {
  year: string;
  outOfSample: { returnPct: number; maxDrawdownPct: number; trades: number };
  /** What the fitted sets earned in their own in-sample windows, scaled to the year's windows. */
  inSample: { returnPct: number };
  baselines: { name: string; returnPct: number; maxDrawdownPct: number }[];
}

export interface WalkForwardReport {
  strategy: string;
  symbol: string;
  method: {
    inSample: string;
    outOfSample: string;
    rank: string;
    combinations: number;
    windows: number;
    stateAcrossWindows: string;
  };
  outOfSample: { from: string; to: string; metrics: Metrics };
  inSample: { returnPct: number; cagrPct: number };
  baselines: BaselineSummary[];
  perYear: YearRow[];
  windows: {
    inSampleFrom: string;
    outOfSampleFrom: string;
    outOfSampleTo: string;
    params: Record<string, number>;
    /** The fitted set's in-sample metrics (rounded; every figure above is computed from these). */
    inSample: Metrics & { rankValue: number };
    outOfSample: { returnPct: number };
  }[];
  /** Candles simulated in all (in-sample combinations × candles, plus the out-of-sample run). */
  candlesSimulated: number;
}

/** Equity just before time t (the last bar opening before t), or the initial equity. */
function equityBefore(time: Float64Array, value: Float64Array, initial: number, t: number): number {
  let lo = 0;
  let hi = time.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (time[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? initial : value[lo - 1]!;
}

function rankOf(m: Metrics, rank: string): number {
  return (m as unknown as Record<string, number>)[rank] ?? Number.NaN;
}

export function walkForwardReport(p: {
  strategy: string;
  symbol: string;
  inSample: Span;
  outOfSample: Span;
  rank: string;
  windows: (Window & { params: Record<string, number>; inSample: Metrics })[];
  combinations: number;
  candlesSimulated: number;
  run: BacktestResult;
  baselines: BaselineEquity[];
}): WalkForwardReport {
  const { run } = p;
  const initial = run.metrics.initialEquity;
  const eq = run.equity;
  // In-sample promise of a window: its in-sample return, geometrically scaled to the window's length.
  const promise = (w: Window & { inSample: Metrics }) =>
    (1 + w.inSample.returnPct / 100) ** ((w.oosTo - w.oosFrom) / (w.oosFrom - w.isFrom));
  const years = periodReturns(eq.time, eq.value, initial, 'year');
  const baselineYears = p.baselines.map((b) => periodReturns(b.time, b.value, initial, 'year'));
  const perYear: YearRow[] = years.map((y) => ({
    year: y.period,
    outOfSample: {
      returnPct: r8(y.returnPct),
      maxDrawdownPct: r8(y.maxDrawdownPct),
      trades: run.trades.filter((t) => iso(t.closedAt).slice(0, 4) === y.period).length,
    },
    inSample: {
      returnPct: r8(
        (p.windows
          .filter((w) => iso(w.oosFrom).slice(0, 4) === y.period)
          .reduce((acc, w) => acc * promise(w), 1) -
          1) *
          100,
      ),
    },
    baselines: p.baselines.map((b, bi) => {
      const row = baselineYears[bi]!.find((x) => x.period === y.period);
      return {
        name: b.name,
        returnPct: r8(row?.returnPct ?? 0),
        maxDrawdownPct: r8(row?.maxDrawdownPct ?? 0),
      };
    }),
  }));
  const promised = p.windows.reduce((acc, w) => acc * promise(w), 1);
  const spanYears = (run.to - run.from) / YEAR_MS;
  return {
    strategy: p.strategy,
    symbol: p.symbol,
    method: {
      inSample: spanText(p.inSample),
      outOfSample: spanText(p.outOfSample),
      rank: p.rank,
      combinations: p.combinations,
      windows: p.windows.length,
      stateAcrossWindows: STATE_ACROSS_WINDOWS,
    },
    outOfSample: { from: iso(run.from), to: iso(run.to), metrics: roundMetrics(run.metrics) },
    inSample: { returnPct: r8((promised - 1) * 100), cagrPct: r8(cagr(1, promised, spanYears)) },
    baselines: p.baselines.map((b) => {
      const m = computeMetrics({
        equity: b.value,
        initialEquity: initial,
        trades: [],
        fees: b.fees,
        fundingPnl: b.fundingPnl,
        liquidations: 0,
        exposedBars: b.value.length,
        barsPerYear: BARS_PER_YEAR_1H,
      });
      return {
        name: b.name,
        returnPct: r8(m.returnPct),
        cagrPct: r8(m.cagrPct),
        maxDrawdownPct: r8(m.maxDrawdownPct),
        sharpe: r8(m.sharpe),
        sortino: r8(m.sortino),
        fees: r8(m.fees),
        fundingPnl: r8(m.fundingPnl),
      };
    }),
    perYear,
    windows: p.windows.map((w) => {
      const start = equityBefore(eq.time, eq.value, initial, w.oosFrom);
      const end = equityBefore(eq.time, eq.value, initial, w.oosTo);
      return {
        inSampleFrom: iso(w.isFrom),
        outOfSampleFrom: iso(w.oosFrom),
        outOfSampleTo: iso(w.oosTo),
        params: w.params,
        inSample: { ...w.inSample, rankValue: r8(rankOf(w.inSample, p.rank)) },
        outOfSample: { returnPct: r8(start > 0 ? (end / start - 1) * 100 : 0) },
      };
    }),
    candlesSimulated: p.candlesSimulated,
  };
}

const pct = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(1)} %`;

/** The terminal view: whole span and per year, out-of-sample beside in-sample and the baselines. */
export function formatWalkForward(w: WalkForwardReport): string {
  const m = w.outOfSample.metrics;
  const names = w.baselines.map((b) => b.name);
  const header = ['year', 'out-of-sample', 'max DD', 'trades', 'in-sample (promised)', ...names];
  const rows = w.perYear.map((y) => [
    y.year,
    pct(y.outOfSample.returnPct),
    `${y.outOfSample.maxDrawdownPct.toFixed(1)} %`,
    String(y.outOfSample.trades),
    pct(y.inSample.returnPct),
    ...y.baselines.map((b) => pct(b.returnPct)),
  ]);
  rows.push([
    'all',
    pct(m.returnPct),
    `${m.maxDrawdownPct.toFixed(1)} %`,
    String(m.trades),
    pct(w.inSample.returnPct),
    ...w.baselines.map((b) => pct(b.returnPct)),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]) => cells.map((x, c) => x.padEnd(widths[c]!)).join('  ');
  return [
    `Walk-forward ${w.strategy} on ${w.symbol}: ${w.method.windows} windows, in-sample ${w.method.inSample}, out-of-sample ${w.method.outOfSample}, ${w.method.combinations} combinations ranked by ${w.method.rank}`,
    `out-of-sample ${w.outOfSample.from} → ${w.outOfSample.to}: return ${pct(m.returnPct)}, CAGR ${pct(m.cagrPct)}, max DD ${m.maxDrawdownPct.toFixed(1)} %, Sharpe ${m.sharpe.toFixed(2)}, trades ${m.trades}`,
    ...w.baselines.map(
      (b) =>
        `${b.name}: return ${pct(b.returnPct)}, CAGR ${pct(b.cagrPct)}, max DD ${b.maxDrawdownPct.toFixed(1)} %, Sharpe ${b.sharpe.toFixed(2)}`,
    ),
    line(header),
    ...rows.map(line),
    '',
  ].join('\n');
}
