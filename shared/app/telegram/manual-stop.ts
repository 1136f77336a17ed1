// The protective stop every manual entry gets (/futures_open, with or without a bracket or slices):
// where half the position's margin would be lost. At leverage L a move of 1/L of the entry price costs
// the whole initial margin (margin = notional / L), so half of it is lost at a move of 0.5/L: a long's
// stop at mark × (1 − 0.5/L), a short's at mark × (1 + 0.5/L), rounded to the tick.
import { roundToTick } from '../../domain/precision.ts';

export function halfMarginStop(
  mark: number,
  side: 'long' | 'short',
  leverage: number,
  tickSize: number,
): number {
  const dir = side === 'long' ? 1 : -1;
  return roundToTick(mark * (1 - (dir * 0.5) / leverage), tickSize);
}
