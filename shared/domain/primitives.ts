// Shared zod building blocks for the domain: symbols, sides, finite positive numbers.
import { z } from 'zod';

/** A Binance USD-M perpetual symbol quoted in USDT, e.g. BTCUSDT. */
export const SymbolSchema = z
  .string()
  .regex(/^[A-Z0-9]{2,20}USDT$/, { error: 'must be an upper-case USDT-quoted symbol such as BTCUSDT' });
export type Symbol = z.infer<typeof SymbolSchema>;

export const PositionSideSchema = z.enum(['long', 'short']);
export type PositionSide = z.infer<typeof PositionSideSchema>;

export const OrderSideSchema = z.enum(['buy', 'sell']);
export type OrderSide = z.infer<typeof OrderSideSchema>;

export const MarginModeSchema = z.enum(['isolated', 'cross']);
export type MarginMode = z.infer<typeof MarginModeSchema>;

export const StrategyNameSchema = z.enum([
  'funding_arbitrage',
  'grid',
  'long_short_switch',
  'volatility_breakout',
]);
export type StrategyName = z.infer<typeof StrategyNameSchema>;
export const STRATEGY_NAMES = StrategyNameSchema.options;

/** Finite and > 0: prices, quantities, notionals. NaN and Infinity are rejected by zod's number. */
export const positive = () => z.number().positive();
export const nonNegative = () => z.number().nonnegative();
/** Milliseconds since the Unix epoch, UTC. */
export const EpochMsSchema = z.number().int().nonnegative();

/** +1 for long, −1 for short: the "Side" of Binance's formulas. */
export function sideSign(side: PositionSide): 1 | -1 {
  return side === 'long' ? 1 : -1;
}
