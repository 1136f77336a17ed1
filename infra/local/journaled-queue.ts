// The local runtime's queue made durable for `--persist`: every send and every acknowledgement is
// appended to a journal file before it takes effect, and a restart re-enqueues what was sent and never
// acknowledged — the guarantee SQS gives in AWS (a message stays until deleted). In order, by group.
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import {
  messageId,
  type OrderQueue,
  type QueueMessage,
  QueueMessageSchema,
  type ReceivedMessage,
} from '../../shared/ports/order-queue.ts';
import { readJsonLines } from './corrupt-state.ts';

type Entry =
  | { op: 'send'; id: string; groupId?: string; message: QueueMessage }
  | { op: 'delete'; id: string };

/** A journal line as written by this class; anything else throws (the caller reports the line). */
function parseEntry(raw: unknown): Entry {
  const e = raw as Partial<Entry> | null;
  if (e?.op === 'send' && typeof e.id === 'string')
    return {
      op: 'send',
      id: e.id,
      message: QueueMessageSchema.parse(e.message),
      ...(typeof e.groupId === 'string' ? { groupId: e.groupId } : {}),
    };
  if (e?.op === 'delete' && typeof e.id === 'string') return { op: 'delete', id: e.id };
  throw new Error('not a journal entry');
}

export class JournaledQueue implements OrderQueue {
  private readonly receipts = new Map<string, string>();

  constructor(
    private readonly inner: OrderQueue,
    private readonly file: string,
  ) {}

  /** Records dropped by the last `recover()`: a last line a kill cut mid-write (0 or 1). */
  droppedPartial = 0;

  /**
   * Messages sent and never acknowledged, in send order (the journal is then compacted to them).
   * A last line cut mid-write is dropped and counted in `droppedPartial`: a send cut short never
   * reached the queue, a delete cut short only means that message is delivered again (the executor
   * knows it by its id). Damage anywhere else is refused with CorruptLocalState naming the line.
   */
  async recover(): Promise<number> {
    this.droppedPartial = 0;
    if (!existsSync(this.file)) return 0;
    const { records, droppedPartial } = readJsonLines(this.file, parseEntry);
    this.droppedPartial = droppedPartial;
    const pending = new Map<string, Extract<Entry, { op: 'send' }>>();
    for (const e of records) {
      if (e.op === 'send') pending.set(e.id, e);
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
