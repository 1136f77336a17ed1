// The executor's use case: the only code that writes to the exchange. Per queue message:
// conditional-create the intent record, then by kind — an order intent (executor/place-intent.ts), a
// cancel (executor/cancel.ts), the emergency close (executor/close-all.ts) or a margin move
// (executor/margin-move.ts: add isolated margin, wallet transfer).
// A create is never retried blindly; bad input is recorded and acknowledged, never retried forever.
import { type QueueMessage, QueueMessageSchema } from '../ports/order-queue.ts';
import type { IntentRecord } from '../ports/state-store.ts';
import { cancelMessage } from './executor/cancel.ts';
import { closeAll } from './executor/close-all.ts';
import type { ExecutionOutcome, ExecutorDeps } from './executor/deps.ts';
import { OrderOutcomeUnknown, RetryLater } from './executor/errors.ts';
import { executeMarginMove } from './executor/margin-move.ts';
import { placeIntent } from './executor/place-intent.ts';
import { rejectMalformed } from './executor/records.ts';

export type { ExecutionOutcome, ExecutorDeps } from './executor/deps.ts';
export { OrderOutcomeUnknown, RetryLater } from './executor/errors.ts';

export async function executeMessage(body: string, deps: ExecutorDeps): Promise<ExecutionOutcome> {
  const now = deps.clock.now();
  let message: QueueMessage;
  try {
    message = QueueMessageSchema.parse(JSON.parse(body));
  } catch (err) {
    return rejectMalformed(body, err, deps);
  }
  const id = message.kind === 'intent' ? message.intent.id : message.id;
  const fresh: IntentRecord = {
    id,
    kind: message.kind,
    status: 'RECEIVED',
    ...(message.kind === 'intent' ? { intent: message.intent } : {}),
    ...(message.kind === 'add_margin' || message.kind === 'transfer' ? { move: message } : {}),
    reasons: [],
    attempts: 0,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  let record = fresh;
  if (!(await deps.store.createIntent(fresh))) {
    const stored = await deps.store.getIntent(id);
    if (!stored) throw new RetryLater(`intent ${id} exists but cannot be read yet`);
    if (stored.status === 'DONE' || stored.status === 'REJECTED') {
      return { kind: 'duplicate', id, status: stored.status };
    }
    if (stored.status === 'UNKNOWN') {
      // Keep failing so the queue's redrive moves the message to the dead-letter queue (and alarms).
      throw new OrderOutcomeUnknown(
        `intent ${id}: outcome unknown; needs a human (see the dead-letter queue)`,
      );
    }
    record = stored;
  }

  if (message.kind === 'cancel') return cancelMessage(message, record, deps);
  if (message.kind === 'close_all') return closeAll(message, record, deps, (b) => executeMessage(b, deps));
  if (message.kind === 'add_margin' || message.kind === 'transfer')
    return executeMarginMove(record, message, deps);
  return placeIntent(record, message.intent, deps);
}
