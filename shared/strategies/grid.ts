// grid: a range of centre ± k·ATR split into N levels (10 by default): buy limits below the centre,
// sell limits above. Each fill re-arms its neighbour one spacing away on the other side. When the
// price leaves the range the grid re-centres: stale orders are cancelled, inventory is closed, and a
// new grid is laid around the new price. Spacing follows ATR; order size shrinks when volatility is
// high relative to its norm and grows (bounded) with volume. Inventory always carries a hard stop one
// spacing beyond the range, on the exchange.
import { z } from 'zod';
import { atr, last, sma } from './indicators.ts';
import { quantityForPct, tick, tradeable } from './sizing.ts';
import { IntentFactory, type Strategy, type StrategyOutput } from './strategy.ts';

export const GridParamsSchema = z
  .strictObject({
    leverage: z.number().int().min(1).max(20).default(3),
    levels: z.number().int().min(2).max(50).default(10),
    /** Range half-width in ATRs around the centre. */
    atrMultiple: z.number().positive().max(20).default(3),
    atrPeriod: z.number().int().min(2).max(200).default(14),
    /** Notional of the whole grid at normal volatility and volume, percent of equity. */
    positionPct: z.number().positive().max(100).default(20),
    /** Volatility norm: ATR averaged over this many bars. */
    normPeriod: z.number().int().min(10).max(2_000).default(100),
    volumePeriod: z.number().int().min(2).max(500).default(20),
  })
  .refine((p) => p.levels % 2 === 0, { error: 'levels must be even (half below, half above the centre)' });
export type GridParams = z.infer<typeof GridParamsSchema>;

export interface GridState {
  centre: number;
  lower: number;
  upper: number;
  spacing: number;
  quantity: number;
  /** Our resting grid orders by client id. */
  orders: Record<string, { price: number; side: 'buy' | 'sell' }>;
  /** The inventory's protective stop. */
  stop?: { id: string; side: 'long' | 'short'; quantity: number };
}

export const grid: Strategy<GridParams, GridState | undefined> = {
  name: 'grid',
  description:
    'ATR grid: lays 10 levels (configurable) across centre ± k·ATR — buy limits below the centre, sell limits above — and re-arms the neighbouring level after every fill, harvesting oscillation. When the price leaves the range it cancels the stale orders, closes the inventory and re-centres. Spacing follows ATR; size adapts to volatility and volume; the inventory always has a hard stop beyond the range on the exchange.',
  paramsSchema: GridParamsSchema,
  timeframes: ['1h'],
  lookback: (p) => Math.max(p.normPeriod + p.atrPeriod, p.volumePeriod * 5) + 1,
  evaluate({ view, account, params: p, state }): StrategyOutput<GridState | undefined> {
    const f = new IntentFactory('grid', view, { leverage: p.leverage, marginMode: account.marginMode });
    const c = view.candles['1h'];
    if (!c || c.close.length < grid.lookback(p))
      return { intents: [], cancels: [], state, notes: ['warming up'] };
    const price = view.markPrice;
    const pos = account.position;
    const openIds = new Set(account.openOrders.map((o) => o.clientOrderId));
    const cancels: string[] = [];
    const notes: string[] = [];

    const rebuild = (reason: string): StrategyOutput<GridState | undefined> => {
      if (state) {
        for (const id of Object.keys(state.orders)) if (openIds.has(id)) cancels.push(id);
        if (state.stop && openIds.has(state.stop.id)) cancels.push(state.stop.id);
      }
      if (pos) {
        f.closePosition(pos, `grid re-centre: ${reason}`);
      }
      const from = c.close.length - grid.lookback(p);
      const a = atr(c.high.subarray(from), c.low.subarray(from), c.close.subarray(from), p.atrPeriod);
      const atrNow = last(a);
      const atrNorm = last(sma(a.subarray(p.atrPeriod - 1), p.normPeriod));
      const vol = c.volume.subarray(from);
      const volumeRatio = last(sma(vol, p.volumePeriod)) / last(sma(vol, p.volumePeriod * 5));
      // Higher volatility than normal → smaller orders; more volume than normal → larger, both bounded.
      const sizeFactor = Math.min(
        1.5,
        Math.max(0.5, (atrNorm / atrNow) * Math.min(1.5, Math.max(0.5, volumeRatio))),
      );
      const half = p.atrMultiple * atrNow;
      const spacing = (2 * half) / p.levels;
      const quantity = quantityForPct(
        account.equity,
        (p.positionPct / p.levels) * sizeFactor,
        price,
        view.futuresRules.stepSize,
      );
      if (!(atrNow > 0) || !tradeable(view, quantity, price - half)) {
        return {
          intents: f.intents,
          cancels,
          state: undefined,
          notes: [`${reason}; grid size not tradeable, standing aside`],
        };
      }
      const orders: GridState['orders'] = {};
      for (let j = 1; j <= p.levels / 2; j++) {
        const buy = tick(view, price - j * spacing);
        const sell = tick(view, price + j * spacing);
        orders[
          f.add({
            market: 'futures',
            side: 'buy',
            type: 'limit',
            quantity,
            price: buy,
            reason: `grid buy ${j}`,
          }).id
        ] = { price: buy, side: 'buy' };
        orders[
          f.add({
            market: 'futures',
            side: 'sell',
            type: 'limit',
            quantity,
            price: sell,
            reason: `grid sell ${j}`,
          }).id
        ] = { price: sell, side: 'sell' };
      }
      notes.push(`${reason}: grid ${p.levels} levels around ${price}, spacing ${spacing.toFixed(2)}`);
      return {
        intents: f.intents,
        cancels,
        state: { centre: price, lower: price - half, upper: price + half, spacing, quantity, orders },
        notes,
      };
    };

    if (!state) return rebuild('new grid');
    if (price > state.upper || price < state.lower)
      return rebuild(`price ${price} left [${state.lower.toFixed(1)}, ${state.upper.toFixed(1)}]`);

    // Fills: re-arm the neighbour one spacing away on the other side. An order that is gone without a
    // fill (rejected, cancelled) is simply dropped.
    const orders: GridState['orders'] = {};
    for (const [id, o] of Object.entries(state.orders)) {
      if (openIds.has(id)) {
        orders[id] = o;
        continue;
      }
      if (account.orderStatus(id) !== 'filled') continue;
      const side = o.side === 'buy' ? 'sell' : 'buy';
      const at = tick(view, o.side === 'buy' ? o.price + state.spacing : o.price - state.spacing);
      // Skip a re-arm that would cross the market (it would fill at once as a taker).
      if (side === 'sell' ? at <= price : at >= price) continue;
      orders[
        f.add({
          market: 'futures',
          side,
          type: 'limit',
          quantity: state.quantity,
          price: at,
          reason: `grid re-arm after ${o.side} at ${o.price}`,
        }).id
      ] = { price: at, side };
    }

    // The inventory's hard stop: one spacing beyond the range, resized when the inventory changes.
    let stop = state.stop;
    const needStop =
      pos && (!stop || stop.side !== pos.side || stop.quantity !== pos.quantity || !openIds.has(stop.id));
    if (stop && (!pos || needStop) && openIds.has(stop.id)) cancels.push(stop.id);
    if (!pos) stop = undefined;
    if (pos && needStop) {
      const long = pos.side === 'long';
      const level = tick(view, long ? state.lower - state.spacing : state.upper + state.spacing);
      const s = f.add({
        market: 'futures',
        side: long ? 'sell' : 'buy',
        type: 'stop_market',
        quantity: pos.quantity,
        stopPrice: level,
        reduceOnly: true,
        reason: 'grid hard stop',
      });
      stop = { id: s.id, side: pos.side, quantity: pos.quantity };
    }
    return {
      intents: f.intents,
      cancels,
      state: { ...state, orders, ...(stop ? { stop } : { stop: undefined }) },
      notes,
    };
  },
};
