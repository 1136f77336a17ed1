// The order queue: SQS FIFO with a FIFO dead-letter queue, and the executor's event source on it. The
// executor hands a failed record back visible in seconds (sqs:ChangeMessageVisibility) and moves an
// order of unknown outcome to the DLQ itself (sqs:SendMessage on the DLQ); a message that still fails
// `maxReceiveCount` times is moved there by SQS. Either way an alarm sees the DLQ.
import { Duration } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/**
 * Deliveries before SQS dead-letters a message. A failed delivery costs at most the retry budget
 * (5 s) plus a hand-back of 1 s doubling to 30 s (shared/app/order-retry.ts), so 30 deliveries are
 * about a quarter of an hour: an exchange outage of several minutes does not dead-letter orders.
 */
export const MAX_RECEIVE_COUNT = 30; /** Records per executor invocation (the SQS event source's batch size). */
export const EXECUTOR_BATCH_SIZE = 10;

/**
 * Longer than the executor may run (AWS's guidance: six times the function timeout for an event
 * source), so a message is never redelivered while its first delivery is still being handled.
 */
export function queueVisibilityTimeout(executorTimeout: Duration): Duration {
  return Duration.seconds(executorTimeout.toSeconds() * 6);
}

export class OrderQueues extends Construct {
  readonly queue: Queue;
  readonly deadLetters: Queue;
  constructor(scope: Construct, id: string, props: { executorTimeout: Duration }) {
    super(scope, id);
    this.deadLetters = new Queue(this, 'DeadLetters', {
      fifo: true,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new Queue(this, 'Orders', {
      fifo: true,
      contentBasedDeduplication: false,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: queueVisibilityTimeout(props.executorTimeout),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetters, maxReceiveCount: MAX_RECEIVE_COUNT },
    });
  }

  /**
   * The executor on this queue: batches with partial failures (never a whole-batch retry), the DLQ's
   * URL to move an order of unknown outcome to, and the rights for that. The event source grants
   * receive, delete and sqs:ChangeMessageVisibility (the early hand-back of a failed record).
   */
  connectExecutor(executor: NodejsFunction): void {
    executor.addEventSource(
      new SqsEventSource(this.queue, { batchSize: EXECUTOR_BATCH_SIZE, reportBatchItemFailures: true }),
    );
    executor.addEnvironment('DEAD_LETTER_QUEUE_URL', this.deadLetters.queueUrl);
    this.deadLetters.grantSendMessages(executor);
  }
}
