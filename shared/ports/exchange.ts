// The Exchange port: everything strategies, monitors and the executor need from an exchange. The
// simulator (shared/adapters/sim) and Binance through ccxt (shared/adapters/binance) implement it;
// nothing above the port knows which one is behind it. Errors: ./exchange-errors.ts.
import type { CandleSeries, Timeframe } from '../domain/candles.ts';
import type { Wallet } from '../domain/margin-move.ts';
import type { FundingRate, LeverageBracket } from '../domain/market.ts';
import type { FuturesOrder, MarketKind, OrderIntent, OrderType } from '../domain/order.ts';
import type { FuturesPosition } from '../domain/position.ts';
import type { MarginMode, OrderSide } from '../domain/primitives.ts';

/** Trading rules of one symbol on one market (Binance exchangeInfo filters). */
export interface MarketRules {
  symbol: string;
  market: MarketKind;
  /** PRICE_FILTER tickSize. */
  tickSize: number;
  /** LOT_SIZE / MARKET_LOT_SIZE stepSize. */
  stepSize: number;
  minQuantity: number;
  /** MIN_NOTIONAL: smallest price × quantity for an order that is not reduce-only. */
  minNotional: number;
}

export interface FuturesMarket extends MarketRules {
  market: 'futures';
  brackets: readonly LeverageBracket[];
}

export interface Markets {
  futures: Record<string, FuturesMarket>;
  spot: Record<string, MarketRules>;
}

export interface OrderRequest {
  clientOrderId: string;
  symbol: string;
  market: MarketKind;
  side: OrderSide;
  type: OrderType;
  /** Base-asset quantity, already a multiple of the market's step size. */
  quantity: number;
  price?: number;
  stopPrice?: number;
  reduceOnly?: boolean;
}

/** The exchange request for an intent: its id becomes the clientOrderId (exactly-once placement). */
export function orderRequestFor(intent: OrderIntent): OrderRequest {
  // Built key by key rather than with conditional spreads (same keys, same order): a backtest makes
  // one per order, tens of thousands per run.
  const req: OrderRequest = {
    clientOrderId: intent.id,
    symbol: intent.symbol,
    market: intent.market,
    side: intent.side,
    type: intent.type,
    quantity: intent.quantity,
  };
  if (intent.price !== undefined) req.price = intent.price;
  if (intent.stopPrice !== undefined) req.stopPrice = intent.stopPrice;
  req.reduceOnly = intent.reduceOnly;
  return req;
}

export interface FuturesBalance {
  /** Wallet balance incl. isolated wallets (USDT). */
  walletBalance: number;
  unrealizedPnl: number;
  /** walletBalance + unrealizedPnl. */
  equity: number;
  /** What can back a new order. */
  availableBalance: number;
}

export interface Balances {
  futures: FuturesBalance;
  /** Spot wallet by asset, e.g. { USDT: 1000, BTC: 0.01 }. */
  spot: Record<string, number>;
}

export interface FundingPayment {
  symbol: string;
  time: number;
  /** USDT received (+) or paid (−). */
  amount: number;
}

/** Profit or loss realised by a closing fill (Binance income type REALIZED_PNL). */
export interface RealizedPnlEntry {
  /** Unique per entry (Binance tranId): the key to counting each once. */
  id: string;
  symbol: string;
  time: number;
  /** USDT, before fees. */
  amount: number;
}

/**
 * One change of an isolated position's margin that the account holder made (Binance
 * GET /fapi/v1/positionMargin/history, deltaType USER_ADJUST; the margin a trade or funding moves is
 * not listed). No id: Binance's entries carry none, so they are told apart by time and amount.
 */
export interface MarginAdjustment {
  symbol: string;
  /** Binance type 1 (add) or 2 (reduce). */
  type: 'add' | 'reduce';
  /** USDT, > 0. */
  amount: number;
  /** Exchange time (ms). */
  time: number;
}

/** A USDT transfer between the spot and the USD-M futures wallet (Binance universal transfer). */
export interface WalletTransfer {
  /** The exchange's id (Binance tranId). */
  id: string;
  from: Wallet;
  to: Wallet;
  /** USDT, > 0. */
  amount: number;
  /** Binance CONFIRMED / PENDING / FAILED. */
  status: 'confirmed' | 'pending' | 'failed';
  /** Exchange time (ms). */
  time: number;
}

export interface CurrentFunding extends FundingRate {
  /** The next settlement time of `fundingRate` (the predicted rate). */
  nextFundingTime: number;
}

/**
 * What reading the account takes: the Telegram webhook gets this from the DynamoDB read model the
 * monitors write (shared/app/read-model.ts), so its bundle carries no exchange client.
 */
export type ExchangeReader = Pick<
  Exchange,
  | 'loadMarkets'
  | 'fetchBalances'
  | 'fetchPositions'
  | 'fetchMarkPrice'
  | 'fetchSpotPrice'
  | 'fetchFundingRate'
  | 'fetchFundingHistory'
>;

export interface Exchange {
  loadMarkets(): Promise<Markets>;
  /** Closed candles, oldest first, at most `limit`, ending at or before now. */
  fetchCandles(symbol: string, timeframe: Timeframe, limit: number): Promise<CandleSeries>;
  fetchMarkPrice(symbol: string): Promise<number>;
  /** Spot last price (the hedge leg of funding arbitrage). */
  fetchSpotPrice(symbol: string): Promise<number>;
  fetchFundingRate(symbol: string): Promise<CurrentFunding>;
  fetchFundingHistory(symbol: string, since: number, limit: number): Promise<FundingRate[]>;
  /** Funding this account received (+) or paid (−) since `since`, per settlement. */
  fetchFundingPayments(since: number): Promise<FundingPayment[]>;
  /** Realised PnL of closing fills at or after `since`, oldest first. */
  fetchRealizedPnl(since: number): Promise<RealizedPnlEntry[]>;
  /**
   * Futures commissions at or after `since`, oldest first, as negative amounts (Binance income type
   * COMMISSION): the fees of each strategy's book. Optional: a reader without it shows no fees.
   */
  fetchCommissions?(since: number): Promise<RealizedPnlEntry[]>;
  fetchBalances(): Promise<Balances>;
  fetchPositions(): Promise<FuturesPosition[]>;
  /**
   * Open orders (plain and conditional) on `market` (default futures). Without a symbol: every symbol
   * the account trades or holds a position in (Binance needs a symbol per request to keep the weight low).
   */
  fetchOpenOrders(symbol?: string, market?: MarketKind): Promise<FuturesOrder[]>;
  createOrder(request: OrderRequest): Promise<FuturesOrder>;
  cancelOrder(symbol: string, clientOrderId: string, market?: MarketKind): Promise<FuturesOrder>;
  /** Any order, open or not, by the client id it was created with; OrderNotFound if none. */
  fetchOrderByClientId(symbol: string, clientOrderId: string, market?: MarketKind): Promise<FuturesOrder>;
  /** Sets the symbol's leverage; returns the leverage in force. */
  setLeverage(symbol: string, leverage: number): Promise<number>;
  setMarginMode(symbol: string, mode: MarginMode): Promise<void>;
  fetchLeverageBrackets(symbol: string): Promise<readonly LeverageBracket[]>;
  /**
   * Add USDT from the futures wallet to the symbol's ISOLATED position margin (Binance
   * POST /fapi/v1/positionMargin type 1). NoIsolatedPosition without one; InsufficientBalance when the
   * wallet cannot pay. Returns the amount booked. Carries no client id: see fetchMarginAdjustments.
   */
  addMargin(symbol: string, amount: number): Promise<{ symbol: string; amount: number }>;
  /** The account holder's own margin changes on `symbol` at or after `since` (exchange time), oldest first. */
  fetchMarginAdjustments(symbol: string, since: number): Promise<MarginAdjustment[]>;
  /**
   * Move USDT between the spot and the USD-M futures wallet (Binance POST /sapi/v1/asset/transfer,
   * MAIN_UMFUTURE / UMFUTURE_MAIN). InsufficientBalance when the source cannot pay. Carries no client id:
   * see fetchTransfers.
   */
  transfer(request: { from: Wallet; to: Wallet; amount: number }): Promise<WalletTransfer>;
  /** USDT transfers `from` → `to` at or after `since` (exchange time), oldest first. */
  fetchTransfers(from: Wallet, to: Wallet, since: number): Promise<WalletTransfer[]>;
}
