// Parameter schemas of the four strategies, with their defaults. The strategies issue grows these;
// the config loader validates a user's strategy file against them.
import { z } from 'zod';
import type { StrategyName } from '../domain/primitives.ts';

const leverage = (fallback: number) => z.number().int().min(1).max(20).default(fallback);
const pct = (fallback: number) => z.number().positive().max(100).default(fallback);

export const FundingArbitrageParamsSchema = z.strictObject({
  leverage: leverage(2),
  /** Enter when the funding rate per interval is at least this fraction (0.0003 = 0.03 %). */
  entryFundingRate: z.number().positive().max(0.01).default(0.0003),
  /** Exit when it falls below this fraction. */
  exitFundingRate: z.number().min(0).max(0.01).default(0.0001),
  /** Exit when perp-over-spot basis moves this many percent against the position. */
  maxBasisPct: pct(0.5),
  /** Notional per hedge, percent of equity. */
  positionPct: pct(20),
});

export const GridParamsSchema = z.strictObject({
  leverage: leverage(3),
  levels: z.number().int().min(2).max(50).default(10),
  /** Range half-width in ATRs around the centre. */
  atrMultiple: z.number().positive().max(20).default(3),
  atrPeriod: z.number().int().min(2).max(200).default(14),
  /** Notional of the whole grid, percent of equity. */
  positionPct: pct(20),
});

export const LongShortSwitchParamsSchema = z.strictObject({
  leverage: leverage(3),
  timeframes: z
    .array(z.enum(['15m', '1h', '4h', '1d']))
    .min(1)
    .max(4)
    .default(['1h', '4h']),
  fastEma: z.number().int().min(2).max(200).default(12),
  slowEma: z.number().int().min(3).max(400).default(26),
  rsiPeriod: z.number().int().min(2).max(100).default(14),
  trailingStopPct: pct(3),
  positionPct: pct(20),
});

export const VolatilityBreakoutParamsSchema = z.strictObject({
  leverage: leverage(10),
  bbPeriod: z.number().int().min(5).max(200).default(20),
  bbStdDev: z.number().positive().max(5).default(2),
  squeezePercentile: pct(20),
  atrPeriod: z.number().int().min(2).max(200).default(14),
  stopAtr: z.number().positive().max(20).default(1.5),
  targetAtr: z.number().positive().max(50).default(3),
  maxBarsInTrade: z.number().int().min(1).max(1000).default(24),
  positionPct: pct(10),
});

export const STRATEGY_PARAM_SCHEMAS = {
  funding_arbitrage: FundingArbitrageParamsSchema,
  grid: GridParamsSchema,
  long_short_switch: LongShortSwitchParamsSchema,
  volatility_breakout: VolatilityBreakoutParamsSchema,
} as const satisfies Record<StrategyName, z.ZodType>;

export type StrategyParams = { [K in StrategyName]: z.infer<(typeof STRATEGY_PARAM_SCHEMAS)[K]> };
