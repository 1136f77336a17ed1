// volatility_breakout: a Bollinger squeeze (bandwidth in its lowest percentile over a look-back), then
// a close outside the band on above-average volume. 10x by default (still capped by the risk limits),
// ATR-based stop and target placed on the exchange with the entry, and a time exit after N bars.
import { z } from 'zod';
import { bracketLegs } from '../domain/bracket.ts';
import { type CandleSeries, seriesLength, seriesSource } from '../domain/candles.ts';
import type { FuturesOrder } from '../domain/order.ts';
import { type FeedMark, feedIndicators, isOpen, NONE } from './feed.ts';
import { quantityForPct, tick, tradeable } from './sizing.ts';
import {
  type AccountView,
  IntentFactory,
  type MarketView,
  type Strategy,
  type StrategyOutput,
} from './strategy.ts';
import {
  type Atr,
  atrValue,
  type Bollinger,
  bollingerBandwidth,
  bollingerLower,
  bollingerReady,
  bollingerUpper,
  newAtr,
  newBollinger,
  newPercentileRank,
  newSma,
  type PercentileRank,
  type Sma,
  smaValue,
  updateAtr,
  updateBollinger,
  updatePercentileRank,
  updateSma,
} from './streaming.ts';

export const VolatilityBreakoutParamsSchema = z.strictObject({
  leverage: z.number().int().min(1).max(20).default(10),
  bbPeriod: z.number().int().min(5).max(200).default(20),
  bbStdDev: z.number().positive().max(5).default(2),
  /** Bandwidth look-back for the percentile, in bars. */
  squeezeLookback: z.number().int().min(20).max(2_000).default(120),
  /** A squeeze: bandwidth at or below this percentile of the look-back. */
  squeezePercentile: z.number().positive().max(100).default(20),
  /** The squeeze must have happened within this many bars before the breakout. */
  squeezeWithinBars: z.number().int().min(1).max(100).default(6),
  volumePeriod: z.number().int().min(2).max(500).default(20),
  /** Breakout volume at least this multiple of the average. */
  volumeMultiple: z.number().positive().max(20).default(1.2),
  atrPeriod: z.number().int().min(2).max(200).default(14),
  stopAtr: z.number().positive().max(20).default(1.5),
  targetAtr: z.number().positive().max(50).default(3),
  maxBarsInTrade: z.number().int().min(1).max(1_000).default(24),
  /** Position notional, percent of equity. */
  positionPct: z.number().positive().max(100).default(10),
  /** Stop and target as one bracket (one cancels the other: shared/domain/bracket.ts); false: two plain orders. */
  bracket: z.boolean().default(true),
  /** With a bracket: half at 1 R (stopAtr), the rest at the target, the stop to break-even after the first. */
  scaleOut: z.boolean().default(false),
});
export type VolatilityBreakoutParams = z.infer<typeof VolatilityBreakoutParamsSchema>;

export interface VolatilityBreakoutState {
  /** Set while a trade of ours is open: when it started and its protective orders. */
  trade?: { enteredAt: number; side: 'long' | 'short'; protectiveIds: string[]; stopPrice: number };
  /** Streaming indicators, fed every tick (absent before the first full look-back). */
  ind?: BreakoutIndicators;
}

/** The breakout's indicators as plain data (./streaming.ts), fed one closed candle at a time. */
export interface BreakoutIndicators extends FeedMark {
  bands: Bollinger;
  bandwidthRank: PercentileRank;
  /** Bars from the last candle fed back to the latest squeeze at or before it (capped). */
  sinceSqueeze: number;
  /** The same, for the latest squeeze strictly before the last candle: the entry rule's window. */
  squeezeBefore: number;
  volume: Sma;
  /** Average volume of the `volumePeriod` candles before the last one; null until known. */
  volumeBefore: number | null;
  atr: Atr;
}

const FAR = 1e9;
const INDICATOR_PARAMS = [
  'bbPeriod',
  'bbStdDev',
  'squeezeLookback',
  'squeezePercentile',
  'volumePeriod',
  'atrPeriod',
] as const;

/**
 * Brings the indicators up to the view's last closed candle: the candles since the last one fed, or on a
 * cold start the look-back window (bands, bandwidth rank and volume then equal a years-long run exactly;
 * the ATR's Wilder seed sits at the window's start instead of years back — its weight after the
 * window is (1 − 1/atrPeriod)^(window − atrPeriod), ≈ 1e-4 at the defaults — and fades from there).
 * Undefined while the view holds less than the look-back.
 */
export function feedBreakout(
  ind: BreakoutIndicators | undefined,
  c: CandleSeries | undefined,
  p: VolatilityBreakoutParams,
): BreakoutIndicators | undefined {
  return feedIndicators(ind, c, p, INDICATOR_PARAMS, breakoutWindow, newBreakoutIndicators, stepBreakout);
}

/** The cold-start window (a module function: no closure per tick). */
function breakoutWindow(p: VolatilityBreakoutParams): number {
  return volatilityBreakout.lookback(p);
}

function newBreakoutIndicators(p: VolatilityBreakoutParams, fp: string): BreakoutIndicators {
  return {
    fp,
    t: 0,
    bands: newBollinger(p.bbPeriod, p.bbStdDev),
    bandwidthRank: newPercentileRank(p.squeezeLookback),
    sinceSqueeze: FAR,
    squeezeBefore: FAR,
    volume: newSma(p.volumePeriod),
    volumeBefore: null,
    atr: newAtr(p.atrPeriod),
  };
}

function stepBreakout(
  s: BreakoutIndicators,
  src: CandleSeries,
  j: number,
  p: VolatilityBreakoutParams,
): void {
  const close = src.close[j]!;
  updateBollinger(s.bands, close);
  s.squeezeBefore = Math.min(s.sinceSqueeze + 1, FAR);
  s.sinceSqueeze = s.squeezeBefore;
  if (bollingerReady(s.bands)) {
    const rank = updatePercentileRank(s.bandwidthRank, bollingerBandwidth(s.bands));
    if (rank <= p.squeezePercentile) s.sinceSqueeze = 0;
  }
  const before = smaValue(s.volume);
  s.volumeBefore = Number.isNaN(before) ? null : before;
  updateSma(s.volume, src.volume[j]!);
  updateAtr(s.atr, src.high[j]!, src.low[j]!, close);
}

const HOUR = 3_600_000;

/** A new state holding only the indicators (a trade just ended, or none began). */
const fresh = (ind: BreakoutIndicators | undefined): VolatilityBreakoutState => (ind ? { ind } : {});

/** A new state with a trade (the same keys, in the same order, as a spread of fresh(ind) and it). */
const withTrade = (
  ind: BreakoutIndicators | undefined,
  trade: NonNullable<VolatilityBreakoutState['trade']>,
): VolatilityBreakoutState => (ind ? { ind, trade } : { trade });

/** Nothing to do this tick: the same state object, its indicators moved on (no allocation). */
function same(
  state: VolatilityBreakoutState | undefined,
  ind: BreakoutIndicators | undefined,
): VolatilityBreakoutState {
  if (!state) return fresh(ind);
  if (ind) state.ind = ind;
  else delete state.ind;
  return state;
}

/**
 * Scaled out, the bracket's stop is resized after the first take-profit (a new order id): whether a
 * reduce-only stop on the exit side is open (a module function, no closure per tick).
 */
function hasExitStop(open: readonly FuturesOrder[], exit: 'buy' | 'sell'): boolean {
  for (let i = 0; i < open.length; i++) {
    const o = open[i]!;
    if (o.type === 'stop_market' && o.reduceOnly && o.side === exit) return true;
  }
  return false;
}

const factoryFor = (view: MarketView, account: AccountView, p: VolatilityBreakoutParams) =>
  new IntentFactory('volatility_breakout', view, { leverage: p.leverage, marginMode: account.marginMode });

export const volatilityBreakout: Strategy<VolatilityBreakoutParams, VolatilityBreakoutState> = {
  name: 'volatility_breakout',
  description:
    'Volatility breakout: waits for a Bollinger Band squeeze (bandwidth in its lowest percentile over a look-back), then enters on a close outside the band confirmed by above-average volume, at 10x by default (capped by the risk limits). Every entry carries an ATR-based stop-loss and take-profit on the exchange; a trade still open after N bars is closed.',
  paramsSchema: VolatilityBreakoutParamsSchema,
  timeframes: ['1h'],
  lookback: (p) => p.squeezeLookback + p.bbPeriod + p.squeezeWithinBars + 1,
  evaluate({ view, account, params: p, state }): StrategyOutput<VolatilityBreakoutState> {
    const ind = feedBreakout(state?.ind, view.candles['1h'], p);
    const pos = account.position;
    const trade = state?.trade;

    if (trade && !pos) {
      // Stopped out or target hit on the exchange: forget the trade, cancel what is left of it.
      return {
        intents: [],
        cancels: trade.protectiveIds.filter((id) => isOpen(account.openOrders, id)),
        state: fresh(ind),
        notes: ['trade closed on the exchange'],
      };
    }
    if (pos) {
      if (trade && view.time - trade.enteredAt >= p.maxBarsInTrade * HOUR) {
        const f = factoryFor(view, account, p);
        f.closePosition(pos, `time exit after ${p.maxBarsInTrade} bars`);
        return { intents: f.intents, cancels: trade.protectiveIds, state: fresh(ind), notes: ['time exit'] };
      }
      const stopId = trade?.protectiveIds[0];
      if (
        trade &&
        stopId &&
        !isOpen(account.openOrders, stopId) &&
        !(p.scaleOut && hasExitStop(account.openOrders, pos.side === 'long' ? 'sell' : 'buy'))
      ) {
        // The stop is not on the exchange (cancelled by hand, rejected): put it back, or close now if
        // the price is already past it.
        const f = factoryFor(view, account, p);
        const exitSide = pos.side === 'long' ? 'sell' : 'buy';
        const past =
          pos.side === 'long' ? view.markPrice <= trade.stopPrice : view.markPrice >= trade.stopPrice;
        if (past) {
          f.closePosition(pos, 'stop missing and passed: close');
          return {
            intents: f.intents,
            cancels: trade.protectiveIds.slice(1),
            state: fresh(ind),
            notes: ['stop missing and passed'],
          };
        }
        const s = f.add({
          market: 'futures',
          side: exitSide,
          type: 'stop_market',
          quantity: pos.quantity,
          stopPrice: trade.stopPrice,
          reduceOnly: true,
          reason: 'restore ATR stop',
        });
        return {
          intents: f.intents,
          cancels: [],
          state: withTrade(ind, { ...trade, protectiveIds: [s.id, ...trade.protectiveIds.slice(1)] }),
          notes: ['stop restored'],
        };
      }
      return { intents: NONE, cancels: NONE, state: same(state, ind), notes: NONE };
    }

    if (!ind) return { intents: [], cancels: [], state: {}, notes: ['warming up'] };
    const c = view.candles['1h']!;
    const last = seriesLength(c) - 1;
    const close = seriesSource(c).close[last]!;
    const squeezed = ind.squeezeBefore <= p.squeezeWithinBars;
    const volumeOk =
      ind.volumeBefore !== null && seriesSource(c).volume[last]! >= p.volumeMultiple * ind.volumeBefore;
    const side =
      close > bollingerUpper(ind.bands) ? 'long' : close < bollingerLower(ind.bands) ? 'short' : undefined;
    if (!squeezed || !volumeOk || !side)
      return { intents: NONE, cancels: NONE, state: same(state, ind), notes: NONE };

    const a = atrValue(ind.atr);
    const price = view.markPrice;
    const quantity = quantityForPct(account.equity, p.positionPct, price, view.futuresRules.stepSize);
    if (!(a > 0) || !tradeable(view, quantity, price))
      return { intents: [], cancels: [], state: fresh(ind), notes: ['breakout, but size or ATR unusable'] };
    const f = factoryFor(view, account, p);
    const notes: string[] = [];
    const dir = side === 'long' ? 1 : -1;
    const exitSide = side === 'long' ? 'sell' : 'buy';
    const stopPrice = tick(view, price - dir * p.stopAtr * a);
    const targetPrice = tick(view, price + dir * p.targetAtr * a);
    const entrySide = side === 'long' ? 'buy' : 'sell';
    const reason = `squeeze breakout ${side}`;
    let protectiveIds: string[];
    if (p.bracket) {
      const half = p.scaleOut && quantity >= 2 * view.futuresRules.stepSize;
      // The entry's fields written out, not a spread of a shared entry and one more key: in V8 (Node
      // 20) that spread cost ~4 µs per entry, more than building and validating the intent.
      const parent = f.add({
        market: 'futures',
        side: entrySide,
        type: 'market',
        quantity,
        reason,
        bracket: {
          stopPrice,
          takeProfits: half
            ? [
                { price: tick(view, price + dir * p.stopAtr * a), fraction: 0.5 },
                { price: targetPrice, fraction: 0.5 },
              ]
            : [{ price: targetPrice, fraction: 1 }],
          breakEvenAfterFirst: half,
        },
      });
      const legs = bracketLegs(parent, view.futuresRules.stepSize);
      f.intents.push(...legs);
      protectiveIds = legs.map((l) => l.id);
    } else {
      f.add({ market: 'futures', side: entrySide, type: 'market', quantity, reason });
      const stop = f.add({
        market: 'futures',
        side: exitSide,
        type: 'stop_market',
        quantity,
        stopPrice,
        reduceOnly: true,
        reason: 'ATR stop',
      });
      const target = f.add({
        market: 'futures',
        side: exitSide,
        type: 'take_profit_market',
        quantity,
        stopPrice: targetPrice,
        reduceOnly: true,
        reason: 'ATR target',
      });
      protectiveIds = [stop.id, target.id];
    }
    notes.push(`breakout ${side} at ${price}`);
    return {
      intents: f.intents,
      cancels: [],
      state: withTrade(ind, { enteredAt: view.time, side, protectiveIds, stopPrice }),
      notes,
    };
  },
};
