import { describe, expect, it } from 'vitest';
import { atr, last } from '../../../shared/strategies/indicators.ts';
import { volatilityBreakout } from '../../../shared/strategies/volatility-breakout.ts';
import { candles, HOUR, T0 } from '../../support/candles.ts';
import { accountWith, openOrder, positionOf, viewAt } from '../../support/strategy-harness.ts';

const params = volatilityBreakout.paramsSchema.parse({});
// 170 noisy hours (±150), 30 quiet hours (±10): the squeeze; then a breakout close at 60,600 on 5× volume.
const rows = [
  ...Array.from(
    { length: 170 },
    (_, i) =>
      (i % 2 ? [60_000, 60_160, 59_840, 60_150] : [60_150, 60_160, 59_840, 60_000]) as [
        number,
        number,
        number,
        number,
      ],
  ),
  ...Array.from(
    { length: 30 },
    (_, i) =>
      (i % 2 ? [60_000, 60_012, 59_990, 60_010] : [60_010, 60_012, 59_990, 60_000]) as [
        number,
        number,
        number,
        number,
      ],
  ),
  [60_000, 60_650, 59_995, 60_600] as [number, number, number, number],
  [60_600, 60_700, 60_500, 60_650] as [number, number, number, number],
];
const series = candles(rows);
series.volume[200] = 500;

describe('volatility_breakout', () => {
  it('squeeze then breakout → long entry at 10x with an ATR stop and target', () => {
    const k = 201;
    const out = volatilityBreakout.evaluate({
      view: viewAt(series, k),
      account: accountWith(),
      params,
      state: undefined,
    });
    const [entry, stop, target] = out.intents;
    const from = k - volatilityBreakout.lookback(params);
    const a = last(
      atr(series.high.subarray(from, k), series.low.subarray(from, k), series.close.subarray(from, k), 14),
    );
    const mark = series.open[k]!;
    expect(entry).toMatchObject({ side: 'buy', type: 'market', leverage: 10, quantity: 0.016 }); // 10 % of 10,000 / 60,600
    expect(stop).toMatchObject({ side: 'sell', type: 'stop_market', reduceOnly: true, quantity: 0.016 });
    expect(target).toMatchObject({
      side: 'sell',
      type: 'take_profit_market',
      reduceOnly: true,
      quantity: 0.016,
    });
    expect(stop!.stopPrice).toBeCloseTo(mark - 1.5 * a, 0);
    expect(target!.stopPrice).toBeCloseTo(mark + 3 * a, 0);
    expect(out.state.trade?.protectiveIds).toEqual([stop!.id, target!.id]);
  });

  it('the entry intent: every field the schema gives it, in its order, with or without a bracket', () => {
    const keys = ['id', 'strategy', 'symbol', 'market', 'side', 'type', 'quantity', 'reduceOnly'];
    const tail = ['leverage', 'marginMode', 'createdAt', 'reason'];
    for (const bracket of [true, false]) {
      const out = volatilityBreakout.evaluate({
        view: viewAt(series, 201),
        account: accountWith(),
        params: { ...params, bracket },
        state: undefined,
      });
      const entry = out.intents[0]!;
      expect(Object.keys(entry)).toEqual(bracket ? [...keys, ...tail, 'bracket'] : [...keys, ...tail]);
      expect(entry).toMatchObject({
        strategy: 'volatility_breakout',
        market: 'futures',
        side: 'buy',
        type: 'market',
        reduceOnly: false,
        reason: 'squeeze breakout long',
      });
    }
  });

  it('no entry without volume confirmation', () => {
    const quiet = candles(rows);
    const out = volatilityBreakout.evaluate({
      view: viewAt(quiet, 201),
      account: accountWith(),
      params,
      state: undefined,
    });
    expect(out.intents).toEqual([]);
  });

  it('time exit after N bars: reduce-only close and the protective orders cancelled', () => {
    const state = {
      trade: { enteredAt: T0, side: 'long' as const, protectiveIds: ['sl', 'tp'], stopPrice: 60_000 },
    };
    const account = accountWith({
      position: positionOf({ side: 'long', quantity: 0.016, entryPrice: 60_600 }),
      openOrders: [openOrder('sl'), openOrder('tp')],
    });
    const before = volatilityBreakout.evaluate({
      view: viewAt(series, 0, { time: T0 + 23 * HOUR }),
      account,
      params,
      state,
    });
    expect(before.intents).toEqual([]);
    const out = volatilityBreakout.evaluate({
      view: viewAt(series, 0, { time: T0 + 24 * HOUR }),
      account,
      params,
      state,
    });
    expect(out.intents).toEqual([
      expect.objectContaining({ side: 'sell', type: 'market', reduceOnly: true, quantity: 0.016 }),
    ]);
    expect(out.cancels).toEqual(['sl', 'tp']);
    expect(out.state).toEqual({});
  });
});
