// Sliced entries in the backtester (shared/adapters/sim/slices.ts): a strategy's TWAP or iceberg entry
// fills slice by slice on successive candles, with ids derived from the entry's, through the live
// decision (stepSlicePlan) and the engine's risk check — the parent counted whole from the first slice.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runBacktest } from '../../../shared/backtest/engine.ts';
import type { SlicingRequest } from '../../../shared/domain/slicing.ts';
import { sliceId } from '../../../shared/domain/slicing.ts';
import type { Dataset } from '../../../shared/market-data/dataset.ts';
import { IntentFactory, type Strategy } from '../../../shared/strategies/strategy.ts';
import { candles, funding } from '../../support/candles.ts';

// Each candle opens where the last closed, 100 higher each hour: a market slice fills at its candle's
// open, so the fill prices say which candle each slice went on.
const opens = [60_000, 60_100, 60_200, 60_300, 60_400, 60_500, 60_600];
const dataset: Dataset = {
  symbol: 'BTCUSDT',
  timeframe: '1h',
  candles: candles(opens.map((o) => [o, o + 100, o, o + 100] as const)),
  funding: funding([]),
  gaps: [],
};
const HOUR = 3_600_000;

/** Buys `quantity` once, sliced as asked; remembers the entry's id. */
function slicedBuy(quantity: number, sliced: SlicingRequest) {
  const seen = { id: '' };
  const strategy: Strategy<unknown, { done?: boolean }> = {
    name: 'sliced_buy',
    description: 'test',
    paramsSchema: z.unknown(),
    timeframes: ['1h'],
    lookback: () => 0,
    evaluate({ view, state }) {
      if (state?.done) return { intents: [], cancels: [], notes: [], state };
      const f = new IntentFactory('sliced_buy', view, { leverage: 5, marginMode: 'isolated' });
      f.add({ market: 'futures', side: 'buy', type: 'market', quantity, sliced });
      seen.id = f.intents[0]!.id;
      return { intents: f.intents, cancels: [], notes: [], state: { done: true } };
    },
  };
  return { strategy, seen };
}

const t0 = dataset.candles.time[0]!;

describe('runBacktest: sliced entries', () => {
  it("a TWAP entry's fills spread over N successive candles, ids derived from the parent's", () => {
    // 0.04 in 4 slices over 60 minutes: a 15-minute interval is finer than the 1 h candle, so one slice
    // a candle — 0.01 at 60,000, 60,100, 60,200, 60,300.
    const { strategy, seen } = slicedBuy(0.04, { kind: 'twap', slices: 4, minutes: 60 });
    const r = runBacktest({ strategy, params: {}, dataset });
    expect(r.rejections).toEqual([]);
    expect(r.fills.map((f) => [f.time, f.clientOrderId, f.quantity, f.price])).toEqual(
      [0, 1, 2, 3].map((i) => [t0 + i * HOUR, sliceId(seen.id, i), 0.01, opens[i]]),
    );
  });

  it('a TWAP slower than a candle: its slices on the candles where they come due', () => {
    // 3 slices over 360 minutes: one every 2 h — candles 0, 2 and 4.
    const { strategy, seen } = slicedBuy(0.03, { kind: 'twap', slices: 3, minutes: 360 });
    const r = runBacktest({ strategy, params: {}, dataset });
    expect(r.fills.map((f) => [f.time, f.clientOrderId])).toEqual(
      [0, 1, 2].map((i) => [t0 + 2 * i * HOUR, sliceId(seen.id, i)]),
    );
  });

  it('an iceberg: visible slices, the remainder last, one a candle (each after the previous filled)', () => {
    const { strategy, seen } = slicedBuy(0.025, { kind: 'iceberg', visibleQuantity: 0.01 });
    const r = runBacktest({ strategy, params: {}, dataset });
    expect(r.fills.map((f) => [f.time, f.clientOrderId, f.quantity])).toEqual([
      [t0, sliceId(seen.id, 0), 0.01],
      [t0 + HOUR, sliceId(seen.id, 1), 0.01],
      [t0 + 2 * HOUR, sliceId(seen.id, 2), 0.005],
    ]);
  });

  it('the parent is refused as a whole over the 30 % cap although each slice would fit', () => {
    // Equity 10,000 USDT: the cap is 3,000 USDT of notional. The parent 0.06 × 60,000 = 3,600 is over
    // it; a slice of 0.015 × 60,000 = 900 is not. The first slice is refused for the whole, nothing more.
    const { strategy, seen } = slicedBuy(0.06, { kind: 'twap', slices: 4, minutes: 60 });
    const r = runBacktest({ strategy, params: {}, dataset });
    expect(r.fills).toEqual([]);
    expect(r.rejections).toHaveLength(1);
    expect(r.rejections[0]!.intentId).toBe(seen.id); // the parent, refused as a whole
    expect(r.rejections[0]!.reasons.join(' ')).toMatch(/position notional 3600\.00 USDT exceeds/);
    // The same 0.015 alone fits.
    const alone = slicedBuy(0.015, { kind: 'iceberg', visibleQuantity: 0.01 });
    expect(runBacktest({ strategy: alone.strategy, params: {}, dataset }).rejections).toEqual([]);
  });
});
