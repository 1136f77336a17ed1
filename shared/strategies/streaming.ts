// Streaming indicators: each is a small plain-data struct (JSON-safe: numbers, arrays, null — never NaN
// or Infinity, so it survives the live tick's DynamoDB round trip) and an update function that costs
// O(1) per closed candle. The strategy's state carries them, so a live tick and a backtest compute the
// same numbers by the same code (NautilusTrader's indicators/ are the model: update per bar, ready once
// the period is seen, then a value). The batch functions in ./indicators.ts are the definitions and the
// test oracles (test/unit/strategies/streaming.test.ts: equal within 1e-9 relative on six years of
// BTCUSDT 1h). Written here, not taken from trading-signals: its objects are neither plain data nor
// fast enough (`npm run bench`), and its rolling windows do not serialise.
//
// Update functions mutate the struct they are given (no allocation per candle). Values read before an
// indicator is ready are NaN.

/** Exponential moving average, k = 2 / (period + 1), seeded with the first value; ready at `period`. */
export interface Ema {
  period: number;
  count: number;
  value: number;
}
export const newEma = (period: number): Ema => ({ period, count: 0, value: 0 });
export function updateEma(s: Ema, x: number): void {
  const k = 2 / (s.period + 1);
  // Same arithmetic, in the same order, as the batch ema(): bit-identical values.
  s.value = s.count === 0 ? x : x * k + s.value * (1 - k);
  s.count++;
}
export const emaValue = (s: Ema): number => (s.count >= s.period ? s.value : Number.NaN);

/** Wilder's smoothing (RMA), seeded with the SMA of the first `period` inputs (Wilder, 1978). */
export interface Wilder {
  period: number;
  count: number;
  /** The running sum while count < period, then the smoothed value. */
  value: number;
}
export const newWilder = (period: number): Wilder => ({ period, count: 0, value: 0 });
export function updateWilder(s: Wilder, x: number): void {
  if (s.count < s.period - 1) s.value += x;
  else if (s.count === s.period - 1) s.value = (s.value + x) / s.period;
  else s.value += (x - s.value) / s.period;
  s.count++;
}
export const wilderValue = (s: Wilder): number => (s.count >= s.period ? s.value : Number.NaN);

/** Average true range, Wilder-smoothed; the first true range is high − low. */
export interface Atr {
  prevClose: number | null;
  tr: Wilder;
}
export const newAtr = (period: number): Atr => ({ prevClose: null, tr: newWilder(period) });
export function updateAtr(s: Atr, high: number, low: number, close: number): void {
  const hl = high - low;
  const p = s.prevClose;
  updateWilder(s.tr, p === null ? hl : Math.max(hl, Math.abs(high - p), Math.abs(low - p)));
  s.prevClose = close;
}
export const atrValue = (s: Atr): number => wilderValue(s.tr);

/** Relative strength index, Wilder-smoothed gains and losses; 100 when there is no loss. */
export interface Rsi {
  prevClose: number | null;
  gain: Wilder;
  loss: Wilder;
}
export const newRsi = (period: number): Rsi => ({
  prevClose: null,
  gain: newWilder(period),
  loss: newWilder(period),
});
export function updateRsi(s: Rsi, close: number): void {
  if (s.prevClose !== null) {
    const d = close - s.prevClose;
    updateWilder(s.gain, Math.max(d, 0));
    updateWilder(s.loss, Math.max(-d, 0));
  }
  s.prevClose = close;
}
export function rsiValue(s: Rsi): number {
  if (s.loss.count < s.loss.period) return Number.NaN;
  const avgLoss = s.loss.value;
  return avgLoss === 0 ? 100 : 100 - 100 / (s.gain.value / avgLoss + 1);
}

/**
 * The last `size` inputs in a ring. Running sums over a ring drift by rounding; each time the ring
 * wraps, the sums are recomputed from the ring, oldest first, exactly as the batch functions add them
 * (amortised O(1)), so the drift never spans more than one period.
 */
export interface Ring {
  size: number;
  count: number;
  /** Index of the oldest value once full (the next slot written). */
  head: number;
  values: number[];
}
export const newRing = (size: number): Ring => ({
  size,
  count: 0,
  head: 0,
  values: new Array<number>(size).fill(0),
});
/** Writes x; returns the value it replaced (0 while filling). */
function pushRing(r: Ring, x: number): number {
  const old = r.values[r.head]!;
  r.values[r.head] = x;
  r.head = r.head + 1 === r.size ? 0 : r.head + 1;
  if (r.count < r.size) r.count++;
  return old;
}

/** Simple moving average over `period` inputs. */
export interface Sma {
  ring: Ring;
  sum: number;
}
export const newSma = (period: number): Sma => ({ ring: newRing(period), sum: 0 });
export function updateSma(s: Sma, x: number): void {
  const old = pushRing(s.ring, x);
  s.sum += x - old;
  if (s.ring.head === 0) {
    let sum = 0;
    for (let j = 0; j < s.ring.size; j++) sum += s.ring.values[j]!;
    s.sum = sum;
  }
}
export const smaValue = (s: Sma): number => (s.ring.count === s.ring.size ? s.sum / s.ring.size : Number.NaN);

/**
 * Bollinger Bands (SMA ± k × population standard deviation, Bollinger's definition): mean and sum of
 * squared deviations updated in O(1) as one value enters and the oldest leaves (Welford's update for a
 * sliding window), recomputed two-pass from the ring at each wrap as the batch bollinger() does.
 */
export interface Bollinger {
  k: number;
  ring: Ring;
  mean: number;
  m2: number;
}
export const newBollinger = (period: number, k: number): Bollinger => ({
  k,
  ring: newRing(period),
  mean: 0,
  m2: 0,
});
export function updateBollinger(s: Bollinger, x: number): void {
  const r = s.ring;
  const full = r.count === r.size;
  const old = pushRing(r, x);
  if (full) {
    const mean = s.mean + (x - old) / r.size;
    s.m2 += (x - old) * (x - mean + old - s.mean);
    s.mean = mean;
  } else {
    const d = x - s.mean;
    s.mean += d / r.count;
    s.m2 += d * (x - s.mean);
  }
  if (r.head === 0) {
    let sum = 0;
    for (let j = 0; j < r.size; j++) sum += r.values[j]!;
    const m = sum / r.size;
    let v = 0;
    for (let j = 0; j < r.size; j++) v += (r.values[j]! - m) ** 2;
    s.mean = m;
    s.m2 = v;
  }
}
export const bollingerReady = (s: Bollinger): boolean => s.ring.count === s.ring.size;
export const bollingerSd = (s: Bollinger): number => Math.sqrt(Math.max(0, s.m2) / s.ring.size);
export const bollingerUpper = (s: Bollinger): number =>
  bollingerReady(s) ? s.mean + s.k * bollingerSd(s) : Number.NaN;
export const bollingerLower = (s: Bollinger): number =>
  bollingerReady(s) ? s.mean - s.k * bollingerSd(s) : Number.NaN;
/** (upper − lower) / middle. */
export const bollingerBandwidth = (s: Bollinger): number =>
  bollingerReady(s) ? (2 * s.k * bollingerSd(s)) / s.mean : Number.NaN;

/**
 * Rolling percentile rank: the share (percent) of the last `size` inputs that are ≤ the newest. Keeps
 * the window in arrival order (a ring) and sorted. Each update finds the leaving and the entering value
 * by binary search (O(log n) comparisons) and moves, in one pass, only the sorted values that lie
 * between the two (|rank of old − rank of new| moves: n/3 on average for unrelated values, none when
 * they are equal; the earlier remove-then-insert moved ≈ n). The worst case stays O(n) moves: an
 * O(log n) tree would have to be persisted instead of `sorted` (a new state shape in DynamoDB), and for
 * the look-backs here (≤ 2,000 doubles) a contiguous move beats a tree's pointer chasing.
 */
export interface PercentileRank {
  ring: Ring;
  sorted: number[];
}
export const newPercentileRank = (size: number): PercentileRank => ({ ring: newRing(size), sorted: [] });

/** First index in sorted[0, n) whose value is > x. */
function upperBound(a: number[], n: number, x: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Adds x; returns its percentile rank in the window, NaN until the window is full. */
export function updatePercentileRank(s: PercentileRank, x: number): number {
  const r = s.ring;
  const a = s.sorted;
  const full = r.count === r.size;
  const old = pushRing(r, x);
  const n = a.length;
  if (!full) {
    // Filling: insert x after any equal values, shifting the greater ones right.
    a.push(0);
    const pos = upperBound(a, n, x);
    for (let j = n; j > pos; j--) a[j] = a[j - 1]!;
    a[pos] = x;
    return r.count < r.size ? Number.NaN : ((pos + 1) / r.size) * 100;
  }
  // Full: x replaces one copy of `old` (the last index holding it, `at`). The result is the sorted
  // window with that copy removed and x inserted after any equal values, reached by moving only the
  // values between the two positions.
  const at = upperBound(a, n, old) - 1;
  const u = upperBound(a, n, x);
  let pos: number;
  if (u <= at) {
    // x < old: the values in [u, at) move one right; x lands at u.
    for (let j = at; j > u; j--) a[j] = a[j - 1]!;
    pos = u;
  } else {
    // x ≥ old: the values in (at, u) move one left; x lands at u − 1 (= at when x === old).
    for (let j = at; j < u - 1; j++) a[j] = a[j + 1]!;
    pos = u - 1;
  }
  a[pos] = x;
  return ((pos + 1) / r.size) * 100;
}
