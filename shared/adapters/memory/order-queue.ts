// An in-process FIFO queue with SQS FIFO semantics, for the embedded runtime and tests:
// - per-group order, and a group is locked while one of its messages is in flight;
// - deduplication: a second send with the same dedup id within 5 minutes is dropped;
// - visibility timeout: an unacknowledged message comes back after the timeout, its receive count up;
// - after `maxReceiveCount` receives without an ack the message moves to the dead-letter list;
// - a received message can be handed back early (changeVisibility) or dead-lettered at once.
// The same semantic test suite runs against this and against SQS (through the fauxqs emulator).
import { type Clock, systemClock } from '../../ports/clock.ts';
import {
  DEFAULT_GROUP_ID,
  groupFor,
  messageId,
  type OrderQueue,
  type QueueMessage,
  type ReceivedMessage,
} from '../../ports/order-queue.ts';

const DEDUP_WINDOW_MS = 5 * 60_000;

interface Entry {
  seq: number;
  id: string;
  group: string;
  body: string;
  receiveCount: number;
  invisibleUntil: number;
  receipt?: string;
}

export class MemoryOrderQueue implements OrderQueue {
  private readonly entries: Entry[] = [];
  private readonly dedup = new Map<string, number>();
  readonly deadLetters: { body: string; receiveCount: number; reason?: string }[] = [];
  private seq = 0;
  private receipts = 0;

  constructor(
    private readonly options: {
      clock?: Clock;
      maxReceiveCount?: number;
      defaultVisibilityTimeoutS?: number;
    } = {},
  ) {}

  private now(): number {
    return (this.options.clock ?? systemClock).now();
  }

  async send(message: QueueMessage, opts: { groupId?: string } = {}): Promise<void> {
    const now = this.now();
    const id = messageId(message);
    for (const [k, t] of this.dedup) if (now - t >= DEDUP_WINDOW_MS) this.dedup.delete(k);
    if (this.dedup.has(id)) return;
    this.dedup.set(id, now);
    this.entries.push({
      seq: ++this.seq,
      id,
      group: opts.groupId ?? groupFor(message),
      body: JSON.stringify(message),
      receiveCount: 0,
      invisibleUntil: 0,
    });
  }

  /** Raw send of an arbitrary body (tests of malformed input). */
  sendRaw(body: string, dedupId: string, groupId = DEFAULT_GROUP_ID): void {
    this.entries.push({
      seq: ++this.seq,
      id: dedupId,
      group: groupId,
      body,
      receiveCount: 0,
      invisibleUntil: 0,
    });
  }

  async receive(max: number, visibilityTimeoutS?: number): Promise<ReceivedMessage[]> {
    const now = this.now();
    const timeoutMs = (visibilityTimeoutS ?? this.options.defaultVisibilityTimeoutS ?? 30) * 1000;
    const maxReceives = this.options.maxReceiveCount ?? 5;
    const locked = new Set<string>();
    const out: ReceivedMessage[] = [];
    for (const e of [...this.entries]) {
      if (e.invisibleUntil > now) {
        locked.add(e.group);
        continue;
      }
      if (locked.has(e.group)) continue;
      if (e.receiveCount >= maxReceives) {
        // Redrive: SQS moves a message that was received maxReceiveCount times to the DLQ.
        this.entries.splice(this.entries.indexOf(e), 1);
        this.deadLetters.push({ body: e.body, receiveCount: e.receiveCount });
        continue;
      }
      if (out.length >= max) {
        locked.add(e.group);
        continue;
      }
      e.receiveCount++;
      e.invisibleUntil = now + timeoutMs;
      e.receipt = `r-${++this.receipts}`;
      out.push({
        body: e.body,
        receipt: e.receipt,
        receiveCount: e.receiveCount,
        messageId: e.id,
        groupId: e.group,
      });
      // FIFO: a batch takes consecutive messages of a group; the next group message waits for them.
    }
    return out;
  }

  async delete(receipt: string): Promise<void> {
    const i = this.entries.findIndex((e) => e.receipt === receipt);
    if (i >= 0) this.entries.splice(i, 1);
  }

  async changeVisibility(receipt: string, visibilityTimeoutS: number): Promise<void> {
    const e = this.entries.find((x) => x.receipt === receipt);
    if (e) e.invisibleUntil = this.now() + visibilityTimeoutS * 1000;
  }

  async deadLetter(message: ReceivedMessage, reason: string): Promise<void> {
    const i = this.entries.findIndex((e) => e.receipt === message.receipt);
    if (i < 0) return;
    const [e] = this.entries.splice(i, 1);
    this.deadLetters.push({ body: e!.body, receiveCount: e!.receiveCount, reason });
  }

  get depth(): number {
    return this.entries.length;
  }
}
