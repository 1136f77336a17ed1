// long_short_switch: trend from several timeframes (fast EMA vs slow EMA on each), entered when all
// agree and the momentum (RSI) and volume filters pass; a confirmed flip closes the position and opens
// the other side. A trailing stop on the exchange only ratchets in the profitable direction.
import { z } from 'zod';
import { seriesLength, seriesSource, TimeframeSchema } from '../domain/candles.ts';
import { isOpen, NONE } from './feed.ts';
import { quantityForPct, tick, tradeable } from './sizing.ts';
import { IntentFactory, type Strategy, type StrategyOutput } from './strategy.ts';
import { rsiValue } from './streaming.ts';
import { feedSwitch, type SwitchIndicators, type Trend, trendOf } from './switch-indicators.ts';

export const LongShortSwitchParamsSchema = z
  .strictObject({
    leverage: z.number().int().min(1).max(20).default(3),
    /** Trend timeframes; all must agree. 1h is the execution timeframe. */
    timeframes: z
      .array(TimeframeSchema.exclude(['15m']))
      .min(1)
      .max(3)
      .default(['1h', '4h']),
    fastEma: z.number().int().min(2).max(200).default(12),
    slowEma: z.number().int().min(3).max(400).default(26),
    rsiPeriod: z.number().int().min(2).max(100).default(14),
    /** Longs need RSI above this, shorts below 100 − this. */
    rsiThreshold: z.number().min(0).max(100).default(50),
    volumePeriod: z.number().int().min(2).max(500).default(20),
    /** Entry needs the last volume at least this multiple of its average. */
    volumeMultiple: z.number().min(0).max(20).default(0.8),
    /** A flip counts once it has held this many consecutive ticks. */
    confirmBars: z.number().int().min(1).max(24).default(2),
    trailingStopPct: z.number().positive().max(50).default(3),
    positionPct: z.number().positive().max(100).default(20),
  })
  .refine((p) => p.fastEma < p.slowEma, { error: 'fastEma must be below slowEma' });
export type LongShortSwitchParams = z.infer<typeof LongShortSwitchParamsSchema>;

export interface LongShortSwitchState {
  signal: Trend;
  /** Consecutive ticks the current signal has held. */
  held: number;
  /** Our protective trailing stop while a position of ours is open. */
  stop?: { id: string; price: number; extreme: number; side: 'long' | 'short' };
  /** Streaming indicators, fed every tick. */
  ind?: SwitchIndicators;
}

const TF_HOURS = { '1h': 1, '4h': 4, '1d': 24 } as const;

export { feedSwitch, type SwitchIndicators } from './switch-indicators.ts';

export const longShortSwitch: Strategy<LongShortSwitchParams, LongShortSwitchState> = {
  name: 'long_short_switch',
  description:
    'Long/short switching: reads the trend on several timeframes (fast EMA above or below slow EMA on 1h and 4h by default) and holds the side they agree on, entering only when momentum (RSI) and volume confirm. A flip that holds for N bars closes the position and opens the other side; a trailing stop on the exchange follows the best price and never moves back.',
  paramsSchema: LongShortSwitchParamsSchema,
  timeframes: ['1h', '4h', '1d'],
  lookback: (p) => Math.max(...p.timeframes.map((tf) => TF_HOURS[tf])) * p.slowEma * 3 + 1,
  evaluate({ view, account, params: p, state }): StrategyOutput<LongShortSwitchState> {
    const ind = feedSwitch(state?.ind, view, p, longShortSwitch.lookback(p));
    const prev: LongShortSwitchState = state ?? { signal: 'none', held: 0 };
    const trend = trendOf(ind, p);
    const held = trend === prev.signal ? prev.held + 1 : 1;
    const confirmed = held >= p.confirmBars ? trend : 'none';
    const pos = account.position;
    const price = view.markPrice;
    // A quiet tick — flat with no confirmed trend and no stop of ours to look after — changes only the
    // indicators and the signal count: the same state object back, nothing allocated.
    if (!pos && !prev.stop && confirmed === 'none' && state) {
      state.signal = trend;
      state.held = held;
      if (ind) state.ind = ind;
      else delete state.ind;
      return { intents: NONE, cancels: NONE, state, notes: NONE };
    }
    const f = new IntentFactory('long_short_switch', view, {
      leverage: p.leverage,
      marginMode: account.marginMode,
    });
    const cancels: string[] = [];
    const notes: string[] = [];
    let stop = prev.stop;

    if (stop && pos && pos.side === stop.side && !isOpen(account.openOrders, stop.id)) {
      // Our stop id is not on the exchange. The position monitor moves trailing stops between ticks
      // (a new order id): adopt the best protective stop that is there. None (rejected, cancelled by
      // hand): the restore branch below re-places it.
      const dir = stop.side === 'long' ? 1 : -1;
      const closeSide = stop.side === 'long' ? 'sell' : 'buy';
      const best = account.openOrders
        .filter(
          (o) =>
            o.symbol === pos.symbol &&
            o.type === 'stop_market' &&
            o.reduceOnly &&
            o.side === closeSide &&
            o.stopPrice !== undefined,
        )
        .sort((a, b) => (b.stopPrice! - a.stopPrice!) * dir)[0];
      stop = best ? { ...stop, id: best.clientOrderId, price: best.stopPrice! } : undefined;
    } else if (stop && (!pos || pos.side !== stop.side)) {
      // Our position is gone (the trailing stop filled): drop the stop record, cancel it if it lingers.
      if (account.openOrders.some((o) => o.clientOrderId === stop!.id)) cancels.push(stop.id);
      stop = undefined;
    }

    const want = confirmed === 'up' ? 'long' : confirmed === 'down' ? 'short' : undefined;
    let flat = !pos;
    if (pos && want && pos.side !== want) {
      f.closePosition(pos, `trend flipped ${confirmed}`);
      if (stop) cancels.push(stop.id);
      stop = undefined;
      flat = true;
      notes.push(`close ${pos.side}: trend ${confirmed}`);
    }

    if (flat && want) {
      const c = view.candles['1h']!;
      const r = ind ? rsiValue(ind.rsi) : Number.NaN;
      const lastVolume = seriesSource(c).volume[seriesLength(c) - 1]!;
      const volumeOk =
        ind?.volumeBefore !== null &&
        ind?.volumeBefore !== undefined &&
        lastVolume >= p.volumeMultiple * ind.volumeBefore;
      const momentumOk = want === 'long' ? r > p.rsiThreshold : r < 100 - p.rsiThreshold;
      const quantity = quantityForPct(account.equity, p.positionPct, price, view.futuresRules.stepSize);
      if (momentumOk && volumeOk && tradeable(view, quantity, price)) {
        const dir = want === 'long' ? 1 : -1;
        f.add({
          market: 'futures',
          side: want === 'long' ? 'buy' : 'sell',
          type: 'market',
          quantity,
          reason: `trend ${confirmed} on ${p.timeframes.join('/')}`,
        });
        const stopPrice = tick(view, price * (1 - (dir * p.trailingStopPct) / 100));
        const s = f.add({
          market: 'futures',
          side: want === 'long' ? 'sell' : 'buy',
          type: 'stop_market',
          quantity,
          stopPrice,
          reduceOnly: true,
          trailingStopPct: p.trailingStopPct,
          reason: 'trailing stop',
        });
        stop = { id: s.id, price: stopPrice, extreme: price, side: want };
        notes.push(`open ${want}`);
      } else {
        notes.push(
          `trend ${confirmed}, filters not met (RSI ${r.toFixed(1)}, volume ${volumeOk ? 'ok' : 'low'})`,
        );
      }
    } else if (pos && stop && pos.side === stop.side) {
      // Ratchet: follow the best price since entry, only ever towards profit, in whole ticks.
      const dir = pos.side === 'long' ? 1 : -1;
      const extreme = dir > 0 ? Math.max(stop.extreme, price) : Math.min(stop.extreme, price);
      const wanted = tick(view, extreme * (1 - (dir * p.trailingStopPct) / 100));
      if ((wanted - stop.price) * dir >= view.futuresRules.tickSize) {
        cancels.push(stop.id);
        const s = f.add({
          market: 'futures',
          side: dir > 0 ? 'sell' : 'buy',
          type: 'stop_market',
          quantity: pos.quantity,
          stopPrice: wanted,
          reduceOnly: true,
          trailingStopPct: p.trailingStopPct,
          reason: 'trailing stop moved',
        });
        stop = { id: s.id, price: wanted, extreme, side: pos.side };
      } else {
        // A literal, not a spread of the old record: the spread was this strategy's costliest line.
        stop = { id: stop.id, price: stop.price, extreme, side: stop.side };
      }
    } else if (pos && !stop) {
      // A position of ours without a protective stop (e.g. its stop was cancelled): restore it.
      const dir = pos.side === 'long' ? 1 : -1;
      const stopPrice = tick(view, price * (1 - (dir * p.trailingStopPct) / 100));
      const s = f.add({
        market: 'futures',
        side: dir > 0 ? 'sell' : 'buy',
        type: 'stop_market',
        quantity: pos.quantity,
        stopPrice,
        reduceOnly: true,
        trailingStopPct: p.trailingStopPct,
        reason: 'restore protective stop',
      });
      stop = { id: s.id, price: stopPrice, extreme: price, side: pos.side };
    }
    return {
      intents: f.intents,
      cancels,
      state: { signal: trend, held, ...(stop ? { stop } : {}), ...(ind ? { ind } : {}) },
      notes,
    };
  },
};
