// A backtest with every kind of trade marker, for the report tests: a scripted long that exits at a
// profit, one stopped out, and one at 15x isolated that a crash liquidates; hourly synthetic candles
// from 2025-11-20 to 2026-02-10 (four calendar months, two years).

import type { BacktestResult } from '../../shared/backtest/engine.ts';
import { runBacktest } from '../../shared/backtest/engine.ts';
import { floorToStep, roundToTick } from '../../shared/domain/precision.ts';
import { IntentFactory, type Strategy } from '../../shared/strategies/strategy.ts';
import { candles, HOUR } from './candles.ts';

export const RUN_START = Date.UTC(2025, 10, 20);
export const RUN_BARS = 82 * 24; // to 2026-02-10 00:00

/** Price level of bar i: 100, a rally to 110, a fall to 105 (through the stop), a crash to 94.5. */
function level(i: number): number {
  if (i < 100) return 100;
  if (i < 400) return 110;
  if (i < 1000) return 105;
  return 94.5;
}

export function scriptedCandles() {
  const rows: [number, number, number, number][] = [];
  let prev = level(0);
  for (let i = 0; i < RUN_BARS; i++) {
    const c = level(i);
    rows.push([prev, Math.max(prev, c) + 0.2, Math.min(prev, c) - 0.2, c]);
    prev = c;
  }
  return candles(rows, RUN_START);
}

type Phase = { phase: number };

/** Phase 0 → buy at bar 10; 1 → close at bar 150; 2 → buy 5x with a 2 % stop at bar 300; 3 → buy 15x at bar 600. */
const scripted: Strategy<Record<string, never>, Phase> = {
  name: 'scripted',
  description: 'test script',
  // biome-ignore lint/suspicious/noExplicitAny: a test strategy with no parameters.
  paramsSchema: {} as any,
  timeframes: ['1h'],
  lookback: () => 0,
  evaluate({ view, account, state }) {
    const s = state ?? { phase: 0 };
    const i = Math.round((view.time - RUN_START) / HOUR);
    const lev = s.phase >= 3 ? 15 : 5;
    const f = new IntentFactory('scripted', view, { leverage: lev, marginMode: 'isolated' });
    const qty = floorToStep((account.equity * 0.25) / view.markPrice, view.futuresRules.stepSize);
    const pos = account.position;
    let phase = s.phase;
    if (phase === 0 && i >= 10) {
      f.add({ market: 'futures', side: 'buy', type: 'market', quantity: qty, reason: 'entry 1' });
      phase = 1;
    } else if (phase === 1 && i >= 150 && pos) {
      f.closePosition(pos, 'take profit by hand');
      phase = 2;
    } else if (phase === 2 && i >= 300 && !pos) {
      f.add({ market: 'futures', side: 'buy', type: 'market', quantity: qty, reason: 'entry 2' });
      f.add({
        market: 'futures',
        side: 'sell',
        type: 'stop_market',
        quantity: qty,
        stopPrice: roundToTick(view.markPrice * 0.98, view.futuresRules.tickSize),
        reduceOnly: true,
        reason: 'stop',
      });
      phase = 3;
    } else if (phase === 3 && i >= 600 && !pos) {
      f.add({ market: 'futures', side: 'buy', type: 'market', quantity: qty, reason: 'entry 3, no stop' });
      phase = 4;
    }
    return { intents: f.intents, cancels: [], state: { phase }, notes: [] };
  },
};

export function scriptedRun(): BacktestResult {
  return runBacktest({
    strategy: scripted,
    params: {},
    dataset: {
      symbol: 'BTCUSDT',
      timeframe: '1h',
      candles: scriptedCandles(),
      funding: { time: new Float64Array(0), rate: new Float64Array(0) },
      gaps: [],
    },
    marginMode: 'isolated',
  });
}
