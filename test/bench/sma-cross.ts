// The peer comparison of `npm run bench`: one simple rule — long while the fast SMA of closes is above
// the slow one — run three ways on the same candles: through our full engine (a Strategy like the
// product's, streaming SMAs in its state, market orders through the risk check and the simulated
// exchange), through grademark 0.3.0 (a JavaScript backtester on npm, over a data-forge DataFrame), and
// as a hand-written loop. The engine and grademark must agree trade for trade: same entry and exit
// candles, same prices.
//
// Timing model, matched to grademark's (node_modules/grademark/build/lib/backtest.js): a signal on
// closed bar i enters or exits at bar i + 1's open; grademark evaluates no exit rule on the bar it
// enters and no entry rule on the bar it exits, so the engine strategy sits out the tick after each
// trade. Grademark is long-only by default, and so is this rule.
import { DataFrame } from 'data-forge';
import { backtest as grademarkBacktest, type IBar, type IStrategy } from 'grademark';
import { z } from 'zod';
import type { FillRecord } from '../../shared/adapters/sim/ledger.ts';
import { type CandleSeries, seriesLength, seriesSource } from '../../shared/domain/candles.ts';
import { NONE } from '../../shared/strategies/feed.ts';
import { sma } from '../../shared/strategies/indicators.ts';
import { quantityForPct } from '../../shared/strategies/sizing.ts';
import { IntentFactory, type Strategy } from '../../shared/strategies/strategy.ts';
import { newSma, type Sma, smaValue, updateSma } from '../../shared/strategies/streaming.ts';

export const SmaCrossParamsSchema = z.strictObject({
  fast: z.number().int().min(2).default(20),
  slow: z.number().int().min(3).default(50),
  positionPct: z.number().positive().max(100).default(20),
});
export type SmaCrossParams = z.infer<typeof SmaCrossParamsSchema>;

interface SmaCrossState {
  fast: Sma;
  slow: Sma;
  /** Open time of the last candle fed. */
  t: number;
  long: boolean;
  /** Sit out the next tick (the one after a trade). */
  skip: boolean;
}

/** Feeds the closed candles since the state's last one (the window on a cold start). */
function feed(s: SmaCrossState | undefined, c: CandleSeries, p: SmaCrossParams): SmaCrossState {
  const end = seriesLength(c);
  const src = seriesSource(c);
  let st = s;
  let from = end - p.slow;
  if (!st) st = { fast: newSma(p.fast), slow: newSma(p.slow), t: 0, long: false, skip: false };
  else while (from < end && src.time[from]! <= st.t) from++;
  for (let j = Math.max(0, from); j < end; j++) {
    updateSma(st.fast, src.close[j]!);
    updateSma(st.slow, src.close[j]!);
    st.t = src.time[j]!;
  }
  return st;
}

export const smaCross: Strategy<SmaCrossParams, SmaCrossState> = {
  name: 'sma_cross',
  description: 'Benchmark rule: long while the fast SMA of closes is above the slow one.',
  paramsSchema: SmaCrossParamsSchema,
  timeframes: ['1h'],
  lookback: (p) => p.slow + 1,
  evaluate({ view, account, params: p, state }) {
    const s = feed(state, view.candles['1h']!, p);
    if (s.skip) {
      s.skip = false;
      return { intents: NONE, cancels: NONE, state: s, notes: NONE };
    }
    const fast = smaValue(s.fast);
    const slow = smaValue(s.slow);
    const pos = account.position;
    if (s.long ? !(fast < slow && pos) : !(fast > slow))
      return { intents: NONE, cancels: NONE, state: s, notes: NONE };
    const f = new IntentFactory('sma_cross', view, { leverage: 1, marginMode: account.marginMode });
    if (!s.long) {
      const quantity = quantityForPct(
        account.equity,
        p.positionPct,
        view.markPrice,
        view.futuresRules.stepSize,
      );
      f.add({ market: 'futures', side: 'buy', type: 'market', quantity, reason: 'fast above slow' });
    } else f.closePosition(pos!, 'fast below slow');
    s.long = !s.long;
    s.skip = true;
    return { intents: f.intents, cancels: NONE, state: s, notes: NONE };
  },
};

/** A completed long trade: entry and exit bar open times and prices. */
export interface RoundTrip {
  entryTime: number;
  entryPrice: number;
  exitTime: number;
  exitPrice: number;
}

/** The engine's round trips from its fills (buy, then the closing sell). */
export function engineTrips(fills: readonly FillRecord[]): RoundTrip[] {
  const out: RoundTrip[] = [];
  for (let i = 0; i + 1 < fills.length; i += 2) {
    const a = fills[i]!;
    const b = fills[i + 1]!;
    out.push({ entryTime: a.time, entryPrice: a.price, exitTime: b.time, exitPrice: b.price });
  }
  return out;
}

interface SmaBar extends IBar {
  fastSma: number;
  slowSma: number;
}

/** The candles as grademark's input: a DataFrame of bars with both SMAs precomputed (its prepIndicators step). */
export function grademarkInput(c: CandleSeries, p: SmaCrossParams): DataFrame<number, SmaBar> {
  const fast = sma(c.close, p.fast);
  const slow = sma(c.close, p.slow);
  const rows: SmaBar[] = new Array(c.time.length);
  for (let i = 0; i < rows.length; i++)
    rows[i] = {
      time: new Date(c.time[i]!),
      open: c.open[i]!,
      high: c.high[i]!,
      low: c.low[i]!,
      close: c.close[i]!,
      volume: c.volume[i]!,
      fastSma: fast[i]!,
      slowSma: slow[i]!,
    };
  return new DataFrame<number, SmaBar>(rows);
}

/** The same rule in grademark; completed trades only (grademark closes an open one at the last close). */
export function grademarkTrips(input: DataFrame<number, SmaBar>, p: SmaCrossParams): RoundTrip[] {
  const strategy: IStrategy<SmaBar, SmaBar> = {
    // The engine's first decision is on bar `slow` (its look-back is slow + 1 candles).
    lookbackPeriod: p.slow + 1,
    entryRule: (enter, a) => {
      if (a.bar.fastSma > a.bar.slowSma) enter();
    },
    exitRule: (exit, a) => {
      if (a.bar.fastSma < a.bar.slowSma) exit();
    },
  };
  return grademarkBacktest(strategy, input)
    .filter((t) => t.exitReason !== 'finalize')
    .map((t) => ({
      entryTime: t.entryTime.getTime(),
      entryPrice: t.entryPrice,
      exitTime: t.exitTime.getTime(),
      exitPrice: t.exitPrice,
    }));
}

/** The rule as one loop over the arrays (running sums), with grademark's timing; returns the growth. */
export function handSmaCross(c: CandleSeries, p: SmaCrossParams): number {
  const n = c.time.length;
  let fastSum = 0;
  let slowSum = 0;
  let long = false;
  let skip = false;
  let entry = 0;
  let growth = 1;
  for (let i = 0; i < n - 1; i++) {
    const x = c.close[i]!;
    fastSum += x - (i >= p.fast ? c.close[i - p.fast]! : 0);
    slowSum += x - (i >= p.slow ? c.close[i - p.slow]! : 0);
    if (i < p.slow) continue;
    if (skip) {
      skip = false;
      continue;
    }
    const f = fastSum / p.fast;
    const s = slowSum / p.slow;
    if (!long && f > s) {
      entry = c.open[i + 1]!;
      long = true;
      skip = true;
    } else if (long && f < s) {
      growth *= c.open[i + 1]! / entry;
      long = false;
      skip = true;
    }
  }
  return growth;
}
