// volatility_breakout with its stop and target as a bracket, against two plain orders, on a year of the
// shipped BTCUSDT data: the decisions are the same (the bracket changes how the legs are linked, not
// where they are), and scaled out the simulator resizes the stop after the first take-profit.
import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../shared/backtest/engine.ts';
import { bracketLegId } from '../../shared/domain/bracket.ts';
import { floorToStep } from '../../shared/domain/precision.ts';
import { loadDataset, sliceDataset } from '../../shared/market-data/dataset.ts';
import {
  VolatilityBreakoutParamsSchema,
  volatilityBreakout,
} from '../../shared/strategies/volatility-breakout.ts';

const year = sliceDataset(loadDataset('BTCUSDT'), Date.UTC(2024, 0, 1), Date.UTC(2025, 0, 1));
const run = (over: object) =>
  runBacktest({
    // biome-ignore lint/suspicious/noExplicitAny: the registry's strategies take any parameter type.
    strategy: volatilityBreakout as any,
    params: VolatilityBreakoutParamsSchema.parse(over),
    dataset: year,
  });

describe('volatility_breakout with brackets in the backtester', () => {
  it('a bracket with one target trades exactly as the plain stop and target did', () => {
    const plain = run({ bracket: false });
    const bracket = run({});
    expect(plain.trades.length).toBeGreaterThan(10);
    expect(bracket.metrics).toEqual(plain.metrics);
    expect(bracket.fills.map((f) => [f.time, f.side, f.quantity, f.price, f.orderType])).toEqual(
      plain.fills.map((f) => [f.time, f.side, f.quantity, f.price, f.orderType]),
    );
  });

  it('scaled out (half at 1 R, the rest at the target), the stop is resized after the first take-profit', () => {
    const r = run({ scaleOut: true });
    const entries = r.fills
      .filter((f) => f.orderType === 'market' && f.realizedPnl === 0)
      .map((f) => f.clientOrderId);
    const resized = new Set(entries.map((id) => bracketLegId(id, 'stop:1')));
    const resizedStopFills = r.fills.filter((f) => resized.has(f.clientOrderId));
    expect(resizedStopFills.length).toBeGreaterThan(0);
    // Each closes what the first take-profit left: the entry less its half floored to the 0.001 step
    // (0.023 → the take-profit 0.011, the stop 0.012).
    for (const f of resizedStopFills) {
      const entry = r.fills.find((e) => bracketLegId(e.clientOrderId, 'stop:1') === f.clientOrderId)!;
      expect(f.quantity).toBeCloseTo(entry.quantity - floorToStep(entry.quantity / 2, 0.001), 9);
    }
  });
});
