// Lambda: the order executor (SQS FIFO event source, reserved concurrency 1). Wiring only: records go,
// emergency and protective groups first, through Powertools' FIFO partial-batch processor with
// `skipGroupOnError` (a failure fails only the rest of its own group) to the retry policy
// (shared/app/order-retry.ts) around executeMessage. Failed records are handed back visible in seconds;
// an order of unknown outcome goes to the dead-letter queue at once.
import { processPartialResponse, SqsFifoPartialProcessorAsync } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { z } from 'zod';
import { EmfMetrics } from '../../shared/adapters/aws/emf-metrics.ts';
import { SqsOrderQueue } from '../../shared/adapters/aws/sqs/order-queue.ts';
import type { ExecutorDeps } from '../../shared/app/execute-intent.ts';
import {
  executeWithRetry,
  handBackSeconds,
  NoTimeToStart,
  RECORD_START_RESERVE_MS,
} from '../../shared/app/order-retry.ts';
import { redactingErrors, redactSecrets } from '../../shared/config/redact.ts';
import type { MetricsSink } from '../../shared/ports/metrics.ts';
import {
  byPriority,
  DEFAULT_GROUP_ID,
  type OrderQueue,
  type ReceivedMessage,
} from '../../shared/ports/order-queue.ts';
import { once, productionDeps } from '../production-deps.ts';

const SqsEventSchema = z.object({
  Records: z.array(z.object({ messageId: z.string(), body: z.string() }).passthrough()),
});

export interface ExecutorHandlerOptions {
  /** The queue the records came from: for handing failed records back and dead-lettering. */
  queue?: () => OrderQueue;
  /** Waits between in-invocation retries (default: a timer). */
  sleep?: (ms: number) => Promise<void>;
}

const timer = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const groupOf = (r: SQSRecord) => r.attributes?.MessageGroupId ?? DEFAULT_GROUP_ID;
const received = (r: SQSRecord): ReceivedMessage => ({
  body: r.body,
  receipt: r.receiptHandle,
  receiveCount: Number(r.attributes?.ApproximateReceiveCount ?? '1'),
  messageId: r.attributes?.MessageDeduplicationId ?? r.messageId,
  groupId: groupOf(r),
});
const text = (err: unknown) =>
  redactSecrets(err instanceof Error ? `${err.name}: ${err.message}` : String(err));

export function makeExecutorHandler(
  getDeps: () => Promise<ExecutorDeps>,
  metrics?: MetricsSink,
  logger?: Logger,
  options: ExecutorHandlerOptions = {},
) {
  const sleep = options.sleep ?? timer;
  return middy(async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    SqsEventSchema.parse(event);
    const deps = await getDeps();
    const queue = options.queue?.();
    const remainingMs =
      typeof context?.getRemainingTimeInMillis === 'function'
        ? () => context.getRemainingTimeInMillis()
        : undefined;
    /** Hand-back visibility of each group that failed in this batch. */
    const handBack = new Map<string, number>();
    const processor = new SqsFifoPartialProcessorAsync();
    const ordered = { ...event, Records: byPriority(event.Records, groupOf) };
    const response = await processPartialResponse(
      ordered,
      async (record: SQSRecord) => {
        const m = received(record);
        const left = remainingMs?.();
        if (left !== undefined && left < RECORD_START_RESERVE_MS) {
          handBack.set(m.groupId, 1);
          metrics?.add('OrdersFailed', 1, 'Count');
          throw new NoTimeToStart(
            `${Math.round(left / 1000)} s left of the invocation: handed back unstarted, visible again in 1 s`,
          );
        }
        const attempt = await executeWithRetry(record.body, deps, {
          receiveCount: m.receiveCount,
          sleep,
          ...(remainingMs ? { remainingMs } : {}),
        });
        if (attempt.kind === 'done') {
          const outcome = attempt.outcome;
          // One structured line per message; the intent id is the correlation id from intent to fill.
          logger?.info('order message handled', {
            correlation_id: outcome.id,
            outcome: outcome.kind,
            ...(outcome.kind === 'rejected' ? { reasons: outcome.reasons } : {}),
            ...('order' in outcome ? { status: outcome.order.status } : {}),
            ...(attempt.tries > 1 ? { tries: attempt.tries } : {}),
          });
          if (outcome.kind === 'placed' || outcome.kind === 'reconciled')
            metrics?.add('OrdersPlaced', 1, 'Count');
          if (outcome.kind === 'rejected') metrics?.add('OrdersRejected', 1, 'Count');
          return;
        }
        metrics?.add('OrdersFailed', 1, 'Count');
        if (attempt.kind === 'dead_letter' && queue) {
          // Unknown outcome: every further delivery would fail the same way while holding its group.
          await queue.deadLetter(m, text(attempt.error));
          logger?.error('order outcome unknown; moved to the dead-letter queue', {
            messageId: record.messageId,
            group: m.groupId,
            error: text(attempt.error),
          });
          return;
        }
        const visibilityS = attempt.kind === 'retry' ? attempt.visibilityS : handBackSeconds(m.receiveCount);
        handBack.set(m.groupId, visibilityS);
        logger?.error('order message failed; handed back to the queue', {
          messageId: record.messageId,
          group: m.groupId,
          tries: attempt.tries,
          visibleAgainInS: visibilityS,
          error: text(attempt.error),
        });
        throw attempt.error;
      },
      processor,
      // Always answer with item failures (never a thrown whole-batch retry); a failure holds only its
      // own group: the other groups' records in the batch are still handled.
      { context, throwOnFullBatchFailure: false, skipGroupOnError: true },
    );
    // The failed record and the rest of its group come back in seconds, in order (the group stays
    // locked while any of them is in flight, so all of them get the same short visibility).
    if (queue && response.batchItemFailures.length > 0) {
      const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
      for (const record of ordered.Records) {
        if (!failed.has(record.messageId)) continue;
        const seconds = handBack.get(groupOf(record)) ?? handBackSeconds(received(record).receiveCount);
        await queue.changeVisibility(record.receiptHandle, seconds).catch((err: unknown) => {
          // Not lost: it returns after the queue's own visibility timeout instead.
          logger?.warn('could not hand a failed record back early', {
            messageId: record.messageId,
            error: text(err),
          });
        });
      }
    }
    metrics?.flush();
    return response;
  }).use(redactingErrors());
}

export const handler = makeExecutorHandler(
  once(productionDeps),
  new EmfMetrics('order-executor'),
  new Logger({ serviceName: 'order-executor' }),
  { queue: lazy(() => SqsOrderQueue.fromEnv()) },
);

function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => {
    value ??= make();
    return value;
  };
}
