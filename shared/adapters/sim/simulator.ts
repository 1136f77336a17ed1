// The simulated exchange's engine: a clock over candles, an order book of resting orders, fills with
// fees and slippage, stop/take-profit/limit triggers inside a candle, funding at funding times, and
// liquidation by Binance's formula. Synchronous and deterministic; ./sim-exchange.ts puts the async
// Exchange port in front of it, the backtester drives it directly.
//
// Time model: the clock stands at the OPEN of candle k. What is known is candles < k (closed); the
// price available now is open[k]. advance() trades through candle k along a stated intra-candle path,
// then moves the clock to open[k+1] and settles any funding due at that instant.
//
// Intra-candle path (conservative, stated): open → adverse extreme → favourable extreme → close, where
// adverse is judged for the position held at the candle's start (long: low first; short: high first;
// flat: the extreme nearer the open first). So a stop and a target inside one candle: the stop fills.
//
// Mark price: no mark-price candles are available, so the last-price candles stand in for the mark
// (liquidation, funding, unrealised PnL). Spot price: perp price × (1 − spotBasisPct/100).
import type { CandleSeries } from '../../domain/candles.ts';
import type { FuturesOrder, MarketKind, OrderType } from '../../domain/order.ts';
import { ClientOrderIdSchema } from '../../domain/order.ts';
import { isMultipleOf } from '../../domain/precision.ts';
import type { MarginMode } from '../../domain/primitives.ts';
import type { FundingSeries } from '../../market-data/csv.ts';
import type { Markets, OrderRequest } from '../../ports/exchange.ts';
import {
  DuplicateClientOrderId,
  ExchangeError,
  InvalidOrder,
  OrderNotFound,
} from '../../ports/exchange-errors.ts';
import {
  type FillRecord,
  type FundingRecord,
  Ledger,
  type LiquidationRecord,
  type SimPosition,
} from './ledger.ts';
import { defaultMarkets } from './markets.ts';

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
}

interface SimOrder extends FuturesOrder {
  seq: number;
}

interface NextEvent {
  kind: 'order' | 'liquidation';
  level: number;
  distance: number;
  order?: SimOrder;
}

export interface SimState {
  k: number;
  fundingCursor: number[];
  nextFundingAt: number | null;
  leverage: [string, number][];
  marginMode: [string, MarginMode][];
  orders: SimOrder[];
  open: string[];
  seq: number;
  ledger: {
    walletBalance: number;
    positions: SimPosition[];
    spot: [string, number][];
    fills: FillRecord[];
    fundings: FundingRecord[];
    liquidations: LiquidationRecord[];
    feesPaid: number;
    clearanceFees: number;
    fundingPnl: number;
  };
}

export class Simulator {
  readonly ledger: Ledger;
  readonly markets: Markets;
  readonly symbols: readonly string[];
  private readonly data: SimulatorOptions['data'];
  private readonly n: number;
  private k: number;
  private readonly fundingCursor: number[] = [];
  private nextFundingAt = Number.POSITIVE_INFINITY;
  private readonly leverage = new Map<string, number>();
  private readonly marginMode = new Map<string, MarginMode>();
  private readonly orders = new Map<string, SimOrder>();
  private readonly open = new Map<string, SimOrder>();
  private seq = 0;
  readonly makerFee: number;
  readonly takerFee: number;
  readonly spotFee: number;
  private readonly slip: number;
  private readonly spotFactor: number;
  private readonly priceOf = (symbol: string): number => this.price(symbol);

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
    const lev = o.defaultLeverage ?? 5;
    for (const s of this.symbols) {
      this.leverage.set(s, lev);
      this.marginMode.set(s, o.defaultMarginMode ?? 'isolated');
      // Only funding strictly after the start instant is settled.
      const f = this.data[s]!.funding;
      let c = 0;
      if (f) while (c < f.time.length && f.time[c]! <= this.now()) c++;
      this.fundingCursor.push(c);
    }
    this.nextFundingAt = this.earliestFunding();
    this.ledger = new Ledger(
      o.initialWalletUsdt ?? 10_000,
      o.initialSpot ?? {},
      (s) => this.futuresMarket(s).brackets,
    );
  }

  /**
   * Everything that changes as the simulation runs, as plain JSON: the local runtime's `--persist`
   * writes it after every step, so a restart continues the same exchange (the market data is not in
   * it: the same data must be loaded again).
   */
  saveState(): SimState {
    const l = this.ledger;
    return {
      k: this.k,
      fundingCursor: [...this.fundingCursor],
      nextFundingAt: Number.isFinite(this.nextFundingAt) ? this.nextFundingAt : null,
      leverage: [...this.leverage],
      marginMode: [...this.marginMode],
      orders: [...this.orders.values()].map((o) => ({ ...o })),
      open: [...this.open.keys()],
      seq: this.seq,
      ledger: {
        walletBalance: l.walletBalance,
        positions: [...l.positions.values()].map(({ lpMemo: _memo, ...p }) => ({ ...p })),
        spot: [...l.spot],
        fills: l.fills.map((f) => ({ ...f })),
        fundings: l.fundings.map((f) => ({ ...f })),
        liquidations: l.liquidations.map((x) => ({ ...x })),
        feesPaid: l.feesPaid,
        clearanceFees: l.clearanceFees,
        fundingPnl: l.fundingPnl,
      },
    };
  }

  /** Continue from a `saveState()` of a simulator over the same data. */
  loadState(s: SimState): void {
    if (s.fundingCursor.length !== this.symbols.length)
      throw new Error('the saved simulator state is for other symbols');
    this.k = s.k;
    this.fundingCursor.splice(0, this.fundingCursor.length, ...s.fundingCursor);
    this.nextFundingAt = s.nextFundingAt ?? Number.POSITIVE_INFINITY;
    this.leverage.clear();
    for (const [k, v] of s.leverage) this.leverage.set(k, v);
    this.marginMode.clear();
    for (const [k, v] of s.marginMode) this.marginMode.set(k, v);
    this.orders.clear();
    this.open.clear();
    for (const o of s.orders) this.orders.set(o.clientOrderId, { ...o });
    for (const id of s.open) this.open.set(id, this.orders.get(id)!);
    this.seq = s.seq;
    const l = this.ledger;
    l.walletBalance = s.ledger.walletBalance;
    l.positions.clear();
    for (const p of s.ledger.positions) l.positions.set(p.symbol, { ...p });
    l.spot.clear();
    for (const [k, v] of s.ledger.spot) l.spot.set(k, v);
    l.fills.splice(0, l.fills.length, ...s.ledger.fills);
    l.fundings.splice(0, l.fundings.length, ...s.ledger.fundings);
    l.liquidations.splice(0, l.liquidations.length, ...s.ledger.liquidations);
    l.feesPaid = s.ledger.feesPaid;
    l.clearanceFees = s.ledger.clearanceFees;
    l.fundingPnl = s.ledger.fundingPnl;
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
    return this.leverage.get(symbol)!;
  }

  marginModeOf(symbol: string): MarginMode {
    this.futuresMarket(symbol);
    return this.marginMode.get(symbol)!;
  }

  setLeverage(symbol: string, leverage: number): number {
    const m = this.futuresMarket(symbol);
    if (!Number.isInteger(leverage) || leverage < 1)
      throw new InvalidOrder(`Leverage ${leverage} is not valid`);
    const pos = this.ledger.positions.get(symbol);
    const notional = pos ? pos.quantity * this.price(symbol) : 0;
    const allowed = m.brackets.find((b) => notional < b.notionalCap)?.maxLeverage ?? 1;
    if (leverage > allowed)
      throw new InvalidOrder(`Leverage ${leverage} is above the bracket maximum ${allowed}`);
    this.leverage.set(symbol, leverage);
    if (pos) pos.leverage = leverage;
    return leverage;
  }

  setMarginMode(symbol: string, mode: MarginMode): void {
    this.futuresMarket(symbol);
    if (this.marginMode.get(symbol) === mode) return;
    if (this.ledger.positions.has(symbol) || [...this.open.values()].some((o) => o.symbol === symbol)) {
      throw new InvalidOrder('Margin type cannot be changed if there exists position or open orders');
    }
    this.marginMode.set(symbol, mode);
  }

  openOrders(symbol?: string): FuturesOrder[] {
    return [...this.open.values()].filter((o) => symbol === undefined || o.symbol === symbol).map(strip);
  }

  orderByClientId(symbol: string, clientOrderId: string): FuturesOrder {
    const o = this.orders.get(clientOrderId);
    if (!o || o.symbol !== symbol) throw new OrderNotFound(`Order does not exist: ${clientOrderId}`);
    return strip(o);
  }

  cancelOrder(symbol: string, clientOrderId: string): FuturesOrder {
    const o = this.open.get(clientOrderId);
    if (!o || o.symbol !== symbol) throw new OrderNotFound(`Unknown order sent: ${clientOrderId}`);
    this.close(o, 'canceled');
    return strip(o);
  }

  /** Place an order, Binance-style: validated, idempotent on clientOrderId, market orders fill now. */
  createOrder(req: OrderRequest): FuturesOrder {
    if (!ClientOrderIdSchema.safeParse(req.clientOrderId).success) {
      throw new InvalidOrder(
        `Illegal characters found in parameter 'newClientOrderId': ${req.clientOrderId}`,
      );
    }
    if (this.orders.has(req.clientOrderId)) {
      throw new DuplicateClientOrderId(`ClientOrderId is duplicated: ${req.clientOrderId}`);
    }
    if (this.finished) throw new InvalidOrder('the simulation has ended');
    const rules = req.market === 'futures' ? this.futuresMarket(req.symbol) : this.markets.spot[req.symbol];
    if (!rules) throw new InvalidOrder(`Invalid symbol ${req.symbol}`);
    const reduceOnly = req.reduceOnly ?? false;
    validateShape(req, rules, reduceOnly);
    const now = this.now();
    const order: SimOrder = {
      clientOrderId: req.clientOrderId,
      exchangeOrderId: String(++this.seq),
      seq: this.seq,
      symbol: req.symbol,
      market: req.market,
      side: req.side,
      type: req.type,
      status: 'new',
      quantity: req.quantity,
      filledQuantity: 0,
      ...(req.price !== undefined ? { price: req.price } : {}),
      ...(req.stopPrice !== undefined ? { stopPrice: req.stopPrice } : {}),
      reduceOnly,
      fee: 0,
      createdAt: now,
      updatedAt: now,
    };
    const current = req.market === 'futures' ? this.price(req.symbol) : this.spotPrice(req.symbol);
    const notional = req.quantity * (req.price ?? req.stopPrice ?? current);
    if (!reduceOnly && notional < rules.minNotional) {
      throw new InvalidOrder(
        `Order's notional must be no smaller than ${rules.minNotional} (got ${notional.toFixed(2)})`,
      );
    }
    if (reduceOnly) {
      const pos = this.ledger.positions.get(req.symbol);
      if (!pos || (pos.side === 'long') === (req.side === 'buy')) {
        throw new InvalidOrder('ReduceOnly Order is rejected: no position to reduce on that side');
      }
    }
    if (req.type === 'stop_market' || req.type === 'take_profit_market') {
      if (triggered(req.type, req.side, req.stopPrice!, current)) {
        throw new InvalidOrder('Order would immediately trigger.');
      }
      this.rest(order);
    } else if (req.type === 'limit' && !marketable(req.side, req.price!, current)) {
      this.rest(order);
    } else {
      // Market, or a marketable limit: takes liquidity now at the current price (limit: no worse).
      const px = req.type === 'limit' ? current : this.slipped(req.side, current);
      this.orders.set(order.clientOrderId, order);
      try {
        this.fill(order, px, this.feeFor(order, false));
      } catch (err) {
        // Binance creates no order for a rejected request, so the id stays free for a corrected retry.
        this.orders.delete(order.clientOrderId);
        throw err;
      }
    }
    return strip(order);
  }

  /** Trade through the current candle, then move the clock to the next one and settle funding. */
  advance(): void {
    if (this.finished) return;
    for (const symbol of this.symbols) {
      if (this.ledger.positions.has(symbol) || this.hasOpenOrders(symbol)) this.tradeCandle(symbol);
    }
    this.k++;
    if (!this.finished) this.settleFundingDue();
  }

  private hasOpenOrders(symbol: string): boolean {
    for (const o of this.open.values()) if (o.symbol === symbol) return true;
    return false;
  }

  private settleFundingDue(): void {
    const now = this.now();
    if (now < this.nextFundingAt) return;
    for (let i = 0; i < this.symbols.length; i++) {
      const symbol = this.symbols[i]!;
      const f = this.data[symbol]!.funding;
      if (!f) continue;
      let c = this.fundingCursor[i]!;
      while (c < f.time.length && f.time[c]! <= now) {
        this.ledger.settleFunding(symbol, f.time[c]!, this.price(symbol), f.rate[c]!);
        c++;
      }
      this.fundingCursor[i] = c;
    }
    this.nextFundingAt = this.earliestFunding();
  }

  private earliestFunding(): number {
    let next = Number.POSITIVE_INFINITY;
    for (let i = 0; i < this.symbols.length; i++) {
      const f = this.data[this.symbols[i]!]!.funding;
      const c = this.fundingCursor[i]!;
      if (f && c < f.time.length) next = Math.min(next, f.time[c]!);
    }
    return next;
  }

  private tradeCandle(symbol: string): void {
    const c = this.candlesOf(symbol);
    const o = c.open[this.k]!;
    const h = c.high[this.k]!;
    const l = c.low[this.k]!;
    const cl = c.close[this.k]!;
    const pos = this.ledger.positions.get(symbol);
    const lowFirst = pos ? pos.side === 'long' : o - l <= h - o;
    const first = lowFirst ? l : h;
    const second = lowFirst ? h : l;
    this.walkSegment(symbol, o, first, true);
    this.walkSegment(symbol, first, second, false);
    this.walkSegment(symbol, second, cl, false);
  }

  /** Fire every trigger between a and b in the order the price meets them. */
  private walkSegment(symbol: string, a: number, b: number, atOpen: boolean): void {
    let from = a;
    for (let guard = 0; guard < 1_000; guard++) {
      const next = this.nextEvent(symbol, from, b);
      if (!next) return;
      // A trigger already passed at the candle's open (a gap) fills at the open, not at its level.
      const level = next.distance === 0 && atOpen ? from : next.level;
      if (next.kind === 'liquidation') {
        this.cancelReduceOnly(symbol);
        this.ledger.liquidate(symbol, this.now(), next.level);
      } else {
        const order = next.order!;
        const px = order.type === 'limit' ? order.price! : this.slipped(order.side, level);
        this.open.delete(order.clientOrderId);
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
      from = next.level;
    }
    throw new Error('too many events in one candle segment');
  }

  /**
   * The first trigger the price meets going from a to b: resting orders and the liquidation price.
   * Ties at one level: stops and targets first (they exist to pre-empt liquidation), then liquidation,
   * then limits; among orders, the older first. Written without closures: it runs on every candle.
   */
  private nextEvent(symbol: string, a: number, b: number): NextEvent | undefined {
    const up = b >= a;
    const lo = up ? a : b;
    const hi = up ? b : a;
    let best: NextEvent | undefined;
    let bestRank = 0;
    for (const o of this.open.values()) {
      if (o.symbol !== symbol) continue;
      let level: number;
      let rank: number;
      if (o.type === 'limit') {
        const limit = o.price!;
        // "Trades through": strictly beyond the limit, so a touch does not fill (queue position unknown).
        if (!(o.side === 'buy' ? lo < limit : hi > limit)) continue;
        level = Math.min(Math.max(limit, lo), hi);
        rank = 2 + o.seq * 1e-9;
      } else {
        const stop = o.stopPrice!;
        const risesTo = (o.type === 'stop_market') === (o.side === 'buy');
        if (risesTo ? a >= stop : a <= stop) level = a;
        else if (risesTo ? up && hi >= stop : !up && lo <= stop) level = stop;
        else continue;
        rank = o.seq * 1e-9;
      }
      const distance = Math.abs(level - a);
      if (!best || distance < best.distance || (distance === best.distance && rank < bestRank)) {
        best = { kind: 'order', level, distance, order: o };
        bestRank = rank;
      }
    }
    const pos = this.ledger.positions.get(symbol);
    if (pos) {
      const lp = this.ledger.liquidationPrice(pos, this.priceOf);
      let level = -1;
      if (lp > 0) {
        if (pos.side === 'long' ? a <= lp : a >= lp) level = a;
        else if (pos.side === 'long' ? !up && lo <= lp : up && hi >= lp) level = lp;
      }
      if (level >= 0) {
        const distance = Math.abs(level - a);
        if (!best || distance < best.distance || (distance === best.distance && 1 < bestRank)) {
          best = { kind: 'liquidation', level, distance };
        }
      }
    }
    return best;
  }

  private cancelReduceOnly(symbol: string): void {
    for (const o of [...this.open.values()])
      if (o.symbol === symbol && o.reduceOnly) this.close(o, 'canceled');
  }

  private rest(order: SimOrder): void {
    this.orders.set(order.clientOrderId, order);
    this.open.set(order.clientOrderId, order);
  }

  private close(order: SimOrder, status: 'canceled' | 'expired'): void {
    order.status = status;
    order.updatedAt = this.now();
    this.open.delete(order.clientOrderId);
  }

  private feeFor(order: SimOrder, maker: boolean): number {
    if (order.market === 'spot') return this.spotFee;
    return maker ? this.makerFee : this.takerFee;
  }

  private slipped(side: 'buy' | 'sell', price: number): number {
    return side === 'buy' ? price * (1 + this.slip) : price * (1 - this.slip);
  }

  private fill(order: SimOrder, price: number, feeRate: number): FillRecord {
    let record: FillRecord;
    try {
      record =
        order.market === 'futures'
          ? this.ledger.applyFuturesFill({
              time: this.now(),
              symbol: order.symbol,
              side: order.side,
              quantity: order.quantity,
              price,
              feeRate,
              reduceOnly: order.reduceOnly,
              leverage: this.leverage.get(order.symbol)!,
              marginMode: this.marginMode.get(order.symbol)!,
              clientOrderId: order.clientOrderId,
              priceOf: this.priceOf,
            })
          : this.ledger.applySpotFill({
              time: this.now(),
              symbol: order.symbol,
              baseAsset: order.symbol.replace(/USDT$/, ''),
              side: order.side,
              quantity: order.quantity,
              price,
              feeRate,
              clientOrderId: order.clientOrderId,
            });
    } catch (err) {
      // A rejected order keeps its id taken (Binance also refuses to reuse it) but holds no state.
      order.status = 'rejected';
      throw err;
    }
    order.status = 'filled';
    order.filledQuantity = record.quantity;
    order.averagePrice = price;
    order.fee = record.fee;
    order.updatedAt = this.now();
    if (order.market === 'futures' && !this.ledger.positions.has(order.symbol))
      this.cancelReduceOnly(order.symbol);
    return record;
  }
}

function validateShape(
  req: OrderRequest,
  rules: { tickSize: number; stepSize: number; minQuantity: number },
  reduceOnly: boolean,
): void {
  const problems: string[] = [];
  if (!Number.isFinite(req.quantity) || req.quantity <= 0)
    problems.push(`quantity must be > 0 (got ${req.quantity})`);
  else {
    if (!isMultipleOf(req.quantity, rules.stepSize))
      problems.push(
        `Precision is over the maximum defined for this asset (quantity ${req.quantity}, step ${rules.stepSize})`,
      );
    if (req.quantity < rules.minQuantity) problems.push(`quantity below the minimum ${rules.minQuantity}`);
  }
  const needsPrice = req.type === 'limit';
  const needsStop = req.type === 'stop_market' || req.type === 'take_profit_market';
  for (const [name, value, needed] of [
    ['price', req.price, needsPrice],
    ['stopPrice', req.stopPrice, needsStop],
  ] as const) {
    if (needed && value === undefined) problems.push(`${name} is required for ${req.type}`);
    if (!needed && value !== undefined) problems.push(`${name} is not allowed for ${req.type}`);
    if (value !== undefined && (!Number.isFinite(value) || value <= 0)) problems.push(`${name} must be > 0`);
    else if (value !== undefined && !isMultipleOf(value, rules.tickSize))
      problems.push(`${name} ${value} is not a multiple of tick ${rules.tickSize}`);
  }
  if (req.market === 'spot' && (reduceOnly || needsStop))
    problems.push('spot orders are market or limit, never reduce-only');
  if (problems.length > 0) throw new InvalidOrder(problems.join('; '));
}

function triggered(type: OrderType, side: 'buy' | 'sell', stopPrice: number, price: number): boolean {
  const risesTo = (type === 'stop_market') === (side === 'buy');
  return risesTo ? price >= stopPrice : price <= stopPrice;
}

function marketable(side: 'buy' | 'sell', limit: number, price: number): boolean {
  return side === 'buy' ? limit >= price : limit <= price;
}

function strip(o: SimOrder): FuturesOrder {
  const { seq: _seq, ...rest } = o;
  return { ...rest };
}

export type { MarketKind };
