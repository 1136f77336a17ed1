// The StateStore port: the product's state, one record type per entity. DynamoDB (single table) in AWS
// and under `npm start` (through dynalite), an in-memory adapter for fast property tests. Every record
// is validated with zod on the way in and out; shared records carry a `version` for optimistic writes.
import { z } from 'zod';
import { AddMarginMoveSchema, TransferMoveSchema } from '../domain/margin-move.ts';
import { FuturesOrderSchema, OrderIntentSchema } from '../domain/order.ts';
import { QueueMessageSchema } from './order-queue.ts';

export const IntentStatusSchema = z.enum(['RECEIVED', 'IN_FLIGHT', 'DONE', 'REJECTED', 'UNKNOWN']);
export type IntentStatus = z.infer<typeof IntentStatusSchema>;

/** The executor's record of one intent (or cancel request): the key to exactly-once placement. */
export const IntentRecordSchema = z.object({
  id: z.string().min(1),
  kind: z.enum(['intent', 'cancel', 'close_all', 'malformed', 'add_margin', 'transfer']),
  status: IntentStatusSchema,
  /** The validated intent; absent for a malformed message. */
  intent: OrderIntentSchema.optional(),
  /** For malformed messages: the raw body, truncated. */
  raw: z.string().max(2_000).optional(),
  reasons: z.array(z.string()).default([]),
  /** Times the executor started on it (deliveries that got past the first write). */
  attempts: z.number().int().nonnegative(),
  orderStatus: z.string().optional(),
  /**
   * When the create request was sent (the IN_FLIGHT write just before it). An IN_FLIGHT intent the
   * exchange's lookup cannot find is sent again only once this is old enough (the lookup may lag).
   */
  submittedAt: z.number().int().nonnegative().optional(),
  /** The symbol's position before the order, signed (+ long, − short, 0 flat): for position events. */
  positionBefore: z.number().optional(),
  /** A margin move (add margin, wallet transfer): what was asked. */
  move: z.union([AddMarginMoveSchema, TransferMoveSchema]).optional(),
  /**
   * A margin move's reconciliation baseline, read from the exchange's history just before the call
   * (neither move carries a client id at Binance): the matching entries already there since `since`.
   * A matching entry that is not among them, after the call, is this move.
   */
  history: z.object({ since: z.number().int().nonnegative(), seen: z.array(z.string()) }).optional(),
  /** The exchange's id of what was done (a transfer's Binance tranId). */
  exchangeRef: z.string().optional(),
  version: z.number().int().positive(),
  createdAt: z.number().int().nonnegative(),
  updatedAt: z.number().int().nonnegative(),
});
export type IntentRecord = z.infer<typeof IntentRecordSchema>;

export const HaltRecordSchema = z.object({
  halted: z.boolean(),
  reason: z.string(),
  since: z.number().int().nonnegative(),
  version: z.number().int().nonnegative(),
});
export type HaltRecord = z.infer<typeof HaltRecordSchema>;

/** One UTC day of the account: the base of the daily loss limit. */
export const DayRecordSchema = z.object({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  startOfDayEquity: z.number(),
  version: z.number().int().positive(),
});
export type DayRecord = z.infer<typeof DayRecordSchema>;

/**
 * What one strategy tick decided to send, recorded with the strategy's new state before anything is
 * sent: a tick that crashes or times out part-way is re-run by sending exactly this (same ids, so a
 * message already sent is a duplicate), never by deciding again.
 */
export const TickOutboxSchema = z.object({
  tickTime: z.number().int().nonnegative(),
  /** In sending order. */
  messages: z.array(QueueMessageSchema),
  rejected: z.array(z.object({ intent: OrderIntentSchema, reasons: z.array(z.string()) })),
  /** Margin actions the tick's pre-check refused (recorded like refused intents). */
  refusedMoves: z
    .array(
      z.object({
        id: z.string().min(1),
        kind: z.enum(['add_margin', 'transfer']),
        source: z.string().min(1),
        symbol: z.string().min(1),
        asked: z.string().max(300),
        reasons: z.array(z.string()),
      }),
    )
    .default([]),
  notes: z.array(z.string()),
});
export type TickOutbox = z.infer<typeof TickOutboxSchema>;

export const StrategyStateRecordSchema = z.object({
  strategy: z.string().min(1),
  symbol: z.string().min(1),
  state: z.unknown().optional(),
  lastTick: z.number().int().nonnegative(),
  version: z.number().int().positive(),
  /** Present while the tick `lastTick` has not finished sending (see TickOutboxSchema). */
  outbox: TickOutboxSchema.optional(),
});
export type StrategyStateRecord = z.infer<typeof StrategyStateRecordSchema>;

export const OrderRecordSchema = FuturesOrderSchema.extend({
  intentId: z.string().min(1),
  recordedAt: z.number().int(),
  /** The book it belongs to: a strategy or `manual` (shared/app/ownership.ts). */
  owner: z.string().min(1).optional(),
});
export type OrderRecord = z.infer<typeof OrderRecordSchema>;

/** A pending confirmation (emergency close, resume): single use, expires. */
export const ConfirmationSchema = z.object({
  nonce: z.string().regex(/^[0-9a-f]{32}$/),
  action: z.enum(['emergency_close', 'resume']),
  chatId: z.number().int(),
  expiresAt: z.number().int(),
  used: z.boolean(),
  /** The user who asked (in a group chat only they may press); absent: anyone in the chat. */
  userId: z.number().int().optional(),
  /** The press (callback query id) that consumed it: its redelivery is recognised as the same press. */
  usedBy: z.string().min(1).optional(),
});
export type Confirmation = z.infer<typeof ConfirmationSchema>;

export type ConsumeResult =
  | { status: 'ok'; confirmation: Confirmation }
  | { status: 'expired' | 'used' | 'unknown' };

/** Who pressed a confirmation button: the chat, the user, and the press's own id (callback query id). */
export interface ConfirmationPress {
  chatId: number;
  userId: number;
  pressId: string;
}

/**
 * A press of a confirmation button. `foreign`: the press came from another chat or user — nothing was
 * consumed. `ok` with `repeat`: the same press delivered again (the first delivery consumed it).
 */
export type PressResult =
  | { status: 'ok'; confirmation: Confirmation; repeat: boolean }
  | { status: 'expired' | 'used' | 'unknown' | 'foreign' };

/**
 * A Telegram command update as the webhook received it: the key is the update's own identity
 * (chat, update_id, message date), so a redelivery of the update finds it. RECEIVED until the command
 * ran; DONE with the ids of what it enqueued.
 */
export const CommandReceiptSchema = z.object({
  key: z.string().min(1).max(200),
  chatId: z.number().int(),
  text: z.string().max(200),
  status: z.enum(['RECEIVED', 'DONE']),
  /** Intents / requests the command enqueued (their ids are the executor's intent record ids). */
  intentIds: z.array(z.string()).default([]),
  /** What happened, for the duplicate's reply (e.g. "answered", "rate-limited, not run"). */
  note: z.string().max(200).optional(),
  receivedAt: z.number().int().nonnegative(),
  version: z.number().int().positive(),
});
export type CommandReceipt = z.infer<typeof CommandReceiptSchema>;

/** An alert's cooldown state for one (kind, key): one message per window, with a count of the rest. */
export const AlertCooldownSchema = z.object({
  lastSentAt: z.number().int(),
  suppressed: z.number().int().nonnegative(),
  level: z.number().int().nonnegative(),
  version: z.number().int().positive(),
});
export type AlertCooldown = z.infer<typeof AlertCooldownSchema>;

/** The account's equity at one instant, written by the performance monitor (kept 35 days). */
export const EquitySnapshotSchema = z.object({
  time: z.number().int().nonnegative(),
  /** Futures margin balance plus the spot wallet's USDT value. */
  equity: z.number(),
  unrealizedPnl: z.number(),
  openPositions: z.number().int().nonnegative(),
});
export type EquitySnapshot = z.infer<typeof EquitySnapshotSchema>;

/** A write lost an optimistic-concurrency race: re-read and decide again. */
export class ConcurrentModification extends Error {
  override readonly name = 'ConcurrentModification';
}

export interface StateStore {
  /** Create the record if no record with its id exists. Returns false (and writes nothing) if one does. */
  createIntent(record: IntentRecord): Promise<boolean>;
  getIntent(id: string): Promise<IntentRecord | undefined>;
  /** Replace the record if its stored version is `record.version − 1`; else ConcurrentModification. */
  updateIntent(record: IntentRecord): Promise<void>;

  putOrder(order: OrderRecord): Promise<void>;
  getOrder(clientOrderId: string): Promise<OrderRecord | undefined>;

  getHalt(): Promise<HaltRecord>;
  /** Set the halt flag if the stored version is `expectedVersion` (0 = never set). */
  setHalt(halted: boolean, reason: string, at: number, expectedVersion: number): Promise<HaltRecord>;

  getDay(date: string): Promise<DayRecord | undefined>;
  /** First writer of the day wins; returns the stored record either way. */
  createDay(record: DayRecord): Promise<DayRecord>;

  getStrategyState(strategy: string, symbol: string): Promise<StrategyStateRecord | undefined>;
  /** Write if the stored version is `record.version − 1` (or absent when record.version is 1). */
  putStrategyState(record: StrategyStateRecord): Promise<void>;

  /** Claim a strategy tick instant; false if it was already claimed (a repeated invocation). */
  claimTick(strategy: string, symbol: string, tickTime: number): Promise<boolean>;

  createConfirmation(c: Confirmation): Promise<void>;
  /** Mark a confirmation used if it exists, is unused and unexpired at `now` — atomically, once. */
  consumeConfirmation(nonce: string, now: number): Promise<ConsumeResult>;
  /**
   * A button press: consume the confirmation only for its own chat (and user, when it names one) —
   * atomically, once. The same press (same pressId) again answers `ok` with `repeat`, even after expiry;
   * a press from another chat or user answers `foreign` and consumes nothing.
   */
  pressConfirmation(nonce: string, now: number, press: ConfirmationPress): Promise<PressResult>;

  /**
   * Record a command update; false (and nothing written) if this update was recorded before. Kept a
   * week after `receivedAt` (Telegram gives up redelivering after a day).
   */
  createCommandReceipt(receipt: CommandReceipt): Promise<boolean>;
  getCommandReceipt(key: string): Promise<CommandReceipt | undefined>;
  /** Replace if the stored version is `receipt.version − 1`; else ConcurrentModification. */
  updateCommandReceipt(receipt: CommandReceipt): Promise<void>;

  /** Count a command in the chat's window; false once `limit` commands were counted in it. */
  takeCommandToken(
    chatId: number,
    windowStart: number,
    limit: number,
  ): Promise<{ allowed: boolean; count: number }>;

  getAlertCooldown(key: string): Promise<AlertCooldown | undefined>;
  /** Write if the stored version is `record.version − 1` (absent when 1). */
  putAlertCooldown(key: string, record: AlertCooldown, ttlAt: number): Promise<void>;

  /** A read-model item (last writer wins); the reader validates it. */
  putView(name: string, value: unknown): Promise<void>;
  getView(name: string): Promise<unknown>;

  /** Idempotent per `time`: a repeated snapshot of the same instant replaces the first. */
  putEquitySnapshot(snapshot: EquitySnapshot, ttlAt: number): Promise<void>;
  /** Snapshots with from ≤ time ≤ to, oldest first. */
  listEquitySnapshots(from: number, to: number): Promise<EquitySnapshot[]>;

  /** Leverage the trader chose for a symbol with /futures_leverage (used for new manual orders). */
  getLeveragePreference(symbol: string): Promise<number | undefined>;
  setLeveragePreference(symbol: string, leverage: number): Promise<void>;
}

export function utcDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
