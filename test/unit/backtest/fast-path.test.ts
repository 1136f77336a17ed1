// The engine's fast path (skip the intra-candle walk when no order or liquidation price is in the
// candle's reach) changes no result: over six months of real BTCUSDT 1h candles, every strategy makes
// the same fills and ends on the same equity as when every candle with a position or order is walked.
import { describe, expect, it } from 'vitest';
import { buyAndHold } from '../../../shared/backtest/buy-and-hold.ts';
import { runBacktest } from '../../../shared/backtest/engine.ts';
import { STRATEGIES } from '../../../shared/strategies/registry.ts';
import type { Strategy } from '../../../shared/strategies/strategy.ts';
import { multiYearDataset } from '../../bench/data.ts';

const dataset = multiYearDataset();
const from = Date.UTC(2023, 0, 1);
const to = Date.UTC(2023, 6, 1);

// biome-ignore lint/suspicious/noExplicitAny: strategies of different parameter types.
const cases: [string, Strategy<any, any>][] = [
  ['buy_and_hold', buyAndHold],
  ['grid', STRATEGIES.grid],
  ['long_short_switch', STRATEGIES.long_short_switch],
  ['volatility_breakout', STRATEGIES.volatility_breakout],
];

describe.each(cases)('fast path ↔ walking every candle, 2023-01 → 2023-06: %s', (_name, strategy) => {
  it('identical fills, liquidations and final equity', () => {
    const params = strategy.paramsSchema.parse({});
    const run = (walkEveryCandle: boolean) =>
      runBacktest({ strategy, params, dataset, from, to, slippagePct: 0.01, walkEveryCandle });
    const fast = run(false);
    const full = run(true);
    expect(full.fills.length).toBeGreaterThan(0);
    expect(fast.fills).toEqual(full.fills);
    expect(fast.liquidations).toEqual(full.liquidations);
    expect(fast.metrics.finalEquity).toBe(full.metrics.finalEquity);
  });
});
