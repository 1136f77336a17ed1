// The simulated exchange's engine: a clock over candles in front of the order book (./order-book.ts),
// the intra-candle triggers (./triggers.ts), the books with margin and liquidation (./ledger.ts,
// ./margin-settings.ts) and funding (./funding-clock.ts). Synchronous and deterministic;
// ./sim-exchange.ts puts the async Exchange port in front of it, the backtester drives it directly.
//
// Time model: the clock stands at the OPEN of candle k. What is known is candles < k (closed); the
// price available now is open[k]. advance() trades through candle k along a stated intra-candle path,
// then moves the clock to open[k+1] and settles any funding due at that instant.
//
// Prices (./series.ts): the last price (perp candles) fills orders and triggers stops and targets; the
// mark (mark-price candles, the last price where there are none) drives unrealised PnL, margin,
// liquidation and funding; spot orders fill at the spot candles and are refused where spot has none
// (SpotMarketClosed). dataNotes() states what stood in for what.
import type { CandleSeries } from '../../domain/candles.ts';
import type { FuturesOrder, MarketKind } from '../../domain/order.ts';
import { CLIENT_ORDER_ID_PATTERN } from '../../domain/order.ts';
import type { MarginMode } from '../../domain/primitives.ts';
import type { FundingSeries } from '../../market-data/csv.ts';
import type { Markets, OrderRequest } from '../../ports/exchange.ts';
import { DuplicateClientOrderId, ExchangeError, InvalidOrder } from '../../ports/exchange-errors.ts';
import { SimBrackets } from './brackets.ts';
import { SpotMarketClosed } from './errors.ts';
import { FundingClock } from './funding-clock.ts';
import { Ledger } from './ledger.ts';
import { MarginSettings } from './margin-settings.ts';
import { defaultMarkets, percentPriceBand } from './markets.ts';
import { newSimOrder, OrderBook, type SimOrder, strip } from './order-book.ts';
import { fillOrder } from './order-fill.ts';
import {
  checkMinNotional,
  checkPercentPrice,
  checkReduceOnly,
  marketable,
  triggered,
  validateShape,
} from './order-rules.ts';
import type { SymbolData } from './series.ts';
import { SimData } from './sim-data.ts';
import { loadLedger, type SimState, saveLedger } from './sim-state.ts';
import { mayTrigger, type TriggerHost, tradeCandle, tradeSpotCandle } from './triggers.ts';

export type { SymbolData } from './series.ts';
export type { SimState } from './sim-state.ts';

export interface SimulatorOptions {
  /** Candles, funding, mark and spot per symbol; all symbols share one time grid. */
  data: Record<string, SymbolData>;
  initialWalletUsdt?: number;
  initialSpot?: Record<string, number>;
  /** Binance USD-M defaults: maker 0.02 %, taker 0.05 % (as fractions). */
  makerFee?: number;
  takerFee?: number;
  /** Spot fee, fraction (Binance default 0.1 %). */
  spotFee?: number;
  /** Adverse slippage on market and triggered fills, percent of price. */
  slippagePct?: number;
  /** Spot = perp × (1 − spotBasisPct/100), only for a symbol without spot candles. */
  spotBasisPct?: number;
  defaultLeverage?: number;
  defaultMarginMode?: MarginMode;
  markets?: Markets;
  /** Index of the first candle the clock stands at (e.g. after an indicator warm-up). */
  startIndex?: number;
  /** Facts about the data decided before the simulator (e.g. symbols cut to a common span). */
  notes?: string[];
  /** Walk every candle with a position or order, even when nothing can trigger (the fast path's reference). */
  walkEveryCandle?: boolean;
  /**
   * Cancel a symbol's reduce-only orders when a fill closes its position (default true). False keeps
   * them, as Binance does with conditional reduce-only orders placed on their own (no native OCO): the
   * orphans the bracket monitor must cancel (shared/app/monitors/brackets-monitor.ts).
   */
  cancelReduceOnlyOnClose?: boolean;
}

export class Simulator {
  readonly ledger: Ledger;
  readonly markets: Markets;
  readonly symbols: readonly string[];
  private readonly md: SimData;
  private readonly n: number;
  private k: number;
  private readonly funding: FundingClock;
  private readonly margin: MarginSettings;
  private readonly book = new OrderBook();
  readonly makerFee: number;
  readonly takerFee: number;
  readonly spotFee: number;
  private readonly slip: number;
  private readonly startIndex: number;
  /** The mark price by symbol, as one function for the books (allocated once). */
  readonly priceOf = (symbol: string): number => this.price(symbol);
  private readonly triggerHost: TriggerHost;
  private readonly walkEveryCandle: boolean;
  private readonly keepReduceOnly: boolean;
  /** Brackets the backtest engine registered (./brackets.ts), settled at each candle's end. */
  readonly brackets = new SimBrackets();

  constructor(o: SimulatorOptions) {
    this.md = new SimData(o.data, o.spotBasisPct ?? 0, o.notes);
    this.symbols = this.md.symbols;
    this.n = this.md.n;
    this.markets = o.markets ?? defaultMarkets(this.symbols);
    this.makerFee = o.makerFee ?? 0.0002;
    this.takerFee = o.takerFee ?? 0.0005;
    this.spotFee = o.spotFee ?? 0.001;
    this.slip = (o.slippagePct ?? 0) / 100;
    this.k = o.startIndex ?? 0;
    this.startIndex = this.k;
    this.walkEveryCandle = o.walkEveryCandle ?? false;
    this.keepReduceOnly = o.cancelReduceOnlyOnClose === false;
    this.margin = new MarginSettings(this.symbols, o.defaultLeverage ?? 5, o.defaultMarginMode ?? 'isolated');
    this.funding = new FundingClock(this.symbols, (s) => this.md.data[s]?.funding, this.now());
    this.ledger = new Ledger(
      o.initialWalletUsdt ?? 10_000,
      o.initialSpot ?? {},
      (s) => this.futuresMarket(s).brackets,
    );
    this.triggerHost = {
      openOrders: () => this.book.open.values(),
      position: (symbol) => this.ledger.positions.get(symbol),
      liquidationPrice: (p) => this.ledger.liquidationPrice(p, this.priceOf),
      fire: (order, level) => this.fireResting(order, level),
      liquidate: (symbol, level) => {
        this.book.cancelReduceOnly(symbol, this.now());
        this.ledger.liquidate(symbol, this.now(), level);
      },
    };
  }

  /**
   * Everything that changes as the simulation runs, as plain JSON: the local runtime's `--persist`
   * writes it after every step, so a restart continues the same exchange (the market data is not in
   * it: the same data must be loaded again).
   */
  saveState(): SimState {
    return {
      k: this.k,
      ...this.funding.save(),
      ...this.margin.save(),
      ...this.book.save(),
      ledger: saveLedger(this.ledger),
    };
  }

  /** Continue from a `saveState()` of a simulator over the same data. */
  loadState(s: SimState): void {
    this.funding.load(s);
    this.k = s.k;
    this.margin.load(s);
    this.book.load(s);
    loadLedger(this.ledger, s.ledger);
  }

  /** Index of the candle the clock stands at the open of (= number of closed candles). */
  get index(): number {
    return this.k;
  }
  get length(): number {
    return this.n;
  }
  get finished(): boolean {
    return this.k >= this.n;
  }

  /** Open time of the current candle; after the last candle, that candle's close time. */
  now(): number {
    return this.md.timeAt(this.k);
  }

  /**
   * The mark price now (what Binance reports as markPrice, and what unrealised PnL, margin, liquidation
   * and funding use): the open of the current mark candle — the last price where there is none — or the
   * last close at the end.
   */
  price(symbol: string): number {
    return this.md.of(symbol).markAt(this.k);
  }

  /** The last (traded) price now: the open of the current perp candle, or its last close at the end. */
  lastPrice(symbol: string): number {
    return this.md.of(symbol).lastAt(this.k);
  }

  /** The spot price now; where spot has no market (spotTradable false), the last spot close known. */
  spotPrice(symbol: string): number {
    return this.md.of(symbol).spotAt(this.k);
  }

  /** False where the spot candles have no bar now (a halt, or the series has ended): spot orders are refused. */
  spotTradable(symbol: string): boolean {
    return this.md.of(symbol).spotTradableAt(this.k);
  }

  /**
   * What the run used for each series and what stood in where one was missing, for its summary: over
   * the candles simulated so far (at least the first).
   */
  dataNotes(): string[] {
    return this.md.dataNotes(this.startIndex, Math.max(this.startIndex + 1, Math.min(this.k, this.n)));
  }

  candlesOf(symbol: string): CandleSeries {
    return this.md.of(symbol).data.candles;
  }

  fundingOf(symbol: string): FundingSeries | undefined {
    return this.md.data[symbol]?.funding;
  }

  futuresMarket(symbol: string) {
    const m = this.markets.futures[symbol];
    if (!m) throw new InvalidOrder(`Invalid symbol ${symbol}`);
    return m;
  }

  leverageOf(symbol: string): number {
    this.futuresMarket(symbol);
    return this.margin.leverage.get(symbol)!;
  }

  marginModeOf(symbol: string): MarginMode {
    this.futuresMarket(symbol);
    return this.margin.marginMode.get(symbol)!;
  }

  setLeverage(symbol: string, leverage: number): number {
    const m = this.futuresMarket(symbol);
    const pos = this.ledger.positions.get(symbol);
    const notional = pos ? pos.quantity * this.price(symbol) : 0; // Binance: brackets by mark notional
    this.margin.setLeverage(symbol, leverage, notional, m.brackets);
    if (pos) pos.leverage = leverage;
    return leverage;
  }

  setMarginMode(symbol: string, mode: MarginMode): void {
    this.futuresMarket(symbol);
    const busy = this.ledger.positions.has(symbol) || this.book.hasOpenOrders(symbol);
    this.margin.setMarginMode(symbol, mode, busy);
  }

  openOrders(symbol?: string): FuturesOrder[] {
    return this.book.openOrders(symbol);
  }

  orderByClientId(symbol: string, clientOrderId: string): FuturesOrder {
    return this.book.byClientId(symbol, clientOrderId);
  }

  /** An order's status, undefined when the exchange does not have it (no copy, no exception). */
  orderStatus(symbol: string, clientOrderId: string): FuturesOrder['status'] | undefined {
    return this.book.statusOf(symbol, clientOrderId);
  }

  /** The symbol's open orders as frozen copies, reused while each rests (./order-book.ts). */
  frozenOpenOrders(symbol: string): readonly FuturesOrder[] {
    return this.book.frozenOpenOrders(symbol);
  }

  /** Changes whenever the resting orders change: a listing of them is current while this holds. */
  get openOrdersVersion(): number {
    return this.book.version;
  }

  cancelOrder(symbol: string, clientOrderId: string): FuturesOrder {
    return strip(this.book.cancel(symbol, clientOrderId, this.now()));
  }

  /** cancelOrder for a caller that does not read the cancelled order (the backtester): no copy made. */
  cancel(symbol: string, clientOrderId: string): void {
    this.book.cancel(symbol, clientOrderId, this.now());
  }

  /** Place an order, Binance-style: validated, idempotent on clientOrderId, market orders fill now. */
  createOrder(req: OrderRequest): FuturesOrder {
    return strip(this.place(req));
  }

  /**
   * createOrder without the copy, for the backtester: the book's own record, to read at once (its
   * status and fill) and never keep or edit — it changes as the order fills or is cancelled.
   */
  placeOrder(req: OrderRequest): Readonly<FuturesOrder> {
    return this.place(req);
  }

  private place(req: OrderRequest): SimOrder {
    // Binance's newClientOrderId rule, tested with the schema's own pattern (one definition, no parse).
    if (!CLIENT_ORDER_ID_PATTERN.test(req.clientOrderId)) {
      throw new InvalidOrder(
        `Illegal characters found in parameter 'newClientOrderId': ${req.clientOrderId}`,
      );
    }
    if (this.book.has(req.clientOrderId)) {
      throw new DuplicateClientOrderId(`ClientOrderId is duplicated: ${req.clientOrderId}`);
    }
    if (this.finished) throw new InvalidOrder('the simulation has ended');
    const rules = req.market === 'futures' ? this.futuresMarket(req.symbol) : this.markets.spot[req.symbol];
    if (!rules) throw new InvalidOrder(`Invalid symbol ${req.symbol}`);
    const reduceOnly = req.reduceOnly ?? false;
    validateShape(req, rules, reduceOnly);
    if (req.market === 'spot' && !this.spotTradable(req.symbol)) {
      this.md.refusedSpotOrder(req.symbol);
      throw new SpotMarketClosed(
        `Market is closed: no spot price for ${req.symbol} at ${new Date(this.now()).toISOString()}`,
      );
    }
    const now = this.now();
    const seq = this.book.nextSeq();
    const order = newSimOrder(req, seq, reduceOnly, now);
    const current = req.market === 'futures' ? this.lastPrice(req.symbol) : this.spotPrice(req.symbol);
    // PERCENT_PRICE bounds a futures limit by the mark; the fill and the triggers use the last price.
    checkPercentPrice(
      req,
      req.market === 'futures' ? this.price(req.symbol) : current,
      percentPriceBand(req.symbol),
    );
    checkMinNotional(req, rules, current, reduceOnly);
    if (reduceOnly) checkReduceOnly(req, this.ledger.positions.get(req.symbol));
    if (req.type === 'stop_market' || req.type === 'take_profit_market') {
      if (triggered(req.type, req.side, req.stopPrice!, current)) {
        throw new InvalidOrder('Order would immediately trigger.');
      }
      this.book.rest(order);
    } else if (req.type === 'limit' && !marketable(req.side, req.price!, current)) {
      this.book.rest(order);
    } else {
      // Market, or a marketable limit: takes liquidity now at the current price (limit: no worse).
      const px = req.type === 'limit' ? current : this.slipped(req.side, current);
      this.book.record(order);
      try {
        this.fill(order, px, this.feeFor(order, false));
      } catch (err) {
        // Binance creates no order for a rejected request, so the id stays free for a corrected retry.
        this.book.forget(order.clientOrderId);
        throw err;
      }
    }
    return order;
  }

  /** Trade through the current candle, then move the clock to the next one and settle funding. */
  advance(): void {
    if (this.finished) return;
    const k = this.k;
    for (const symbol of this.symbols) {
      if (this.ledger.positions.has(symbol) || this.book.hasOpenOrders(symbol)) {
        const s = this.md.of(symbol);
        const bar = s.lastBar(k);
        const mark = s.markBar(k);
        if (this.walkEveryCandle || mayTrigger(this.triggerHost, symbol, bar, mark))
          tradeCandle(this.triggerHost, symbol, bar, mark);
        if (this.book.hasOpenOrders(symbol, 'spot')) {
          const spot = s.spotBar(k);
          if (spot) tradeSpotCandle(this.triggerHost, symbol, spot);
        }
      }
    }
    this.k++;
    if (this.brackets.active && !this.finished) this.brackets.settle(this);
    if (!this.finished) this.funding.settleDue(this.now(), this.ledger, this.priceOf);
  }

  /** A resting order the price reached: fill it (a limit at its price, a stop at the level, slipped). */
  private fireResting(order: SimOrder, level: number): void {
    const px = order.type === 'limit' ? order.price! : this.slipped(order.side, level);
    this.book.take(order);
    try {
      this.fill(order, px, this.feeFor(order, order.type === 'limit'));
    } catch (err) {
      // A triggered order the books cannot take (reduce-only with nothing to reduce, no margin):
      // Binance expires it; so do we, and the rest of the path goes on.
      order.status = order.reduceOnly ? 'expired' : 'rejected';
      order.updatedAt = this.now();
      if (!(err instanceof ExchangeError)) throw err;
    }
  }

  private feeFor(order: SimOrder, maker: boolean): number {
    if (order.market === 'spot') return this.spotFee;
    return maker ? this.makerFee : this.takerFee;
  }

  private slipped(side: 'buy' | 'sell', price: number): number {
    return side === 'buy' ? price * (1 + this.slip) : price * (1 - this.slip);
  }

  private fill(order: SimOrder, price: number, feeRate: number): void {
    fillOrder(this.ledger, order, price, feeRate, {
      now: this.now(),
      leverage: this.margin.leverage.get(order.symbol)!,
      marginMode: this.margin.marginMode.get(order.symbol)!,
      priceOf: this.priceOf,
    });
    if (order.market === 'futures' && !this.keepReduceOnly && !this.ledger.positions.has(order.symbol))
      this.book.cancelReduceOnly(order.symbol, this.now());
  }
}

export type { MarketKind };
