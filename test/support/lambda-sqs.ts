// The Lambda SQS FIFO event source, modelled over the in-process queue on a fake clock: receive a
// batch (hidden for the queue's visibility timeout), invoke the handler with a Lambda context whose
// deadline is the function timeout, delete the records the handler did not report as failed. A poll
// that finds nothing costs a second (long polling answers as soon as a message is visible).
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { toSqsEvent } from '../../infra/local/sqs-event.ts';
import type { MemoryOrderQueue } from '../../shared/adapters/memory/order-queue.ts';

export interface FakeClock {
  now(): number;
  advance(ms: number): void;
}

export function fakeClock(start: number): FakeClock {
  let t = start;
  return {
    now: () => t,
    advance: (ms) => {
      t += ms;
    },
  };
}

export function fifoEventSource(o: {
  queue: MemoryOrderQueue;
  handler: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
  clock: FakeClock;
  batchSize: number;
  visibilityTimeoutS: number;
  functionTimeoutMs: number;
  /** Time one invocation costs besides the handler's own waits. */
  invocationMs?: number;
}) {
  return {
    /** One poll of the event source; returns the number of records delivered. */
    async poll(): Promise<number> {
      const messages = await o.queue.receive(o.batchSize, o.visibilityTimeoutS);
      if (messages.length === 0) {
        o.clock.advance(1_000);
        return 0;
      }
      const deadline = o.clock.now() + o.functionTimeoutMs;
      const context = { getRemainingTimeInMillis: () => deadline - o.clock.now() } as Context;
      const r = await o.handler(toSqsEvent(messages, o.clock.now()), context);
      o.clock.advance(o.invocationMs ?? 200);
      const failed = new Set(r.batchItemFailures.map((f) => f.itemIdentifier));
      for (const m of messages) if (!failed.has(m.receipt)) await o.queue.delete(m.receipt);
      return messages.length;
    },
  };
}
