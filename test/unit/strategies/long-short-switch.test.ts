import { describe, expect, it } from 'vitest';
import { type LongShortSwitchState, longShortSwitch } from '../../../shared/strategies/long-short-switch.ts';
import { candles } from '../../support/candles.ts';
import { accountWith, openOrder, positionOf, viewAt } from '../../support/strategy-harness.ts';

const params = longShortSwitch.paramsSchema.parse({});
// 400 hours up (+20/h), then 200 hours down (−60/h); every candle ±30 around its close, volume 100.
const rows = Array.from({ length: 600 }, (_, i) => {
  const p = i < 400 ? 50_000 + 20 * i : 58_000 - 60 * (i - 400);
  return [p, p + 30, p - 30, p] as const;
});
const series = candles(rows);

describe('long_short_switch', () => {
  it('a confirmed 1h/4h flip closes the long and opens a short with its stop', () => {
    let state: LongShortSwitchState | undefined;
    let long = true;
    let flipAt = -1;
    let output: ReturnType<typeof longShortSwitch.evaluate> | undefined;
    for (let k = 330; k < 600 && flipAt < 0; k++) {
      const account = accountWith(
        long
          ? {
              position: positionOf({ side: 'long', quantity: 0.03, entryPrice: 56_000 }),
              openOrders: state?.stop
                ? [openOrder(state.stop.id, { type: 'stop_market', side: 'sell', reduceOnly: true })]
                : [],
            }
          : {},
      );
      const prevSignal = state?.signal;
      output = longShortSwitch.evaluate({ view: viewAt(series, k), account, params, state });
      if (output.intents.some((i) => i.side === 'sell' && i.type === 'market' && i.reduceOnly)) {
        flipAt = k;
        expect(prevSignal).toBe('down'); // confirmed: the down signal already held on the previous tick
        long = false;
      }
      state = output.state;
    }
    expect(flipAt).toBeGreaterThan(400);
    const [close, open, stop] = output!.intents;
    expect(close).toMatchObject({ side: 'sell', type: 'market', reduceOnly: true, quantity: 0.03 });
    expect(open).toMatchObject({ side: 'sell', type: 'market', reduceOnly: false, leverage: 3 });
    expect(stop).toMatchObject({
      side: 'buy',
      type: 'stop_market',
      reduceOnly: true,
      quantity: open!.quantity,
    });
    expect(stop!.stopPrice!).toBeGreaterThan(series.open[flipAt]!);
  });

  it('the trailing stop ratchets up with the price and never down', () => {
    // Strong uptrend to enter long, then a dip: stops must be non-decreasing.
    let state: LongShortSwitchState | undefined;
    let inLong = false;
    const stops: number[] = [];
    const up = candles(
      Array.from({ length: 500 }, (_, i) => {
        const p = i < 450 ? 50_000 + 20 * i : 59_000 - 40 * (i - 450);
        return [p, p + 30, p - 30, p] as const;
      }),
    );
    for (let k = 330; k < 480; k++) {
      const account = accountWith(
        inLong
          ? {
              position: positionOf({ side: 'long', quantity: 0.03, entryPrice: 57_000 }),
              openOrders: [
                openOrder(state!.stop!.id, { type: 'stop_market', side: 'sell', reduceOnly: true }),
              ],
            }
          : {},
      );
      const out = longShortSwitch.evaluate({ view: viewAt(up, k), account, params, state });
      for (const i of out.intents) if (i.type === 'stop_market') stops.push(i.stopPrice!);
      if (out.intents.some((i) => i.type === 'market' && i.side === 'buy')) inLong = true;
      state = out.state;
    }
    expect(stops.length).toBeGreaterThan(10);
    for (let i = 1; i < stops.length; i++) expect(stops[i]!).toBeGreaterThan(stops[i - 1]!);
    // During the dip after 450 no stop moved down.
    expect(Math.max(...stops)).toBe(stops.at(-1));
  });

  it('the look-back is the longest trend timeframe × slowEma × 3 hours, + 1, for each parameter set asked', () => {
    const a = longShortSwitch.paramsSchema.parse({ timeframes: ['1h'], slowEma: 26 });
    const b = longShortSwitch.paramsSchema.parse({ timeframes: ['4h', '1d', '1h'], slowEma: 30 });
    // 1 × 26 × 3 + 1 = 79; 24 × 30 × 3 + 1 = 2,161 (1d the longest, whatever its place in the list).
    for (let i = 0; i < 2; i++) {
      expect(longShortSwitch.lookback(a)).toBe(79);
      expect(longShortSwitch.lookback(b)).toBe(2_161);
    }
  });
});
