// Sliced entries (TWAP): a parent entry executed as N market slices over T minutes, each a normal
// intent with an id derived from the parent's and its index — so a driver that runs again after a crash
// sends the same ids and the queue and the executor drop the repeat, never placing a slice twice. Each
// slice is risk-checked for itself and every slice still to come (riskQuantity): the parent's full size
// counts against the limits from the first slice on.
import { createHash } from 'node:crypto';
import { type OrderIntent, OrderIntentSchema } from './order.ts';
import { floorToStep } from './precision.ts';

export { type Slice, SliceSchema } from './slicing-schema.ts';

/** The parent cannot be cut into slices the exchange takes (each at least one step and the minimums). */
export class SlicingInvalid extends Error {
  override name = 'SlicingInvalid';
}

/** 'ac-' + 32 hex = 35 characters, within Binance's 36 for a clientOrderId. */
export function sliceId(parentId: string, index: number): string {
  return `ac-${createHash('sha256').update(`slice|${parentId}|${index}`).digest('hex').slice(0, 32)}`;
}

/** Equal slices floored to the step, the last taking the remainder (so they add up to the parent). */
export function sliceQuantities(total: number, count: number, stepSize: number): number[] {
  const each = floorToStep(total / count, stepSize);
  if (!(each >= stepSize * (1 - 1e-9)))
    throw new SlicingInvalid(`${total} in ${count} slices is less than one step of ${stepSize} each`);
  return Array.from({ length: count }, (_, i) =>
    i < count - 1 ? each : floorToStep(total - each * (count - 1), stepSize),
  );
}

/** A TWAP in progress: what the driver (shared/app/monitors/slices-monitor.ts) remembers. */
export interface TwapPlan {
  parentId: string;
  symbol: string;
  strategy: string;
  side: 'buy' | 'sell';
  leverage: number;
  marginMode: 'isolated' | 'cross';
  quantities: number[];
  startAt: number;
  intervalMs: number;
  /** Slices sent so far (slice i is sent once `sent` > i). */
  sent: number;
  /** Set when the rest will never be sent: halted, a slice refused, or cancelled. */
  stopped?: { at: number; reason: string };
}

/** Slices due at `now`: the first at once, slice i at startAt + i × interval. */
export function slicesDue(plan: TwapPlan, now: number): number {
  if (now < plan.startAt) return 0;
  return Math.min(plan.quantities.length, Math.floor((now - plan.startAt) / plan.intervalMs) + 1);
}

/** Slice `index` as a market intent. */
export function sliceIntent(plan: TwapPlan, index: number, createdAt: number): OrderIntent {
  const remaining = plan.quantities.slice(index).reduce((a, b) => a + b, 0);
  return OrderIntentSchema.parse({
    id: sliceId(plan.parentId, index),
    strategy: plan.strategy,
    symbol: plan.symbol,
    market: 'futures',
    side: plan.side,
    type: 'market',
    quantity: plan.quantities[index],
    leverage: plan.leverage,
    marginMode: plan.marginMode,
    createdAt,
    reason: `TWAP slice ${index + 1} of ${plan.quantities.length}`,
    slice: { parentId: plan.parentId, index, count: plan.quantities.length, remainingQuantity: remaining },
  });
}

/** The quantity the risk check counts: a slice stands for itself and every slice still to come. */
export function riskQuantity(intent: OrderIntent): OrderIntent {
  return intent.slice ? { ...intent, quantity: intent.slice.remainingQuantity } : intent;
}
