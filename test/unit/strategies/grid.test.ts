import { describe, expect, it } from 'vitest';
import type { CandleSeries } from '../../../shared/domain/candles.ts';
import { type GridState, grid } from '../../../shared/strategies/grid.ts';
import { candles } from '../../support/candles.ts';
import { accountWith, openOrder, positionOf, viewAt } from '../../support/strategy-harness.ts';

const params = grid.paramsSchema.parse({});
// A steady oscillation: each hour ranges ±100 around 60,000 (true range 200 → ATR 200).
const osc: CandleSeries = candles(
  Array.from({ length: 200 }, () => [60_000, 60_100, 59_900, 60_000] as const),
);

describe('grid', () => {
  it('lays a 10-level grid: 5 buy limits below, 5 sell limits above, ATR-spaced', () => {
    const out = grid.evaluate({ view: viewAt(osc, 150), account: accountWith(), params, state: undefined });
    const buys = out.intents.filter((i) => i.side === 'buy').map((i) => i.price);
    const sells = out.intents.filter((i) => i.side === 'sell').map((i) => i.price);
    // range = ±3 ATR = ±600, spacing = 1,200 / 10 = 120.
    expect(buys).toEqual([59_880, 59_760, 59_640, 59_520, 59_400]);
    expect(sells).toEqual([60_120, 60_240, 60_360, 60_480, 60_600]);
    expect(out.intents.every((i) => i.type === 'limit' && !i.reduceOnly)).toBe(true);
    expect(out.state).toMatchObject({ lower: 59_400, upper: 60_600, spacing: 120 });
  });

  it('price leaves the range → stale orders cancelled, inventory closed, a new 10-level grid', () => {
    const first = grid.evaluate({ view: viewAt(osc, 150), account: accountWith(), params, state: undefined });
    const ids = first.intents.map((i) => i.id);
    const moved = candles(
      Array.from({ length: 200 }, (_, i): readonly [number, number, number, number] =>
        i < 160 ? [60_000, 60_100, 59_900, 60_000] : [61_000, 61_100, 60_900, 61_000],
      ),
    );
    const out = grid.evaluate({
      view: viewAt(moved, 170),
      account: accountWith({
        openOrders: ids.slice(1).map((id) => openOrder(id)),
        position: positionOf({ side: 'long', quantity: 0.003, entryPrice: 59_880 }),
      }),
      params,
      state: first.state,
    });
    expect(out.cancels.sort()).toEqual(ids.slice(1).sort());
    expect(out.intents[0]).toMatchObject({ side: 'sell', type: 'market', reduceOnly: true, quantity: 0.003 });
    const limits = out.intents.filter((i) => i.type === 'limit');
    expect(limits).toHaveLength(10);
    expect((out.state as GridState).centre).toBe(61_000);
  });

  it('a filled buy re-arms a sell one spacing above, and the inventory gets a hard stop below the range', () => {
    const first = grid.evaluate({ view: viewAt(osc, 150), account: accountWith(), params, state: undefined });
    const [buy1, ...rest] = first.intents;
    const out = grid.evaluate({
      view: viewAt(osc, 151, { markPrice: 59_900 }),
      account: accountWith({
        openOrders: rest.map((i) => openOrder(i.id)),
        position: positionOf({ side: 'long', quantity: buy1!.quantity, entryPrice: 59_880 }),
        statuses: { [buy1!.id]: 'filled' },
      }),
      params,
      state: first.state,
    });
    expect(out.intents).toEqual([
      expect.objectContaining({ side: 'sell', type: 'limit', price: 60_000, quantity: buy1!.quantity }),
      expect.objectContaining({
        side: 'sell',
        type: 'stop_market',
        stopPrice: 59_280,
        reduceOnly: true,
        quantity: buy1!.quantity,
      }),
    ]);
  });

  it('an order that vanished without filling is dropped, not re-armed', () => {
    const first = grid.evaluate({ view: viewAt(osc, 150), account: accountWith(), params, state: undefined });
    const [buy1, ...rest] = first.intents;
    const out = grid.evaluate({
      view: viewAt(osc, 151),
      account: accountWith({
        openOrders: rest.map((i) => openOrder(i.id)),
        statuses: { [buy1!.id]: 'rejected' },
      }),
      params,
      state: first.state,
    });
    expect(out.intents).toEqual([]);
    expect(Object.keys((out.state as GridState).orders)).toHaveLength(9);
  });
});
