// Strategies the backtester can run: the product's strategies plus the built-in baseline.
import { STRATEGIES } from '../strategies/registry.ts';
import type { Strategy } from '../strategies/strategy.ts';
import { buyAndHold } from './buy-and-hold.ts';

// biome-ignore lint/suspicious/noExplicitAny: a registry holds strategies of different parameter types.
export const BACKTEST_STRATEGIES: Record<string, Strategy<any, any>> = {
  ...STRATEGIES,
  buy_and_hold: buyAndHold,
};
