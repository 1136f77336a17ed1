// Domain events: what happened, for the notifier, the dashboards and the audit trail.
import { z } from 'zod';

const base = { time: z.number().int().nonnegative(), correlationId: z.string().optional() };

export const DomainEventSchema = z.discriminatedUnion('type', [
  z.object({
    ...base,
    type: z.literal('PositionOpened'),
    symbol: z.string(),
    side: z.enum(['long', 'short']),
    quantity: z.number(),
    price: z.number(),
  }),
  z.object({
    ...base,
    type: z.literal('PositionClosed'),
    symbol: z.string(),
    side: z.enum(['long', 'short']),
    quantity: z.number(),
    price: z.number(),
  }),
  z.object({
    ...base,
    type: z.literal('OrderPlaced'),
    intentId: z.string(),
    /** The book it belongs to: a strategy or `manual` (shared/app/ownership.ts). */
    owner: z.string().optional(),
    symbol: z.string(),
    status: z.string(),
    side: z.string(),
    orderType: z.string(),
    quantity: z.number(),
  }),
  z.object({
    ...base,
    type: z.literal('OrderFilled'),
    intentId: z.string(),
    owner: z.string().optional(),
    /** An exit (reduce-only: a stop, a take-profit, a close); absent on older events. */
    reduceOnly: z.boolean().optional(),
    /** The order's type (a `stop_market` / `take_profit_market` fill is that stop or take-profit triggering). */
    orderType: z.string().optional(),
    /** Filled after placement (seen by the position monitor's fill watcher), not at placement. */
    resting: z.boolean().optional(),
    symbol: z.string(),
    side: z.string(),
    quantity: z.number(),
    price: z.number(),
    fee: z.number(),
  }),
  z.object({
    ...base,
    type: z.literal('OrderRejected'),
    intentId: z.string(),
    owner: z.string().optional(),
    symbol: z.string().optional(),
    reasons: z.array(z.string()),
  }),
  z.object({
    ...base,
    type: z.literal('OrderCancelled'),
    intentId: z.string(),
    owner: z.string().optional(),
    symbol: z.string(),
    clientOrderId: z.string(),
  }),
  z.object({
    ...base,
    type: z.literal('OrderOutcomeUnknown'),
    intentId: z.string(),
    symbol: z.string(),
    attempts: z.number().int(),
  }),
  z.object({
    ...base,
    /** A cancel the exchange did not confirm: the order may still be live. */
    type: z.literal('CancelFailed'),
    intentId: z.string(),
    symbol: z.string(),
    market: z.enum(['futures', 'spot']),
    clientOrderId: z.string(),
    /** The error class and message, e.g. "AuthenticationFailed: …". */
    error: z.string(),
  }),
  z.object({
    ...base,
    /** An emergency close that left positions open or entry orders live; it is being retried. */
    type: z.literal('CloseAllIncomplete'),
    intentId: z.string(),
    attempt: z.number().int(),
    openPositions: z.array(z.string()),
    failedCancels: z.array(z.string()),
    reasons: z.array(z.string()),
  }),
  z.object({
    ...base,
    /** USDT added to an isolated position's margin (a strategy's margin action). */
    type: z.literal('MarginAdded'),
    intentId: z.string(),
    symbol: z.string(),
    amount: z.number(),
    reason: z.string(),
    /** The position's liquidation price after the add, when it could be read. */
    liquidationPrice: z.number().optional(),
  }),
  z.object({
    ...base,
    /** USDT moved between the spot and the futures wallet (a strategy's margin action). */
    type: z.literal('FundsTransferred'),
    intentId: z.string(),
    symbol: z.string(),
    from: z.enum(['spot', 'futures']),
    to: z.enum(['spot', 'futures']),
    amount: z.number(),
    reason: z.string(),
    /** The exchange's id (Binance tranId). */
    transferId: z.string(),
  }),
  z.object({
    ...base,
    /** A margin move whose outcome stayed unknown: dead-lettered, never repeated. */
    type: z.literal('MarginMoveOutcomeUnknown'),
    intentId: z.string(),
    symbol: z.string(),
    /** What was asked, in words ("add 50.00 USDT margin to BTCUSDT"). */
    move: z.string(),
    attempts: z.number().int(),
  }),
  z.object({
    ...base,
    type: z.literal('StrategyTicked'),
    strategy: z.string(),
    symbol: z.string(),
    enqueued: z.number().int(),
    rejected: z.number().int(),
    notes: z.array(z.string()),
  }),
  z.object({
    ...base,
    type: z.literal('RiskAlert'),
    kind: z.enum([
      'liquidation_distance',
      'margin_ratio',
      'stop_missing',
      'monitor_errors',
      'funding_rate',
      /** An order of ours the exchange would not cancel, still live (app/monitors/bracket-retries.ts). */
      'orphan_order',
      /** A bracket's stop could not be moved to break-even; the old stop stays. */
      'break_even_refused',
    ]),
    level: z.enum(['warning', 'critical']),
    symbol: z.string().optional(),
    value: z.number(),
    threshold: z.number(),
    message: z.string(),
  }),
  z.object({
    ...base,
    type: z.literal('FundingSettled'),
    symbol: z.string(),
    amount: z.number(),
    todayTotal: z.number(),
  }),
  z.object({
    ...base,
    type: z.literal('StrategyPaused'),
    strategy: z.string(),
    /** False: degradation detected and alerted, but PERFORMANCE_AUTO_PAUSE is off. */
    paused: z.boolean(),
    reason: z.string(),
    lossStreak: z.number().int(),
    drawdownPct: z.number(),
  }),
  z.object({ ...base, type: z.literal('StrategyResumed'), strategy: z.string(), by: z.string() }),
  z.object({
    ...base,
    /** The day that ended (UTC), once per day (shared/app/monitors/daily-summary.ts). */
    type: z.literal('DailySummary'),
    /** YYYY-MM-DD. */
    day: z.string(),
    /** Sent more than an hour after the day ended (the monitor was down at midnight). */
    late: z.boolean(),
    equityStart: z.number(),
    equityEnd: z.number(),
    realizedPnl: z.number(),
    /** USDT paid (positive). */
    fees: z.number(),
    /** USDT received (signed). */
    funding: z.number(),
    owners: z.array(
      z.object({ owner: z.string(), realizedPnl: z.number(), fees: z.number(), funding: z.number() }),
    ),
    /** Open when the summary was made. */
    positions: z.array(
      z.object({
        symbol: z.string(),
        side: z.enum(['long', 'short']),
        quantity: z.number(),
        unrealizedPnl: z.number(),
      }),
    ),
  }),
  z.object({ ...base, type: z.literal('Halted'), reason: z.string() }),
  z.object({ ...base, type: z.literal('Resumed'), reason: z.string() }),
]);
export type DomainEvent = z.infer<typeof DomainEventSchema>;
