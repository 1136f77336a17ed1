// One semantic suite, two adapters: the in-process queue and SQS FIFO (through the fauxqs emulator on
// loopback, the real SQS JSON protocol).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqsOrderQueue } from '../../../shared/adapters/aws/sqs/order-queue.ts';
import { MemoryOrderQueue } from '../../../shared/adapters/memory/order-queue.ts';
import {
  DEFAULT_GROUP_ID,
  EMERGENCY_GROUP_ID,
  type OrderQueue,
  type QueueMessage,
} from '../../../shared/ports/order-queue.ts';
import { startSqs } from '../../support/fauxqs.ts';

const cancel = (id: string): QueueMessage => ({
  kind: 'cancel',
  id,
  source: 'test',
  symbol: 'BTCUSDT',
  market: 'futures',
  clientOrderId: `c-${id}`,
  createdAt: 0,
});
const idOf = (body: string) => (JSON.parse(body) as { id: string }).id;
const closeAll = (id: string): QueueMessage => ({
  kind: 'close_all',
  id,
  source: 'telegram',
  reason: 'emergency close',
  createdAt: 0,
});

interface Harness {
  queue: OrderQueue;
  deadLetters(): Promise<string[]>;
}

function suite(name: string, make: () => Promise<Harness>) {
  describe(`OrderQueue semantics: ${name}`, () => {
    it('delivers a group in order', async () => {
      const { queue } = await make();
      for (const id of ['a1', 'a2', 'a3']) await queue.send(cancel(id));
      // A receive may return one or several of the group's messages (SQS may batch them); acked in turn
      // they come in send order.
      const seen: string[] = [];
      for (let i = 0; i < 5; i++) {
        for (const m of await queue.receive(10, 30)) {
          seen.push(idOf(m.body));
          await queue.delete(m.receipt);
        }
      }
      expect(seen).toEqual(['a1', 'a2', 'a3']);
    });

    it('locks the group while a message is in flight; the next comes after the ack', async () => {
      const { queue } = await make();
      for (const id of ['b1', 'b2']) await queue.send(cancel(id));
      const [first] = await queue.receive(1, 30);
      expect(idOf(first!.body)).toBe('b1');
      expect(await queue.receive(10, 30)).toEqual([]);
      await queue.delete(first!.receipt);
      const [second] = await queue.receive(1, 30);
      expect(idOf(second!.body)).toBe('b2');
    });

    it('drops a second send with the same deduplication id', async () => {
      const { queue } = await make();
      await queue.send(cancel('d1'));
      await queue.send(cancel('d1'));
      const got = await queue.receive(10, 30);
      expect(got).toHaveLength(1);
    });

    it('redelivers an unacknowledged message after its visibility timeout, counting receives', async () => {
      const { queue } = await make();
      await queue.send(cancel('v1'));
      const [a] = await queue.receive(1, 0);
      const [b] = await queue.receive(1, 30);
      expect(idOf(b!.body)).toBe('v1');
      expect(a!.receiveCount).toBe(1);
      expect(b!.receiveCount).toBe(2);
    });

    it('moves a message received maxReceiveCount (3) times without an ack to the dead-letter queue', async () => {
      const h = await make();
      await h.queue.send(cancel('x1'));
      for (let i = 0; i < 3; i++) expect(await h.queue.receive(1, 0)).toHaveLength(1);
      expect(await h.queue.receive(1, 0)).toEqual([]);
      expect((await h.deadLetters()).map(idOf)).toEqual(['x1']);
    });

    it('defect 2: a message of another group is delivered while a group is locked (groupFor)', async () => {
      const { queue } = await make();
      await queue.send(cancel('g1'));
      const [first] = await queue.receive(1, 30);
      expect(first!.groupId).toBe(DEFAULT_GROUP_ID);
      await queue.send(closeAll('g2'));
      const [second] = await queue.receive(10, 30);
      expect(idOf(second!.body)).toBe('g2');
      expect(second!.groupId).toBe(EMERGENCY_GROUP_ID);
    });

    it('defect 2: changeVisibility hands a message back early; it is redelivered first in its group', async () => {
      const { queue } = await make();
      for (const id of ['h1', 'h2']) await queue.send(cancel(id));
      const [first] = await queue.receive(1, 30);
      expect(await queue.receive(10, 30)).toEqual([]);
      await queue.changeVisibility(first!.receipt, 0);
      const again = await queue.receive(1, 30);
      expect(again.map((m) => idOf(m.body))).toEqual(['h1']);
      expect(again[0]!.receiveCount).toBe(2);
    });

    it('defect 2: deadLetter moves a message to the dead-letter queue at once and frees its group', async () => {
      const h = await make();
      for (const id of ['u1', 'u2']) await h.queue.send(cancel(id));
      const [first] = await h.queue.receive(1, 30);
      await h.queue.deadLetter(first!, 'OrderOutcomeUnknown: outcome unknown');
      expect((await h.deadLetters()).map(idOf)).toEqual(['u1']);
      const [next] = await h.queue.receive(1, 30);
      expect(idOf(next!.body)).toBe('u2');
    });
  });
}

suite('in-process', async () => {
  const q = new MemoryOrderQueue({ maxReceiveCount: 3 });
  return { queue: q, deadLetters: async () => q.deadLetters.map((d) => d.body) };
});

const servers: { stop: () => Promise<void> }[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});
beforeAll(() => {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
});

suite('SQS FIFO (fauxqs on loopback)', async () => {
  const sqs = await startSqs(3);
  servers.push(sqs);
  return {
    queue: new SqsOrderQueue(sqs.queueUrl, sqs.client, sqs.dlqUrl),
    deadLetters: sqs.deadLetters,
  };
});
