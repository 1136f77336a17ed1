// Futures positions and the account they live in.
import { z } from 'zod';
import { MarginModeSchema, nonNegative, PositionSideSchema, positive, SymbolSchema } from './primitives.ts';

/** One open one-way-mode position. `quantity` is always > 0; direction is `side`. */
export const FuturesPositionSchema = z.object({
  symbol: SymbolSchema,
  side: PositionSideSchema,
  quantity: positive(),
  entryPrice: positive(),
  markPrice: positive(),
  leverage: z.number().int().min(1).max(125),
  marginMode: MarginModeSchema,
  /** Isolated: the position's own wallet (margin incl. added margin). Cross: not used. */
  isolatedMargin: nonNegative().default(0),
  unrealizedPnl: z.number(),
  /** 0 when the position cannot be liquidated. */
  liquidationPrice: nonNegative(),
  maintenanceMargin: nonNegative(),
  strategy: z.string().min(1).optional(),
  openedAt: z.number().int().nonnegative(),
});
export type FuturesPosition = z.infer<typeof FuturesPositionSchema>;

/** What the risk engine and monitors need to know about the account at one instant. */
export const AccountSnapshotSchema = z.object({
  takenAt: z.number().int().nonnegative(),
  /** USDT wallet balance of the futures account (realised PnL, fees and funding included). */
  walletBalance: z.number(),
  /** Wallet balance + unrealised PnL. */
  equity: z.number(),
  /** Equity at 00:00 UTC: the base of the daily loss limit. */
  startOfDayEquity: z.number(),
  /** Today's (UTC) realised PnL incl. fees and funding. */
  realizedPnlToday: z.number(),
  availableBalance: z.number(),
  positions: z.array(FuturesPositionSchema),
  halted: z.boolean(),
  spotBalances: z.record(z.string(), nonNegative()).default({}),
});
export type AccountSnapshot = z.infer<typeof AccountSnapshotSchema>;

export const RiskMetricsSchema = z.object({
  takenAt: z.number().int().nonnegative(),
  equity: z.number(),
  unrealizedPnl: z.number(),
  totalMaintenanceMargin: nonNegative(),
  /** Maintenance margin / margin balance, as a fraction; ≥ 1 means liquidation. */
  marginRatio: nonNegative(),
  totalNotional: nonNegative(),
  /** Total notional / equity. */
  effectiveLeverage: nonNegative(),
  dailyPnl: z.number(),
  dailyPnlPct: z.number(),
  openPositions: z.number().int().nonnegative(),
  /** Smallest liquidation distance over open positions, percent of mark; null without positions. */
  minLiquidationDistancePct: z.number().nullable(),
});
export type RiskMetrics = z.infer<typeof RiskMetricsSchema>;
