// OrderQueue on SQS FIFO (@aws-sdk/client-sqs): MessageGroupId per account, MessageDeduplicationId =
// intent id. Standard SDK configuration: region, credentials and AWS_ENDPOINT_URL_SQS from the
// environment; QUEUE_URL names the queue.
import {
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import {
  DEFAULT_GROUP_ID,
  messageId,
  type OrderQueue,
  type QueueMessage,
  type ReceivedMessage,
} from '../../../ports/order-queue.ts';

export class SqsOrderQueue implements OrderQueue {
  constructor(
    private readonly queueUrl: string,
    private readonly client: SQSClient = new SQSClient({}),
  ) {}

  static fromEnv(env: Record<string, string | undefined> = process.env): SqsOrderQueue {
    const url = env.QUEUE_URL;
    if (!url) throw new Error('QUEUE_URL is not set: the SQS FIFO order queue');
    return new SqsOrderQueue(url);
  }

  async send(message: QueueMessage, opts: { groupId?: string } = {}): Promise<void> {
    await this.client.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify(message),
        MessageGroupId: opts.groupId ?? DEFAULT_GROUP_ID,
        MessageDeduplicationId: messageId(message),
      }),
    );
  }

  async receive(max: number, visibilityTimeoutS?: number): Promise<ReceivedMessage[]> {
    const r = await this.client.send(
      new ReceiveMessageCommand({
        QueueUrl: this.queueUrl,
        MaxNumberOfMessages: Math.min(10, Math.max(1, max)),
        WaitTimeSeconds: 0,
        MessageSystemAttributeNames: ['ApproximateReceiveCount', 'MessageDeduplicationId'],
        ...(visibilityTimeoutS !== undefined ? { VisibilityTimeout: visibilityTimeoutS } : {}),
      }),
    );
    return (r.Messages ?? []).map((m) => ({
      body: m.Body ?? '',
      receipt: m.ReceiptHandle ?? '',
      receiveCount: Number(m.Attributes?.ApproximateReceiveCount ?? '1'),
      messageId: m.Attributes?.MessageDeduplicationId ?? m.MessageId ?? '',
    }));
  }

  async delete(receipt: string): Promise<void> {
    await this.client.send(new DeleteMessageCommand({ QueueUrl: this.queueUrl, ReceiptHandle: receipt }));
  }
}
