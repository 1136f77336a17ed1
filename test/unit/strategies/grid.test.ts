import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../../shared/backtest/engine.ts';
import type { CandleSeries } from '../../../shared/domain/candles.ts';
import { type GridState, grid } from '../../../shared/strategies/grid.ts';
import { multiYearDataset } from '../../bench/data.ts';
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

  it('an open-orders list edited in place between ticks is read again, not taken as still quiet', () => {
    const first = grid.evaluate({ view: viewAt(osc, 150), account: accountWith(), params, state: undefined });
    const [buy1] = first.intents;
    // One array, as a caller might keep it: all ten levels rest, so the next tick is quiet.
    const open = first.intents.map((i) => openOrder(i.id));
    const quiet = grid.evaluate({
      view: viewAt(osc, 151),
      account: accountWith({ openOrders: open }),
      params,
      state: first.state,
    });
    expect(quiet.intents).toEqual([]);
    expect(quiet.state).toBe(first.state);
    // The lowest buy is cancelled on the exchange: the same array loses it. The grid must see that
    // (no position, the stop unchanged: only the scan of the list can tell) and drop the level.
    open.splice(0, 1);
    const out = grid.evaluate({
      view: viewAt(osc, 152),
      account: accountWith({ openOrders: open, statuses: { [buy1!.id]: 'canceled' } }),
      params,
      state: quiet.state,
    });
    expect(out.state).not.toBe(quiet.state);
    expect(Object.keys((out.state as GridState).orders)).toEqual(open.map((o) => o.clientOrderId));
  });

  it('an order edited in place in a frozen list is read again (only frozen orders are trusted)', () => {
    const first = grid.evaluate({ view: viewAt(osc, 150), account: accountWith(), params, state: undefined });
    const [buy1] = first.intents;
    const orders = first.intents.map((i) => openOrder(i.id));
    const open = Object.freeze(orders);
    const quiet = grid.evaluate({
      view: viewAt(osc, 151),
      account: accountWith({ openOrders: open as never }),
      params,
      state: first.state,
    });
    expect(quiet.state).toBe(first.state);
    // The list object stays the same, but its first entry now shows another order: buy 1 is gone.
    orders[0]!.clientOrderId = 'ac-someone-else';
    const out = grid.evaluate({
      view: viewAt(osc, 152),
      account: accountWith({ openOrders: open as never, statuses: { [buy1!.id]: 'canceled' } }),
      params,
      state: quiet.state,
    });
    expect(Object.keys((out.state as GridState).orders)).not.toContain(buy1!.id);
  });

  it('a frozen open-orders list shown again keeps the grid quiet; a new list without a level re-arms it', () => {
    const first = grid.evaluate({ view: viewAt(osc, 150), account: accountWith(), params, state: undefined });
    const [buy1, ...rest] = first.intents;
    const open = Object.freeze(first.intents.map((i) => openOrder(i.id)));
    let state = first.state;
    for (const k of [151, 152]) {
      const out = grid.evaluate({
        view: viewAt(osc, k),
        account: accountWith({ openOrders: open as never }),
        params,
        state,
      });
      expect(out.intents).toEqual([]);
      expect(out.state).toBe(state);
      state = out.state;
    }
    const out = grid.evaluate({
      view: viewAt(osc, 153, { markPrice: 59_900 }),
      account: accountWith({
        openOrders: Object.freeze(rest.map((i) => openOrder(i.id))) as never,
        position: positionOf({ side: 'long', quantity: buy1!.quantity, entryPrice: 59_880 }),
        statuses: { [buy1!.id]: 'filled' },
      }),
      params,
      state,
    });
    expect(out.intents).toHaveLength(2);
    // The new record takes the old one's order, the re-armed sell where its filled buy was (first).
    expect(Object.keys((out.state as GridState).orders)).toEqual([
      out.intents[0]!.id,
      ...rest.map((i) => i.id),
    ]);
  });

  it('a state copied between ticks (as a state store hands it back) decides exactly as the one kept', () => {
    // A year of real BTCUSDT hours through the engine, once as is and once with the state cloned before
    // every tick: the clone's orders record is an object this module never built.
    const dataset = multiYearDataset();
    const from = dataset.candles.time[0]! + 400 * 3_600_000;
    const to = from + 365 * 86_400_000;
    const copying: typeof grid = {
      ...grid,
      evaluate: (input) => grid.evaluate({ ...input, state: structuredClone(input.state) }),
    };
    const kept = runBacktest({ strategy: grid, params, dataset, from, to, slippagePct: 0.01 });
    const copied = runBacktest({ strategy: copying, params, dataset, from, to, slippagePct: 0.01 });
    expect(kept.fills.length).toBeGreaterThan(1_000);
    expect(copied.fills).toEqual(kept.fills);
    expect(copied.equity.value).toEqual(kept.equity.value);
  });
});
