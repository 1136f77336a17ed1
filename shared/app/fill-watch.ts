// Fills of RESTING orders (grid levels, stops and take-profits that trigger later, any order the exchange
// did not fill at placement). The executor announces a fill only when it sees it at placement
// (./executor/records.ts); an order it recorded as resting is put on its symbol's watch list here, and the
// position monitor settles the list against the exchange's open orders each run
// (./monitors/fill-watch-monitor.ts).
//
// Exactly one message per fill: an order leaves the list with a conditional (versioned) write BEFORE its
// OrderFilled is published, so a re-run, a second monitor racing this one, or a redelivered schedule finds
// it gone and says nothing. A crash between that write and the publish loses the message, never repeats
// it — the same choice the executor makes for its own events; the fill itself is booked by the
// performance monitor from the exchange's income (each entry once), so only a message can be lost, never
// money. (An outbox would turn the loss into a possible duplicate: the notifier has no idempotent key
// store to make either exact.)
import type { MarketKind, OrderType } from '../domain/order.ts';
import type { StateStore } from '../ports/state-store.ts';
import { changeVersionedRecord } from './versioned-record.ts';

const WATCH = 'fill-watch';

export interface WatchedOrder {
  clientOrderId: string;
  intentId: string;
  owner?: string;
  orderType: OrderType | string;
  reduceOnly: boolean;
  market: MarketKind;
  /** When it was put on the list (the executor's clock). */
  since: number;
}

interface WatchState {
  orders: Record<string, WatchedOrder>;
}

export async function watchedOrders(store: StateStore, symbol: string): Promise<WatchedOrder[]> {
  const s = (await store.getStrategyState(WATCH, symbol))?.state as WatchState | undefined;
  return Object.values(s?.orders ?? {});
}

/**
 * Change a symbol's watch list with a versioned write, re-reading on a lost race. `change` returns the
 * new list, or undefined to write nothing; the result says whether it was written.
 */
export function changeWatch(
  store: StateStore,
  symbol: string,
  at: number,
  change: (orders: Record<string, WatchedOrder>) => Record<string, WatchedOrder> | undefined,
): Promise<boolean> {
  return changeVersionedRecord<WatchState>(store, WATCH, symbol, at, (s) => {
    const next = change({ ...(s?.orders ?? {}) });
    return next && { orders: next };
  });
}

/** Put a resting order on its symbol's list (idempotent: a redelivered intent adds nothing). */
export async function watchRestingOrder(
  store: StateStore,
  symbol: string,
  order: WatchedOrder,
): Promise<void> {
  await changeWatch(store, symbol, order.since, (orders) =>
    orders[order.clientOrderId] ? undefined : { ...orders, [order.clientOrderId]: order },
  );
}

/** Take an order off the list; false if it was not on it (another run took it: say nothing). */
export async function claimWatched(
  store: StateStore,
  symbol: string,
  clientOrderId: string,
  at: number,
): Promise<boolean> {
  return changeWatch(store, symbol, at, (orders) => {
    if (!orders[clientOrderId]) return undefined;
    delete orders[clientOrderId];
    return orders;
  });
}
