// The executor loop for runtimes that pull from the queue themselves (tests, local tools): the same
// semantics as the SQS event source with the Lambda handler. Receive a batch, handle it emergency and
// protective groups first, each message through the retry policy (shared/app/order-retry.ts);
// acknowledge on success; a failure holds only its own group — it and the rest of its group are
// handed back visible in seconds — and an order of unknown outcome goes to the dead-letter queue.
import { byPriority, type OrderQueue } from '../ports/order-queue.ts';
import type { ExecutionOutcome, ExecutorDeps } from './execute-intent.ts';
import { executeWithRetry } from './order-retry.ts';

export interface DrainResult {
  outcomes: ExecutionOutcome[];
  failures: { messageId: string; error: string }[];
  /** Messages moved to the dead-letter queue (outcome unknown). */
  deadLettered: string[];
}

export async function drainOnce(
  queue: OrderQueue,
  deps: ExecutorDeps,
  opts: {
    max?: number;
    /** Visibility of received messages; a hand-back is never longer (0: failures come straight back). */
    visibilityTimeoutS?: number;
    /** Waits between in-invocation retries (default: none — retries run back to back). */
    sleep?: (ms: number) => Promise<void>;
  } = {},
): Promise<DrainResult> {
  const result: DrainResult = { outcomes: [], failures: [], deadLettered: [] };
  const messages = byPriority(await queue.receive(opts.max ?? 10, opts.visibilityTimeoutS), (m) => m.groupId);
  const cap = (s: number) => Math.min(s, opts.visibilityTimeoutS ?? s);
  const failedGroups = new Map<string, number>();
  for (const m of messages) {
    const held = failedGroups.get(m.groupId);
    if (held !== undefined) {
      // FIFO: the rest of a failed message's group waits behind it.
      await queue.changeVisibility(m.receipt, held);
      result.failures.push({ messageId: m.messageId, error: 'held: an earlier message of its group failed' });
      continue;
    }
    const attempt = await executeWithRetry(m.body, deps, {
      receiveCount: m.receiveCount,
      ...(opts.sleep ? { sleep: opts.sleep } : {}),
    });
    if (attempt.kind === 'done') {
      result.outcomes.push(attempt.outcome);
      await queue.delete(m.receipt);
      continue;
    }
    const error = `${attempt.error.name}: ${attempt.error.message}`;
    result.failures.push({ messageId: m.messageId, error });
    if (attempt.kind === 'dead_letter') {
      await queue.deadLetter(m, error);
      result.deadLettered.push(m.messageId);
      continue;
    }
    failedGroups.set(m.groupId, cap(attempt.visibilityS));
    await queue.changeVisibility(m.receipt, cap(attempt.visibilityS));
  }
  return result;
}
