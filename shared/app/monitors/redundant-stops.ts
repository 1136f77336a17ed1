// A stop the position monitor placed (a restore, a trailed or grown successor) becomes redundant when
// the owning strategy lays its own full-size stop at least as close to the mark — e.g. the grid, which
// resizes its hard stop on its next tick and, not finding the stop the monitor replaced, lays a new one.
// The monitor then cancels its own copy, so the book does not fill up with duplicate full-size stops.
// A strategy's stops are never cancelled here, and nothing is cancelled while it is the best cover.
import type { FuturesOrder } from '../../domain/order.ts';
import { makeIntentId } from '../../domain/order.ts';
import type { FuturesPosition } from '../../domain/position.ts';
import type { FuturesMarket } from '../../ports/exchange.ts';
import type { MonitorDeps } from './monitor-deps.ts';

/** Queues cancels for the monitor's redundant stops; returns their clientOrderIds. */
export async function cancelRedundantMonitorStops(
  deps: MonitorDeps,
  p: FuturesPosition,
  stops: readonly FuturesOrder[],
  rules: FuturesMarket | undefined,
  slotTime: number,
): Promise<string[]> {
  const stepSize = rules?.stepSize ?? 0.001;
  const dir = p.side === 'long' ? 1 : -1;
  const full = stops.filter(
    (o) => o.stopPrice !== undefined && p.quantity - o.quantity < stepSize * (1 - 1e-9),
  );
  if (full.length < 2) return [];
  const owned = await Promise.all(
    full.map(async (o) => ({
      o,
      mine: (await deps.store.getIntent(o.clientOrderId))?.intent?.strategy === 'position-monitor',
    })),
  );
  const strategyBest = owned
    .filter((x) => !x.mine)
    .map((x) => x.o.stopPrice! * dir)
    .reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY);
  const cancelled: string[] = [];
  for (const { o, mine } of owned) {
    if (!mine || o.stopPrice! * dir > strategyBest) continue;
    const id = makeIntentId({
      source: `position-monitor:redundant-stop:${o.clientOrderId}`,
      symbol: p.symbol,
      tickTime: 0,
      sequence: 0,
    });
    if (await deps.store.getIntent(id)) continue; // already asked for
    await deps.queue.send({
      kind: 'cancel',
      id,
      source: 'position-monitor',
      symbol: p.symbol,
      market: 'futures',
      clientOrderId: o.clientOrderId,
      createdAt: slotTime,
    });
    cancelled.push(o.clientOrderId);
  }
  return cancelled;
}
