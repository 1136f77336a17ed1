// The order queue: every order the product places goes through it to the single executor.
// SQS FIFO in AWS (and locally through an SQS emulator), an in-process queue with the same semantics
// for the embedded runtime and tests. One message group per account: strict order, one at a time.
import { z } from 'zod';
import { ClientOrderIdSchema, MarketKindSchema, OrderIntentSchema } from '../domain/order.ts';
import { SymbolSchema } from '../domain/primitives.ts';

/**
 * What travels on the queue: an intent to place an order, a request to cancel one, or a request to
 * close every open position (the emergency close: resolved by the executor against the exchange, so
 * a position opened a moment ago is not missed).
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
}

export interface OrderQueue {
  /** Enqueue; a second send with the same dedup id within 5 minutes is accepted and dropped. */
  send(message: QueueMessage, opts?: { groupId?: string }): Promise<void>;
  /** Receive up to `max` messages, hiding them for `visibilityTimeoutS`. */
  receive(max: number, visibilityTimeoutS?: number): Promise<ReceivedMessage[]>;
  /** Acknowledge: the message is done. */
  delete(receipt: string): Promise<void>;
}

export const DEFAULT_GROUP_ID = 'account-main';
