// grid: a range of centre ± k·ATR split into N levels (10 by default): buy limits below the centre,
// sell limits above. Each fill re-arms its neighbour one spacing away on the other side. When the
// price leaves the range the grid re-centres: stale orders are cancelled, inventory is closed, and a
// new grid is laid around the new price. Spacing follows ATR; order size shrinks when volatility is
// high relative to its norm and grows (bounded) with volume. Inventory always carries a hard stop one
// spacing beyond the range, on the exchange.
import { z } from 'zod';
import type { CandleSeries } from '../domain/candles.ts';
import type { FuturesOrder } from '../domain/order.ts';
import type { FuturesPosition } from '../domain/position.ts';
import { type FeedMark, feedIndicators, isOpen, NONE } from './feed.ts';
import { allOpen, type GridOrders, orderIds, ordersRecord, remember } from './grid-orders.ts';
import { quantityForPct, tick, tradeable } from './sizing.ts';
import {
  type AccountView,
  IntentFactory,
  type MarketView,
  type Strategy,
  type StrategyOutput,
} from './strategy.ts';
import { type Atr, atrValue, newAtr, newSma, type Sma, smaValue, updateAtr, updateSma } from './streaming.ts';

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
  orders: GridOrders;
  /** The inventory's protective stop. */
  stop?: { id: string; side: 'long' | 'short'; quantity: number };
  /** Streaming indicators, fed every tick. */
  ind?: GridIndicators;
}

/** No grid laid (standing aside): only the indicators, still fed every tick. */
export interface GridIdle {
  ind: GridIndicators;
}

/** The grid's indicators as plain data (./streaming.ts). */
export interface GridIndicators extends FeedMark {
  atr: Atr;
  /** The volatility norm: SMA of the ATR over `normPeriod` bars. */
  atrNorm: Sma;
  volume: Sma;
  /** The volume norm: SMA over 5 × `volumePeriod` bars. */
  volumeNorm: Sma;
}

const INDICATOR_PARAMS = ['atrPeriod', 'normPeriod', 'volumePeriod'] as const;

const isLaid = (s: GridState | GridIdle | undefined): s is GridState => s !== undefined && 'orders' in s;

/**
 * Brings the indicators up to the view's last closed candle; a cold start feeds the look-back window,
 * as the batch ATR did (the norm and volume averages then equal a years-long run exactly; the ATR's
 * Wilder seed sits at the window's start — weight (1 − 1/atrPeriod)^(window − atrPeriod), ≈ 2e-4 at
 * the defaults — and fades by that factor per candle from there).
 */
export function feedGrid(
  ind: GridIndicators | undefined,
  c: CandleSeries | undefined,
  p: GridParams,
): GridIndicators | undefined {
  return feedIndicators(ind, c, p, INDICATOR_PARAMS, gridWindow, newGridIndicators, stepGrid);
}

/** The cold-start window (a module function: no closure per tick). */
function gridWindow(p: GridParams): number {
  return grid.lookback(p);
}

function newGridIndicators(p: GridParams, fp: string): GridIndicators {
  return {
    fp,
    t: 0,
    atr: newAtr(p.atrPeriod),
    atrNorm: newSma(p.normPeriod),
    volume: newSma(p.volumePeriod),
    volumeNorm: newSma(p.volumePeriod * 5),
  };
}

function stepGrid(s: GridIndicators, src: CandleSeries, j: number): void {
  updateAtr(s.atr, src.high[j]!, src.low[j]!, src.close[j]!);
  const a = atrValue(s.atr);
  if (!Number.isNaN(a)) updateSma(s.atrNorm, a);
  updateSma(s.volume, src.volume[j]!);
  updateSma(s.volumeNorm, src.volume[j]!);
}

export const grid: Strategy<GridParams, GridState | GridIdle | undefined> = {
  name: 'grid',
  description:
    'ATR grid: lays 10 levels (configurable) across centre ± k·ATR — buy limits below the centre, sell limits above — and re-arms the neighbouring level after every fill, harvesting oscillation. When the price leaves the range it cancels the stale orders, closes the inventory and re-centres. Spacing follows ATR; size adapts to volatility and volume; the inventory always has a hard stop beyond the range on the exchange.',
  paramsSchema: GridParamsSchema,
  timeframes: ['1h'],
  lookback: (p) => Math.max(p.normPeriod + p.atrPeriod, p.volumePeriod * 5) + 1,
  evaluate({ view, account, params: p, state: stored }): StrategyOutput<GridState | GridIdle | undefined> {
    const ind = feedGrid(stored?.ind, view.candles['1h'], p);
    const state = isLaid(stored) ? stored : undefined;
    if (state) {
      if (ind) state.ind = ind;
      else delete state.ind;
    }
    if (!ind) return { intents: [], cancels: [], state, notes: ['warming up'] };
    const price = view.markPrice;
    const pos = account.position;
    // Whether an order is still resting: a scan of this symbol's few open orders (a grid's levels and
    // its stop), no set built per tick.
    const open = account.openOrders;

    if (!state) return rebuild({ view, account, p, ind, state, pos, open }, 'new grid');
    if (price > state.upper || price < state.lower)
      return rebuild(
        { view, account, p, ind, state, pos, open },
        `price ${price} left [${state.lower.toFixed(1)}, ${state.upper.toFixed(1)}]`,
      );

    // A quiet tick — every grid order still resting, the stop (if any) matching the inventory: the
    // same state back, nothing allocated but the output record (most ticks of a grid in its range).
    const ids = orderIds(state.orders);
    const held = state.stop;
    if (
      (pos
        ? held !== undefined && held.side === pos.side && held.quantity === pos.quantity
        : held === undefined) &&
      allOpen(open, state.orders, ids, held?.id)
    )
      return { intents: NONE, cancels: NONE, state, notes: NONE };

    const f = new IntentFactory('grid', view, { leverage: p.leverage, marginMode: account.marginMode });
    const cancels: string[] = [];
    const notes: string[] = [];
    // Fills: re-arm the neighbour one spacing away on the other side. An order that is gone without a
    // fill (rejected, cancelled) is simply dropped.
    const orders = ordersRecord();
    const kept: string[] = [];
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      const o = state.orders[id]!;
      if (isOpen(open, id)) {
        orders[id] = o;
        kept.push(id);
        continue;
      }
      if (account.orderStatus(id) !== 'filled') continue;
      const side = o.side === 'buy' ? 'sell' : 'buy';
      const at = tick(view, o.side === 'buy' ? o.price + state.spacing : o.price - state.spacing);
      // Skip a re-arm that would cross the market (it would fill at once as a taker).
      if (side === 'sell' ? at <= price : at >= price) continue;
      const { id: added } = f.add({
        market: 'futures',
        side,
        type: 'limit',
        quantity: state.quantity,
        price: at,
        reason: `grid re-arm after ${o.side} at ${o.price}`,
      });
      orders[added] = { price: at, side };
      kept.push(added);
    }
    remember(orders, kept);

    // The inventory's hard stop: one spacing beyond the range, resized when the inventory changes.
    let stop = state.stop;
    const needStop =
      pos && (!stop || stop.side !== pos.side || stop.quantity !== pos.quantity || !isOpen(open, stop.id));
    if (stop && (!pos || needStop) && isOpen(open, stop.id)) cancels.push(stop.id);
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
      // The fields in the order a laid grid's state has had since its first fill (the literal of
      // rebuild, then `stop`); built directly rather than by a spread of the last state.
      state: {
        centre: state.centre,
        lower: state.lower,
        upper: state.upper,
        spacing: state.spacing,
        quantity: state.quantity,
        orders,
        ind: state.ind,
        stop,
      },
      notes,
    };
  },
};

/** The reasons of a new grid's orders, `grid buy 1` … `grid sell 25`: made once, not per order. */
const LEVEL_REASONS = {
  buy: Array.from({ length: 26 }, (_, j) => `grid buy ${j}`),
  sell: Array.from({ length: 26 }, (_, j) => `grid sell ${j}`),
};

/** What a re-centre needs from the tick. */
interface Tick {
  view: MarketView;
  account: AccountView;
  p: GridParams;
  ind: GridIndicators;
  state: GridState | undefined;
  pos: FuturesPosition | undefined;
  open: readonly FuturesOrder[];
}

/** Cancel the old grid and its stop, close the inventory, and lay a new grid around the price. */
function rebuild(t: Tick, reason: string): StrategyOutput<GridState | GridIdle | undefined> {
  const { view, account, p, ind, state, pos, open } = t;
  const f = new IntentFactory('grid', view, { leverage: p.leverage, marginMode: account.marginMode });
  const cancels: string[] = [];
  const notes: string[] = [];
  const price = view.markPrice;
  if (state) {
    for (const id of orderIds(state.orders)) if (isOpen(open, id)) cancels.push(id);
    if (state.stop && isOpen(open, state.stop.id)) cancels.push(state.stop.id);
  }
  if (pos) {
    f.closePosition(pos, `grid re-centre: ${reason}`);
  }
  const atrNow = atrValue(ind.atr);
  const atrNorm = smaValue(ind.atrNorm);
  const volumeRatio = smaValue(ind.volume) / smaValue(ind.volumeNorm);
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
      state: { ind },
      notes: [`${reason}; grid size not tradeable, standing aside`],
    };
  }
  const orders = ordersRecord();
  const ids: string[] = [];
  for (let j = 1; j <= p.levels / 2; j++) {
    // Level j's buy below the price, then its sell above (the order their ids are numbered in).
    for (const side of ['buy', 'sell'] as const) {
      const at = tick(view, side === 'buy' ? price - j * spacing : price + j * spacing);
      const { id } = f.add({
        market: 'futures',
        side,
        type: 'limit',
        quantity,
        price: at,
        reason: LEVEL_REASONS[side][j] ?? `grid ${side} ${j}`,
      });
      orders[id] = { price: at, side };
      ids.push(id);
    }
  }
  remember(orders, ids);
  notes.push(`${reason}: grid ${p.levels} levels around ${price}, spacing ${spacing.toFixed(2)}`);
  return {
    intents: f.intents,
    cancels,
    state: { centre: price, lower: price - half, upper: price + half, spacing, quantity, orders, ind },
    notes,
  };
}
