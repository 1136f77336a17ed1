// A bracket (OCO): the stop-loss and take-profits an entry carries, linked one-cancels-the-other.
// Binance USD-M has no native OCO, so each leg is an independent reduce-only order (STOP_MARKET,
// TAKE_PROFIT_MARKET) and the position monitor links them (shared/app/monitors/brackets-monitor.ts).
// The schema alone here, so shared/domain/order.ts can carry it without an import cycle.
import { z } from 'zod';
import { positive } from './primitives.ts';

/** Fractions of the entry that may be left uncovered by take-profits, or over-covered: float noise. */
export const FRACTION_EPS = 1e-9;

export const TakeProfitLegSchema = z.object({
  /** Trigger price of the TAKE_PROFIT_MARKET leg. */
  price: positive(),
  /** Share of the entry's quantity it closes, (0, 1]. */
  fraction: positive().max(1),
});
export type TakeProfitLeg = z.infer<typeof TakeProfitLegSchema>;

export const BracketSchema = z
  .object({
    /** Trigger price of the reduce-only STOP_MARKET leg (always for the whole remaining position). */
    stopPrice: positive(),
    /** Take-profits, nearest first; their fractions add up to at most 1. */
    takeProfits: z.array(TakeProfitLegSchema).max(4).default([]),
    /** After the first take-profit fills, the stop moves to the entry price (break-even). */
    breakEvenAfterFirst: z.boolean().default(false),
    /** The stop trails the mark at this distance (percent), moved by the position monitor. */
    stopTrailingPct: positive().max(50).optional(),
  })
  .superRefine((b, ctx) => {
    const total = b.takeProfits.reduce((s, t) => s + t.fraction, 0);
    if (total > 1 + FRACTION_EPS)
      ctx.addIssue({
        code: 'custom',
        path: ['takeProfits'],
        message: `take-profit fractions add up to ${total}, more than the whole position`,
      });
  });
export type Bracket = z.infer<typeof BracketSchema>;
export type BracketInput = z.input<typeof BracketSchema>;

/**
 * Whether the legs sit on the right sides for an entry on `side`: a long's stop below every
 * take-profit, a short's above. Returns the problem, or undefined.
 */
export function bracketSideProblem(side: 'buy' | 'sell', b: Bracket): string | undefined {
  const dir = side === 'buy' ? 1 : -1;
  const bad = b.takeProfits.find((t) => (t.price - b.stopPrice) * dir <= 0);
  if (bad)
    return `take-profit ${bad.price} is not ${side === 'buy' ? 'above' : 'below'} the stop ${b.stopPrice}`;
  return undefined;
}
