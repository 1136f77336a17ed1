// Streaming indicators equal the batch definitions (./indicators.ts, themselves held against
// trading-signals) on years of real BTCUSDT 1h candles, within 1e-9 relative, and survive a JSON round
// trip mid-stream (the live tick stores them in DynamoDB between candles).
import { describe, expect, it } from 'vitest';
import { atr, bollinger, ema, percentileRank, rsi, sma } from '../../../shared/strategies/indicators.ts';
import {
  atrValue,
  bollingerBandwidth,
  bollingerLower,
  bollingerUpper,
  emaValue,
  newAtr,
  newBollinger,
  newEma,
  newPercentileRank,
  newRsi,
  newSma,
  rsiValue,
  smaValue,
  updateAtr,
  updateBollinger,
  updateEma,
  updatePercentileRank,
  updateRsi,
  updateSma,
} from '../../../shared/strategies/streaming.ts';
import { multiYearDataset } from '../../bench/data.ts';

const c = multiYearDataset().candles;
const n = c.close.length;

function expectClose(ours: number, batch: number, i: number): void {
  if (Number.isNaN(batch)) {
    if (!Number.isNaN(ours)) throw new Error(`index ${i}: batch NaN, streaming ${ours}`);
    return;
  }
  const rel = Math.abs(ours - batch) / Math.max(1e-12, Math.abs(batch));
  if (!(rel < 1e-9)) throw new Error(`index ${i}: streaming ${ours} vs batch ${batch} (${rel} relative)`);
}

/** Round-trips the state through JSON every `every` candles, as the live tick does between ticks. */
const roundTrip = <T>(s: T, i: number, every = 997): T =>
  i % every === 0 ? JSON.parse(JSON.stringify(s)) : s;

describe(`streaming indicators equal the batch ones on ${n.toLocaleString('en-US')} real 1h candles`, () => {
  it('covers years of data', () => {
    expect(n).toBeGreaterThan(2 * 365 * 24);
  });

  it('EMA(21) and EMA(200)', () => {
    for (const period of [21, 200]) {
      const batch = ema(c.close, period);
      let s = newEma(period);
      for (let i = 0; i < n; i++) {
        updateEma(s, c.close[i]!);
        expectClose(emaValue(s), batch[i]!, i);
        s = roundTrip(s, i);
      }
    }
  });

  it('SMA(20) of close and SMA(100) of volume', () => {
    for (const [period, values] of [
      [20, c.close],
      [100, c.volume],
    ] as const) {
      const batch = sma(values, period);
      let s = newSma(period);
      for (let i = 0; i < n; i++) {
        updateSma(s, values[i]!);
        expectClose(smaValue(s), batch[i]!, i);
        s = roundTrip(s, i);
      }
    }
  });

  it('ATR(14), Wilder', () => {
    const batch = atr(c.high, c.low, c.close, 14);
    let s = newAtr(14);
    for (let i = 0; i < n; i++) {
      updateAtr(s, c.high[i]!, c.low[i]!, c.close[i]!);
      expectClose(atrValue(s), batch[i]!, i);
      s = roundTrip(s, i);
    }
  });

  it('RSI(14), Wilder', () => {
    const batch = rsi(c.close, 14);
    let s = newRsi(14);
    for (let i = 0; i < n; i++) {
      updateRsi(s, c.close[i]!);
      expectClose(rsiValue(s), batch[i]!, i);
      s = roundTrip(s, i);
    }
  });

  it('Bollinger(20, 2): upper, lower and bandwidth', () => {
    const batch = bollinger(c.close, 20, 2);
    let s = newBollinger(20, 2);
    for (let i = 0; i < n; i++) {
      updateBollinger(s, c.close[i]!);
      expectClose(bollingerUpper(s), batch.upper[i]!, i);
      expectClose(bollingerLower(s), batch.lower[i]!, i);
      expectClose(bollingerBandwidth(s), batch.bandwidth[i]!, i);
      s = roundTrip(s, i);
    }
  });

  it('percentile rank of the bandwidth over 120 bars', () => {
    const bw = bollinger(c.close, 20, 2).bandwidth;
    let s = newPercentileRank(120);
    for (let i = 19; i < n; i++) {
      const ours = updatePercentileRank(s, bw[i]!);
      expect(ours).toSatisfy((v: number) =>
        i < 19 + 119 ? Number.isNaN(v) : v === percentileRank(bw, i, 120),
      );
      s = roundTrip(s, i);
    }
  });

  it('percentile rank: sorted window and rank equal the naive ones on real closes, with and without ties', () => {
    // Three windows over the real closes: as they are (few ties), rounded to $1,000 (ties everywhere,
    // x === old often) and to $10,000 (a handful of distinct values); sizes 1 (x always replaces
    // itself), 7 and 2,000 (the look-back's maximum). After every update the sorted array must be the
    // window sorted, and the rank the naive count of values ≤ the newest.
    for (const [size, unit] of [
      [1, 0],
      [7, 1_000],
      [120, 0],
      [120, 10_000],
      [2_000, 1_000],
    ] as const) {
      const xs = unit === 0 ? c.close : c.close.map((v) => Math.round(v / unit) * unit);
      let s = newPercentileRank(size);
      const span = Math.min(n, 30_000);
      for (let i = 0; i < span; i++) {
        const ours = updatePercentileRank(s, xs[i]!);
        const naive = i < size - 1 ? Number.NaN : percentileRank(xs, i, size);
        if (!Object.is(ours, naive)) throw new Error(`size ${size}/${unit}, index ${i}: ${ours} vs ${naive}`);
        if (size < 200 || i % 97 === 0) {
          const window = Array.from(xs.subarray(Math.max(0, i - size + 1), i + 1)).sort((a, b) => a - b);
          expect(s.sorted).toEqual(window);
        }
        s = roundTrip(s, i);
      }
    }
  });

  it('percentile rank counts ties as ≤ (by hand: window [3, 1, 3, 2], newest 2 → 2 of 4 = 50 %)', () => {
    const s = newPercentileRank(4);
    expect(Number.isNaN(updatePercentileRank(s, 5))).toBe(true);
    for (const x of [3, 1, 3]) updatePercentileRank(s, x);
    // Window now [5, 3, 1, 3]: newest 3 → 3 of 4 are ≤ 3 (updated above); push 2 → [3, 1, 3, 2].
    expect(updatePercentileRank(s, 2)).toBe(50);
    expect(s.sorted).toEqual([1, 2, 3, 3]);
  });
});
