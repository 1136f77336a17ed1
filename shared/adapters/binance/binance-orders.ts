// ccxt's order structure (from Binance's plain, algo and spot order replies) → the port's FuturesOrder.
// Every field comes from Binance's reply (or, for a create, from the request we sent): a field the reply
// does not carry is never made up — an unreadable reply is ExchangeUnavailable (outcome unknown:
// the executor reconciles by client id), not an order with guessed fields.
import type { Order as CcxtOrder } from 'ccxt';
import type { FuturesOrder, MarketKind, OrderStatus, ReportedOrderType } from '../../domain/order.ts';
import type { OrderRequest } from '../../ports/exchange.ts';
import { ExchangeUnavailable } from '../../ports/exchange-errors.ts';

/** Binance order types (USD-M `type` / algo `orderType`, spot `type`) → reported types. */
const BINANCE_TYPES: Record<string, ReportedOrderType> = {
  MARKET: 'market',
  LIMIT: 'limit',
  LIMIT_MAKER: 'limit', // spot post-only limit
  STOP_MARKET: 'stop_market',
  STOP_LOSS: 'stop_market', // spot: market stop
  TAKE_PROFIT_MARKET: 'take_profit_market',
  STOP: 'stop_limit', // USD-M stop-limit
  STOP_LOSS_LIMIT: 'stop_limit',
  TAKE_PROFIT_LIMIT: 'take_profit_limit',
  TRAILING_STOP_MARKET: 'trailing_stop_market',
};

const WITH_LIMIT_PRICE = new Set<ReportedOrderType>(['limit', 'stop_limit', 'take_profit_limit']);
const WITH_TRIGGER = new Set<ReportedOrderType>([
  'stop_market',
  'take_profit_market',
  'stop_limit',
  'take_profit_limit',
]);

function typeOf(raw: string, market: MarketKind): ReportedOrderType | undefined {
  // TAKE_PROFIT is a limit order with a trigger on USD-M, a market one on spot.
  if (raw === 'TAKE_PROFIT') return market === 'spot' ? 'take_profit_market' : 'take_profit_limit';
  return BINANCE_TYPES[raw];
}

const STATUS: Record<string, OrderStatus> = {
  closed: 'filled', // FILLED; for an algo order TRIGGERED / FINISHED
  canceled: 'canceled',
  expired: 'expired',
  rejected: 'rejected',
};

function unreadable(what: string, o: CcxtOrder): never {
  throw new ExchangeUnavailable(
    `Binance order reply without a readable ${what} (client id ${String(o.clientOrderId ?? '?')})`,
  );
}

export function toOrder(o: CcxtOrder, market: MarketKind, request?: OrderRequest): FuturesOrder {
  const info = (o.info ?? {}) as Record<string, unknown>;
  const rawType = info.type ?? info.orderType;
  const type =
    rawType !== undefined ? typeOf(String(rawType).toUpperCase(), market) : (request?.type ?? undefined);
  if (!type) unreadable(`order type (${String(rawType)})`, o);
  const filled = Number(o.filled ?? 0);
  let status: OrderStatus;
  if (o.status === 'open') status = filled > 0 ? 'partially_filled' : 'new';
  else status = (o.status && STATUS[o.status]) || unreadable(`status (${String(o.status)})`, o);
  const quantity = Number(o.amount ?? request?.quantity);
  if (!Number.isFinite(quantity)) unreadable('quantity', o);
  const side = o.side === 'sell' || o.side === 'buy' ? o.side : (request?.side ?? unreadable('side', o));
  const price = Number(o.price);
  const trigger = Number(o.triggerPrice ?? o.stopPrice ?? request?.stopPrice);
  const average = Number(o.average);
  const now = Number(o.lastUpdateTimestamp ?? o.timestamp ?? 0);
  const symbol = String(info.symbol ?? String(o.symbol ?? '').replace(/\/USDT(:USDT)?$/, 'USDT'));
  const fees = feesOf(o, symbol, average);
  return {
    clientOrderId: String(
      o.clientOrderId ?? info.clientAlgoId ?? info.clientOrderId ?? request?.clientOrderId,
    ),
    exchangeOrderId: String(o.id ?? info.algoId ?? info.orderId ?? ''),
    symbol,
    market,
    side,
    type,
    status,
    quantity,
    filledQuantity: filled,
    ...(WITH_LIMIT_PRICE.has(type) && price > 0 ? { price } : {}),
    ...(WITH_TRIGGER.has(type) && trigger > 0 ? { stopPrice: trigger } : {}),
    ...(average > 0 ? { averagePrice: average } : {}),
    reduceOnly: Boolean(o.reduceOnly ?? (info.reduceOnly === true || info.reduceOnly === 'true')),
    ...fees,
    createdAt: Number(o.timestamp ?? now),
    updatedAt: now,
  };
}

/**
 * The commission of the fills in the reply (spot FULL replies carry them; USD-M replies do not).
 * A spot buy pays it in the coin bought (the wallet receives filled − commission): reported as
 * `commission`, and `fee` values it in USDT at the fill price. A commission in another coin (BNB)
 * cannot be valued here: `fee` then counts only the USDT part.
 */
function feesOf(o: CcxtOrder, symbol: string, average: number): Pick<FuturesOrder, 'fee' | 'commission'> {
  type Fee = { cost?: number; currency?: string };
  const all = (o as CcxtOrder & { fees?: Fee[] }).fees;
  const list = (all?.length ? all : o.fee ? [o.fee as Fee] : []).filter((f) => Number(f?.cost) > 0);
  let usdt = 0;
  const other = new Map<string, number>();
  for (const f of list) {
    const asset = String(f.currency ?? 'USDT');
    if (asset === 'USDT') usdt += Number(f.cost);
    else other.set(asset, (other.get(asset) ?? 0) + Number(f.cost));
  }
  const [first] = other;
  if (!first) return { fee: usdt };
  const [asset, amount] = first;
  const base = symbol.replace(/USDT$/, '');
  return {
    fee: usdt + (asset === base && average > 0 ? amount * average : 0),
    commission: { asset, amount },
  };
}
