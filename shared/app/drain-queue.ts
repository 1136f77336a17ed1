// The executor loop for runtimes that pull from the queue themselves (the local runtime, tests): receive,
// execute, acknowledge on success. A failure leaves the message (and, FIFO, the rest of its batch) for
// redelivery after the visibility timeout. In AWS the SQS event source does the receiving instead.
import type { OrderQueue } from '../ports/order-queue.ts';
import { type ExecutionOutcome, type ExecutorDeps, executeMessage } from './execute-intent.ts';

export interface DrainResult {
  outcomes: ExecutionOutcome[];
  failures: { messageId: string; error: string }[];
}

export async function drainOnce(
  queue: OrderQueue,
  deps: ExecutorDeps,
  opts: { max?: number; visibilityTimeoutS?: number } = {},
): Promise<DrainResult> {
  const result: DrainResult = { outcomes: [], failures: [] };
  const messages = await queue.receive(opts.max ?? 10, opts.visibilityTimeoutS);
  for (const m of messages) {
    try {
      result.outcomes.push(await executeMessage(m.body, deps));
      await queue.delete(m.receipt);
    } catch (err) {
      result.failures.push({
        messageId: m.messageId,
        error: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
      });
      break; // FIFO: the rest of the batch waits behind the failed message.
    }
  }
  return result;
}
