// Parameter schemas of the four strategies, by name — each defined beside its strategy. The config
// loader validates a user's strategy file against these.
import type { z } from 'zod';
import type { StrategyName } from '../domain/primitives.ts';
import { FundingArbitrageParamsSchema } from './funding-arbitrage.ts';
import { GridParamsSchema } from './grid.ts';
import { LongShortSwitchParamsSchema } from './long-short-switch.ts';
import { VolatilityBreakoutParamsSchema } from './volatility-breakout.ts';

export {
  FundingArbitrageParamsSchema,
  GridParamsSchema,
  LongShortSwitchParamsSchema,
  VolatilityBreakoutParamsSchema,
};

export const STRATEGY_PARAM_SCHEMAS = {
  funding_arbitrage: FundingArbitrageParamsSchema,
  grid: GridParamsSchema,
  long_short_switch: LongShortSwitchParamsSchema,
  volatility_breakout: VolatilityBreakoutParamsSchema,
} as const satisfies Record<StrategyName, z.ZodType>;

export type StrategyParams = { [K in StrategyName]: z.infer<(typeof STRATEGY_PARAM_SCHEMAS)[K]> };
