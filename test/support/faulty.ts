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
  };
  return { exchange: ex, creates, before, after, beforeLeverage };
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
