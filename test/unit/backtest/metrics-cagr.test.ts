import { describe, expect, it } from 'vitest';
import { cagr, computeMetrics } from '../../../shared/backtest/metrics.ts';

const metrics = (equity: number[], barsPerYear: number) =>
  computeMetrics({
    equity: Float64Array.from(equity),
    initialEquity: 100,
    trades: [],
    fees: 0,
    fundingPnl: 0,
    liquidations: 0,
    exposedBars: 0,
    barsPerYear,
  });

describe('cagr', () => {
  it('quadrupling in two years is 100 % a year (2² = 4)', () =>
    expect(cagr(100, 400, 2)).toBeCloseTo(100, 10));
  it('half a year at +21 % is +46.41 % a year (1.21² = 1.4641)', () =>
    expect(cagr(100, 121, 0.5)).toBeCloseTo(46.41, 10));
  it('a wiped-out account is −100 %', () => expect(cagr(100, 0, 1)).toBe(-100));
  it('an empty span is 0', () => expect(cagr(100, 120, 0)).toBe(0));
});

describe('computeMetrics: CAGR and Calmar', () => {
  it('4 bars at 2 bars a year = 2 years; 100 → 400 is 100 % a year; no drawdown → Calmar 0', () => {
    const m = metrics([150, 200, 300, 400], 2);
    expect(m.cagrPct).toBeCloseTo(100, 10);
    expect(m.calmar).toBe(0);
  });

  it('3 bars at 3 a year = 1 year; 100 → 400 with a 50 % drawdown: CAGR 300 %, Calmar 6', () => {
    const m = metrics([200, 100, 400], 3);
    expect(m.cagrPct).toBeCloseTo(300, 10);
    expect(m.maxDrawdownPct).toBeCloseTo(50, 10);
    expect(m.calmar).toBeCloseTo(6, 10);
  });
});
