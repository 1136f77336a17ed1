// The order queue: SQS FIFO with a FIFO dead-letter queue. A message that fails `maxReceiveCount`
// times (an unknown order outcome, say) moves to the DLQ, where an alarm sees it.
import { Duration } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export const MAX_RECEIVE_COUNT = 5;
/** Records per executor invocation (the SQS event source's batch size). */
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
}
