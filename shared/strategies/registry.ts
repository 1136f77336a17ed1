// The product's strategies by name: the one list live ticks, `npm start`, /help and the backtester use.
import type { StrategyName } from '../domain/primitives.ts';
import { fundingArbitrage } from './funding-arbitrage.ts';
import { grid } from './grid.ts';
import { longShortSwitch } from './long-short-switch.ts';
import type { Strategy } from './strategy.ts';
import { volatilityBreakout } from './volatility-breakout.ts';

// biome-ignore lint/suspicious/noExplicitAny: a registry holds strategies of different parameter types.
export const STRATEGIES: Record<StrategyName, Strategy<any, any>> = {
  funding_arbitrage: fundingArbitrage,
  grid,
  long_short_switch: longShortSwitch,
  volatility_breakout: volatilityBreakout,
};
