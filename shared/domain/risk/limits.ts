// The risk limits every order passes, from the validated configuration (one source of truth).
import type { Config } from '../../config/env.ts';

export interface RiskLimits {
  maxLeverage: number;
  maxPositions: number;
  /** Largest position notional as percent of equity. */
  positionSizeLimitPct: number;
  /** Percent of start-of-day equity. */
  dailyLossLimitPct: number;
  /** Margin ratio (percent) an order may not push the account to. */
  marginRatioCriticalPct: number;
  /** Smallest liquidation distance (percent of mark) a new or enlarged position may have. */
  liquidationDistanceMinPct: number;
}

export function riskLimitsFrom(c: Config): RiskLimits {
  return {
    maxLeverage: c.MAX_LEVERAGE,
    maxPositions: c.MAX_POSITIONS_FUTURES,
    positionSizeLimitPct: c.POSITION_SIZE_LIMIT_PCT,
    dailyLossLimitPct: c.DAILY_LOSS_LIMIT,
    marginRatioCriticalPct: c.MARGIN_RATIO_CRITICAL_PCT,
    liquidationDistanceMinPct: c.LIQUIDATION_DISTANCE_MIN_PCT,
  };
}

/** The product defaults, for backtests and tests that do not read the environment. */
export const DEFAULT_RISK_LIMITS: RiskLimits = {
  maxLeverage: 20,
  maxPositions: 3,
  positionSizeLimitPct: 30,
  dailyLossLimitPct: 5,
  marginRatioCriticalPct: 80,
  liquidationDistanceMinPct: 5,
};
