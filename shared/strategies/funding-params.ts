// funding_arbitrage's parameters and state: the schema every configuration is validated against
// (defaults here) and what the strategy keeps between ticks.
import { z } from 'zod';
import type { FundingHistory } from './funding-carry.ts';
import type { SpotHolding } from './spot-holding.ts';

export const FundingArbitrageParamsSchema = z
  .strictObject({
    /** Leverage of the short leg: its isolated margin at entry is notional / leverage. */
    leverage: z.number().int().min(1).max(10).default(2),
    /** Hedge notional per leg, percent of equity (futures and spot wallets together). */
    positionPct: z.number().positive().max(100).default(20),
    /**
     * Enter when the smoothed funding rate, annualised, is at least this (percent a year). Default 10,
     * chosen from costs, not fitted: Binance's resting rate (interest component only, premium nil) is
     * 0.01 % per 8 h = 10.95 % a year, and 14 days of it (0.42 %) pay a round trip (0.34 %).
     */
    entryAprPct: z.number().positive().max(500).default(10),
    /** After the minimum hold, exit when the smoothed rate, annualised, falls under this. */
    exitAprPct: z.number().min(-100).max(500).default(0),
    /** Settlements in the smoothing window, the predicted one included (9 = 3 days). */
    smoothingSettlements: z.number().int().min(1).max(90).default(9),
    /** The smoothed carry over this many days must pay the round trip's costs to enter. */
    paybackDays: z.number().positive().max(180).default(14),
    /** No carry exit before the hedge is this old (a leg missing or a margin emergency still acts). */
    minHoldHours: z.number().int().min(0).max(2_160).default(72),
    /** Costs the entry rule charges a round trip: perp taker fee, spot fee, slippage per fill (percent). */
    takerFeePct: z.number().min(0).max(1).default(0.05),
    spotFeePct: z.number().min(0).max(1).default(0.1),
    slippagePct: z.number().min(0).max(1).default(0.01),
    /** Add margin when the mark is less than this far (percent) under the short's liquidation price. */
    marginCallPct: z.number().positive().max(90).default(20),
    /** …bringing the liquidation price back to this far above the mark. */
    marginTargetPct: z.number().positive().max(200).default(40),
    /** Share of both legs sold to pay for margin when the wallets hold too little USDT (percent). */
    rebalancePct: z.number().positive().max(100).default(25),
    /** The last-resort stop sits this far (percent) under the liquidation price. */
    stopBeforeLiquidationPct: z.number().positive().max(20).default(3),
  })
  .refine((p) => p.exitAprPct < p.entryAprPct, { error: 'exitAprPct must be below entryAprPct' })
  .refine((p) => p.marginCallPct < p.marginTargetPct, {
    error: 'marginCallPct must be below marginTargetPct',
  });
export type FundingArbitrageParams = z.infer<typeof FundingArbitrageParamsSchema>;

export interface FundingArbitrageState {
  /** The open hedge's futures leg and its last-resort stop. */
  hedge?: { quantity: number; entryBasisPct: number; stopId: string; stopPrice?: number; enteredAt?: number };
  /** The spot leg: the coins this strategy bought, booked from fills — the only coins it ever sells. */
  spot?: SpotHolding;
  /** Recent settled rates and the predicted one: the smoothed carry. */
  funding?: FundingHistory;
  /** When this strategy last asked for USDT to move between the wallets before an entry. */
  fundAskedAt?: number;
}
