import { describe, expect, it } from 'vitest';
import { makeNotifierHandler } from '../../../functions/notifier/handler.ts';
import { MemoryStateStore } from '../../../shared/adapters/memory/state-store.ts';
import { type NotifyDeps, notify } from '../../../shared/app/notify.ts';
import type { DomainEvent } from '../../../shared/domain/events.ts';

function deps(now: { t: number }) {
  const sent: string[] = [];
  const d: NotifyDeps = {
    store: new MemoryStateStore(),
    clock: { now: () => now.t },
    send: async (s) => void sent.push(s),
    cooldownMs: 300_000,
  };
  return { d, sent };
}

const rejected = (i: number): DomainEvent => ({
  type: 'OrderRejected',
  time: 0,
  intentId: `ac-${i}`,
  symbol: 'BTCUSDT',
  reasons: ['daily loss limit reached'],
});

describe('notify', () => {
  it('a storm of alerts is one message per cooldown window, then one with the count of the rest', async () => {
    const now = { t: 1_000_000 };
    const { d, sent } = deps(now);
    const results = [];
    for (let i = 0; i < 100; i++) results.push(await notify(rejected(i), d));
    expect(results.filter((r) => r === 'sent')).toHaveLength(1);
    expect(sent).toHaveLength(1);
    now.t += 300_000;
    await notify(rejected(101), d);
    expect(sent).toHaveLength(2);
    expect(sent[1]).toMatch(/\+99 similar alerts since the last message/);
  });

  it('a critical alert that escalates bypasses the cooldown; fills are never held back', async () => {
    const now = { t: 0 };
    const { d, sent } = deps(now);
    await notify({ type: 'OrderRejected', time: 0, intentId: 'a', symbol: 'X', reasons: ['r'] }, d);
    await notify({ type: 'Halted', time: 0, reason: 'daily loss limit' }, d);
    await notify({ type: 'Halted', time: 0, reason: 'again' }, d);
    for (let i = 0; i < 3; i++)
      await notify(
        {
          type: 'OrderFilled',
          time: 0,
          intentId: `f${i}`,
          symbol: 'BTCUSDT',
          side: 'buy',
          quantity: 0.001,
          price: 80_000,
          fee: 0.04,
        },
        d,
      );
    expect(sent.filter((s) => s.includes('halted'))).toHaveLength(1);
    expect(sent.filter((s) => s.includes('Filled'))).toHaveLength(3);
  });

  it('the notifier handler drops a malformed event instead of failing forever', async () => {
    const { d, sent } = deps({ t: 0 });
    const handler = makeNotifierHandler(async () => d);
    expect(
      await handler(
        { 'detail-type': 'OrderFilled', detail: { type: 'OrderFilled', quantity: 'lots' } },
        {} as never,
      ),
    ).toEqual({ result: 'ignored' });
    expect(sent).toEqual([]);
  });
});

describe('notifier handler: CloudWatch alarms through SNS', () => {
  it('turns an alarm notification into a Telegram message', async () => {
    const { d, sent } = deps({ t: 0 });
    const handler = makeNotifierHandler(async () => d);
    const message = JSON.stringify({
      AlarmName: 'AutoCoinFutures-DeadLetters',
      AlarmDescription: 'an order message is in the dead-letter queue',
      NewStateValue: 'ALARM',
      NewStateReason: 'Threshold Crossed: 1 datapoint [1.0] >= 1.0',
      StateChangeTime: '2026-11-28T12:00:00.000+0000',
    });
    await handler(
      {
        Records: [
          {
            EventSource: 'aws:sns',
            Sns: {
              Type: 'Notification',
              MessageId: 'm',
              TopicArn: 'arn:aws:sns:eu-west-1:123456789012:alarms',
              Subject: 'ALARM',
              Message: message,
            },
          },
        ],
      },
      {} as never,
    );
    expect(sent).toEqual([
      expect.stringMatching(
        /🚨 <b>an order message is in the dead-letter queue<\/b> — ALARM\nThreshold Crossed/,
      ),
    ]);
  });
});

describe('notify: a failed send is not suppressed on retry (issue 13, finding 2)', () => {
  it('a Halted alert whose send failed goes out when Lambda retries the event', async () => {
    const now = { t: 5_000_000 };
    const { d, sent } = deps(now);
    let failures = 1;
    d.send = async (s) => {
      if (failures-- > 0) throw new Error('Bot API 502');
      sent.push(s);
    };
    const halted: DomainEvent = { type: 'Halted', time: 0, reason: 'daily loss limit' };
    await expect(notify(halted, d)).rejects.toThrow('Bot API 502');
    now.t += 1_000; // the retry, within the cooldown window
    expect(await notify(halted, d)).toBe('sent');
    expect(sent).toEqual([expect.stringContaining('Trading halted')]);
    // …and once sent, the cooldown holds the next one back as before.
    expect(await notify(halted, d)).toBe('suppressed');
  });
});
