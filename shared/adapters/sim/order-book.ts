// The simulator's order book: every order it has accepted (by clientOrderId, for idempotency and
// lookups) and the resting ones.
import type { FuturesOrder } from '../../domain/order.ts';
import type { OrderRequest } from '../../ports/exchange.ts';
import { OrderNotFound } from '../../ports/exchange-errors.ts';

/** An order as the book keeps it: `seq` orders ties (the older first) and is never shown. */
export interface SimOrder extends FuturesOrder {
  seq: number;
}

export class OrderBook {
  /** Every order accepted, by clientOrderId (Binance refuses a repeated id). */
  readonly orders = new Map<string, SimOrder>();
  /** The resting (open) ones, in arrival order. */
  readonly open = new Map<string, SimOrder>();
  seq = 0;
  /**
   * Bumped whenever the set of resting orders changes (rest, take, close, load). A resting order's
   * shown fields never change while it rests (fills and cancels take it off the book first), so a
   * listing made at one version stays true until the next: the backtester lists once per change,
   * not once per candle.
   */
  version = 0;

  has(clientOrderId: string): boolean {
    return this.orders.has(clientOrderId);
  }

  nextSeq(): number {
    return ++this.seq;
  }

  rest(order: SimOrder): void {
    this.orders.set(order.clientOrderId, order);
    this.open.set(order.clientOrderId, order);
    this.version++;
  }

  /** Record an order that fills at once (it never rests). */
  record(order: SimOrder): void {
    this.orders.set(order.clientOrderId, order);
  }

  /** Forget an order Binance would never have created (a request rejected at placement). */
  forget(clientOrderId: string): void {
    this.orders.delete(clientOrderId);
  }

  /** Take a resting order off the book (it is about to fill or fail). */
  take(order: SimOrder): void {
    this.open.delete(order.clientOrderId);
    this.shown.delete(order);
    this.version++;
  }

  close(order: SimOrder, status: 'canceled' | 'expired', now: number): void {
    order.status = status;
    order.updatedAt = now;
    this.open.delete(order.clientOrderId);
    this.shown.delete(order);
    this.version++;
  }

  openOrders(symbol?: string): FuturesOrder[] {
    const out: FuturesOrder[] = [];
    for (const o of this.open.values()) if (symbol === undefined || o.symbol === symbol) out.push(strip(o));
    return out;
  }

  /**
   * Frozen copies of resting orders, one per order, good while it rests (it does not change then), and
   * dropped when it leaves the book. A Map of the few resting orders, not a WeakMap of every order ever
   * shown: a grid backtest shows tens of thousands, and adding each to a WeakMap (an ephemeron table the
   * collector must trace) was a third of the listing's time.
   */
  private readonly shown = new Map<SimOrder, FuturesOrder>();

  /**
   * The symbol's resting orders as frozen copies, each copied once and reused while the order rests:
   * for a reader that lists them often and never edits what it is shown (the backtester).
   */
  frozenOpenOrders(symbol: string): readonly FuturesOrder[] {
    // One listing per symbol and book version, shared by every reader (the engine's account view, the
    // bracket settlement): the book has not changed since it was made, so it is still true.
    const last = this.listed.get(symbol);
    if (last && last.version === this.version) return last.orders;
    const out: FuturesOrder[] = [];
    for (const o of this.open.values()) {
      if (o.symbol !== symbol) continue;
      let c = this.shown.get(o);
      if (!c) {
        c = Object.freeze(strip(o));
        this.shown.set(o, c);
      }
      out.push(c);
    }
    const orders = Object.freeze(out);
    this.listed.set(symbol, { version: this.version, orders });
    return orders;
  }

  /** The last frozen listing per symbol, with the book version it was made at. */
  private readonly listed = new Map<string, { version: number; orders: readonly FuturesOrder[] }>();

  /** Any open order on the symbol (of `market`, when given). */
  hasOpenOrders(symbol: string, market?: 'futures' | 'spot'): boolean {
    for (const o of this.open.values())
      if (o.symbol === symbol && (market === undefined || o.market === market)) return true;
    return false;
  }

  byClientId(symbol: string, clientOrderId: string): FuturesOrder {
    const o = this.orders.get(clientOrderId);
    if (!o || o.symbol !== symbol) throw new OrderNotFound(`Order does not exist: ${clientOrderId}`);
    return strip(o);
  }

  /** An order's status without copying it; undefined for an order the book does not have. */
  statusOf(symbol: string, clientOrderId: string): FuturesOrder['status'] | undefined {
    const o = this.orders.get(clientOrderId);
    return o && o.symbol === symbol ? o.status : undefined;
  }

  /** Cancel a resting order; returns the book's own record (strip it before showing it). */
  cancel(symbol: string, clientOrderId: string, now: number): SimOrder {
    const o = this.open.get(clientOrderId);
    if (!o || o.symbol !== symbol) throw new OrderNotFound(`Unknown order sent: ${clientOrderId}`);
    this.close(o, 'canceled', now);
    return o;
  }

  /** Binance cancels a symbol's reduce-only orders when its position closes or is liquidated. */
  cancelReduceOnly(symbol: string, now: number): void {
    for (const o of [...this.open.values()])
      if (o.symbol === symbol && o.reduceOnly) this.close(o, 'canceled', now);
  }

  save(): { orders: SimOrder[]; open: string[]; seq: number } {
    return {
      orders: [...this.orders.values()].map((o) => ({ ...o })),
      open: [...this.open.keys()],
      seq: this.seq,
    };
  }

  load(s: { orders: SimOrder[]; open: string[]; seq: number }): void {
    this.orders.clear();
    this.open.clear();
    this.shown.clear();
    for (const o of s.orders) this.orders.set(o.clientOrderId, { ...o });
    for (const id of s.open) this.open.set(id, this.orders.get(id)!);
    this.seq = s.seq;
    this.version++;
  }
}

/**
 * A new order as Binance creates it for an accepted request: NEW, nothing filled, no fee yet. Built
 * key by key in its fixed order (price and stopPrice where the request has them) rather than with
 * conditional spreads, which V8 runs several times slower (a backtest places tens of thousands).
 */
export function newSimOrder(req: OrderRequest, seq: number, reduceOnly: boolean, now: number): SimOrder {
  const o = {
    clientOrderId: req.clientOrderId,
    exchangeOrderId: String(seq),
    seq,
    symbol: req.symbol,
    market: req.market,
    side: req.side,
    type: req.type,
    status: 'new',
    quantity: req.quantity,
    filledQuantity: 0,
  } as SimOrder;
  if (req.price !== undefined) o.price = req.price;
  if (req.stopPrice !== undefined) o.stopPrice = req.stopPrice;
  o.reduceOnly = reduceOnly;
  o.fee = 0;
  o.createdAt = now;
  o.updatedAt = now;
  return o;
}

/**
 * The order as shown (without the book's `seq`): the same own keys in the same order as
 * `const { seq, ...rest } = o`, which V8 runs as a generic property walk several times slower than this
 * explicit copy (a backtest shows tens of thousands of orders). The keys are newSimOrder's, price and
 * stopPrice between filledQuantity and reduceOnly, then what a fill adds at the end (order-fill.ts:
 * averagePrice, commission). STRIPPED_KEYS lists them; a test holds it to FuturesOrderSchema and the
 * copy to the generic one (test/unit/sim/order-book-strip.test.ts).
 */
export function strip(o: SimOrder): FuturesOrder {
  const shown = {
    clientOrderId: o.clientOrderId,
    exchangeOrderId: o.exchangeOrderId,
    symbol: o.symbol,
    market: o.market,
    side: o.side,
    type: o.type,
    status: o.status,
    quantity: o.quantity,
    filledQuantity: o.filledQuantity,
  } as FuturesOrder;
  if (o.price !== undefined) shown.price = o.price;
  if (o.stopPrice !== undefined) shown.stopPrice = o.stopPrice;
  shown.reduceOnly = o.reduceOnly;
  shown.fee = o.fee;
  shown.createdAt = o.createdAt;
  shown.updatedAt = o.updatedAt;
  if (o.averagePrice !== undefined) shown.averagePrice = o.averagePrice;
  if (o.commission !== undefined) shown.commission = o.commission;
  return shown;
}

/** Every key strip() copies, in its order. */
export const STRIPPED_KEYS = [
  'clientOrderId',
  'exchangeOrderId',
  'symbol',
  'market',
  'side',
  'type',
  'status',
  'quantity',
  'filledQuantity',
  'price',
  'stopPrice',
  'reduceOnly',
  'fee',
  'createdAt',
  'updatedAt',
  'averagePrice',
  'commission',
] as const;
