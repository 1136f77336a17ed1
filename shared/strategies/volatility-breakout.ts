// volatility_breakout: a Bollinger squeeze (bandwidth in its lowest percentile over a look-back), then
// a close outside the band on above-average volume. 10x by default (still capped by the risk limits),
// ATR-based stop and target placed on the exchange with the entry, and a time exit after N bars.
import { z } from 'zod';
import { atr, bollinger, last, percentileRank, sma } from './indicators.ts';
import { quantityForPct, tick, tradeable } from './sizing.ts';
import { IntentFactory, type Strategy, type StrategyOutput } from './strategy.ts';

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
});
export type VolatilityBreakoutParams = z.infer<typeof VolatilityBreakoutParamsSchema>;

export interface VolatilityBreakoutState {
  /** Set while a trade of ours is open: when it started and its protective orders. */
  trade?: { enteredAt: number; side: 'long' | 'short'; protectiveIds: string[]; stopPrice: number };
}

const HOUR = 3_600_000;

export const volatilityBreakout: Strategy<VolatilityBreakoutParams, VolatilityBreakoutState> = {
  name: 'volatility_breakout',
  description:
    'Volatility breakout: waits for a Bollinger Band squeeze (bandwidth in its lowest percentile over a look-back), then enters on a close outside the band confirmed by above-average volume, at 10x by default (capped by the risk limits). Every entry carries an ATR-based stop-loss and take-profit on the exchange; a trade still open after N bars is closed.',
  paramsSchema: VolatilityBreakoutParamsSchema,
  timeframes: ['1h'],
  lookback: (p) => p.squeezeLookback + p.bbPeriod + p.squeezeWithinBars + 1,
  evaluate({ view, account, params: p, state }): StrategyOutput<VolatilityBreakoutState> {
    const f = new IntentFactory('volatility_breakout', view, {
      leverage: p.leverage,
      marginMode: account.marginMode,
    });
    const notes: string[] = [];
    const pos = account.position;
    const trade = state?.trade;

    if (trade && !pos) {
      // Stopped out or target hit on the exchange: forget the trade, cancel what is left of it.
      const open = new Set(account.openOrders.map((o) => o.clientOrderId));
      return {
        intents: [],
        cancels: trade.protectiveIds.filter((id) => open.has(id)),
        state: {},
        notes: ['trade closed on the exchange'],
      };
    }
    if (pos) {
      if (trade && view.time - trade.enteredAt >= p.maxBarsInTrade * HOUR) {
        f.closePosition(pos, `time exit after ${p.maxBarsInTrade} bars`);
        return { intents: f.intents, cancels: trade.protectiveIds, state: {}, notes: ['time exit'] };
      }
      const stopId = trade?.protectiveIds[0];
      if (trade && stopId && !account.openOrders.some((o) => o.clientOrderId === stopId)) {
        // The stop is not on the exchange (cancelled by hand, rejected): put it back, or close now if
        // the price is already past it.
        const exitSide = pos.side === 'long' ? 'sell' : 'buy';
        const past =
          pos.side === 'long' ? view.markPrice <= trade.stopPrice : view.markPrice >= trade.stopPrice;
        if (past) {
          f.closePosition(pos, 'stop missing and passed: close');
          return {
            intents: f.intents,
            cancels: trade.protectiveIds.slice(1),
            state: {},
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
          state: { trade: { ...trade, protectiveIds: [s.id, ...trade.protectiveIds.slice(1)] } },
          notes: ['stop restored'],
        };
      }
      return { intents: [], cancels: [], state: state ?? {}, notes };
    }

    const c = view.candles['1h'];
    if (!c || c.close.length < volatilityBreakout.lookback(p))
      return { intents: [], cancels: [], state: {}, notes: ['warming up'] };
    // Only the tail the indicators need: O(look-back) per tick whatever the history length.
    const from = c.close.length - volatilityBreakout.lookback(p);
    const close = c.close.subarray(from);
    const bands = bollinger(close, p.bbPeriod, p.bbStdDev);
    const i = close.length - 1;
    let squeezed = false;
    for (let j = i - p.squeezeWithinBars; j < i; j++) {
      if (percentileRank(bands.bandwidth, j, p.squeezeLookback) <= p.squeezePercentile) squeezed = true;
    }
    const volume = c.volume.subarray(from);
    const avgVolume = sma(volume.subarray(0, i), p.volumePeriod);
    const volumeOk = volume[i]! >= p.volumeMultiple * last(avgVolume);
    const side = close[i]! > bands.upper[i]! ? 'long' : close[i]! < bands.lower[i]! ? 'short' : undefined;
    if (!squeezed || !volumeOk || !side) return { intents: [], cancels: [], state: {}, notes };

    const a = last(atr(c.high.subarray(from), c.low.subarray(from), close, p.atrPeriod));
    const price = view.markPrice;
    const quantity = quantityForPct(account.equity, p.positionPct, price, view.futuresRules.stepSize);
    if (!(a > 0) || !tradeable(view, quantity, price))
      return { intents: [], cancels: [], state: {}, notes: ['breakout, but size or ATR unusable'] };
    const dir = side === 'long' ? 1 : -1;
    const exitSide = side === 'long' ? 'sell' : 'buy';
    f.add({
      market: 'futures',
      side: side === 'long' ? 'buy' : 'sell',
      type: 'market',
      quantity,
      reason: `squeeze breakout ${side}`,
    });
    const stopPrice = tick(view, price - dir * p.stopAtr * a);
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
      stopPrice: tick(view, price + dir * p.targetAtr * a),
      reduceOnly: true,
      reason: 'ATR target',
    });
    notes.push(`breakout ${side} at ${price}`);
    return {
      intents: f.intents,
      cancels: [],
      state: { trade: { enteredAt: view.time, side, protectiveIds: [stop.id, target.id], stopPrice } },
      notes,
    };
  },
};
