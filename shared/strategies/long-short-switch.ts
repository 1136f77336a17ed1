// long_short_switch: trend from several timeframes (fast EMA vs slow EMA on each), entered when all
// agree and the momentum (RSI) and volume filters pass; a confirmed flip closes the position and opens
// the other side. A trailing stop on the exchange only ratchets in the profitable direction.
import { z } from 'zod';
import { bracketLegs } from '../domain/bracket.ts';
import { seriesLength, seriesSource, TimeframeSchema } from '../domain/candles.ts';
import type { OrderIntent } from '../domain/order.ts';
import { isOpen, NONE } from './feed.ts';
import { quantityForPct, tick, tradeable } from './sizing.ts';
import {
  type AccountView,
  IntentFactory,
  type MarketView,
  type Strategy,
  type StrategyInput,
  type StrategyOutput,
} from './strategy.ts';
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
  lookback,
  evaluate({ view, account, params: p, state }): StrategyOutput<LongShortSwitchState> {
    const ind = feedSwitch(state?.ind, view, p, lookback(p));
    const trend = trendOf(ind, p);
    const held = state && trend === state.signal ? state.held + 1 : 1;
    return (
      quietTick(state, ind, trend, held, view, account, p) ??
      actOnTrend({ view, account, params: p, state }, ind, trend, held)
    );
  },
};

/**
 * The ticks with nothing to do, answered without the full decision (actOnTrend): flat with no
 * confirmed trend and no stop of ours to look after, or a held position whose stop is ours and open,
 * with no flip to act on and no ratchet step. Only the indicators, the signal count and (held) the
 * best price seen move: the same state object back, nothing allocated. Undefined: not quiet.
 * test/unit/strategies/long-short-switch-quiet.test.ts holds this to actOnTrend on six years.
 */
export function quietTick(
  state: LongShortSwitchState | undefined,
  ind: SwitchIndicators | undefined,
  trend: Trend,
  held: number,
  view: MarketView,
  account: AccountView,
  p: LongShortSwitchParams,
): StrategyOutput<LongShortSwitchState> | undefined {
  if (!state) return undefined;
  const confirmed = held >= p.confirmBars ? trend : 'none';
  const pos = account.position;
  const stop = state.stop;
  if (!pos) return !stop && confirmed === 'none' ? quiet(state, trend, held, ind) : undefined;
  const want = confirmed === 'up' ? 'long' : confirmed === 'down' ? 'short' : undefined;
  if (!stop || pos.side !== stop.side || (want && want !== pos.side) || !isOpen(account.openOrders, stop.id))
    return undefined;
  const extreme = trailExtreme(pos.side, stop.extreme, view.markPrice);
  if (stopMoves(view, pos.side, stop.price, extreme, p)) return undefined;
  stop.extreme = extreme;
  return quiet(state, trend, held, ind);
}

/**
 * The full decision of a tick that is not quiet: `ind` fed to this tick, `trend` read from it, `held`
 * the ticks it has held. Exported for the test that holds quietTick to it.
 */
export function actOnTrend(
  { view, account, params: p, state }: StrategyInput<LongShortSwitchParams, LongShortSwitchState>,
  ind: SwitchIndicators | undefined,
  trend: Trend,
  held: number,
): StrategyOutput<LongShortSwitchState> {
  const prev: LongShortSwitchState = state ?? { signal: 'none', held: 0 };
  const confirmed = held >= p.confirmBars ? trend : 'none';
  const pos = account.position;
  const price = view.markPrice;
  const want = confirmed === 'up' ? 'long' : confirmed === 'down' ? 'short' : undefined;
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
      const stopPrice = tick(view, price * (1 - (dir * p.trailingStopPct) / 100));
      // The entry carries its trailing stop as a bracket: the position monitor cancels the stop the
      // moment the position is gone, instead of this strategy at its next tick.
      const entry = f.add({
        market: 'futures',
        side: want === 'long' ? 'buy' : 'sell',
        type: 'market',
        quantity,
        reason: `trend ${confirmed} on ${p.timeframes.join('/')}`,
        bracket: { stopPrice, stopTrailingPct: p.trailingStopPct },
      });
      const [s] = bracketLegs(entry, view.futuresRules.stepSize) as [OrderIntent];
      f.intents.push(s);
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
    const extreme = trailExtreme(pos.side, stop.extreme, price);
    const wanted = trailStop(view, pos.side, extreme, p);
    if (ratchets(view, pos.side, stop.price, wanted)) {
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
  const next: LongShortSwitchState = { signal: trend, held };
  if (stop) next.stop = stop;
  if (ind) next.ind = ind;
  return { intents: f.intents, cancels, state: next, notes };
}

/** The last parameters asked about and their look-back: a backtest asks for the same every tick. */
let lookbackOf: LongShortSwitchParams | undefined;
let lookbackHours = 0;

/** The longest trend timeframe × slowEma × 3 closes, + 1 (a loop: no array per tick). */
function lookback(p: LongShortSwitchParams): number {
  if (p !== lookbackOf) {
    let hours = 0;
    for (let i = 0; i < p.timeframes.length; i++) hours = Math.max(hours, TF_HOURS[p.timeframes[i]!]);
    lookbackOf = p;
    lookbackHours = hours;
  }
  return lookbackHours * p.slowEma * 3 + 1;
}

/**
 * A quiet tick: the same state object back with the indicators and the signal count moved on, the
 * shared empty lists (./feed.ts NONE), nothing else allocated.
 */
function quiet(
  state: LongShortSwitchState,
  signal: Trend,
  held: number,
  ind: SwitchIndicators | undefined,
): StrategyOutput<LongShortSwitchState> {
  state.signal = signal;
  state.held = held;
  if (ind) state.ind = ind;
  else delete state.ind;
  return { intents: NONE, cancels: NONE, state, notes: NONE };
}

type Side = 'long' | 'short';

/** The best price since entry: the highest for a long, the lowest for a short. */
function trailExtreme(side: Side, extreme: number, price: number): number {
  return side === 'long' ? Math.max(extreme, price) : Math.min(extreme, price);
}

/** Where the trailing stop belongs for that best price, on the tick. */
function trailStop(view: MarketView, side: Side, extreme: number, p: LongShortSwitchParams): number {
  const dir = side === 'long' ? 1 : -1;
  return tick(view, extreme * (1 - (dir * p.trailingStopPct) / 100));
}

/** The inputs of stopMoves' last answer, and the answer. */
const lastStopMove = {
  side: '',
  current: Number.NaN,
  extreme: Number.NaN,
  tick: Number.NaN,
  pct: Number.NaN,
  moves: false,
};

/**
 * Whether the stop at `current` ratchets for the best price `extreme`: `ratchets` of the stop wanted
 * (trailStop), or its last answer when every input is the same as then. A held position's best price
 * stays put on most ticks, and rounding the wanted stop to the tick was most of such a quiet tick.
 */
function stopMoves(view: MarketView, side: Side, current: number, extreme: number, p: LongShortSwitchParams) {
  const m = lastStopMove;
  const tick = view.futuresRules.tickSize;
  const pct = p.trailingStopPct;
  if (m.side === side && m.current === current && m.extreme === extreme && m.tick === tick && m.pct === pct)
    return m.moves;
  m.moves = ratchets(view, side, current, trailStop(view, side, extreme, p));
  m.side = side;
  m.current = current;
  m.extreme = extreme;
  m.tick = tick;
  m.pct = pct;
  return m.moves;
}

/** True when the stop moves: at least a whole tick, towards profit only. */
function ratchets(view: MarketView, side: Side, current: number, wanted: number): boolean {
  return (wanted - current) * (side === 'long' ? 1 : -1) >= view.futuresRules.tickSize;
}
