// A symbol's market data for the simulator and backtester: the perpetual's last-price candles (the
// time grid), funding history, and — where shipped — mark-price and spot candles aligned to that grid
// by timestamp. A bar a series lacks is NaN, never forward-filled: what stands in for it is the
// simulator's decision, and it says so (shared/adapters/sim/data-notes.ts).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type CandleSeries,
  emptySeries,
  sliceSeries,
  TIMEFRAME_MS,
  type Timeframe,
} from '../domain/candles.ts';
import { candleCoverage, fundingCoverage, perpCoverage, type SeriesCoverage, utcMinute } from './coverage.ts';
import { type FundingSeries, type Gap, parseCandleCsv, parseFundingCsv } from './csv.ts';
import { readDataFile } from './data-files.ts';

export const SHIPPED_DATA_DIR = join(dirname(fileURLToPath(import.meta.url)), 'data');

/** One loaded file: where it came from and what it holds. */
export interface FileInfo {
  path: string;
  rows: number;
  /** Open time of its first and last row. */
  first: number;
  last: number;
  /** Holes in the file's own time grid. */
  gaps: Gap[];
}

export interface Dataset {
  symbol: string;
  timeframe: Timeframe;
  /** The perpetual's last-price candles: the time grid every other series is aligned to. */
  candles: CandleSeries;
  funding: FundingSeries;
  /** Holes in the perpetual's candles. */
  gaps: Gap[];
  /** Mark-price candles on the perp's grid, NaN where there is no mark bar. Absent: no mark file. */
  mark?: CandleSeries;
  /** Spot candles on the perp's grid, NaN where there is no spot bar. Absent: no spot file. */
  spot?: CandleSeries;
  /** The files behind each series (absent for a hand-made dataset). */
  files?: { perp: FileInfo; funding?: FileInfo; mark?: FileInfo; spot?: FileInfo };
}

const NO_FUNDING: FundingSeries = { time: new Float64Array(0), rate: new Float64Array(0) };

/**
 * Load `<dir>/<SYMBOL>-1h.csv[.gz]` (required) and, where present, `-funding-8h`, `-mark-1h` and
 * `-spot-1h` beside it (`.csv` or `.csv.gz`). Every file is validated row by row (MarketDataError).
 */
export function loadDataset(symbol: string, dir: string = SHIPPED_DATA_DIR): Dataset {
  const perpFile = readDataFile(dir, `${symbol}-1h`);
  if (!perpFile) {
    throw new Error(
      `no candles for ${symbol}: ${join(dir, `${symbol}-1h.csv`)} (or .csv.gz) not found (see shared/market-data/data/README.md)`,
    );
  }
  const perp = parseCandleCsv(perpFile.text, '1h', perpFile.path);
  const grid = perp.series.time;
  const ds: Dataset = {
    symbol,
    timeframe: '1h',
    candles: perp.series,
    funding: NO_FUNDING,
    gaps: perp.gaps,
    files: { perp: info(perpFile.path, grid, perp.gaps) },
  };
  const fundingFile = readDataFile(dir, `${symbol}-funding-8h`);
  if (fundingFile) {
    ds.funding = parseFundingCsv(fundingFile.text, fundingFile.path);
    ds.files!.funding = info(fundingFile.path, ds.funding.time, []);
  }
  for (const kind of ['mark', 'spot'] as const) {
    const file = readDataFile(dir, `${symbol}-${kind}-1h`);
    if (!file) continue;
    const loaded = parseCandleCsv(file.text, '1h', file.path);
    ds[kind] = alignToGrid(grid, loaded.series);
    ds.files![kind] = info(file.path, loaded.series.time, loaded.gaps);
  }
  return ds;
}

function info(path: string, time: Float64Array, gaps: Gap[]): FileInfo {
  return { path, rows: time.length, first: time[0] ?? Number.NaN, last: time.at(-1) ?? Number.NaN, gaps };
}

/**
 * `series` re-indexed onto `grid` by open time: bar k is the series' bar at grid[k], or NaN in every
 * column when it has none. Bars off the grid (before or after it) are dropped. Both are increasing.
 */
export function alignToGrid(grid: Float64Array, series: CandleSeries): CandleSeries {
  const out = emptySeries(grid.length);
  let j = 0;
  for (let k = 0; k < grid.length; k++) {
    const t = grid[k]!;
    while (j < series.time.length && series.time[j]! < t) j++;
    out.time[k] = t;
    if (j < series.time.length && series.time[j] === t) {
      out.open[k] = series.open[j]!;
      out.high[k] = series.high[j]!;
      out.low[k] = series.low[j]!;
      out.close[k] = series.close[j]!;
      out.volume[k] = series.volume[j]!;
    } else {
      out.open[k] = Number.NaN;
      out.high[k] = Number.NaN;
      out.low[k] = Number.NaN;
      out.close[k] = Number.NaN;
      out.volume[k] = Number.NaN;
    }
  }
  return out;
}

/** Index of the first bar with open time ≥ t (binary search; the grid increases). */
export function indexAtOrAfter(time: Float64Array, t: number): number {
  let lo = 0;
  let hi = time.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (time[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The bars with open time in [from, to), as views (no copy) of every aligned series; funding is kept
 * whole (settlements are looked up by time) and the file information stays that of the files.
 */
export function sliceDataset(ds: Dataset, from = -Infinity, to = Infinity): Dataset {
  const i0 = indexAtOrAfter(ds.candles.time, from);
  const i1 = Math.max(i0, indexAtOrAfter(ds.candles.time, to));
  const out: Dataset = {
    ...ds,
    candles: sliceSeries(ds.candles, i0, i1),
    gaps: ds.gaps.filter((g) => g.after >= from && g.after < to),
  };
  if (ds.mark) out.mark = sliceSeries(ds.mark, i0, i1);
  if (ds.spot) out.spot = sliceSeries(ds.spot, i0, i1);
  return out;
}

/** What each series covers of the dataset's perp grid (perp, mark, spot, funding), as facts. */
export function coverageOf(ds: Dataset): SeriesCoverage[] {
  const grid = ds.candles.time;
  const step = TIMEFRAME_MS[ds.timeframe];
  return [
    perpCoverage(grid, step),
    candleCoverage('mark', grid, ds.mark),
    candleCoverage('spot', grid, ds.spot),
    fundingCoverage(grid, ds.funding, step),
  ];
}

/**
 * Several symbols on one time grid (the simulator needs one): each cut to the span all of them cover.
 * The note says which span and why, when any symbol was cut.
 */
export function commonSpan(datasets: readonly Dataset[]): { datasets: Dataset[]; note?: string } {
  if (datasets.length < 2) return { datasets: [...datasets] };
  const step = TIMEFRAME_MS[datasets[0]!.timeframe];
  const from = Math.max(...datasets.map((d) => d.candles.time[0]!));
  const last = Math.min(...datasets.map((d) => d.candles.time.at(-1)!));
  if (last < from) throw new Error('the symbols’ candles do not overlap in time');
  const cut = datasets.filter((d) => d.candles.time[0] !== from || d.candles.time.at(-1) !== last);
  const out = datasets.map((d) => sliceDataset(d, from, last + step));
  if (cut.length === 0) return { datasets: out };
  const spans = datasets
    .map((d) => `${d.symbol} ${utcMinute(d.candles.time[0]!)} → ${utcMinute(d.candles.time.at(-1)!)}`)
    .join(', ');
  return {
    datasets: out,
    note: `${datasets.map((d) => d.symbol).join(', ')} simulated on their common span ${utcMinute(from)} → ${utcMinute(last)} (one time grid; perp candles: ${spans})`,
  };
}
