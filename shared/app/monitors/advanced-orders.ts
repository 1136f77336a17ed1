// The position monitor's slot for advanced orders: brackets (./brackets-monitor.ts) and sliced entries
// (./slices-monitor.ts), one call from the position monitor.
import type { BracketTrack } from '../../domain/bracket-plan.ts';
import type { FuturesOrder } from '../../domain/order.ts';
import type { FuturesPosition } from '../../domain/position.ts';
import type { TwapPlan } from '../../domain/slicing.ts';
import type { Markets } from '../../ports/exchange.ts';
import { advancedOrders } from '../bracket-book.ts';
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
  // One read per symbol for both (../bracket-book.ts).
  const brackets = new Map<string, BracketTrack[]>();
  const plans = new Map<string, TwapPlan[]>();
  for (const symbol of deps.config.SYMBOLS) {
    const book = await advancedOrders(deps.store, symbol);
    brackets.set(symbol, book.brackets);
    plans.set(symbol, book.plans);
  }
  const bracketResult = await reconcileBrackets(deps, positions, orders, markets, slotTime, brackets);
  const slices = await sendDueSlices(deps, slotTime, plans);
  return { ...bracketResult, slicesSent: slices.sent, slicingStopped: slices.stopped };
}
