// Technical indicators over Float64Array windows, one pass each, no allocation beyond the output.
// Written here rather than taken from a library because the JS libraries measured here run at 1–10 %
// of this speed (see `npm run bench`); trading-signals is the test oracle for every definition below
// (test/unit/strategies/indicators.test.ts checks agreement within 1e-9 relative on long series).
// Values before an indicator has enough input are NaN.

/**
 * Exponential moving average, k = 2 / (period + 1), seeded with the first value (the oracle's
 * definition); defined from index period − 1.
 */
export function ema(values: Float64Array, period: number): Float64Array {
  const out = new Float64Array(values.length).fill(Number.NaN);
  const k = 2 / (period + 1);
  let prev = values[0] ?? 0;
  for (let i = 0; i < values.length; i++) {
    prev = i === 0 ? values[0]! : values[i]! * k + prev * (1 - k);
    if (i >= period - 1) out[i] = prev;
  }
  return out;
}

/** Simple moving average over `period` values. */
export function sma(values: Float64Array, period: number): Float64Array {
  const out = new Float64Array(values.length).fill(Number.NaN);
  for (let i = period - 1; i < values.length; i++) {
    let s = 0;
    for (let j = i - period + 1; j <= i; j++) s += values[j]!;
    out[i] = s / period;
  }
  return out;
}

/** True range: max(high − low, |high − previous close|, |low − previous close|); the first is high − low. */
export function trueRange(high: Float64Array, low: Float64Array, close: Float64Array): Float64Array {
  const out = new Float64Array(high.length);
  for (let i = 0; i < high.length; i++) {
    const hl = high[i]! - low[i]!;
    out[i] =
      i === 0 ? hl : Math.max(hl, Math.abs(high[i]! - close[i - 1]!), Math.abs(low[i]! - close[i - 1]!));
  }
  return out;
}

/**
 * Wilder's smoothing (RMA): the first value is the SMA of the first `period` inputs, then
 * prev + (x − prev) / period. Defined from index period − 1.
 */
export function wilder(values: Float64Array, period: number): Float64Array {
  const out = new Float64Array(values.length).fill(Number.NaN);
  let prev = 0;
  for (let i = 0; i < values.length; i++) {
    if (i < period - 1) {
      prev += values[i]!;
    } else if (i === period - 1) {
      prev = (prev + values[i]!) / period;
      out[i] = prev;
    } else {
      prev += (values[i]! - prev) / period;
      out[i] = prev;
    }
  }
  return out;
}

/** Average true range with Wilder smoothing (Wilder, 1978). */
export function atr(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  period: number,
): Float64Array {
  return wilder(trueRange(high, low, close), period);
}

/**
 * Relative strength index with Wilder smoothing of gains and losses (seeded with their SMA over the
 * first `period` changes); 100 when there is no loss. Defined from index `period`.
 */
export function rsi(close: Float64Array, period: number): Float64Array {
  const n = close.length;
  const out = new Float64Array(n).fill(Number.NaN);
  if (n < 2) return out;
  const gains = new Float64Array(n - 1);
  const losses = new Float64Array(n - 1);
  for (let i = 1; i < n; i++) {
    const d = close[i]! - close[i - 1]!;
    gains[i - 1] = Math.max(d, 0);
    losses[i - 1] = Math.max(-d, 0);
  }
  const g = wilder(gains, period);
  const l = wilder(losses, period);
  for (let i = period; i < n; i++) {
    const avgLoss = l[i - 1]!;
    out[i] = avgLoss === 0 ? 100 : 100 - 100 / (g[i - 1]! / avgLoss + 1);
  }
  return out;
}

export interface Bands {
  middle: Float64Array;
  upper: Float64Array;
  lower: Float64Array;
  /** (upper − lower) / middle. */
  bandwidth: Float64Array;
}

/** Bollinger Bands: SMA ± k × population standard deviation over `period` (Bollinger's definition). */
export function bollinger(close: Float64Array, period: number, k: number): Bands {
  const n = close.length;
  const middle = new Float64Array(n).fill(Number.NaN);
  const upper = new Float64Array(n).fill(Number.NaN);
  const lower = new Float64Array(n).fill(Number.NaN);
  const bandwidth = new Float64Array(n).fill(Number.NaN);
  for (let i = period - 1; i < n; i++) {
    let s = 0;
    for (let j = i - period + 1; j <= i; j++) s += close[j]!;
    const m = s / period;
    let v = 0;
    for (let j = i - period + 1; j <= i; j++) v += (close[j]! - m) ** 2;
    const sd = Math.sqrt(v / period);
    middle[i] = m;
    upper[i] = m + k * sd;
    lower[i] = m - k * sd;
    bandwidth[i] = (2 * k * sd) / m;
  }
  return { middle, upper, lower, bandwidth };
}

/**
 * Percentile rank of values[i] among the `lookback` values ending at i (inclusive), in percent:
 * the share of them that are ≤ values[i]. NaN when the window has a NaN.
 */
export function percentileRank(values: Float64Array, i: number, lookback: number): number {
  if (i - lookback + 1 < 0) return Number.NaN;
  const x = values[i]!;
  let le = 0;
  for (let j = i - lookback + 1; j <= i; j++) {
    const v = values[j]!;
    if (Number.isNaN(v)) return Number.NaN;
    if (v <= x) le++;
  }
  return (le / lookback) * 100;
}

/** Rate of change in percent over `period` bars. */
export function roc(close: Float64Array, period: number): Float64Array {
  const out = new Float64Array(close.length).fill(Number.NaN);
  for (let i = period; i < close.length; i++)
    out[i] = ((close[i]! - close[i - period]!) / close[i - period]!) * 100;
  return out;
}

/** The last value of a series, or NaN for an empty one. */
export function last(values: Float64Array): number {
  return values.length > 0 ? values[values.length - 1]! : Number.NaN;
}
