import { describe, expect, it } from 'vitest';
import { periodReturns } from '../../../shared/backtest/periods.ts';

const H = 3_600_000;
const t0 = Date.UTC(2020, 11, 31, 22); // 2020-12-31 22:00

describe('periodReturns', () => {
  it('compounds each year from the previous year-end equity and tracks the drawdown inside it', () => {
    const time = [t0, t0 + H, t0 + 2 * H, t0 + 3 * H];
    // 2020: 100 → 110 → 99; 2021: 88 → 121
    const value = [110, 99, 88, 121];
    const years = periodReturns(time, value, 100, 'year');
    expect(years.map((y) => y.period)).toEqual(['2020', '2021']);
    expect(years[0]!.returnPct).toBeCloseTo(-1, 10);
    expect(years[0]!.maxDrawdownPct).toBeCloseTo(10, 10);
    expect(years[1]!.startEquity).toBe(99);
    expect(years[1]!.returnPct).toBeCloseTo((121 / 99 - 1) * 100, 10);
    // the peak of 110 carries into 2021: 88 is 20 % below it
    expect(years[1]!.maxDrawdownPct).toBeCloseTo(20, 10);
    expect(years[1]!.bars).toBe(2);
  });

  it('splits by UTC month and chains to the total return', () => {
    const time = [Date.UTC(2024, 0, 31, 23), Date.UTC(2024, 1, 1, 0), Date.UTC(2024, 2, 1, 0)];
    const value = [105, 84, 126];
    const months = periodReturns(time, value, 100, 'month');
    expect(months.map((m) => m.period)).toEqual(['2024-01', '2024-02', '2024-03']);
    const chained = months.reduce((acc, m) => acc * (1 + m.returnPct / 100), 1);
    expect(chained).toBeCloseTo(1.26, 12);
  });

  it('is empty for no bars and refuses mismatched arrays', () => {
    expect(periodReturns([], [], 100, 'year')).toEqual([]);
    expect(() => periodReturns([1], [], 100, 'year')).toThrow(/differ in length/);
  });
});
