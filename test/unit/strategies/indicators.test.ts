// Indicators against an independent implementation (trading-signals) on long series: the shipped real
// BTCUSDT month and a 10,000-candle random walk.
import fc from 'fast-check';
import { ATR, BollingerBands, EMA, RSI } from 'trading-signals';
import { describe, expect, it } from 'vitest';
import { type CandleSeries, emptySeries } from '../../../shared/domain/candles.ts';
import { atr, bollinger, ema, percentileRank, roc, rsi, sma } from '../../../shared/strategies/indicators.ts';
import { monthDataset } from '../../support/month-data.ts';

function randomWalk(n: number, seed: number): CandleSeries {
  const s = emptySeries(n);
  let x = seed;
  const rand = () => {
    x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
    return x / 2_147_483_648;
  };
  let price = 60_000;
  for (let i = 0; i < n; i++) {
    const o = price;
    const c = o * (1 + (rand() - 0.5) * 0.02);
    s.time[i] = i * 3_600_000;
    s.open[i] = o;
    s.close[i] = c;
    s.high[i] = Math.max(o, c) * (1 + rand() * 0.005);
    s.low[i] = Math.min(o, c) * (1 - rand() * 0.005);
    s.volume[i] = 100 + rand() * 1_000;
    price = c;
  }
  return s;
}

const series: [string, CandleSeries][] = [
  ['real BTCUSDT 1h (755 candles)', monthDataset().candles],
  ['random walk (10,000 candles)', randomWalk(10_000, 42)],
];

function expectClose(ours: number, theirs: number | null | undefined): void {
  if (theirs === null || theirs === undefined) {
    expect(Number.isNaN(ours)).toBe(true);
    return;
  }
  expect(Math.abs(ours - theirs) / Math.max(1e-12, Math.abs(theirs))).toBeLessThan(1e-9);
}

describe.each(series)('indicators on %s agree with trading-signals within 1e-9', (_name, c) => {
  it('EMA(21)', () => {
    const ours = ema(c.close, 21);
    const ref = new EMA(21);
    for (let i = 0; i < c.close.length; i++) {
      ref.update(c.close[i]!, false);
      expectClose(ours[i]!, ref.isStable ? ref.getResultOrThrow() : null);
    }
  });

  it('ATR(14), Wilder', () => {
    const ours = atr(c.high, c.low, c.close, 14);
    const ref = new ATR(14);
    for (let i = 0; i < c.close.length; i++) {
      expectClose(ours[i]!, ref.update({ high: c.high[i]!, low: c.low[i]!, close: c.close[i]! }, false));
    }
  });

  it('RSI(14), Wilder', () => {
    const ours = rsi(c.close, 14);
    const ref = new RSI(14);
    for (let i = 0; i < c.close.length; i++) expectClose(ours[i]!, ref.update(c.close[i]!, false));
  });

  it('Bollinger Bands(20, 2) and bandwidth', () => {
    const ours = bollinger(c.close, 20, 2);
    const ref = new BollingerBands(20, 2);
    for (let i = 0; i < c.close.length; i++) {
      const r = ref.update(c.close[i]!, false);
      expectClose(ours.upper[i]!, r?.upper);
      expectClose(ours.middle[i]!, r?.middle);
      expectClose(ours.lower[i]!, r?.lower);
      if (r) expectClose(ours.bandwidth[i]!, (r.upper - r.lower) / r.middle);
    }
  });
});

describe('small indicators by definition', () => {
  it('SMA and ROC', () => {
    const v = Float64Array.from([1, 2, 3, 4, 5]);
    expect(Array.from(sma(v, 3)).slice(2)).toEqual([2, 3, 4]);
    expect(roc(v, 2)[4]).toBeCloseTo(((5 - 3) / 3) * 100, 12);
  });

  it('percentile rank counts the share at or below the current value', () => {
    const v = Float64Array.from([5, 1, 4, 2, 3]);
    expect(percentileRank(v, 4, 5)).toBe(60); // 1, 2, 3 ≤ 3
    expect(percentileRank(v, 1, 5)).toBeNaN();
  });

  it('RSI stays within [0, 100] (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 1, max: 1e5, noNaN: true }), { minLength: 20, maxLength: 200 }),
        (xs) => {
          for (const r of rsi(Float64Array.from(xs), 14))
            if (!Number.isNaN(r)) expect(r >= 0 && r <= 100).toBe(true);
        },
      ),
    );
  });
});
