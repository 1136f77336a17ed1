// The risk limits come from the validated configuration, one field each, and default to the product's.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../shared/config/env.ts';
import { DEFAULT_RISK_LIMITS, riskLimitsFrom } from '../../../shared/domain/risk/limits.ts';

describe('risk limits', () => {
  it('takes every limit from its own configuration variable', () => {
    const c = loadConfig({
      MAX_LEVERAGE: '7',
      MAX_POSITIONS_FUTURES: '2',
      POSITION_SIZE_LIMIT_PCT: '25',
      DAILY_LOSS_LIMIT: '4',
      MARGIN_RATIO_WARN_PCT: '40',
      MARGIN_RATIO_CRITICAL_PCT: '70',
      LIQUIDATION_DISTANCE_MIN_PCT: '6',
    });
    expect(riskLimitsFrom(c)).toEqual({
      maxLeverage: 7,
      maxPositions: 2,
      positionSizeLimitPct: 25,
      dailyLossLimitPct: 4,
      marginRatioCriticalPct: 70,
      liquidationDistanceMinPct: 6,
    });
  });

  it("defaults to the product's limits: 20x, 3 positions, 30 % size, 5 % daily loss, 80 % margin ratio, 5 % liquidation distance", () => {
    expect(DEFAULT_RISK_LIMITS).toEqual({
      maxLeverage: 20,
      maxPositions: 3,
      positionSizeLimitPct: 30,
      dailyLossLimitPct: 5,
      marginRatioCriticalPct: 80,
      liquidationDistanceMinPct: 5,
    });
    expect(riskLimitsFrom(loadConfig({}))).toEqual(DEFAULT_RISK_LIMITS);
  });
});
