// The position monitor's slot for advanced orders: brackets (./brackets-monitor.ts) and sliced entries
// (./slices-monitor.ts), one call from the position monitor.
import type { FuturesOrder } from '../../domain/order.ts';
import type { FuturesPosition } from '../../domain/position.ts';
import type { Markets } from '../../ports/exchange.ts';
import { type BracketsResult, reconcileBrackets } from './brackets-monitor.ts';
import type { MonitorDeps } from './monitor-deps.ts';
import { sendDueSlices } from './slices-monitor.ts';

export async function advancedOrdersSlot(
  deps: MonitorDeps,
  positions: readonly FuturesPosition[],
  orders: readonly FuturesOrder[],
  markets: Markets,
  slotTime: number,
): Promise<BracketsResult & { slicesSent: string[]; slicingStopped: string[] }> {
  const brackets = await reconcileBrackets(deps, positions, orders, markets, slotTime);
  const slices = await sendDueSlices(deps, slotTime);
  return { ...brackets, slicesSent: slices.sent, slicingStopped: slices.stopped };
}
