// What a strategy sees at one tick: the market view (closed candles, prices, funding, trading rules)
// and the account view (balances, this symbol's position and open orders, and the orders the strategy
// remembers in its state, looked up on the exchange — futures or spot — so it books what filled).
import { TIMEFRAME_MS, type Timeframe } from '../domain/candles.ts';
import type { FuturesOrder, OrderStatus } from '../domain/order.ts';
import type { AccountSnapshot } from '../domain/position.ts';
import type { Exchange, FuturesMarket } from '../ports/exchange.ts';
import { OrderNotFound } from '../ports/exchange-errors.ts';
import type { StateStore } from '../ports/state-store.ts';
import type { AccountView, MarketView, Strategy } from '../strategies/strategy.ts';

export class UnknownSymbol extends Error {
  override readonly name = 'UnknownSymbol';
}

/**
 * A strategy that trades spot (it keeps a spot holding: funding_arbitrage's hedge) on a futures symbol
 * Binance spot lists under no market of that name (1000PEPEUSDT is 1,000 PEPE; spot lists PEPEUSDT).
 */
export class NoSpotMarket extends Error {
  override readonly name = 'NoSpotMarket';
}

export async function loadMarketView(
  // biome-ignore lint/suspicious/noExplicitAny: strategies of any parameter type.
  req: { strategy: Strategy<any, any>; params: unknown; symbol: string; tickTime: number },
  exchange: Exchange,
): Promise<MarketView & { futuresRules: FuturesMarket }> {
  const { strategy, symbol } = req;
  const markets = await exchange.loadMarkets();
  const futuresRules = markets.futures[symbol];
  if (!futuresRules) throw new UnknownSymbol(`unknown symbol ${symbol}`);
  const spotRules = markets.spot[symbol];
  if (!spotRules && strategy.spotHolding)
    throw new NoSpotMarket(
      `${strategy.name} needs the spot market ${symbol} for its hedge, and Binance spot has no market of that name (a contract on a multiple of the coin, such as 1000PEPEUSDT, has none): give ${symbol} to a futures-only strategy in STRATEGY_SYMBOLS`,
    );

  // Closed candles per timeframe, enough for the strategy's look-back.
  const lookbackHours = strategy.lookback(req.params) + 1;
  const candles: MarketView['candles'] = {};
  for (const tf of strategy.timeframes as Timeframe[]) {
    const bars = Math.ceil((lookbackHours * TIMEFRAME_MS['1h']) / TIMEFRAME_MS[tf]) + 2;
    candles[tf] = await exchange.fetchCandles(symbol, tf, bars);
  }
  const [markPrice, spotPrice, funding] = await Promise.all([
    exchange.fetchMarkPrice(symbol),
    spotRules ? exchange.fetchSpotPrice(symbol) : undefined,
    exchange.fetchFundingRate(symbol),
  ]);
  return {
    symbol,
    time: req.tickTime,
    markPrice,
    spotPrice: spotPrice ?? markPrice,
    // The spot price was fetched: the spot market is open (a halted market fails the order, not this).
    // No spot market: nothing spot can fill; the futures-only strategy ticking here reads no spot field,
    // and the executor refuses a spot order on a symbol without spot rules.
    spotTradable: spotRules !== undefined,
    fundingRate: funding.fundingRate,
    nextFundingTime: funding.nextFundingTime,
    candles,
    futuresRules,
    spotRules: spotRules ?? { ...pick(futuresRules), market: 'spot' },
  };
}

const pick = ({ symbol, tickSize, stepSize, minQuantity, minNotional }: FuturesMarket) => ({
  symbol,
  tickSize,
  stepSize,
  minQuantity,
  minNotional,
});

/** Intent ids a strategy remembers in its state: the only orders it can ask about. */
export function idsIn(state: unknown): string[] {
  const out: string[] = [];
  const isId = (x: unknown): x is string => typeof x === 'string' && /^ac-[0-9a-f]{32}$/.test(x);
  // Ids appear as values (a stop's id) and as keys (a grid's orders by id).
  JSON.stringify(state ?? null, (k, v) => {
    if (isId(k)) out.push(k);
    if (isId(v)) out.push(v);
    return v;
  });
  return [...new Set(out)];
}

export async function loadAccountView(
  symbol: string,
  snapshot: AccountSnapshot,
  state: unknown,
  deps: { exchange: Exchange; store: StateStore },
): Promise<AccountView> {
  const openOrders = await deps.exchange.fetchOpenOrders(symbol);
  const orders = new Map<string, FuturesOrder>();
  const statuses = new Map<string, OrderStatus>();
  for (const o of openOrders) {
    orders.set(o.clientOrderId, o);
    statuses.set(o.clientOrderId, o.status);
  }
  for (const id of idsIn(state)) {
    if (statuses.has(id)) continue;
    const found = await findOrder(symbol, id, deps);
    if (found === 'rejected') statuses.set(id, 'rejected');
    else if (found) {
      orders.set(id, found);
      statuses.set(id, found.status);
    }
  }
  const base = symbol.replace(/USDT$/, '');
  const position = snapshot.positions.find((p) => p.symbol === symbol);
  return {
    equity: snapshot.equity,
    availableBalance: snapshot.availableBalance,
    position,
    positionCount: snapshot.positions.length,
    openOrders,
    spotBase: snapshot.spotBalances[base] ?? 0,
    spotUsdt: snapshot.spotBalances.USDT ?? 0,
    marginMode: position?.marginMode ?? 'isolated',
    orderStatus: (id) => statuses.get(id),
    order: (id) => orders.get(id),
  };
}

/**
 * An order by client id: on futures, else — when the executor's record says it was a spot intent — on
 * spot; 'rejected' when it never reached the exchange because a risk check refused it.
 */
async function findOrder(
  symbol: string,
  id: string,
  deps: { exchange: Exchange; store: StateStore },
): Promise<FuturesOrder | 'rejected' | undefined> {
  try {
    return await withRecordedCommission(await deps.exchange.fetchOrderByClientId(symbol, id), deps.store);
  } catch (err) {
    if (!(err instanceof OrderNotFound)) throw err;
  }
  const record = await deps.store.getIntent(id);
  if (record?.intent?.market === 'spot') {
    try {
      return withRecordedCommission(await deps.exchange.fetchOrderByClientId(symbol, id, 'spot'), deps.store);
    } catch (err) {
      if (!(err instanceof OrderNotFound)) throw err;
    }
  }
  return record?.status === 'REJECTED' ? 'rejected' : undefined;
}

/**
 * Binance's spot order query (GET /api/v3/order) carries no fills and so no commission; only the
 * create reply (newOrderRespType FULL) does, and the executor recorded that one. A spot buy's fee is
 * taken from the coin bought, so booking the hedge without it would count coins the wallet never got
 * (and the strategy would then see its leg "missing"). Same fill: take the recorded commission.
 */
async function withRecordedCommission(order: FuturesOrder, store: StateStore): Promise<FuturesOrder> {
  if (order.market !== 'spot' || order.commission || order.filledQuantity <= 0) return order;
  const recorded = await store.getOrder(order.clientOrderId);
  if (!recorded?.commission) return order;
  if (Math.abs(recorded.filledQuantity - order.filledQuantity) > 1e-12 * Math.max(1, order.filledQuantity))
    return order;
  return { ...order, commission: recorded.commission };
}
