// Fault injection through the ports: wrappers that crash, time out or throttle at chosen points, and
// count what actually reached the exchange.
import type { Exchange, OrderRequest } from '../../shared/ports/exchange.ts';
import type { StateStore } from '../../shared/ports/state-store.ts';

export type Fault = () => never;

/** Wraps an exchange; `creates` counts createOrder calls that reached the real (simulated) exchange. */
export function faultyExchange(inner: Exchange) {
  const creates = new Map<string, number>();
  const before: Fault[] = [];
  const after: Fault[] = [];
  const beforeLeverage: Fault[] = [];
  /** Margin moves that reached the real exchange, in order ("add_margin BTCUSDT 50", "transfer spot>futures 20"). */
  const moves: string[] = [];
  const beforeMove: Fault[] = [];
  const afterMove: Fault[] = [];
  /** Faults for the margin-move history reads (fetchMarginAdjustments, fetchTransfers). */
  const beforeHistory: Fault[] = [];
  const ex: Exchange = {
    loadMarkets: () => inner.loadMarkets(),
    fetchCandles: (...a) => inner.fetchCandles(...a),
    fetchMarkPrice: (s) => inner.fetchMarkPrice(s),
    fetchSpotPrice: (s) => inner.fetchSpotPrice(s),
    fetchFundingRate: (s) => inner.fetchFundingRate(s),
    fetchFundingHistory: (...a) => inner.fetchFundingHistory(...a),
    fetchBalances: () => inner.fetchBalances(),
    fetchFundingPayments: (since) => inner.fetchFundingPayments(since),
    fetchRealizedPnl: (since) => inner.fetchRealizedPnl(since),
    fetchPositions: () => inner.fetchPositions(),
    fetchOpenOrders: (...a) => inner.fetchOpenOrders(...a),
    async createOrder(r: OrderRequest) {
      before.shift()?.();
      creates.set(r.clientOrderId, (creates.get(r.clientOrderId) ?? 0) + 1);
      const order = await inner.createOrder(r);
      after.shift()?.();
      return order;
    },
    cancelOrder: (...a) => inner.cancelOrder(...a),
    fetchOrderByClientId: (...a) => inner.fetchOrderByClientId(...a),
    async setLeverage(s, l) {
      beforeLeverage.shift()?.();
      return inner.setLeverage(s, l);
    },
    setMarginMode: (s, m) => inner.setMarginMode(s, m),
    fetchLeverageBrackets: (s) => inner.fetchLeverageBrackets(s),
    async addMargin(symbol, amount) {
      beforeMove.shift()?.();
      const r = await inner.addMargin(symbol, amount);
      moves.push(`add_margin ${symbol} ${amount}`);
      afterMove.shift()?.();
      return r;
    },
    async transfer(r) {
      beforeMove.shift()?.();
      const t = await inner.transfer(r);
      moves.push(`transfer ${r.from}>${r.to} ${r.amount}`);
      afterMove.shift()?.();
      return t;
    },
    async fetchMarginAdjustments(symbol, since) {
      beforeHistory.shift()?.();
      return inner.fetchMarginAdjustments(symbol, since);
    },
    async fetchTransfers(from, to, since) {
      beforeHistory.shift()?.();
      return inner.fetchTransfers(from, to, since);
    },
  };
  return {
    exchange: ex,
    creates,
    before,
    after,
    beforeLeverage,
    moves,
    beforeMove,
    afterMove,
    beforeHistory,
  };
}

/** Wraps a store; `beforePutOrder` faults fire when the executor records an order. */
export function faultyStore(inner: StateStore) {
  const beforePutOrder: Fault[] = [];
  const store: StateStore = Object.create(inner) as StateStore;
  store.putOrder = async (o) => {
    beforePutOrder.shift()?.();
    return inner.putOrder(o);
  };
  for (const k of [
    'createIntent',
    'getIntent',
    'updateIntent',
    'getOrder',
    'getHalt',
    'setHalt',
    'getDay',
    'createDay',
    'getStrategyState',
    'putStrategyState',
    'claimTick',
  ] as const) {
    (store as unknown as Record<string, unknown>)[k] = (inner[k] as (...a: unknown[]) => unknown).bind(inner);
  }
  return { store, beforePutOrder };
}

export const crash =
  (what: string): Fault =>
  () => {
    throw new Error(`killed: ${what}`);
  };
