// The position monitor's fill watcher: each watched resting order (../fill-watch.ts) that is no longer
// among the exchange's open orders is looked up once; when the exchange says it ended (filled, or
// cancelled/expired after a partial fill) it is taken off the list by a conditional write and then — only
// if that write was this run's — announced: one OrderFilled with its owner, its type (a stop or
// take-profit that triggered says so) and what it did. Its ORDER# record is brought up to the final state.
// An open order the executor recorded but never listed (an order from before the watch list, or a lost
// list write) is adopted here, so its fill is still announced.
import type { FuturesOrder } from '../../domain/order.ts';
import { OrderNotFound } from '../../ports/exchange-errors.ts';
import { changeWatch, claimWatched, type WatchedOrder, watchedOrders } from '../fill-watch.ts';
import { publishSafely } from '../publish.ts';
import type { MonitorDeps } from './monitor-deps.ts';

const OPEN = new Set(['new', 'partially_filled']);

/** Settle every symbol's watch list; returns the number of fills announced. */
export async function announceRestingFills(
  deps: MonitorDeps,
  open: readonly FuturesOrder[],
  slotTime: number,
): Promise<number> {
  let announced = 0;
  for (const symbol of deps.config.SYMBOLS) {
    const openHere = open.filter((o) => o.symbol === symbol && o.market === 'futures');
    await adoptRecorded(deps, symbol, openHere, slotTime);
    const openIds = new Set(openHere.map((o) => o.clientOrderId));
    for (const w of await watchedOrders(deps.store, symbol)) {
      if (openIds.has(w.clientOrderId)) continue;
      let order: FuturesOrder;
      try {
        order = await deps.exchange.fetchOrderByClientId(symbol, w.clientOrderId, w.market);
      } catch (err) {
        // Not (yet) visible by its id: look again next run; anything else fails the run as before.
        if (err instanceof OrderNotFound) continue;
        throw err;
      }
      if (OPEN.has(order.status)) continue; // the open-order list lagged behind
      if (!(await claimWatched(deps.store, symbol, w.clientOrderId, slotTime))) continue;
      const recorded = await deps.store.getOrder(w.clientOrderId);
      if (recorded)
        await deps.store.putOrder({
          ...recorded,
          ...order,
          intentId: recorded.intentId,
          owner: recorded.owner,
        });
      if (order.filledQuantity <= 0) continue;
      await publishSafely(deps.bus, fillEvent(w, order, slotTime));
      announced++;
    }
  }
  return announced;
}

function fillEvent(w: WatchedOrder, order: FuturesOrder, time: number) {
  return {
    type: 'OrderFilled' as const,
    time,
    intentId: w.intentId,
    symbol: order.symbol,
    side: order.side,
    quantity: order.filledQuantity,
    price: order.averagePrice ?? order.price ?? order.stopPrice ?? 0,
    fee: order.fee,
    correlationId: w.intentId,
    ...(w.owner ? { owner: w.owner } : {}),
    reduceOnly: order.reduceOnly,
    orderType: order.type,
    resting: true,
  };
}

/** Open orders with an ORDER# record that are not on the list yet (one read each, once). */
async function adoptRecorded(
  deps: MonitorDeps,
  symbol: string,
  openHere: readonly FuturesOrder[],
  slotTime: number,
): Promise<void> {
  if (openHere.length === 0) return;
  const watched = new Set((await watchedOrders(deps.store, symbol)).map((w) => w.clientOrderId));
  const adopt: WatchedOrder[] = [];
  for (const o of openHere) {
    if (watched.has(o.clientOrderId)) continue;
    const rec = await deps.store.getOrder(o.clientOrderId);
    if (!rec) continue; // not ours (placed on the exchange by hand): no book to announce it to
    adopt.push({
      clientOrderId: o.clientOrderId,
      intentId: rec.intentId,
      ...(rec.owner ? { owner: rec.owner } : {}),
      orderType: o.type,
      reduceOnly: o.reduceOnly,
      market: o.market,
      since: slotTime,
    });
  }
  if (adopt.length === 0) return;
  await changeWatch(deps.store, symbol, slotTime, (orders) => {
    for (const w of adopt) orders[w.clientOrderId] ??= w;
    return orders;
  });
}
