// Sliced entries — TWAP (N market slices over T minutes) and iceberg (market slices of a visible size,
// each after the previous one filled) — one plan with two "next slice due" rules. Each slice is a normal
// intent with an id derived from the parent's and its index — so a driver that runs again after a crash
// sends the same ids and the queue and the executor drop the repeat, never placing a slice twice. Each
// slice is risk-checked for itself and every slice still to come (riskQuantity): the parent's full size
// counts against the limits from the first slice on.
import { createHash } from 'node:crypto';
import { type OrderIntent, OrderIntentSchema } from './order.ts';
import { floorToStep } from './precision.ts';
import type { SlicingRequest } from './slicing-schema.ts';

export {
  type Slice,
  SliceSchema,
  type SlicingRequest,
  SlicingRequestSchema,
} from './slicing-schema.ts';

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

/** A sliced entry in progress: what the driver (shared/app/monitors/slices-monitor.ts) remembers. */
export interface TwapPlan {
  /** Absent: TWAP (slice i due at startAt + i × interval); 'iceberg': due as soon as the previous filled. */
  kind?: 'iceberg';
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

/** How the trader reads the plan's kind. */
export function sliceKindLabel(plan: Pick<TwapPlan, 'kind'>): string {
  return plan.kind === 'iceberg' ? 'Iceberg' : 'TWAP';
}

/** Slices due at `now`: the first at once, slice i at startAt + i × interval. */
export function slicesDue(plan: TwapPlan, now: number): number {
  if (now < plan.startAt) return 0;
  if (plan.kind === 'iceberg') return plan.quantities.length; // gated only by the previous fill
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
    reason: `${plan.kind === 'iceberg' ? 'iceberg' : 'TWAP'} slice ${index + 1} of ${plan.quantities.length}`,
    slice: { parentId: plan.parentId, index, count: plan.quantities.length, remainingQuantity: remaining },
  });
}

/** The quantity the risk check counts: a slice stands for itself and every slice still to come. */
export function riskQuantity(intent: OrderIntent): OrderIntent {
  return intent.slice ? { ...intent, quantity: intent.slice.remainingQuantity } : intent;
}

/**
 * Iceberg slices: as many of the visible quantity as fit, and the remainder — its own slice when the
 * exchange takes it (≥ minSlice), otherwise added to the last. At least 2 and at most 100 slices.
 */
export function icebergQuantities(
  total: number,
  visible: number,
  stepSize: number,
  minSlice: number,
): number[] {
  const each = floorToStep(visible, stepSize);
  if (!(each >= minSlice * (1 - 1e-9)))
    throw new SlicingInvalid(`the visible slice must be at least ${minSlice}`);
  const full = Math.floor(total / each + 1e-9);
  const tooMany = `more than 100 slices of ${each}: make the visible size larger`;
  if (full > 100) throw new SlicingInvalid(tooMany); // before allocating them
  const out: number[] = Array.from({ length: full }, () => each);
  const rest = floorToStep(total - each * full, stepSize);
  if (rest >= minSlice * (1 - 1e-9)) out.push(rest);
  else if (rest > 0 && out.length > 0) out[out.length - 1] = floorToStep(each + rest, stepSize);
  if (out.length < 2) throw new SlicingInvalid(`the visible slice ${each} is the whole order`);
  // The slice schema's limit (./slicing-schema.ts): counted after the remainder, which may add one.
  if (out.length > 100) throw new SlicingInvalid(tooMany);
  return out;
}

/** The quantities a request cuts `total` into (each slice at least `minSlice`, the exchange's minimum). */
export function requestQuantities(
  req: SlicingRequest,
  total: number,
  stepSize: number,
  minSlice: number,
): number[] {
  if (req.kind === 'iceberg') return icebergQuantities(total, req.visibleQuantity, stepSize, minSlice);
  const count = Math.min(req.slices, Math.floor(total / minSlice + 1e-9));
  if (count < 2) throw new SlicingInvalid(`each slice must be at least ${minSlice}`);
  return sliceQuantities(total, count, stepSize);
}

/** Where the last slice sent stands: still on its way, executed (a market slice: filled), or refused. */
export type SliceStatus = 'queued' | 'done' | 'refused';

/**
 * One slot of a plan — the decision the live driver and the backtester share. A halt or a refused
 * slice stops the rest; otherwise one slice at most, only after the previous one executed (an outage
 * or a lagging queue never fires the overdue slices at once) and only when due by the plan's rule.
 * `finished`: nothing more will be sent and nothing is on its way — the plan can be dropped.
 */
export function stepSlicePlan(
  plan: TwapPlan,
  last: SliceStatus,
  halt: { halted: boolean; reason: string },
  now: number,
): { plan: TwapPlan; send: number[]; finished: boolean } {
  const p = { ...plan };
  const send: number[] = [];
  if (!p.stopped && halt.halted) p.stopped = { at: now, reason: `halted: ${halt.reason}` };
  if (!p.stopped && last === 'refused')
    p.stopped = { at: now, reason: `slice ${p.sent} of ${p.quantities.length} was refused` };
  if (!p.stopped && last !== 'queued' && p.sent < Math.min(slicesDue(p, now), p.quantities.length)) {
    send.push(p.sent);
    p.sent += 1;
  }
  const finished =
    (p.stopped !== undefined || p.sent === p.quantities.length) && last !== 'queued' && send.length === 0;
  return { plan: p, send, finished };
}
