// The local runtime's queue made durable for `--persist`: every send and every acknowledgement is
// appended to a journal file before it takes effect, and a restart re-enqueues what was sent and never
// acknowledged — the guarantee SQS gives in AWS (a message stays until deleted). In order, by group.
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import {
  messageId,
  type OrderQueue,
  type QueueMessage,
  QueueMessageSchema,
  type ReceivedMessage,
} from '../../shared/ports/order-queue.ts';

type Entry =
  | { op: 'send'; id: string; groupId?: string; message: QueueMessage }
  | { op: 'delete'; id: string };

export class JournaledQueue implements OrderQueue {
  private readonly receipts = new Map<string, string>();

  constructor(
    private readonly inner: OrderQueue,
    private readonly file: string,
  ) {}

  /** Messages sent and never acknowledged, in send order (the journal is then compacted to them). */
  async recover(): Promise<number> {
    if (!existsSync(this.file)) return 0;
    const pending = new Map<string, Extract<Entry, { op: 'send' }>>();
    for (const line of readFileSync(this.file, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      let e: Entry;
      try {
        e = JSON.parse(line) as Entry;
      } catch {
        continue; // a line cut short by the kill: it never took effect
      }
      if (e.op === 'send') pending.set(e.id, { ...e, message: QueueMessageSchema.parse(e.message) });
      else pending.delete(e.id);
    }
    writeFileSync(this.file, '');
    for (const e of pending.values()) await this.send(e.message, e.groupId ? { groupId: e.groupId } : {});
    return pending.size;
  }

  async send(message: QueueMessage, opts: { groupId?: string } = {}): Promise<void> {
    const entry: Entry = { op: 'send', id: messageId(message), message, ...opts };
    appendFileSync(this.file, `${JSON.stringify(entry)}\n`);
    await this.inner.send(message, opts);
  }

  async receive(max: number, visibilityTimeoutS?: number): Promise<ReceivedMessage[]> {
    const messages = await this.inner.receive(max, visibilityTimeoutS);
    for (const m of messages) {
      try {
        this.receipts.set(m.receipt, messageId(QueueMessageSchema.parse(JSON.parse(m.body))));
      } catch {
        this.receipts.set(m.receipt, m.messageId);
      }
    }
    return messages;
  }

  async delete(receipt: string): Promise<void> {
    await this.inner.delete(receipt);
    const id = this.receipts.get(receipt);
    this.receipts.delete(receipt);
    if (id !== undefined)
      appendFileSync(this.file, `${JSON.stringify({ op: 'delete', id } satisfies Entry)}\n`);
  }

  async changeVisibility(receipt: string, visibilityTimeoutS: number): Promise<void> {
    await this.inner.changeVisibility(receipt, visibilityTimeoutS);
  }

  /** Dead-lettered messages leave the queue: journaled like an acknowledgement. */
  async deadLetter(message: ReceivedMessage, reason: string): Promise<void> {
    await this.inner.deadLetter(message, reason);
    const id = this.receipts.get(message.receipt);
    this.receipts.delete(message.receipt);
    if (id !== undefined)
      appendFileSync(this.file, `${JSON.stringify({ op: 'delete', id } satisfies Entry)}\n`);
  }
}
