// Order intents (what a producer wants) and orders (what the exchange holds).
import * as crypto from 'node:crypto';
import { z } from 'zod';
import { BracketSchema, bracketSideProblem } from './bracket-schema.ts';
import {
  EpochMsSchema,
  MarginModeSchema,
  nonNegative,
  OrderSideSchema,
  positive,
  SymbolSchema,
} from './primitives.ts';
import { SliceSchema, SlicingRequestSchema } from './slicing-schema.ts';

export const OrderTypeSchema = z.enum(['market', 'limit', 'stop_market', 'take_profit_market']);
export type OrderType = z.infer<typeof OrderTypeSchema>;

/**
 * An order's type as the exchange reports it: what we place (OrderType) plus the conditional types a
 * trader can place by hand on Binance — STOP / STOP_LOSS_LIMIT (stop-limit), TAKE_PROFIT(_LIMIT)
 * (take-profit-limit) and TRAILING_STOP_MARKET — so a reported order is never passed off as one we place.
 * Reported orders only: intents keep OrderTypeSchema.
 */
export const ReportedOrderTypeSchema = z.enum([
  ...OrderTypeSchema.options,
  'stop_limit',
  'take_profit_limit',
  'trailing_stop_market',
]);
export type ReportedOrderType = z.infer<typeof ReportedOrderTypeSchema>;

export const MarketKindSchema = z.enum(['futures', 'spot']);
export type MarketKind = z.infer<typeof MarketKindSchema>;

/**
 * Binance's rule for newClientOrderId: `^[\.A-Z\:/a-z0-9_-]{1,36}$`
 * (USD-M "New Order (TRADE)" endpoint). Intent ids are used as client order ids, so they obey it.
 */
export const CLIENT_ORDER_ID_PATTERN = /^[.A-Z:/a-z0-9_-]{1,36}$/;
export const ClientOrderIdSchema = z
  .string()
  .regex(CLIENT_ORDER_ID_PATTERN, { error: 'must be 1–36 characters of A-Z a-z 0-9 . : / _ -' });

/** Who produced an intent: a strategy by name, a monitor, or a Telegram user. */
export const IntentSourceSchema = z.string().regex(/^[a-z][a-z0-9_:-]{0,39}$/, {
  error: 'must be a lower-case identifier such as grid, position-monitor or telegram',
});

/**
 * The product's leverage ceiling (DESIGN §6: leverage 1–20). An intent that may open or add exposure
 * cannot ask for more; a reduce-only intent never sets leverage (the executor leaves it alone), so it
 * may carry a position's own leverage up to Binance's 125x, e.g. for a position opened by hand.
 */
export const MAX_INTENT_LEVERAGE = 20;

export const OrderIntentSchema = z
  .object({
    id: ClientOrderIdSchema,
    strategy: IntentSourceSchema,
    symbol: SymbolSchema,
    market: MarketKindSchema,
    side: OrderSideSchema,
    type: OrderTypeSchema,
    /** Base-asset quantity, > 0. */
    quantity: positive(),
    /** Limit price (limit orders only). */
    price: positive().optional(),
    /** Trigger price (stop_market / take_profit_market only). */
    stopPrice: positive().optional(),
    reduceOnly: z.boolean().default(false),
    leverage: z.number().int().min(1).max(125),
    marginMode: MarginModeSchema,
    createdAt: EpochMsSchema,
    /** Free-text reason shown to the trader ("grid level 3", "trailing stop"). */
    reason: z.string().max(200).optional(),
    /**
     * A trailing stop: the position monitor moves this reduce-only stop to this distance (percent) from
     * the mark whenever the mark moves in the position's favour — never back.
     */
    trailingStopPct: positive().max(50).optional(),
    /** An entry's stop-loss and take-profits, linked one-cancels-the-other (./bracket.ts). */
    bracket: BracketSchema.optional(),
    /** A bracket leg: the id of the entry whose bracket it belongs to (./bracket.ts). */
    bracketOf: z.string().min(1).max(36).optional(),
    /** A slice of a sliced (TWAP) entry (./slicing.ts). */
    slice: SliceSchema.optional(),
    /** A strategy's entry to be executed in slices (./slicing.ts: the backtester's SimSlices). */
    sliced: SlicingRequestSchema.optional(),
  })
  .superRefine((intent, ctx) => {
    if (
      intent.slice !== undefined &&
      (intent.type !== 'market' || intent.reduceOnly || intent.slice.remainingQuantity < intent.quantity)
    )
      ctx.addIssue({
        code: 'custom',
        path: ['slice'],
        message: 'a slice is a market entry no larger than what remains of its parent',
      });
    if (
      intent.sliced !== undefined &&
      (intent.type !== 'market' || intent.reduceOnly || intent.slice || intent.bracket)
    )
      ctx.addIssue({
        code: 'custom',
        path: ['sliced'],
        message: 'only a market entry without a bracket can be sliced',
      });
    if (intent.bracket !== undefined) {
      const problem =
        intent.type !== 'market' || intent.reduceOnly || intent.market !== 'futures'
          ? 'only a futures market entry (not reduce-only) can carry a bracket'
          : bracketSideProblem(intent.side, intent.bracket);
      if (problem) ctx.addIssue({ code: 'custom', path: ['bracket'], message: problem });
    }
    if (intent.type === 'limit' && intent.price === undefined) {
      ctx.addIssue({ code: 'custom', path: ['price'], message: 'a limit order needs a price' });
    }
    if (intent.type !== 'limit' && intent.price !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['price'],
        message: `a ${intent.type} order takes no limit price`,
      });
    }
    const triggered = intent.type === 'stop_market' || intent.type === 'take_profit_market';
    if (triggered && intent.stopPrice === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['stopPrice'],
        message: `a ${intent.type} order needs a stopPrice`,
      });
    }
    if (!triggered && intent.stopPrice !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['stopPrice'],
        message: `a ${intent.type} order takes no stopPrice`,
      });
    }
    if (
      intent.trailingStopPct !== undefined &&
      (intent.type !== 'stop_market' || !intent.reduceOnly || intent.market !== 'futures')
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['trailingStopPct'],
        message: 'only a reduce-only futures stop_market can trail',
      });
    }
    if (!intent.reduceOnly && intent.leverage > MAX_INTENT_LEVERAGE) {
      ctx.addIssue({
        code: 'custom',
        path: ['leverage'],
        message: `leverage ${intent.leverage}x is above the ${MAX_INTENT_LEVERAGE}x maximum`,
      });
    }
    if (intent.market === 'spot' && (intent.reduceOnly || triggered)) {
      ctx.addIssue({
        code: 'custom',
        path: ['market'],
        message: 'spot orders are market or limit and never reduce-only',
      });
    }
  });
export type OrderIntent = z.infer<typeof OrderIntentSchema>;
export type OrderIntentInput = z.input<typeof OrderIntentSchema>;

/**
 * Deterministic intent id from what makes an intent unique, so a retried producer (a repeated tick,
 * a redelivered command) yields the same id and SQS FIFO deduplication and the exchange's
 * clientOrderId check both catch the duplicate. 'ac-' + 32 hex chars = 35 ≤ Binance's 36.
 */
export function makeIntentId(parts: {
  source: string;
  symbol: string;
  tickTime: number;
  sequence: number;
}): string {
  return intentIdAt(intentIdPrefix(parts.source, parts.symbol, parts.tickTime), parts.sequence);
}

/**
 * The part of makeIntentId's key shared by every intent one producer makes at one tick
 * (`source|symbol|tickTime|`): a producer making several (shared/strategies/strategy.ts IntentFactory)
 * builds it once and calls intentIdAt per sequence; the ids are makeIntentId's.
 */
export function intentIdPrefix(source: string, symbol: string, tickTime: number): string {
  return `${source}|${symbol}|${tickTime}|`;
}

/** makeIntentId from its key's prefix (intentIdPrefix) and the sequence number. */
export function intentIdAt(prefix: string, sequence: number): string {
  return `ac-${sha256Hex(`${prefix}${sequence}`).slice(0, 32)}`;
}

/** crypto.hash (Node ≥ 20.12): the same SHA-256 digest in one call, without a Hash object per id. */
export const sha256Hex: (s: string) => string =
  typeof crypto.hash === 'function'
    ? (s) => crypto.hash('sha256', s, 'hex')
    : (s) => crypto.createHash('sha256').update(s).digest('hex');

export const OrderStatusSchema = z.enum([
  'new',
  'partially_filled',
  'filled',
  'canceled',
  'rejected',
  'expired',
]);
export type OrderStatus = z.infer<typeof OrderStatusSchema>;

/** An order as the exchange reports it. */
export const FuturesOrderSchema = z.object({
  clientOrderId: ClientOrderIdSchema,
  exchangeOrderId: z.string().min(1),
  symbol: SymbolSchema,
  market: MarketKindSchema,
  side: OrderSideSchema,
  type: ReportedOrderTypeSchema,
  status: OrderStatusSchema,
  quantity: positive(),
  filledQuantity: nonNegative(),
  price: positive().optional(),
  stopPrice: positive().optional(),
  averagePrice: positive().optional(),
  reduceOnly: z.boolean(),
  /** Fees paid, valued in USDT (commission), ≥ 0. */
  fee: nonNegative(),
  /**
   * The commission as charged, when not in USDT: a spot buy pays its fee in the coin bought (unless BNB
   * pays it), so the wallet receives `filledQuantity − commission` of it. Absent: charged in USDT.
   */
  commission: z.object({ asset: z.string().min(1), amount: nonNegative() }).optional(),
  createdAt: EpochMsSchema,
  updatedAt: EpochMsSchema,
});
export type FuturesOrder = z.infer<typeof FuturesOrderSchema>;
