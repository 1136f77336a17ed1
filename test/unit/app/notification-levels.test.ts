import { describe, expect, it } from 'vitest';
import { MemoryStateStore } from '../../../shared/adapters/memory/state-store.ts';
import { setStrategyPause } from '../../../shared/app/monitors/performance-monitor.ts';
import { getLevels, setLevel } from '../../../shared/app/notification-levels.ts';
import { type NotifyDeps, notify } from '../../../shared/app/notify.ts';
import type { DomainEvent } from '../../../shared/domain/events.ts';

const A = 11;
const B = 22;

function world() {
  const store = new MemoryStateStore();
  const sent: { chat: number; text: string }[] = [];
  const deps: NotifyDeps = {
    store,
    clock: { now: () => 1_000_000 },
    send: async () => {
      throw new Error('per-chat wiring: send() is not used');
    },
    chats: [A, B],
    sendTo: async (chat, text) => void sent.push({ chat, text }),
    cooldownMs: 300_000,
  };
  return { store, sent, deps };
}

const placed: DomainEvent = {
  type: 'OrderPlaced',
  time: 0,
  intentId: 'ac-1',
  owner: 'grid',
  symbol: 'ETHUSDT',
  status: 'new',
  side: 'buy',
  orderType: 'limit',
  quantity: 0.1,
};
const filled: DomainEvent = {
  type: 'OrderFilled',
  time: 0,
  intentId: 'ac-2',
  owner: 'grid',
  symbol: 'ETHUSDT',
  side: 'buy',
  quantity: 0.1,
  price: 3000,
  fee: 0.12,
};

describe('notification levels per chat', () => {
  it('routine placements are off by default, fills on; each chat gets what it chose', async () => {
    const { store, sent, deps } = world();
    expect(await notify(placed, deps)).toBe('muted');
    expect(await notify(filled, deps)).toBe('sent');
    expect(sent.map((s) => s.chat)).toEqual([A, B]);
    expect(sent[0]!.text).toMatch(/grid: Filled buy 0\.1 ETHUSDT/);

    await setLevel(store, A, 'orders', true, 0);
    await setLevel(store, B, 'fills', false, 0);
    sent.length = 0;
    await notify(placed, deps);
    await notify({ ...filled, intentId: 'ac-3' }, deps);
    expect(sent.map((s) => [s.chat, s.text.startsWith('📌') ? 'placed' : 'filled'])).toEqual([
      [A, 'placed'],
      [A, 'filled'],
    ]);
    // Persisted: a fresh read of the store gives the same levels.
    expect((await getLevels(store, A)).orders).toBe(true);
    expect((await getLevels(store, B)).fills).toBe(false);
  });

  it('a critical alert reaches every chat at once, even one that turned its kind off', async () => {
    const { store, sent, deps } = world();
    await setLevel(store, A, 'alerts', false, 0);
    await setLevel(store, B, 'halts', false, 0);
    const critical: DomainEvent = {
      type: 'RiskAlert',
      time: 0,
      kind: 'liquidation_distance',
      level: 'critical',
      symbol: 'BTCUSDT',
      value: 4,
      threshold: 8,
      message: 'BTCUSDT 4 % from liquidation',
    };
    expect(await notify(critical, deps)).toBe('sent');
    expect(await notify({ type: 'Halted', time: 0, reason: 'daily loss limit' }, deps)).toBe('sent');
    expect(sent.map((s) => s.chat)).toEqual([A, B, A, B]);
    // A warning of a kind the chat turned off is not sent to it.
    sent.length = 0;
    await notify({ ...critical, level: 'warning', symbol: 'ETHUSDT' }, deps);
    expect(sent.map((s) => s.chat)).toEqual([B]);
  });

  it('a paused strategy’s refused entries are routine (its pause was announced); another’s rejection is sent', async () => {
    const { store, sent, deps } = world();
    await setStrategyPause(store, 'grid', { paused: true, reason: '5 losing trades', since: 0 });
    const refused = (owner: string, i: number): DomainEvent => ({
      type: 'OrderRejected',
      time: 0,
      intentId: `ac-r${i}`,
      owner,
      symbol: owner === 'grid' ? 'ETHUSDT' : 'BTCUSDT',
      reasons: [`strategy ${owner} is paused`],
    });
    expect(await notify(refused('grid', 1), deps)).toBe('muted');
    expect(await notify(refused('volatility_breakout', 2), deps)).toBe('sent');
    expect(sent).toHaveLength(2); // one message, to each of the two chats
  });
});
