// The backtester lists a strategy's open orders once per change of the book and shows each resting
// order as one frozen copy (shared/backtest/engine.ts): what a strategy sees must still be the truth on
// every tick — an order that filled is gone the tick after, a new one appears — and an attempt to edit
// the listing fails loudly instead of leaking into the next tick.
import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../../shared/backtest/engine.ts';
import { IntentFactory, type Strategy } from '../../../shared/strategies/strategy.ts';
import { rowsDataset } from '../../support/candles.ts';

// Four hourly candles: the clock stands at each open. A buy limit at 59,000 rests from tick 0; candle 1
// trades down to 58,500, so it fills inside candle 1 and is gone from tick 2's listing.
const rows = [
  [60_000, 60_100, 59_900, 60_000],
  [60_000, 60_000, 58_500, 59_500],
  [59_500, 60_000, 59_400, 59_800],
  [59_800, 60_200, 59_700, 60_000],
] as const;
const dataset = rowsDataset(rows);

function probe(seen: string[][], edit: boolean): Strategy<Record<string, never>, { placed: boolean }> {
  return {
    name: 'probe',
    description: 'places one limit, records the listing',
    paramsSchema: { parse: () => ({}) } as never,
    timeframes: ['1h'],
    lookback: () => 0,
    evaluate({ view, account, state }) {
      seen.push(account.openOrders.map((o) => `${o.side} ${o.type} ${o.price}`));
      if (edit && account.openOrders.length > 0) (account.openOrders[0] as { price?: number }).price = 1;
      if (state?.placed) return { intents: [], cancels: [], state, notes: [] };
      const f = new IntentFactory('probe', view, { leverage: 1, marginMode: account.marginMode });
      f.add({ market: 'futures', side: 'buy', type: 'limit', quantity: 0.01, price: 59_000 });
      // A second view of the listing in the same tick, after the intent: still the book as it was.
      seen.push(account.openOrders.map((o) => `${o.side} ${o.type} ${o.price}`));
      return { intents: f.intents, cancels: [], state: { placed: true }, notes: [] };
    },
  };
}

describe('the backtester’s open-order listing', () => {
  it('shows each tick the orders resting at its instant', () => {
    const seen: string[][] = [];
    const r = runBacktest({ strategy: probe(seen, false), params: {}, dataset });
    expect(r.fills.map((f) => f.price)).toEqual([59_000]);
    // tick 0 (before and after its intent), 1: resting, 2 and 3: filled in candle 1, gone.
    expect(seen).toEqual([[], [], ['buy limit 59000'], [], []]);
  });

  it('is frozen: a strategy that edits an order it was shown fails loudly', () => {
    expect(() => runBacktest({ strategy: probe([], true), params: {}, dataset })).toThrow(TypeError);
  });
});
