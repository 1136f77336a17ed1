// OrderQueue on SQS FIFO (@aws-sdk/client-sqs): MessageGroupId = groupFor(message),
// MessageDeduplicationId = intent id. Standard SDK configuration: region, credentials and
// AWS_ENDPOINT_URL_SQS from the environment; QUEUE_URL names the queue, DEAD_LETTER_QUEUE_URL its DLQ
// (the executor moves an order of unknown outcome there itself). The SDK module loads on first use, not at import: the
// Telegram webhook only sends for trading commands, and a cold start that only reads skips ~30 ms
// (npm run bench measures the imports).
import type { SQSClient } from '@aws-sdk/client-sqs';
import {
  DEFAULT_GROUP_ID,
  groupFor,
  messageId,
  type OrderQueue,
  type QueueMessage,
  type ReceivedMessage,
} from '../../../ports/order-queue.ts';

export class SqsOrderQueue implements OrderQueue {
  private sdk?: Promise<{ client: SQSClient; m: typeof import('@aws-sdk/client-sqs') }>;

  constructor(
    private readonly queueUrl: string,
    private readonly givenClient?: SQSClient,
    private readonly deadLetterUrl?: string,
  ) {}

  private load() {
    this.sdk ??= import('@aws-sdk/client-sqs').then((m) => ({
      m,
      client: this.givenClient ?? new m.SQSClient({}),
    }));
    return this.sdk;
  }

  static fromEnv(env: Record<string, string | undefined> = process.env): SqsOrderQueue {
    const url = env.QUEUE_URL;
    if (!url) throw new Error('QUEUE_URL is not set: the SQS FIFO order queue');
    return new SqsOrderQueue(url, undefined, env.DEAD_LETTER_QUEUE_URL || undefined);
  }

  async send(message: QueueMessage, opts: { groupId?: string } = {}): Promise<void> {
    const { client, m } = await this.load();
    await client.send(
      new m.SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify(message),
        MessageGroupId: opts.groupId ?? groupFor(message),
        MessageDeduplicationId: messageId(message),
      }),
    );
  }

  async receive(max: number, visibilityTimeoutS?: number): Promise<ReceivedMessage[]> {
    const { client, m } = await this.load();
    const r = await client.send(
      new m.ReceiveMessageCommand({
        QueueUrl: this.queueUrl,
        MaxNumberOfMessages: Math.min(10, Math.max(1, max)),
        WaitTimeSeconds: 0,
        MessageSystemAttributeNames: ['ApproximateReceiveCount', 'MessageDeduplicationId', 'MessageGroupId'],
        ...(visibilityTimeoutS !== undefined ? { VisibilityTimeout: visibilityTimeoutS } : {}),
      }),
    );
    return (r.Messages ?? []).map((msg) => ({
      body: msg.Body ?? '',
      receipt: msg.ReceiptHandle ?? '',
      receiveCount: Number(msg.Attributes?.ApproximateReceiveCount ?? '1'),
      messageId: msg.Attributes?.MessageDeduplicationId ?? msg.MessageId ?? '',
      groupId: msg.Attributes?.MessageGroupId ?? DEFAULT_GROUP_ID,
    }));
  }

  async delete(receipt: string): Promise<void> {
    const { client, m } = await this.load();
    await client.send(new m.DeleteMessageCommand({ QueueUrl: this.queueUrl, ReceiptHandle: receipt }));
  }

  async changeVisibility(receipt: string, visibilityTimeoutS: number): Promise<void> {
    const { client, m } = await this.load();
    await client.send(
      new m.ChangeMessageVisibilityCommand({
        QueueUrl: this.queueUrl,
        ReceiptHandle: receipt,
        VisibilityTimeout: Math.max(0, Math.round(visibilityTimeoutS)),
      }),
    );
  }

  /** Copy to the DLQ first, then delete: a crash between the two leaves a copy, never a loss. */
  async deadLetter(message: ReceivedMessage, reason: string): Promise<void> {
    if (!this.deadLetterUrl) throw new Error('DEAD_LETTER_QUEUE_URL is not set: the order dead-letter queue');
    const { client, m } = await this.load();
    await client.send(
      new m.SendMessageCommand({
        QueueUrl: this.deadLetterUrl,
        MessageBody: message.body,
        MessageGroupId: message.groupId,
        MessageDeduplicationId: message.messageId,
        MessageAttributes: { reason: { DataType: 'String', StringValue: reason.slice(0, 1_000) } },
      }),
    );
    await this.delete(message.receipt);
  }
}
