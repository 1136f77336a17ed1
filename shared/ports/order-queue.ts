// The order queue: every order the product places goes through it to the single executor.
// SQS FIFO in AWS (and locally through an SQS emulator), an in-process queue with the same semantics
// for the embedded runtime and tests. Message groups (see `groupFor`): a group is strict order, one at
// a time; a failing message holds only its own group, so protective and emergency traffic never waits
// behind a failing entry.
import { z } from 'zod';
import { AddMarginMoveSchema, TransferMoveSchema } from '../domain/margin-move.ts';
import { ClientOrderIdSchema, MarketKindSchema, OrderIntentSchema } from '../domain/order.ts';
import { SymbolSchema } from '../domain/primitives.ts';

/**
 * What travels on the queue: an intent to place an order, a request to cancel one, a request to
 * close every open position (the emergency close: resolved by the executor against the exchange, so
 * a position opened a moment ago is not missed), or a margin move (add margin, wallet transfer).
 */
export const QueueMessageSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('intent'), intent: OrderIntentSchema }),
  z.object({
    kind: z.literal('cancel'),
    /** Deterministic id of the cancel request (deduplication). */
    id: ClientOrderIdSchema,
    source: z.string().min(1),
    symbol: SymbolSchema,
    market: MarketKindSchema.default('futures'),
    clientOrderId: ClientOrderIdSchema,
    createdAt: z.number().int().nonnegative(),
    /**
     * Cancel only if this intent (the replacement, queued just before) was placed: a moved stop's old
     * order stays until its successor is on the exchange, so the position is never left unprotected.
     */
    onlyIfPlaced: ClientOrderIdSchema.optional(),
  }),
  z.object({
    kind: z.literal('close_all'),
    id: ClientOrderIdSchema,
    source: z.string().min(1),
    reason: z.string().min(1).max(200),
    createdAt: z.number().int().nonnegative(),
  }),
  /** Add USDT to an isolated position's margin (shared/domain/margin-move.ts). */
  AddMarginMoveSchema,
  /** Move USDT between the spot and USD-M futures wallets. */
  TransferMoveSchema,
]);
export type QueueMessage = z.infer<typeof QueueMessageSchema>;

export function messageId(m: QueueMessage): string {
  return m.kind === 'intent' ? m.intent.id : m.id;
}

export interface ReceivedMessage {
  body: string;
  /** Handle for delete/visibility calls. */
  receipt: string;
  /** 1 on the first delivery. */
  receiveCount: number;
  messageId: string;
  /** The message group it was sent to. */
  groupId: string;
}

export interface OrderQueue {
  /**
   * Enqueue to `groupFor(message)` unless a group is given; a second send with the same dedup id
   * within 5 minutes is accepted and dropped.
   */
  send(message: QueueMessage, opts?: { groupId?: string }): Promise<void>;
  /** Receive up to `max` messages, hiding them for `visibilityTimeoutS`. */
  receive(max: number, visibilityTimeoutS?: number): Promise<ReceivedMessage[]>;
  /** Acknowledge: the message is done. */
  delete(receipt: string): Promise<void>;
  /** Hand a received message back: visible again (first in its group) after `visibilityTimeoutS`. */
  changeVisibility(receipt: string, visibilityTimeoutS: number): Promise<void>;
  /**
   * Move a received message to the dead-letter queue now (its order's outcome is unknown: a human
   * must look), freeing its group instead of waiting for the queue's redrive.
   */
  deadLetter(message: ReceivedMessage, reason: string): Promise<void>;
}

/** Ordinary traffic: strategy ticks (entries with their own stops and exits) and manual opens. */
export const DEFAULT_GROUP_ID = 'account-main';
/** The emergency close (`close_all`): never behind anything but another emergency close. */
export const EMERGENCY_GROUP_ID = 'account-main-emergency';
/** Protective traffic of one symbol: restored and trailed stops, de-risking, manual closes. */
export const protectiveGroupId = (symbol: string) => `account-main-protect-${symbol}`;
/**
 * A symbol's margin moves (add margin, wallet transfers): protective in rank, but a group of their own,
 * so a move waiting on its reconciliation (up to half a minute) never holds the symbol's stops, and a
 * stop never holds a margin move. Moves of one symbol stay in order (a transfer, then the add it funds).
 */
export const marginGroupId = (symbol: string) => `${protectiveGroupId(symbol)}-margin`;
/** Producers whose every message protects a position (they act on positions that already exist). */
export const PROTECTIVE_SOURCES: ReadonlySet<string> = new Set(['position-monitor', 'risk-monitor']);
/** The source of manual orders from Telegram; its reduce-only market orders are closes. */
export const MANUAL_SOURCE = 'telegram';

/**
 * The message group of a message: the one place that decides what may overtake what. A strategy's
 * messages (and manual opens with their stops) stay in one group, so a stop never overtakes its entry
 * and a moved stop's cancel never overtakes its successor; a monitor's successor stop and its
 * `onlyIfPlaced` cancel share their symbol's protective group. Groups do not wait for each other.
 */
export function groupFor(m: QueueMessage): string {
  if (m.kind === 'close_all') return EMERGENCY_GROUP_ID;
  if (m.kind === 'add_margin' || m.kind === 'transfer') return marginGroupId(m.symbol);
  if (m.kind === 'cancel')
    return PROTECTIVE_SOURCES.has(m.source) ? protectiveGroupId(m.symbol) : DEFAULT_GROUP_ID;
  const i = m.intent;
  const manualClose = i.strategy === MANUAL_SOURCE && i.reduceOnly && i.type === 'market';
  return PROTECTIVE_SOURCES.has(i.strategy) || manualClose ? protectiveGroupId(i.symbol) : DEFAULT_GROUP_ID;
}

/** Handling order within a batch: emergency, then protective, then ordinary (0 first). */
export function groupRank(groupId: string): number {
  if (groupId === EMERGENCY_GROUP_ID) return 0;
  return groupId.startsWith(protectiveGroupId('')) ? 1 : 2;
}

/** A batch reordered so higher-priority groups go first; each group keeps its own order. */
export function byPriority<T>(items: readonly T[], groupOf: (item: T) => string): T[] {
  return items
    .map((item, i) => ({ item, i, rank: groupRank(groupOf(item)) }))
    .sort((a, b) => a.rank - b.rank || a.i - b.i)
    .map((x) => x.item);
}
