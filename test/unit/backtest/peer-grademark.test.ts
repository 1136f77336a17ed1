// The engine against a peer: grademark 0.3.0 (a JavaScript backtester on npm) and our full engine run
// the same rule — long while SMA(20) of closes is above SMA(50), enter and exit at the next open —
// on the shipped multi-year BTCUSDT 1h data, and must make the same trades: the same entry and exit
// candles at the same prices (test/bench/sma-cross.ts states the timing both follow).
import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../../shared/backtest/engine.ts';
import { multiYearDataset } from '../../bench/data.ts';
import { engineTrips, grademarkInput, grademarkTrips, smaCross } from '../../bench/sma-cross.ts';

describe('engine ↔ grademark on the same SMA-cross rule', () => {
  it('the same round trips, candle for candle and price for price, over years of real candles', () => {
    const dataset = multiYearDataset();
    const params = smaCross.paramsSchema.parse({});
    const engine = runBacktest({ strategy: smaCross, params, dataset, slippagePct: 0 });
    expect(engine.rejections).toEqual([]);
    const ours = engineTrips(engine.fills);
    const theirs = grademarkTrips(grademarkInput(dataset.candles, params), params);
    // An SMA(20)/SMA(50) cross on hourly candles turns over hundreds of times in six years.
    expect(theirs.length).toBeGreaterThan(300);
    expect(ours).toEqual(theirs);
    // Each of our fills is at its candle's open (no slippage here): what grademark enters and exits at.
    const open = new Map<number, number>();
    for (let i = 0; i < dataset.candles.time.length; i++)
      open.set(dataset.candles.time[i]!, dataset.candles.open[i]!);
    for (const f of engine.fills) expect(f.price).toBe(open.get(f.time));
  }, 120_000);
});
