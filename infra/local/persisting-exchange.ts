// The simulated exchange made as durable as a real one for `--persist`: its state is saved the moment
// it accepts or cancels an order. A real exchange keeps an order it accepted even if our process dies
// before writing it down — the case the executor's reconciliation exists for — so the local runtime's
// exchange must too, or a restart could not show it.
import type { Exchange, OrderRequest } from '../../shared/ports/exchange.ts';

export class PersistingExchange implements Exchange {
  constructor(
    private readonly inner: Exchange,
    private readonly save: () => void,
  ) {}

  loadMarkets = () => this.inner.loadMarkets();
  fetchCandles: Exchange['fetchCandles'] = (...a) => this.inner.fetchCandles(...a);
  fetchMarkPrice: Exchange['fetchMarkPrice'] = (s) => this.inner.fetchMarkPrice(s);
  fetchSpotPrice: Exchange['fetchSpotPrice'] = (s) => this.inner.fetchSpotPrice(s);
  fetchFundingRate: Exchange['fetchFundingRate'] = (s) => this.inner.fetchFundingRate(s);
  fetchFundingHistory: Exchange['fetchFundingHistory'] = (...a) => this.inner.fetchFundingHistory(...a);
  fetchFundingPayments: Exchange['fetchFundingPayments'] = (s) => this.inner.fetchFundingPayments(s);
  fetchRealizedPnl: Exchange['fetchRealizedPnl'] = (s) => this.inner.fetchRealizedPnl(s);
  fetchBalances: Exchange['fetchBalances'] = () => this.inner.fetchBalances();
  fetchPositions: Exchange['fetchPositions'] = () => this.inner.fetchPositions();
  fetchOpenOrders: Exchange['fetchOpenOrders'] = (s) => this.inner.fetchOpenOrders(s);
  fetchOrderByClientId: Exchange['fetchOrderByClientId'] = (...a) => this.inner.fetchOrderByClientId(...a);
  fetchLeverageBrackets: Exchange['fetchLeverageBrackets'] = (s) => this.inner.fetchLeverageBrackets(s);
  setMarginMode: Exchange['setMarginMode'] = (s, m) => this.inner.setMarginMode(s, m);

  async setLeverage(symbol: string, leverage: number): Promise<number> {
    const r = await this.inner.setLeverage(symbol, leverage);
    this.save();
    return r;
  }

  async createOrder(request: OrderRequest) {
    const order = await this.inner.createOrder(request);
    this.save();
    return order;
  }

  async cancelOrder(...a: Parameters<Exchange['cancelOrder']>) {
    const order = await this.inner.cancelOrder(...a);
    this.save();
    return order;
  }
}
