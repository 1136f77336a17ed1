// The Exchange port on Binance through ccxt: `binanceusdm` for USD-M futures, `binance` for the spot
// hedge leg. The only place that knows Binance's wire format (through ccxt). Quantities and prices are
// rounded to the market's step and tick here, with ccxt's own precision helpers; ccxt's errors become
// the port's error classes; keys come from the caller (SSM SecureString in AWS, env locally) and never
// appear in a message this adapter produces.
// Conditional orders (STOP_MARKET / TAKE_PROFIT_MARKET) live in Binance's algo-order service since its
// 2025 migration: ccxt routes them there (clientAlgoId), so lookups and cancels try both books.
// Error mapping: ./binance-errors.ts; order replies → FuturesOrder: ./binance-orders.ts; the ccxt
// clients as built here (spot markets of the configured symbols only): ./ccxt-clients.ts.
import ccxt from 'ccxt';
import type { CandleSeries, Timeframe } from '../../domain/candles.ts';
import { emptySeries, TIMEFRAME_MS } from '../../domain/candles.ts';
import type { Wallet } from '../../domain/margin-move.ts';
import { type LeverageBracket, LeverageBracketTableSchema } from '../../domain/market.ts';
import type { FuturesOrder, MarketKind, OrderType } from '../../domain/order.ts';
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
  MarginAdjustment,
  MarketRules,
  Markets,
  OrderRequest,
  RealizedPnlEntry,
  WalletTransfer,
} from '../../ports/exchange.ts';
import { ExchangeUnavailable, InvalidOrder, OrderNotFound } from '../../ports/exchange-errors.ts';
import { mapBinanceError, rememberHttpFacts } from './binance-errors.ts';
import { addMarginOn, fetchMarginAdjustmentsOn, fetchTransfersOn, transferOn } from './binance-margin.ts';
import { toOrder } from './binance-orders.ts';
import { forgetFailedMarketLoads, spotForSymbols } from './ccxt-clients.ts';

export { redact } from './binance-errors.ts';

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

const TYPE_TO_CCXT: Record<OrderType, string> = {
  market: 'market',
  limit: 'limit',
  stop_market: 'STOP_MARKET',
  take_profit_market: 'TAKE_PROFIT_MARKET',
};

export class BinanceExchange implements Exchange {
  private readonly usdm: InstanceType<typeof ccxt.binanceusdm>;
  private readonly spot: InstanceType<ReturnType<typeof spotForSymbols>>;
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
    this.spot = new (spotForSymbols(o.symbols.map((s) => this.spo(s).replace('/', ''))))({
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
    for (const ex of [this.usdm, this.spot]) {
      rememberHttpFacts(ex);
      forgetFailedMarketLoads(ex);
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
    return mapBinanceError(what, err, [this.o.apiKey, this.o.secret]);
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
      // No spot market of the same name (1000PEPEUSDT): no spot rules; a spot order on it is refused.
      const s = this.spot.markets?.[this.spo(symbol)];
      if (s) spot[symbol] = { symbol, market: 'spot', ...rulesOf(s) };
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

  /**
   * The last spot price of any `<ASSET>USDT` symbol, loaded market or not (the trader's own coins are
   * valued with it): the request ccxt's fetchTicker makes (GET /api/v3/ticker/24hr), sent raw because
   * fetchTicker refuses a symbol whose market was not loaded. Binance answers -1121 (BadSymbol →
   * a non-retryable ExchangeError) for a symbol it does not list.
   */
  async fetchSpotPrice(symbol: string): Promise<number> {
    if (!/^[A-Z0-9]{1,20}USDT$/.test(symbol)) throw new InvalidOrder(`not a USDT spot symbol: ${symbol}`);
    const t = (await this.call('fetchTicker(spot)', () =>
      this.spot.publicGetTicker24hr({ symbol: this.spo(symbol).replace('/', '') }),
    )) as Record<string, unknown>;
    return positiveNumber(t.lastPrice, 'spot last price');
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
    return this.income('fetchRealizedPnl', 'REALIZED_PNL', since);
  }

  async fetchCommissions(since: number): Promise<RealizedPnlEntry[]> {
    // COMMISSION rows are shaped as REALIZED_PNL rows, with the income negative.
    return this.income('fetchCommissions', 'COMMISSION', since);
  }

  /**
   * GET /fapi/v1/income?incomeType=… — ccxt has no unified method for these income types, so its
   * implicit endpoint; rows: { symbol, incomeType, income, asset, time, tranId, tradeId }.
   */
  private async income(
    label: string,
    incomeType: 'REALIZED_PNL' | 'COMMISSION',
    since: number,
  ): Promise<RealizedPnlEntry[]> {
    const rows = (await this.call(label, () =>
      this.usdm.fapiPrivateGetIncome({ incomeType, startTime: since, limit: 1000 }),
    )) as Record<string, unknown>[];
    return rows
      .filter((r) => r.incomeType === incomeType)
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
          // The position's own wallet is Binance's isolatedWallet; its isolatedMargin (ccxt's collateral)
          // adds the unrealised PnL (ccxt binance.js parsePositionRisk sample: 0.00268058 + 0.00006413).
          isolatedMargin:
            p.marginMode === 'cross'
              ? 0
              : Number((p.info as Record<string, string>).isolatedWallet ?? p.collateral ?? 0),
          unrealizedPnl: Number(p.unrealizedPnl ?? 0),
          liquidationPrice: Number(p.liquidationPrice ?? 0) || 0,
          // Binance's own figure (notional × bracket rate − the bracket's maintenance amount `cum`);
          // ccxt's maintenanceMargin is rate × notional, overstated by cum above the first bracket.
          maintenanceMargin: Number(
            (p.info as Record<string, string>).maintMargin ?? p.maintenanceMargin ?? 0,
          ),
          openedAt: Number(p.timestamp ?? 0),
        } satisfies FuturesPosition;
      });
  }

  /**
   * Without a symbol: per symbol of interest — the configured symbols, plus (futures) every symbol the
   * account holds a position in. Binance weighs an open-orders request 1 with a symbol and 40 without
   * (spot: 6 / 80), and ccxt refuses the symbol-less form unless told otherwise (warnWithoutSymbol):
   * per symbol costs 2 × symbols + 5 (positionRisk) instead of 80 per monitor loop. Orders on a symbol
   * that is neither configured nor held (placed by hand) are not listed.
   */
  async fetchOpenOrders(symbol?: string, market: MarketKind = 'futures'): Promise<FuturesOrder[]> {
    if (market === 'spot') {
      // Only where a spot market was loaded: the bot places spot orders nowhere else, and ccxt refuses
      // a symbol it has not loaded (a futures-only name such as 1000PEPEUSDT, a symbol not configured).
      await this.call('loadMarkets(spot)', () => this.spot.loadMarkets());
      const symbols = (symbol ? [symbol] : this.o.symbols).filter((s) => this.spot.markets?.[this.spo(s)]);
      const lists = await Promise.all(
        symbols.map((s) => this.call('fetchOpenOrders(spot)', () => this.spot.fetchOpenOrders(this.spo(s)))),
      );
      return lists.flat().map((o) => toOrder(o, 'spot'));
    }
    const symbols = symbol ? [symbol] : await this.symbolsOfInterest();
    const lists = await Promise.all(
      symbols.flatMap((s) => [
        this.call('fetchOpenOrders', () => this.usdm.fetchOpenOrders(this.fut(s))),
        this.call('fetchOpenOrders(trigger)', () =>
          this.usdm.fetchOpenOrders(this.fut(s), undefined, undefined, { trigger: true }),
        ),
      ]),
    );
    return lists.flat().map((o) => toOrder(o, 'futures'));
  }

  /** The configured symbols and every symbol with an open position (any symbol, not only configured). */
  private async symbolsOfInterest(): Promise<string[]> {
    const rows = await this.call('fetchPositions(all)', () => this.usdm.fetchPositions());
    const held = rows
      .filter((p) => Number(p.contracts) > 0)
      .map((p) => String((p.info as Record<string, string>).symbol));
    return [...new Set([...this.o.symbols, ...held])];
  }

  async createOrder(r: OrderRequest): Promise<FuturesOrder> {
    await this.loadMarkets();
    const ex = r.market === 'futures' ? this.usdm : this.spot;
    const sym = r.market === 'futures' ? this.fut(r.symbol) : this.spo(r.symbol);
    const amount = Number(ex.amountToPrecision(sym, r.quantity));
    if (!(amount > 0)) throw new InvalidOrder(`quantity ${r.quantity} rounds to 0 on ${r.symbol}'s step`);
    const price = r.price !== undefined ? Number(ex.priceToPrecision(sym, r.price)) : undefined;
    // Ask for the order's state after matching (USD-M RESULT; spot FULL, with the fills and their
    // commission), not Binance's ACK default (status NEW, executedQty 0 even for a filled market order).
    const params: Record<string, unknown> = {
      clientOrderId: r.clientOrderId,
      newOrderRespType: r.market === 'futures' ? 'RESULT' : 'FULL',
    };
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
      await this.call('cancelOrder(trigger)', () =>
        this.usdm.cancelOrder('', this.fut(symbol), { clientOrderId, trigger: true }),
      );
      // Binance's algo-cancel reply is only {algoId, clientAlgoId, code: "200", msg: "success"}: read the
      // order back for its fields. It is cancelled (Binance said so) unless the read shows it ended
      // otherwise (triggered in the meantime); a still-open read is the read lagging the cancel.
      const after = await this.fetchAlgoOrder(symbol, clientOrderId);
      return after.status === 'new' || after.status === 'partially_filled'
        ? { ...after, status: 'canceled' }
        : after;
    }
  }

  private async fetchAlgoOrder(symbol: string, clientOrderId: string): Promise<FuturesOrder> {
    return toOrder(
      await this.call('fetchOrder(trigger)', () =>
        this.usdm.fetchOrder('', this.fut(symbol), { clientOrderId, trigger: true }),
      ),
      'futures',
    );
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
      return this.fetchAlgoOrder(symbol, clientOrderId);
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

  // Margin moves: ./binance-margin.ts.
  private readonly bound = <T>(what: string, fn: () => Promise<T>) => this.call(what, fn);

  async addMargin(symbol: string, amount: number): Promise<{ symbol: string; amount: number }> {
    await this.loadMarkets();
    return addMarginOn(this.usdm, this.bound, { symbol, market: this.fut(symbol), amount });
  }

  async fetchMarginAdjustments(symbol: string, since: number): Promise<MarginAdjustment[]> {
    await this.loadMarkets();
    return fetchMarginAdjustmentsOn(this.usdm, this.bound, { symbol, market: this.fut(symbol), since });
  }

  async transfer(r: { from: Wallet; to: Wallet; amount: number }): Promise<WalletTransfer> {
    return transferOn(this.spot, this.bound, this.clock.now(), r);
  }

  async fetchTransfers(from: Wallet, to: Wallet, since: number): Promise<WalletTransfer[]> {
    return fetchTransfersOn(this.spot, this.bound, { from, to, since });
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
