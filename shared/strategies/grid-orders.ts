// The grid's record of resting orders by client id (GridState.orders, saved as a map in DynamoDB) and
// the two per-tick questions asked of it — its ids in order, and whether all of them (and the stop) are
// still open — answered without a walk over the record or the open orders when nothing has changed.
import type { FuturesOrder } from '../domain/order.ts';
import { isOpen } from './feed.ts';

/** Resting grid orders by client id, in the order they were laid. */
export type GridOrders = Record<string, { price: number; side: 'buy' | 'sell' }>;

/**
 * A fresh record of orders by client id. Null-prototype: V8 keeps such an object as a hash table from
 * the start, where a `{}` given a new unique key (every client id is new) builds a new hidden class per
 * key — measured here at ~7× the cost, the grid's largest per-fill cost. Same JSON, same DynamoDB map.
 */
export const ordersRecord = (): GridOrders => Object.create(null);

/**
 * The client ids of the last record of orders the grid built or listed, in its key order (the order
 * a for-in over it takes: no id is an array index). A for-in or Object.keys over a hash-table object
 * collects and sorts its keys (~0.7 µs for ten) and a grid asks every tick, for the record it returned
 * the tick before. A record is never changed once returned in a state, so its list stays true; any
 * other record (loaded from the state store, another symbol's) is listed afresh by Object.keys. One
 * slot, not a WeakMap: a set per fill in a WeakMap cost more than the listing it saved.
 */
let listed: GridOrders | undefined;
let listedIds: readonly string[] = [];

export function orderIds(orders: GridOrders): readonly string[] {
  if (orders !== listed) remember(orders, Object.keys(orders));
  return listedIds;
}

/** The grid's word for the ids of a record it has just built, in the order it put them in. */
export function remember(orders: GridOrders, ids: readonly string[]): void {
  listed = orders;
  listedIds = ids;
}

/**
 * The last open-orders list found to hold every order of a record and the stop. The backtester shows
 * one frozen list until the open orders change (shared/backtest/engine.ts), so a grid at rest asks the
 * same question of the same list tick after tick; a frozen list of frozen orders and a record never
 * changed give the same answer, and the ten scans are skipped. A live tick's list is new every tick: always scanned.
 */
let confirmedOpen: readonly FuturesOrder[] | undefined;
let confirmedOrders: GridOrders | undefined;
let confirmedStop: string | undefined;

/** Whether every order of `orders` (listed as `ids`) and the stop `stopId`, if any, is in `open`. */
export function allOpen(
  open: readonly FuturesOrder[],
  orders: GridOrders,
  ids: readonly string[],
  stopId: string | undefined,
): boolean {
  if (open === confirmedOpen && orders === confirmedOrders && stopId === confirmedStop) return true;
  for (let i = 0; i < ids.length; i++) if (!isOpen(open, ids[i]!)) return false;
  if (stopId !== undefined && !isOpen(open, stopId)) return false;
  // Only a list frozen through is remembered, checked once here rather than on every tick it is shown
  // again: freezing cannot be undone, so a list found frozen through stays so.
  if (frozenThrough(open)) {
    confirmedOpen = open;
    confirmedOrders = orders;
    confirmedStop = stopId;
  }
  return true;
}

/** A frozen list of frozen orders: nothing in it can have changed since it was last read. */
function frozenThrough(open: readonly FuturesOrder[]): boolean {
  if (!Object.isFrozen(open)) return false;
  for (let i = 0; i < open.length; i++) if (!Object.isFrozen(open[i])) return false;
  return true;
}
