import { describe, expect, it } from 'vitest';
import {
  hedgeDeployment,
  meanAnnualCarryPct,
  plainCarryByYear,
} from '../../../shared/backtest/funding-carry.ts';

const at = (iso: string) => Date.parse(iso);

describe('plain funding carry and the deployment the limits allow', () => {
  const funding = {
    time: Float64Array.from([at('2020-12-31T08:00Z'), at('2020-12-31T16:00Z'), at('2021-01-01T00:00Z')]),
    rate: Float64Array.from([0.0003, -0.0001, 0.001]),
  };

  it('sums the rates a constant short receives per UTC year: 2020 0.03 − 0.01 = 0.02 %, 2021 0.1 %', () => {
    const years = plainCarryByYear(funding);
    expect(years.map((y) => [y.year, y.settlements])).toEqual([
      [2020, 2],
      [2021, 1],
    ]);
    expect(years[0]!.carryPct).toBeCloseTo(0.02, 12);
    expect(years[1]!.carryPct).toBeCloseTo(0.1, 12);
  });

  it('mean a year: 0.12 % over 3 settlements × 1,095 a year / 3 = 43.8 %', () => {
    expect(meanAnnualCarryPct(funding)).toBeCloseTo(43.8, 9);
  });

  it('2 symbols at 2x: 30 % each (capital 60 × 1.5 = 90 %); 3 symbols at 2x: capital binds at 22.2 % each', () => {
    const limits = { maxPositions: 3, positionSizeLimitPct: 30, leverage: 2 };
    expect(hedgeDeployment({ ...limits, symbols: 2 })).toEqual({
      hedges: 2,
      perHedgePct: 30,
      deployedPct: 60,
      capitalPct: 90,
    });
    const three = hedgeDeployment({ ...limits, symbols: 3 });
    // 100 / (3 × 1.5) = 22.22 %: 66.7 % deployed, all the capital tied.
    expect(three.perHedgePct).toBeCloseTo(100 / 4.5, 12);
    expect(three.capitalPct).toBeCloseTo(100, 12);
    expect(hedgeDeployment({ ...limits, symbols: 5 }).hedges).toBe(3);
  });
});
