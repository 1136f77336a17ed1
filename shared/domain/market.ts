// Market facts the domain reasons about: leverage brackets and funding rates.
import { z } from 'zod';
import { EpochMsSchema, nonNegative, positive, SymbolSchema } from './primitives.ts';

/**
 * One maintenance-margin tier of a symbol (Binance GET /fapi/v1/leverageBracket).
 * `maintAmount` is Binance's `cum`: it keeps maintenance margin continuous across tiers.
 */
export const LeverageBracketSchema = z
  .object({
    bracket: z.number().int().positive(),
    notionalFloor: nonNegative(),
    notionalCap: positive(),
    maintMarginRatio: z.number().positive().lt(1),
    maintAmount: nonNegative(),
    maxLeverage: z.number().int().min(1).max(125),
  })
  .refine((b) => b.notionalCap > b.notionalFloor, { error: 'notionalCap must be above notionalFloor' });
export type LeverageBracket = z.infer<typeof LeverageBracketSchema>;

/** A symbol's brackets: contiguous, ordered by notional, starting at 0. */
export const LeverageBracketTableSchema = z
  .array(LeverageBracketSchema)
  .min(1)
  .superRefine((rows, ctx) => {
    if (rows[0] && rows[0].notionalFloor !== 0) {
      ctx.addIssue({ code: 'custom', message: 'the first bracket must start at notional 0' });
    }
    for (let i = 1; i < rows.length; i++) {
      const prev = rows[i - 1]!;
      const row = rows[i]!;
      if (row.notionalFloor !== prev.notionalCap) {
        ctx.addIssue({
          code: 'custom',
          path: [i],
          message: 'brackets must be contiguous (floor = previous cap)',
        });
      }
      if (row.maxLeverage > prev.maxLeverage) {
        ctx.addIssue({ code: 'custom', path: [i], message: 'max leverage must not rise with notional' });
      }
    }
  });

export const FundingRateSchema = z.object({
  symbol: SymbolSchema,
  /** Fraction per funding interval (8 h on BTCUSDT); positive = longs pay shorts. */
  fundingRate: z.number().gt(-1).lt(1),
  /** When this rate settles (the next funding time for a current rate). */
  fundingTime: EpochMsSchema,
  markPrice: positive().optional(),
  intervalHours: z.number().positive().default(8),
});
export type FundingRate = z.infer<typeof FundingRateSchema>;
