// The simulated exchange's engine: a clock over candles in front of the order book (./order-book.ts),
// the intra-candle triggers (./triggers.ts), the books with margin and liquidation (./ledger.ts,
// ./margin-settings.ts) and funding (./funding-clock.ts). Synchronous and deterministic;
// ./sim-exchange.ts puts the async Exchange port in front of it, the backtester drives it directly.
//
// Time model: the clock stands at the OPEN of candle k. What is known is candles < k (closed); the
// price available now is open[k]. advance() trades through candle k along a stated intra-candle path,
// then moves the clock to open[k+1] and settles any funding due at that instant.
//
// Mark price: no mark-price candles are available, so the last-price candles stand in for the mark
// (liquidation, funding, unrealised PnL). Spot price: perp price × (1 − spotBasisPct/100).
import type { CandleSeries } from '../../domain/candles.ts';
import type { FuturesOrder, MarketKind } from '../../domain/order.ts';
import { ClientOrderIdSchema } from '../../domain/order.ts';
import type { MarginMode } from '../../domain/primitives.ts';
import type { FundingSeries } from '../../market-data/csv.ts';
import type { Markets, OrderRequest } from '../../ports/exchange.ts';
import { DuplicateClientOrderId, ExchangeError, InvalidOrder } from '../../ports/exchange-errors.ts';
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
import { loadLedger, type SimState, saveLedger } from './sim-state.ts';
import { mayTrigger, type TriggerHost, tradeCandle } from './triggers.ts';

export type { SimState } from './sim-state.ts';

export interface SimulatorOptions {
  /** Candles and funding per symbol; all symbols share one time grid. */
  data: Record<string, { candles: CandleSeries; funding?: FundingSeries }>;
  initialWalletUsdt?: number;
  initialSpot?: Record<string, number>;
  /** Binance USD-M defaults: maker 0.02 %, taker 0.05 % (as fractions). */
  makerFee?: number;
  takerFee?: number;
  /** Spot fee, fraction (Binance default 0.1 %). */
  spotFee?: number;
  /** Adverse slippage on market and triggered fills, percent of price. */
  slippagePct?: number;
  spotBasisPct?: number;
  defaultLeverage?: number;
  defaultMarginMode?: MarginMode;
  markets?: Markets;
  /** Index of the first candle the clock stands at (e.g. after an indicator warm-up). */
  startIndex?: number;
  /** Walk every candle with a position or order, even when nothing can trigger (the fast path's reference). */
  walkEveryCandle?: boolean;
}

export class Simulator {
  readonly ledger: Ledger;
  readonly markets: Markets;
  readonly symbols: readonly string[];
  private readonly data: SimulatorOptions['data'];
  private readonly n: number;
  private k: number;
  private readonly funding: FundingClock;
  private readonly margin: MarginSettings;
  private readonly book = new OrderBook();
  readonly makerFee: number;
  readonly takerFee: number;
  readonly spotFee: number;
  private readonly slip: number;
  private readonly spotFactor: number;
  private readonly priceOf = (symbol: string): number => this.price(symbol);
  private readonly triggerHost: TriggerHost;
  private readonly walkEveryCandle: boolean;

  constructor(o: SimulatorOptions) {
    this.data = o.data;
    this.symbols = Object.keys(o.data);
    const first = this.data[this.symbols[0]!];
    if (!first) throw new Error('the simulator needs data for at least one symbol');
    this.n = first.candles.time.length;
    for (const s of this.symbols) {
      const t = this.data[s]!.candles.time;
      if (
        t.length !== this.n ||
        t[0] !== first.candles.time[0] ||
        t[this.n - 1] !== first.candles.time[this.n - 1]
      ) {
        throw new Error(`all symbols must share one candle time grid (${s} differs)`);
      }
    }
    this.markets = o.markets ?? defaultMarkets(this.symbols);
    this.makerFee = o.makerFee ?? 0.0002;
    this.takerFee = o.takerFee ?? 0.0005;
    this.spotFee = o.spotFee ?? 0.001;
    this.slip = (o.slippagePct ?? 0) / 100;
    this.spotFactor = 1 - (o.spotBasisPct ?? 0) / 100;
    this.k = o.startIndex ?? 0;
    this.walkEveryCandle = o.walkEveryCandle ?? false;
    this.margin = new MarginSettings(this.symbols, o.defaultLeverage ?? 5, o.defaultMarginMode ?? 'isolated');
    this.funding = new FundingClock(this.symbols, (s) => this.data[s]?.funding, this.now());
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
    const t = this.data[this.symbols[0]!]!.candles.time;
    if (this.k < this.n) return t[this.k]!;
    const step = this.n > 1 ? t[this.n - 1]! - t[this.n - 2]! : 3_600_000;
    return t[this.n - 1]! + step;
  }

  /** The price available now: open of the current candle, or the last close at the end. */
  price(symbol: string): number {
    const c = this.candlesOf(symbol);
    return this.k < this.n ? c.open[this.k]! : c.close[this.n - 1]!;
  }

  spotPrice(symbol: string): number {
    return this.price(symbol) * this.spotFactor;
  }

  candlesOf(symbol: string): CandleSeries {
    const d = this.data[symbol];
    if (!d) throw new InvalidOrder(`Invalid symbol ${symbol}`);
    return d.candles;
  }

  fundingOf(symbol: string): FundingSeries | undefined {
    return this.data[symbol]?.funding;
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
    const notional = pos ? pos.quantity * this.price(symbol) : 0;
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

  cancelOrder(symbol: string, clientOrderId: string): FuturesOrder {
    return this.book.cancel(symbol, clientOrderId, this.now());
  }

  /** Place an order, Binance-style: validated, idempotent on clientOrderId, market orders fill now. */
  createOrder(req: OrderRequest): FuturesOrder {
    if (!ClientOrderIdSchema.safeParse(req.clientOrderId).success) {
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
    const now = this.now();
    const seq = this.book.nextSeq();
    const order = newSimOrder(req, seq, reduceOnly, now);
    const current = req.market === 'futures' ? this.price(req.symbol) : this.spotPrice(req.symbol);
    checkPercentPrice(req, current, percentPriceBand(req.symbol));
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
    return strip(order);
  }

  /** Trade through the current candle, then move the clock to the next one and settle funding. */
  advance(): void {
    if (this.finished) return;
    for (const symbol of this.symbols) {
      if (this.ledger.positions.has(symbol) || this.book.hasOpenOrders(symbol)) {
        const c = this.candlesOf(symbol);
        const k = this.k;
        const bar = { open: c.open[k]!, high: c.high[k]!, low: c.low[k]!, close: c.close[k]! };
        if (this.walkEveryCandle || mayTrigger(this.triggerHost, symbol, bar))
          tradeCandle(this.triggerHost, symbol, bar);
      }
    }
    this.k++;
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
    if (order.market === 'futures' && !this.ledger.positions.has(order.symbol))
      this.book.cancelReduceOnly(order.symbol, this.now());
  }
}

export type { MarketKind };
