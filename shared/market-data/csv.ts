// Loading and validating market data from CSV: candles and funding settlements. A bad file is a clear
// error listing its bad rows; gaps are reported, not hidden.
import { type CandleSeries, emptySeries, TIMEFRAME_MS, type Timeframe } from '../domain/candles.ts';

export class MarketDataError extends Error {
  override readonly name = 'MarketDataError';
  constructor(
    readonly origin: string,
    readonly problems: readonly string[],
  ) {
    const shown = problems.slice(0, 10);
    const more = problems.length > shown.length ? `\n  … and ${problems.length - shown.length} more` : '';
    super(`${origin}: ${problems.length} problem(s)\n  ${shown.join('\n  ')}${more}`);
  }
}

export interface Gap {
  /** Open time of the last candle before the gap. */
  after: number;
  /** Number of missing candles. */
  missing: number;
}

export interface LoadedCandles {
  series: CandleSeries;
  timeframe: Timeframe;
  gaps: Gap[];
}

const CANDLE_HEADER = 'timestamp,open,high,low,close,volume';

function lines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}

/** Parse and validate a candle CSV (`timestamp,open,high,low,close,volume`, open time in ms). */
export function parseCandleCsv(text: string, timeframe: Timeframe, origin: string): LoadedCandles {
  const rows = lines(text);
  const problems: string[] = [];
  if (rows[0] !== CANDLE_HEADER) {
    throw new MarketDataError(origin, [`header must be "${CANDLE_HEADER}" (got "${rows[0] ?? ''}")`]);
  }
  const n = rows.length - 1;
  if (n === 0) throw new MarketDataError(origin, ['no candles']);
  const s = emptySeries(n);
  const step = TIMEFRAME_MS[timeframe];
  const gaps: Gap[] = [];
  for (let i = 0; i < n; i++) {
    const line = i + 2;
    const cells = rows[i + 1]!.split(',');
    if (cells.length !== 6) {
      problems.push(`line ${line}: expected 6 columns, got ${cells.length}`);
      continue;
    }
    const [t, o, h, l, c, v] = cells.map(Number) as [number, number, number, number, number, number];
    if (!Number.isInteger(t) || t < 0)
      problems.push(`line ${line}: timestamp must be integer ms (got "${cells[0]}")`);
    else if (t % step !== 0) problems.push(`line ${line}: timestamp ${t} is not on the ${timeframe} grid`);
    for (const [name, value] of [
      ['open', o],
      ['high', h],
      ['low', l],
      ['close', c],
    ] as const) {
      if (!Number.isFinite(value) || value <= 0)
        problems.push(`line ${line}: ${name} must be a price > 0 (got "${value}")`);
    }
    if (!Number.isFinite(v) || v < 0) problems.push(`line ${line}: volume must be ≥ 0 (got "${cells[5]}")`);
    if (h < Math.max(o, c) || l > Math.min(o, c) || l > h) {
      problems.push(`line ${line}: high/low inconsistent with open/close (o ${o} h ${h} l ${l} c ${c})`);
    }
    if (i > 0) {
      const prev = s.time[i - 1]!;
      if (t <= prev) problems.push(`line ${line}: timestamp ${t} is not after the previous one (${prev})`);
      else if (t - prev > step) gaps.push({ after: prev, missing: (t - prev) / step - 1 });
    }
    s.time[i] = t;
    s.open[i] = o;
    s.high[i] = h;
    s.low[i] = l;
    s.close[i] = c;
    s.volume[i] = v;
  }
  if (problems.length > 0) throw new MarketDataError(origin, problems);
  return { series: s, timeframe, gaps };
}

export interface FundingSeries {
  /** Settlement times, snapped to the hour (Binance stamps a few ms late). */
  time: Float64Array;
  rate: Float64Array;
}

/** Parse and validate a funding CSV (`timestamp,fundingRate`). */
export function parseFundingCsv(text: string, origin: string): FundingSeries {
  const rows = lines(text);
  if (rows[0] !== 'timestamp,fundingRate') {
    throw new MarketDataError(origin, [`header must be "timestamp,fundingRate" (got "${rows[0] ?? ''}")`]);
  }
  const n = rows.length - 1;
  const time = new Float64Array(n);
  const rate = new Float64Array(n);
  const problems: string[] = [];
  for (let i = 0; i < n; i++) {
    const line = i + 2;
    const cells = rows[i + 1]!.split(',');
    const t = Number(cells[0]);
    const r = Number(cells[1]);
    if (cells.length !== 2) problems.push(`line ${line}: expected 2 columns`);
    if (!Number.isInteger(t) || t < 0) problems.push(`line ${line}: timestamp must be integer ms`);
    if (!Number.isFinite(r) || Math.abs(r) >= 0.1)
      problems.push(`line ${line}: fundingRate must be a fraction in (−0.1, 0.1)`);
    time[i] = Math.round(t / 3_600_000) * 3_600_000;
    rate[i] = r;
    if (i > 0 && time[i]! <= time[i - 1]!)
      problems.push(`line ${line}: timestamp not after the previous settlement`);
  }
  if (problems.length > 0) throw new MarketDataError(origin, problems);
  return { time, rate };
}

/**
 * Resample to a higher timeframe. Buckets are aligned to the epoch (so 4h starts at 00/04/08… UTC and
 * 1d at 00:00 UTC, as Binance's klines); only complete buckets are kept, so an indicator never sees a
 * half-formed candle.
 */
export function resample(s: CandleSeries, from: Timeframe, to: Timeframe): CandleSeries {
  const fromMs = TIMEFRAME_MS[from];
  const toMs = TIMEFRAME_MS[to];
  if (toMs % fromMs !== 0 || toMs < fromMs) throw new Error(`cannot resample ${from} to ${to}`);
  const per = toMs / fromMs;
  const n = s.time.length;
  const out = emptySeries(Math.ceil(n / per) + 1);
  let m = 0;
  let i = 0;
  while (i < n) {
    const bucket = Math.floor(s.time[i]! / toMs) * toMs;
    let j = i;
    let high = -Infinity;
    let low = Infinity;
    let volume = 0;
    while (j < n && s.time[j]! < bucket + toMs) {
      high = Math.max(high, s.high[j]!);
      low = Math.min(low, s.low[j]!);
      volume += s.volume[j]!;
      j++;
    }
    if (j - i === per && s.time[i] === bucket) {
      out.time[m] = bucket;
      out.open[m] = s.open[i]!;
      out.high[m] = high;
      out.low[m] = low;
      out.close[m] = s.close[j - 1]!;
      out.volume[m] = volume;
      m++;
    }
    i = j;
  }
  return {
    time: out.time.slice(0, m),
    open: out.open.slice(0, m),
    high: out.high.slice(0, m),
    low: out.low.slice(0, m),
    close: out.close.slice(0, m),
    volume: out.volume.slice(0, m),
  };
}
