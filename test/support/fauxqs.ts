// A real SQS API on loopback for tests: the fauxqs emulator, with a FIFO queue and its FIFO DLQ.
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startFauxqs } from 'fauxqs';

export async function startSqs(maxReceiveCount = 3) {
  const server = await startFauxqs({ port: 0, logger: false });
  const dlq = server.createQueue('orders-dlq.fifo', {
    attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'false' },
  });
  const queue = server.createQueue('orders.fifo', {
    attributes: {
      FifoQueue: 'true',
      ContentBasedDeduplication: 'false',
      VisibilityTimeout: '30',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.queueArn, maxReceiveCount }),
    },
  });
  const client = new SQSClient({
    endpoint: server.address,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  return {
    client,
    queueUrl: queue.queueUrl,
    dlqUrl: dlq.queueUrl,
    async deadLetters(): Promise<string[]> {
      const r = await client.send(
        new ReceiveMessageCommand({ QueueUrl: dlq.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
      );
      return (r.Messages ?? []).map((m) => m.Body ?? '');
    },
    stop: () => server.stop(),
  };
}
