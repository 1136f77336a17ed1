// Compact JSON for long numeric series in the report page: times as multiples of a step from a start,
// prices and money as integers in fixed decimals, each delta-coded against the value before it (a 1h
// candle series then writes mostly "1," for its times and a few digits per price). The page decodes
// them (report/client.ts); six years of 1h candles stay near a megabyte instead of four.

/** Times in seconds: `t0` plus cumulative `d[i] × step` (d[0] = 0). */
export interface EncodedTimes {
  t0: number;
  step: number;
  d: number[];
}

/** Values: cumulative sum of `d`, divided by 10^dec. */
export interface EncodedValues {
  dec: number;
  d: number[];
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Millisecond open times to delta-coded seconds; the step is the largest common divisor of the gaps. */
export function encodeTimes(timeMs: ArrayLike<number>): EncodedTimes {
  const n = timeMs.length;
  const sec = Array.from({ length: n }, (_, i) => Math.round(timeMs[i]! / 1000));
  let step = 0;
  for (let i = 1; i < n; i++) step = gcd(step, sec[i]! - sec[i - 1]!);
  step ||= 1;
  const d = sec.map((s, i) => (i === 0 ? 0 : (s - sec[i - 1]!) / step));
  return { t0: sec[0] ?? 0, step, d };
}

/** Round to `dec` decimals and delta-code. */
export function encodeValues(values: ArrayLike<number>, dec: number): EncodedValues {
  const f = 10 ** dec;
  const d: number[] = new Array(values.length);
  let prev = 0;
  for (let i = 0; i < values.length; i++) {
    const v = Math.round(values[i]! * f);
    d[i] = v - prev;
    prev = v;
  }
  return { dec, d };
}

/**
 * Decimals that keep about six significant digits of a price series' median (BTC near 40,000 → 1,
 * ETH near 2,000 → 2, a coin at 0.5 → 6): finer than the chart can show, coarser than float noise.
 */
export function priceDecimals(close: ArrayLike<number>): number {
  if (close.length === 0) return 2;
  const sorted = Array.from(close).sort((a, b) => a - b);
  const median = Math.abs(sorted[Math.floor(sorted.length / 2)]!);
  if (!(median > 0)) return 2;
  return Math.min(8, Math.max(0, 6 - Math.ceil(Math.log10(median + 1e-12))));
}

/**
 * OHLC as integers in `dec` decimals, each bar coded against the bar before: open − previous close,
 * close − open, high − max(open, close), min(open, close) − low (the last two never negative).
 */
export function encodeCandles(
  c: { open: ArrayLike<number>; high: ArrayLike<number>; low: ArrayLike<number>; close: ArrayLike<number> },
  dec: number,
): { dec: number; o: number[]; c: number[]; h: number[]; l: number[] } {
  const f = 10 ** dec;
  const n = c.close.length;
  const out = {
    dec,
    o: new Array<number>(n),
    c: new Array<number>(n),
    h: new Array<number>(n),
    l: new Array<number>(n),
  };
  let prevClose = 0;
  for (let i = 0; i < n; i++) {
    const o = Math.round(c.open[i]! * f);
    const cl = Math.round(c.close[i]! * f);
    const hi = Math.max(Math.round(c.high[i]! * f), o, cl);
    const lo = Math.min(Math.round(c.low[i]! * f), o, cl);
    out.o[i] = o - prevClose;
    out.c[i] = cl - o;
    out.h[i] = hi - Math.max(o, cl);
    out.l[i] = Math.min(o, cl) - lo;
    prevClose = cl;
  }
  return out;
}

/**
 * JSON safe inside <script type="application/json">: every '<' becomes \u003c (still the same JSON),
 * so no string in it can close the script element or open a comment.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}
