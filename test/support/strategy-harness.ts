// Builds the market view and account a strategy sees, from hand-made candles, for scenario tests.
import { defaultMarkets } from '../../shared/adapters/sim/markets.ts';
import { type CandleSeries, candleWindow, TIMEFRAME_MS } from '../../shared/domain/candles.ts';
import type { FuturesOrder, OrderStatus } from '../../shared/domain/order.ts';
import type { FuturesPosition } from '../../shared/domain/position.ts';
import { resample } from '../../shared/market-data/csv.ts';
import type { AccountView, MarketView } from '../../shared/strategies/strategy.ts';

const markets = defaultMarkets(['BTCUSDT']);

/** The view at the open of candle k: candles < k closed; mark = open[k]. */
export function viewAt(c: CandleSeries, k: number, extra: Partial<MarketView> = {}): MarketView {
  const time = c.time[k] ?? c.time[c.time.length - 1]! + 3_600_000;
  const mark = c.open[k] ?? c.close[c.close.length - 1]!;
  const four = resample(candleWindow(c, k), '1h', '4h');
  const day = resample(candleWindow(c, k), '1h', '1d');
  const closed = (s: CandleSeries, tf: '4h' | '1d') => {
    let n = 0;
    while (n < s.time.length && s.time[n]! + TIMEFRAME_MS[tf] <= time) n++;
    return candleWindow(s, n);
  };
  return {
    symbol: 'BTCUSDT',
    time,
    markPrice: mark,
    spotPrice: mark,
    fundingRate: 0.0001,
    nextFundingTime: Math.floor(time / 28_800_000) * 28_800_000 + 28_800_000,
    candles: { '1h': candleWindow(c, k), '4h': closed(four, '4h'), '1d': closed(day, '1d') },
    futuresRules: markets.futures.BTCUSDT!,
    spotRules: markets.spot.BTCUSDT!,
    ...extra,
  };
}

export function accountWith(
  p: Partial<Omit<AccountView, 'orderStatus' | 'order'>> & {
    statuses?: Record<string, OrderStatus>;
    /** Orders the strategy placed, as the exchange reports them (their status counts too). */
    orders?: FuturesOrder[];
  } = {},
): AccountView {
  const { statuses = {}, orders = [], ...rest } = p;
  const byId = new Map(orders.map((o) => [o.clientOrderId, o]));
  return {
    equity: 10_000,
    availableBalance: 10_000,
    position: undefined,
    positionCount: 0,
    openOrders: [],
    spotBase: 0,
    spotUsdt: 10_000,
    marginMode: 'isolated',
    orderStatus: (id) => statuses[id] ?? byId.get(id)?.status,
    order: (id) => byId.get(id),
    ...rest,
  };
}

export function positionOf(
  p: Partial<FuturesPosition> & Pick<FuturesPosition, 'side' | 'quantity' | 'entryPrice'>,
): FuturesPosition {
  return {
    symbol: 'BTCUSDT',
    markPrice: p.entryPrice,
    leverage: 3,
    marginMode: 'isolated',
    isolatedMargin: (p.quantity * p.entryPrice) / 3,
    unrealizedPnl: 0,
    liquidationPrice: 0,
    maintenanceMargin: 0,
    openedAt: 0,
    ...p,
  };
}

/** An open order as the exchange would list it. */
export function openOrder(clientOrderId: string, extra: Partial<FuturesOrder> = {}): FuturesOrder {
  return {
    clientOrderId,
    exchangeOrderId: clientOrderId,
    symbol: 'BTCUSDT',
    market: 'futures',
    side: 'buy',
    type: 'limit',
    status: 'new',
    quantity: 0.01,
    filledQuantity: 0,
    reduceOnly: false,
    fee: 0,
    createdAt: 0,
    updatedAt: 0,
    ...extra,
  };
}
