// The in-process queue's messages in the shape of a Lambda SQS FIFO event, so the local runtime calls
// the executor's real Lambda handler exactly as the SQS event source does in AWS.
import type { SQSEvent } from 'aws-lambda';
import type { ReceivedMessage } from '../../shared/ports/order-queue.ts';

export function toSqsEvent(messages: readonly ReceivedMessage[], now: number): SQSEvent {
  return {
    Records: messages.map((m) => ({
      messageId: m.receipt,
      receiptHandle: m.receipt,
      body: m.body,
      attributes: {
        ApproximateReceiveCount: String(m.receiveCount),
        SentTimestamp: String(now),
        SenderId: 'local',
        ApproximateFirstReceiveTimestamp: String(now),
        MessageGroupId: m.groupId,
        MessageDeduplicationId: m.messageId,
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:local:000000000000:autocoin-orders.fifo',
      awsRegion: 'local',
    })),
  };
}
