// Lambda: the order executor (SQS FIFO event source, reserved concurrency 1). Wiring only: records go
// through Powertools' FIFO partial-batch processor to the executeMessage use case; a failed record and
// the rest of its batch are reported as batch item failures and come back in order.
import { processPartialResponse, SqsFifoPartialProcessorAsync } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { z } from 'zod';
import { EmfMetrics } from '../../shared/adapters/aws/emf-metrics.ts';
import { type ExecutorDeps, executeMessage } from '../../shared/app/execute-intent.ts';
import { once, productionDeps } from '../../shared/app/wiring.ts';
import type { MetricsSink } from '../../shared/ports/metrics.ts';

const SqsEventSchema = z.object({
  Records: z.array(z.object({ messageId: z.string(), body: z.string() }).passthrough()),
});

export function makeExecutorHandler(
  getDeps: () => Promise<ExecutorDeps>,
  metrics?: MetricsSink,
  logger?: Logger,
) {
  return middy(async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    SqsEventSchema.parse(event);
    const deps = await getDeps();
    const processor = new SqsFifoPartialProcessorAsync();
    const response = await processPartialResponse(
      event,
      async (record: SQSRecord) => {
        try {
          const outcome = await executeMessage(record.body, deps);
          // One structured line per message; the intent id is the correlation id from intent to fill.
          logger?.info('order message handled', {
            correlation_id: outcome.id,
            outcome: outcome.kind,
            ...(outcome.kind === 'rejected' ? { reasons: outcome.reasons } : {}),
            ...('order' in outcome ? { status: outcome.order.status } : {}),
          });
          if (outcome.kind === 'placed' || outcome.kind === 'reconciled')
            metrics?.add('OrdersPlaced', 1, 'Count');
          if (outcome.kind === 'rejected') metrics?.add('OrdersRejected', 1, 'Count');
        } catch (err) {
          metrics?.add('OrdersFailed', 1, 'Count');
          logger?.error('order message failed; it will be redelivered', {
            messageId: record.messageId,
            error: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
          });
          throw err;
        }
      },
      processor,
      // Always answer with item failures (never a thrown whole-batch retry): the failed records come back in order.
      { context, throwOnFullBatchFailure: false },
    );
    metrics?.flush();
    return response;
  });
}

export const handler = makeExecutorHandler(
  once(productionDeps),
  new EmfMetrics('order-executor'),
  new Logger({ serviceName: 'order-executor' }),
);
