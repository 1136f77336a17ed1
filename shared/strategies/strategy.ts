// The one interface every strategy implements: a pure function of what is known at one instant.
// The same code runs in backtests, under `npm start` and live; time comes in through the view, never
// from a clock, and intent ids are derived from (strategy, symbol, tick time, sequence).
import type { z } from 'zod';
import type { CandleSeries, Timeframe } from '../domain/candles.ts';
import { factoryIntent } from '../domain/intent-fast-path.ts';
import type { FuturesOrder, OrderStatus } from '../domain/order.ts';
import {
  intentIdAt,
  intentIdPrefix,
  type OrderIntent,
  type OrderIntentInput,
  OrderIntentSchema,
} from '../domain/order.ts';
import type { FuturesPosition } from '../domain/position.ts';
import type { MarginMode } from '../domain/primitives.ts';
import type { MarketRules } from '../ports/exchange.ts';

/** What the market looks like at `time`: closed candles only, per timeframe the strategy asked for. */
export interface MarketView {
  symbol: string;
  /** The tick instant (ms, UTC). */
  time: number;
  markPrice: number;
  /** Spot price of the same pair (hedge leg); when `spotTradable` is false, the last one known. */
  spotPrice: number;
  /**
   * False when the spot market has no price now (a spot halt, or no spot data for this period in a
   * backtest): no spot order can fill, so a strategy must not start or rebalance a hedge. Absent: true.
   */
  spotTradable?: boolean;
  /** The predicted rate for the next settlement, fraction per interval. */
  fundingRate: number;
  nextFundingTime: number;
  candles: Partial<Record<Timeframe, CandleSeries>>;
  futuresRules: MarketRules;
  spotRules: MarketRules;
}

export interface AccountView {
  equity: number;
  availableBalance: number;
  /** This symbol's futures position, if any. */
  position: FuturesPosition | undefined;
  positionCount: number;
  /** This symbol's open orders (futures and spot). */
  openOrders: FuturesOrder[];
  /** Spot holdings of the base asset and of USDT. */
  spotBase: number;
  spotUsdt: number;
  marginMode: MarginMode;
  /**
   * Status of an order this strategy placed (by client id), as last known; undefined if the order never
   * reached the exchange (rejected by the risk check, say). Lets a strategy tell a fill from a failure.
   */
  orderStatus(clientOrderId: string): OrderStatus | undefined;
  /**
   * The order itself (filled quantity, commission) as last known, for an order this strategy placed and
   * still remembers in its state; undefined if the exchange does not have it. What filled, not what was
   * asked, is what a strategy books.
   */
  order(clientOrderId: string): FuturesOrder | undefined;
}

export interface StrategyInput<P, S> {
  view: MarketView;
  account: AccountView;
  params: P;
  /** What this strategy returned as state last tick; undefined on the first tick. */
  state: S | undefined;
}

export interface StrategyOutput<S> {
  intents: OrderIntent[];
  /** Client order ids of this symbol's open orders to cancel (stale grid levels, moved stops). */
  cancels: string[];
  state: S;
  /** Human-readable reasons, for logs and reports. */
  notes: string[];
  /**
   * Margin moves for this symbol's hedge or position, executed after the tick's cancels and before its
   * intents: add USDT to the isolated position's margin from the futures wallet (Binance
   * POST /fapi/v1/positionMargin, type 1), or move USDT between the spot and USD-M futures wallets
   * (POST /sapi/v1/asset/transfer). Absent: none.
   */
  marginActions?: MarginAction[];
}

/** A move of margin, never an order: it changes no position and no exposure. Amounts in USDT, > 0. */
export type MarginAction =
  | { kind: 'add_margin'; amount: number; reason: string }
  | { kind: 'transfer'; from: 'spot' | 'futures'; to: 'spot' | 'futures'; amount: number; reason: string };

export interface Strategy<P = unknown, S = unknown> {
  name: string;
  /** One paragraph, for /help and the README. */
  description: string;
  paramsSchema: z.ZodType<P>;
  /** Timeframes the strategy reads, the base (execution) timeframe first. */
  timeframes: readonly Timeframe[];
  /** Closed base-timeframe candles needed before the first decision. */
  lookback(params: P): number;
  evaluate(input: StrategyInput<P, S>): StrategyOutput<S>;
  /**
   * Base coin on spot that this strategy bought itself and still holds, by its state: the most it may
   * sell. The tick refuses spot sells beyond it, so coins the trader held are never touched. Absent: none.
   */
  spotHolding?(state: S): number;
}

/**
 * Builds a tick's intents with deterministic ids and the tick's time, validating each one, so a
 * strategy cannot emit a malformed order (NaN, zero, negative, missing stop price).
 */
export class IntentFactory {
  private sequence = 0;
  /** intentIdPrefix(strategy, prefixSymbol, prefixTime): the last symbol and time given an id. */
  private prefix = '';
  private prefixSymbol: string | undefined;
  private prefixTime = Number.NaN;
  readonly intents: OrderIntent[] = [];
  constructor(
    private readonly strategy: string,
    private readonly view: Pick<MarketView, 'symbol' | 'time'>,
    private readonly defaults: { leverage: number; marginMode: MarginMode },
  ) {}

  add(
    p: Omit<OrderIntentInput, 'id' | 'strategy' | 'symbol' | 'createdAt' | 'leverage' | 'marginMode'> &
      Partial<Pick<OrderIntentInput, 'leverage' | 'marginMode' | 'symbol'>>,
  ): OrderIntent {
    const symbol = p.symbol ?? this.view.symbol;
    const createdAt = this.view.time;
    // makeIntentId({ source: strategy, symbol, tickTime: createdAt, sequence }), its key's prefix built
    // once per symbol and time rather than once per intent (a grid lays ten at a time).
    if (symbol !== this.prefixSymbol || createdAt !== this.prefixTime) {
      this.prefix = intentIdPrefix(this.strategy, symbol, createdAt);
      this.prefixSymbol = symbol;
      this.prefixTime = createdAt;
    }
    const id = intentIdAt(this.prefix, this.sequence++);
    // The schema decides; ../domain/intent-fast-path.ts answers first for fields it can vouch for, building the
    // schema's output directly (no merged input, no second look at the id the factory just made).
    const intent =
      factoryIntent(id, this.strategy, symbol, createdAt, this.defaults, p) ??
      OrderIntentSchema.parse({
        leverage: this.defaults.leverage,
        marginMode: this.defaults.marginMode,
        ...p,
        id,
        strategy: this.strategy,
        symbol,
        createdAt,
      });
    this.intents.push(intent);
    return intent;
  }

  /** A reduce-only market order closing the whole position: the one way every strategy exits. */
  closePosition(position: Pick<FuturesPosition, 'side' | 'quantity'>, reason: string): OrderIntent {
    return this.add({
      market: 'futures',
      side: position.side === 'long' ? 'sell' : 'buy',
      type: 'market',
      quantity: position.quantity,
      reduceOnly: true,
      reason,
    });
  }
}
