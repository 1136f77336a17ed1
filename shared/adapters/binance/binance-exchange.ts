// The Exchange port on Binance through ccxt: `binanceusdm` for USD-M futures, `binance` for the spot
// hedge leg. The only place that knows Binance's wire format (through ccxt). Quantities and prices are
// rounded to the market's step and tick here, with ccxt's own precision helpers; ccxt's errors become
// the port's error classes; keys come from the caller (Secrets Manager in AWS, env locally) and never
// appear in a message this adapter produces.
// Conditional orders (STOP_MARKET / TAKE_PROFIT_MARKET) live in Binance's algo-order service since its
// 2025 migration: ccxt routes them there (clientAlgoId), so lookups and cancels try both books.
import ccxt, { type Order as CcxtOrder } from 'ccxt';
import type { CandleSeries, Timeframe } from '../../domain/candles.ts';
import { emptySeries, TIMEFRAME_MS } from '../../domain/candles.ts';
import { type LeverageBracket, LeverageBracketTableSchema } from '../../domain/market.ts';
import type { FuturesOrder, MarketKind, OrderStatus, OrderType } from '../../domain/order.ts';
import type { FuturesPosition } from '../../domain/position.ts';
import type { MarginMode } from '../../domain/primitives.ts';
import type { Clock } from '../../ports/clock.ts';
import { systemClock } from '../../ports/clock.ts';
import type {
  Balances,
  CurrentFunding,
  Exchange,
  FundingPayment,
  FuturesMarket,
  MarketRules,
  Markets,
  OrderRequest,
  RealizedPnlEntry,
} from '../../ports/exchange.ts';
import {
  DuplicateClientOrderId,
  ExchangeError,
  ExchangeUnavailable,
  InsufficientMargin,
  InvalidOrder,
  OrderNotFound,
  RateLimited,
} from '../../ports/exchange-errors.ts';

export interface BinanceOptions {
  apiKey: string;
  secret: string;
  /** Symbols the product trades (BTCUSDT…): markets and brackets are loaded for these. */
  symbols: readonly string[];
  /** Binance's demo trading environment (the futures testnet's successor), via ccxt. */
  testnet?: boolean;
  /** Replace every API origin (contract tests against a loopback server). */
  apiOrigin?: string;
  clock?: Clock;
  timeoutMs?: number;
}

/** Strip anything credential-like from an error message before it travels anywhere. */
export function redact(message: string, secrets: readonly string[] = []): string {
  let m = message.replace(
    /(signature|apiKey|api_key|secret|X-MBX-APIKEY)([=:"\s]+)[A-Za-z0-9%._-]+/gi,
    '$1$2[redacted]',
  );
  for (const s of secrets) if (s.length >= 6) m = m.split(s).join('[redacted]');
  return m.slice(0, 600);
}

/** Binance error codes (USD-M and spot "Error Codes" pages) → the port's classes. */
const BINANCE_CODES: Record<string, (msg: string) => Error> = {
  '-2019': (m) => new InsufficientMargin(m), // Margin is insufficient.
  '-2018': (m) => new InsufficientMargin(m), // Balance is insufficient.
  '-4116': (m) => new DuplicateClientOrderId(m), // ClientOrderId is duplicated.
  '-4015': (m) => new DuplicateClientOrderId(m), // Client order id is not valid (already used).
  '-2013': (m) => new OrderNotFound(m), // Order does not exist.
  '-2011': (m) => new OrderNotFound(m), // Unknown order sent.
  '-1003': (m) => new RateLimited(m, 60_000), // Too many requests.
  '-1015': (m) => new RateLimited(m, 10_000), // Too many new orders.
  '-1001': (m) => new ExchangeUnavailable(m), // Internal error; unable to process your request.
  '-1007': (m) => new ExchangeUnavailable(m), // Timeout waiting for response from backend server: status UNKNOWN.
  '-1021': (m) => new ExchangeUnavailable(m), // Timestamp outside recvWindow: retry after clock sync.
  '-2021': (m) => new InvalidOrder(m), // Order would immediately trigger.
  '-2022': (m) => new InvalidOrder(m), // ReduceOnly Order is rejected.
  '-2027': (m) => new InvalidOrder(m), // Exceeded the maximum allowable position at current leverage.
  '-1111': (m) => new InvalidOrder(m), // Precision is over the maximum defined for this asset.
  '-4164': (m) => new InvalidOrder(m), // Order's notional must be no smaller than the minimum.
};

const TYPE_TO_CCXT: Record<OrderType, string> = {
  market: 'market',
  limit: 'limit',
  stop_market: 'STOP_MARKET',
  take_profit_market: 'TAKE_PROFIT_MARKET',
};

export class BinanceExchange implements Exchange {
  private readonly usdm: InstanceType<typeof ccxt.binanceusdm>;
  private readonly spot: InstanceType<typeof ccxt.binance>;
  private markets?: Markets;
  private readonly clock: Clock;

  constructor(private readonly o: BinanceOptions) {
    const common = {
      apiKey: o.apiKey,
      secret: o.secret,
      enableRateLimit: true,
      timeout: o.timeoutMs ?? 10_000,
    };
    // Only what we use: no currencies or margin endpoints on load (they need extra permissions and time).
    this.usdm = new ccxt.binanceusdm({
      ...common,
      options: {
        fetchCurrencies: false,
        fetchMargins: false,
        fetchMarkets: { types: ['linear'] },
        defaultType: 'swap',
      },
    });
    this.spot = new ccxt.binance({
      ...common,
      options: {
        fetchCurrencies: false,
        fetchMargins: false,
        fetchMarkets: { types: ['spot'] },
        defaultType: 'spot',
      },
    });
    if (o.testnet) {
      // ccxt's futures sandbox is retired; demo trading is its replacement.
      this.usdm.enableDemoTrading(true);
      this.spot.enableDemoTrading(true);
    }
    if (o.apiOrigin) {
      for (const ex of [this.usdm, this.spot]) {
        const api = ex.urls.api as Record<string, string>;
        for (const k of Object.keys(api)) api[k] = String(api[k]).replace(/^https?:\/\/[^/]+/, o.apiOrigin);
      }
    }
    this.clock = o.clock ?? systemClock;
  }

  private fut(symbol: string): string {
    return `${symbol.replace(/USDT$/, '')}/USDT:USDT`;
  }
  private spo(symbol: string): string {
    return `${symbol.replace(/USDT$/, '')}/USDT`;
  }

  /** Run a ccxt call, mapping its errors to the port's classes with credentials redacted. */
  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw this.mapError(what, err);
    }
  }

  private mapError(what: string, err: unknown): Error {
    if (err instanceof ExchangeError) return err;
    const msg = redact(`${what}: ${err instanceof Error ? err.message : String(err)}`, [
      this.o.apiKey,
      this.o.secret,
    ]);
    // Binance's own error code decides first: ccxt maps some codes to broad classes (e.g. -2019 to
    // OperationFailed on USD-M), and the executor's retry/reject decision must not be broad.
    const code = /"code":\s*(-?\d+)/.exec(msg)?.[1];
    const byCode = code ? BINANCE_CODES[code] : undefined;
    if (byCode) return byCode(msg);
    if (err instanceof ccxt.DuplicateOrderId) return new DuplicateClientOrderId(msg);
    if (err instanceof ccxt.OrderNotFound) return new OrderNotFound(msg);
    if (err instanceof ccxt.InsufficientFunds) return new InsufficientMargin(msg);
    if (err instanceof ccxt.RateLimitExceeded || err instanceof ccxt.DDoSProtection)
      return new RateLimited(msg, 2_000);
    // NetworkError (timeouts, 5xx, maintenance) and OperationFailed: the outcome is not known.
    if (err instanceof ccxt.NetworkError || err instanceof ccxt.OperationFailed)
      return new ExchangeUnavailable(msg);
    if (err instanceof ccxt.AuthenticationError || err instanceof ccxt.PermissionDenied) {
      return new ExchangeError(`${msg} — check the API key, its permissions and IP whitelist`);
    }
    if (err instanceof ccxt.ExchangeError) return new InvalidOrder(msg);
    return err instanceof Error ? err : new Error(String(err));
  }

  async loadMarkets(): Promise<Markets> {
    if (this.markets) return this.markets;
    await this.call('loadMarkets', () => this.usdm.loadMarkets());
    await this.call('loadMarkets(spot)', () => this.spot.loadMarkets());
    const tiers = await this.call('fetchLeverageTiers', () =>
      this.usdm.fetchLeverageTiers(this.o.symbols.map((s) => this.fut(s))),
    );
    const futures: Record<string, FuturesMarket> = {};
    const spot: Record<string, MarketRules> = {};
    for (const symbol of this.o.symbols) {
      const m = this.usdm.market(this.fut(symbol));
      const brackets = LeverageBracketTableSchema.parse(
        (tiers[this.fut(symbol)] ?? []).map((t, i) => ({
          bracket: Number(t.tier ?? i + 1),
          notionalFloor: Number(t.minNotional ?? 0),
          notionalCap: Number(t.maxNotional),
          maintMarginRatio: Number(t.maintenanceMarginRate),
          maintAmount: Number((t.info as Record<string, string>)?.cum ?? 0),
          maxLeverage: Number(t.maxLeverage),
        })),
      );
      futures[symbol] = { symbol, market: 'futures', ...rulesOf(m), brackets };
      const s = this.spot.market(this.spo(symbol));
      spot[symbol] = { symbol, market: 'spot', ...rulesOf(s) };
    }
    this.markets = { futures, spot };
    return this.markets;
  }

  async fetchCandles(symbol: string, timeframe: Timeframe, limit: number): Promise<CandleSeries> {
    const rows = await this.call('fetchOHLCV', () =>
      this.usdm.fetchOHLCV(this.fut(symbol), timeframe, undefined, limit + 1),
    );
    const now = this.clock.now();
    // Binance returns the candle still forming last: strategies see closed candles only.
    const closed = rows.filter((r) => Number(r[0]) + TIMEFRAME_MS[timeframe] <= now).slice(-limit);
    const s = emptySeries(closed.length);
    closed.forEach((r, i) => {
      s.time[i] = Number(r[0]);
      s.open[i] = Number(r[1]);
      s.high[i] = Number(r[2]);
      s.low[i] = Number(r[3]);
      s.close[i] = Number(r[4]);
      s.volume[i] = Number(r[5]);
    });
    return s;
  }

  async fetchMarkPrice(symbol: string): Promise<number> {
    return (await this.fetchFundingRate(symbol)).markPrice!;
  }

  async fetchSpotPrice(symbol: string): Promise<number> {
    const t = await this.call('fetchTicker(spot)', () => this.spot.fetchTicker(this.spo(symbol)));
    return positiveNumber(t.last, 'spot last price');
  }

  async fetchFundingRate(symbol: string): Promise<CurrentFunding> {
    const f = await this.call('fetchFundingRate', () => this.usdm.fetchFundingRate(this.fut(symbol)));
    const info = f.info as Record<string, string>;
    const next = Number(info.nextFundingTime ?? f.fundingTimestamp);
    return {
      symbol,
      fundingRate: Number(info.lastFundingRate ?? f.fundingRate),
      fundingTime: next,
      nextFundingTime: next,
      markPrice: positiveNumber(Number(info.markPrice ?? f.markPrice), 'mark price'),
      intervalHours: 8,
    };
  }

  async fetchFundingHistory(symbol: string, since: number, limit: number) {
    const rows = await this.call('fetchFundingRateHistory', () =>
      this.usdm.fetchFundingRateHistory(this.fut(symbol), since, limit),
    );
    return rows.map((r) => ({
      symbol,
      fundingRate: Number(r.fundingRate),
      fundingTime: Number(r.timestamp),
      intervalHours: 8,
    }));
  }

  async fetchFundingPayments(since: number): Promise<FundingPayment[]> {
    // GET /fapi/v1/income?incomeType=FUNDING_FEE (ccxt: fetchFundingHistory).
    const rows = await this.call('fetchFundingHistory', () =>
      this.usdm.fetchFundingHistory(undefined, since, 1000),
    );
    return rows.map((r) => ({
      symbol: String((r.info as Record<string, string>).symbol),
      time: Number(r.timestamp),
      amount: Number(r.amount),
    }));
  }

  async fetchRealizedPnl(since: number): Promise<RealizedPnlEntry[]> {
    // GET /fapi/v1/income?incomeType=REALIZED_PNL — ccxt has no unified method for this income type,
    // so its implicit endpoint; rows: { symbol, incomeType, income, asset, time, tranId, tradeId }.
    const rows = (await this.call('fetchRealizedPnl', () =>
      this.usdm.fapiPrivateGetIncome({ incomeType: 'REALIZED_PNL', startTime: since, limit: 1000 }),
    )) as Record<string, unknown>[];
    return rows
      .filter((r) => r.incomeType === 'REALIZED_PNL')
      .map((r) => ({
        id: String(r.tranId),
        symbol: String(r.symbol),
        time: Number(r.time),
        amount: Number(r.income),
      }))
      .sort((a, b) => a.time - b.time);
  }

  async fetchBalances(): Promise<Balances> {
    const b = await this.call('fetchBalance', () => this.usdm.fetchBalance());
    const info = b.info as Record<string, string>;
    const wallet = Number(info.totalWalletBalance);
    const upnl = Number(info.totalUnrealizedProfit);
    const s = await this.call('fetchBalance(spot)', () => this.spot.fetchBalance());
    const spot: Record<string, number> = {};
    for (const [asset, amount] of Object.entries(s.total ?? {}))
      if (Number(amount) > 0) spot[asset] = Number(amount);
    return {
      futures: {
        walletBalance: wallet,
        unrealizedPnl: upnl,
        equity: wallet + upnl,
        availableBalance: Number(info.availableBalance),
      },
      spot,
    };
  }

  async fetchPositions(): Promise<FuturesPosition[]> {
    const rows = await this.call('fetchPositions', () =>
      this.usdm.fetchPositions(this.o.symbols.map((s) => this.fut(s))),
    );
    return rows
      .filter((p) => Number(p.contracts) > 0)
      .map((p) => {
        const quantity = Number(p.contracts);
        const entryPrice = Number(p.entryPrice);
        const markPrice = Number(p.markPrice);
        const im = Number(p.initialMargin ?? 0);
        const leverage =
          Number(p.leverage) || (im > 0 ? Math.max(1, Math.round((quantity * markPrice) / im)) : 1);
        return {
          symbol: String((p.info as Record<string, string>).symbol),
          side: p.side === 'short' ? 'short' : 'long',
          quantity,
          entryPrice,
          markPrice,
          leverage,
          marginMode: p.marginMode === 'cross' ? 'cross' : 'isolated',
          isolatedMargin: p.marginMode === 'cross' ? 0 : Number(p.collateral ?? 0),
          unrealizedPnl: Number(p.unrealizedPnl ?? 0),
          liquidationPrice: Number(p.liquidationPrice ?? 0) || 0,
          maintenanceMargin: Number(p.maintenanceMargin ?? 0),
          openedAt: Number(p.timestamp ?? 0),
        } satisfies FuturesPosition;
      });
  }

  async fetchOpenOrders(symbol?: string): Promise<FuturesOrder[]> {
    const sym = symbol ? this.fut(symbol) : undefined;
    const plain = await this.call('fetchOpenOrders', () => this.usdm.fetchOpenOrders(sym));
    const algo = await this.call('fetchOpenOrders(trigger)', () =>
      this.usdm.fetchOpenOrders(sym, undefined, undefined, { trigger: true }),
    );
    return [...plain, ...algo].map((o) => toOrder(o, 'futures'));
  }

  async createOrder(r: OrderRequest): Promise<FuturesOrder> {
    await this.loadMarkets();
    const ex = r.market === 'futures' ? this.usdm : this.spot;
    const sym = r.market === 'futures' ? this.fut(r.symbol) : this.spo(r.symbol);
    const amount = Number(ex.amountToPrecision(sym, r.quantity));
    if (!(amount > 0)) throw new InvalidOrder(`quantity ${r.quantity} rounds to 0 on ${r.symbol}'s step`);
    const price = r.price !== undefined ? Number(ex.priceToPrecision(sym, r.price)) : undefined;
    const params: Record<string, unknown> = { clientOrderId: r.clientOrderId };
    if (r.stopPrice !== undefined) params.triggerPrice = Number(ex.priceToPrecision(sym, r.stopPrice));
    if (r.reduceOnly) params.reduceOnly = true;
    const o = await this.call('createOrder', () =>
      ex.createOrder(sym, TYPE_TO_CCXT[r.type], r.side, amount, price, params),
    );
    return toOrder({ ...o, clientOrderId: o.clientOrderId ?? r.clientOrderId, symbol: sym }, r.market, r);
  }

  async cancelOrder(
    symbol: string,
    clientOrderId: string,
    market: MarketKind = 'futures',
  ): Promise<FuturesOrder> {
    if (market === 'spot') {
      const o = await this.call('cancelOrder(spot)', () =>
        this.spot.cancelOrder('', this.spo(symbol), { clientOrderId }),
      );
      return toOrder(o, 'spot');
    }
    try {
      return toOrder(
        await this.call('cancelOrder', () => this.usdm.cancelOrder('', this.fut(symbol), { clientOrderId })),
        'futures',
      );
    } catch (err) {
      if (!(err instanceof OrderNotFound)) throw err;
      return toOrder(
        await this.call('cancelOrder(trigger)', () =>
          this.usdm.cancelOrder('', this.fut(symbol), { clientOrderId, trigger: true }),
        ),
        'futures',
      );
    }
  }

  async fetchOrderByClientId(
    symbol: string,
    clientOrderId: string,
    market: MarketKind = 'futures',
  ): Promise<FuturesOrder> {
    if (market === 'spot') {
      return toOrder(
        await this.call('fetchOrder(spot)', () =>
          this.spot.fetchOrder('', this.spo(symbol), { clientOrderId }),
        ),
        'spot',
      );
    }
    try {
      return toOrder(
        await this.call('fetchOrder', () => this.usdm.fetchOrder('', this.fut(symbol), { clientOrderId })),
        'futures',
      );
    } catch (err) {
      if (!(err instanceof OrderNotFound)) throw err;
      return toOrder(
        await this.call('fetchOrder(trigger)', () =>
          this.usdm.fetchOrder('', this.fut(symbol), { clientOrderId, trigger: true }),
        ),
        'futures',
      );
    }
  }

  async setLeverage(symbol: string, leverage: number): Promise<number> {
    const r = await this.call('setLeverage', () => this.usdm.setLeverage(leverage, this.fut(symbol)));
    return Number((r as Record<string, unknown>)?.leverage ?? leverage);
  }

  async setMarginMode(symbol: string, mode: MarginMode): Promise<void> {
    try {
      await this.call('setMarginMode', () => this.usdm.setMarginMode(mode, this.fut(symbol)));
    } catch (err) {
      // -4046 "No need to change margin type": already in that mode.
      if (!(err instanceof Error && /-4046|No need to change/i.test(err.message))) throw err;
    }
  }

  async fetchLeverageBrackets(symbol: string): Promise<readonly LeverageBracket[]> {
    const m = (await this.loadMarkets()).futures[symbol];
    if (!m) throw new InvalidOrder(`symbol ${symbol} is not configured`);
    return m.brackets;
  }
}

function rulesOf(m: {
  precision: { price?: number | undefined; amount?: number | undefined };
  limits: { amount?: { min?: number | undefined }; cost?: { min?: number | undefined } };
}) {
  const tickSize = Number(m.precision.price);
  const stepSize = Number(m.precision.amount);
  if (!(tickSize > 0) || !(stepSize > 0)) throw new InvalidOrder('market without tick or step size');
  return {
    tickSize,
    stepSize,
    minQuantity: Number(m.limits.amount?.min ?? stepSize),
    minNotional: Number(m.limits.cost?.min ?? 5),
  };
}

function positiveNumber(v: unknown, what: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0)
    throw new ExchangeUnavailable(`exchange returned an unusable ${what}: ${String(v)}`);
  return n;
}

const STATUS: Record<string, OrderStatus> = {
  closed: 'filled',
  canceled: 'canceled',
  expired: 'expired',
  rejected: 'rejected',
};

function toOrder(o: CcxtOrder, market: MarketKind, request?: OrderRequest): FuturesOrder {
  const info = (o.info ?? {}) as Record<string, string>;
  const rawType = String(info.type ?? info.orderType ?? o.type ?? request?.type ?? 'market').toUpperCase();
  const type: OrderType = rawType.includes('TAKE_PROFIT')
    ? 'take_profit_market'
    : rawType.includes('STOP')
      ? 'stop_market'
      : rawType === 'LIMIT'
        ? 'limit'
        : 'market';
  const filled = Number(o.filled ?? 0);
  const status: OrderStatus =
    o.status === 'open' || o.status === undefined
      ? filled > 0
        ? 'partially_filled'
        : 'new'
      : (STATUS[o.status] ?? 'new');
  const quantity = Number(o.amount ?? request?.quantity);
  const price = Number(o.price);
  const trigger = Number(o.triggerPrice ?? o.stopPrice ?? request?.stopPrice);
  const average = Number(o.average);
  const now = Number(o.lastUpdateTimestamp ?? o.timestamp ?? 0);
  return {
    clientOrderId: String(
      o.clientOrderId ?? info.clientAlgoId ?? info.clientOrderId ?? request?.clientOrderId,
    ),
    exchangeOrderId: String(o.id ?? info.algoId ?? info.orderId ?? ''),
    symbol: String(info.symbol ?? String(o.symbol ?? '').replace(/\/USDT(:USDT)?$/, 'USDT')),
    market,
    side: o.side === 'sell' ? 'sell' : 'buy',
    type,
    status,
    quantity,
    filledQuantity: filled,
    ...(type === 'limit' && price > 0 ? { price } : {}),
    ...((type === 'stop_market' || type === 'take_profit_market') && trigger > 0
      ? { stopPrice: trigger }
      : {}),
    ...(average > 0 ? { averagePrice: average } : {}),
    reduceOnly: Boolean(o.reduceOnly ?? info.reduceOnly === 'true'),
    fee: Number(o.fee?.cost ?? 0),
    createdAt: Number(o.timestamp ?? now),
    updatedAt: now,
  };
}
