// long_short_switch answers a quiet tick (flat with no confirmed trend, or a held position whose stop
// is ours and open, with no flip and no ratchet step) without its full decision (quietTick in
// shared/strategies/long-short-switch.ts). That shortcut may only ever give the full decision's answer:
// on every tick of six years of real BTCUSDT with the defaults and of ETHUSDT with a tight trail and
// quick confirmation (more flips, more ratchet steps, 1d in the trend), the strategy's answer is held to
// actOnTrend's on a copy of the same state.
import { describe, expect, it } from 'vitest';
import { actOnTrend, feedSwitch, longShortSwitch } from '../../../shared/strategies/long-short-switch.ts';
import { trendOf } from '../../../shared/strategies/switch-indicators.ts';
import { multiYearDataset } from '../../bench/data.ts';
import { flat } from '../../support/candles.ts';
import { accountWith, openOrder, positionOf, viewAt } from '../../support/strategy-harness.ts';
import { holdQuietToFull, newTally } from './quiet-agreement.ts';

describe('long_short_switch: a quiet tick answers as the full decision would', () => {
  for (const [symbol, overrides] of [
    ['BTCUSDT', {}],
    ['ETHUSDT', { trailingStopPct: 0.5, confirmBars: 1, timeframes: ['1h', '4h', '1d'] }],
  ] as const)
    it(`${symbol}, six years, ${JSON.stringify(overrides)}`, () => {
      const dataset = multiYearDataset(symbol);
      const seen = newTally();
      const params = longShortSwitch.paramsSchema.parse(structuredClone(overrides));
      holdQuietToFull(longShortSwitch, params, dataset, seen, (input) => {
        const ind = feedSwitch(input.state?.ind, input.view, params, longShortSwitch.lookback(params));
        const trend = trendOf(ind, params);
        const held = input.state && trend === input.state.signal ? input.state.held + 1 : 1;
        return actOnTrend(input, ind, trend, held);
      });
      // Not vacuous: both kinds of quiet tick happen, and the acting ones trade.
      expect(seen.quiet - seen.quietHeld).toBeGreaterThan(1_000);
      expect(seen.quietHeld).toBeGreaterThan(1_000);
      expect(seen.acting).toBeGreaterThan(100);
      expect(seen.intents).toBeGreaterThan(200);
    });
});

describe('long_short_switch: a held tick that looks quiet but is not', () => {
  it('our stop is no longer on the exchange (none there): it is restored, not skipped', () => {
    // Flat prices: the EMAs agree, no trend, no flip, and the stop 3 % under 60,000 = 58,200 has no
    // ratchet step — everything quiet but the stop itself, which the exchange no longer holds.
    const view = viewAt(flat(400, 60_000), 399);
    const out = longShortSwitch.evaluate({
      view,
      account: accountWith({ position: positionOf({ side: 'long', quantity: 0.01, entryPrice: 60_000 }) }),
      params: longShortSwitch.paramsSchema.parse({}),
      state: { signal: 'none', held: 5, stop: { id: 'gone', price: 58_200, extreme: 60_000, side: 'long' } },
    });
    expect(out.intents).toMatchObject([
      { type: 'stop_market', side: 'sell', reduceOnly: true, quantity: 0.01, stopPrice: 58_200 },
    ]);
    expect(out.state.stop).toMatchObject({ price: 58_200, side: 'long' });
    expect(out.state.stop!.id).toBe(out.intents[0]!.id);
  });

  it('the same stop and best price under another tick size or trail: the step is worked out again', () => {
    // Long, best price 60,000, our stop at 58,150 and open. Flat prices: no trend, no flip. A 3 % trail
    // wants 58,200: on a 100 tick that rounds to 58,200, 50 above the stop, less than a tick: quiet;
    // on the 0.1 tick it is 500 ticks up: the stop moves. Then a 1 % trail on the 100 tick wants
    // 59,400, twelve ticks up: it moves too. Each follows an answer made for the same stop and best
    // price, so one kept from the tick before would be wrong.
    const candles = flat(400, 60_000);
    const base = viewAt(candles, 399);
    const decide = (tickSize: number, trailingStopPct: number) =>
      longShortSwitch.evaluate({
        view: viewAt(candles, 399, { futuresRules: { ...base.futuresRules, tickSize } }),
        account: accountWith({
          position: positionOf({ side: 'long', quantity: 0.01, entryPrice: 60_000 }),
          openOrders: [openOrder('ours')],
        }),
        params: longShortSwitch.paramsSchema.parse({ trailingStopPct }),
        state: {
          signal: 'none',
          held: 5,
          stop: { id: 'ours', price: 58_150, extreme: 60_000, side: 'long' },
        },
      });
    expect(decide(100, 3).intents).toEqual([]);
    expect(decide(0.1, 3).intents).toMatchObject([{ type: 'stop_market', stopPrice: 58_200 }]);
    expect(decide(100, 3).intents).toEqual([]);
    expect(decide(100, 1).intents).toMatchObject([{ type: 'stop_market', stopPrice: 59_400 }]);
  });
});
