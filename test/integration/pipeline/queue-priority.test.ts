// Defect 2 (issue 12): a failing message must not hold protective and emergency traffic. The executor's
// real Lambda handler (Powertools FIFO processor) runs behind a model of the SQS FIFO event source with
// the stack's own settings: visibility timeout, maxReceiveCount, batch size and executor timeout are
// imported from the constructs that synthesize them.
import { describe, expect, it } from 'vitest';
import { queueVisibilityTimeout } from '../../../infra/aws/constructs/queue.ts';
import { drainOnce } from '../../../shared/app/drain-queue.ts';
import { executeMessage } from '../../../shared/app/execute-intent.ts';
import { makeIntentId, type OrderIntent } from '../../../shared/domain/order.ts';
import { ExchangeUnavailable } from '../../../shared/ports/exchange-errors.ts';
import {
  DEFAULT_GROUP_ID,
  EMERGENCY_GROUP_ID,
  groupFor,
  protectiveGroupId,
} from '../../../shared/ports/order-queue.ts';
import { T0 } from '../../support/candles.ts';
import { fakeClock } from '../../support/lambda-sqs.ts';
import { bench, EXECUTOR_TIMEOUT, intent, status } from '../../support/queue-bench.ts';

describe('defect 2: a failing message does not hold protective and emergency traffic', () => {
  it('defect 2: close_all queued behind a failing entry executes within 30 s (stack settings)', async () => {
    const clock = fakeClock(T0);
    const entry = intent({ strategy: 'grid', symbol: 'ETHUSDT', side: 'buy' }, 1);
    const closeAll = {
      kind: 'close_all' as const,
      id: makeIntentId({ source: 'telegram-emergency', symbol: 'ALL', tickTime: T0, sequence: 1 }),
      source: 'telegram',
      reason: 'emergency close',
      createdAt: T0,
    };
    let queuedAt: number | undefined;
    const h = bench(clock, (id) => {
      if (id !== entry.id) return;
      // The entry meets a 503 on every attempt (its create, then every reconcile look-up, so the halt
      // cannot settle it either). While the first one fails, the trader presses emergency close: the
      // halt is set, then close_all is queued (as the Telegram command does).
      if (queuedAt === undefined) {
        queuedAt = clock.now();
        void (async () => {
          const halt = await h.deps.store.getHalt();
          await h.deps.store.setHalt(true, 'emergency close', clock.now(), halt.version);
          await h.queue.send(closeAll);
        })();
      }
      throw new ExchangeUnavailable('503 Service Unavailable');
    });
    // An open long on BTCUSDT, placed earlier.
    const open = intent({ strategy: 'grid', symbol: 'BTCUSDT', side: 'buy' }, 0);
    await executeMessage(JSON.stringify({ kind: 'intent', intent: open }), h.deps);
    expect(h.sim.ledger.positions.get('BTCUSDT')?.quantity).toBeCloseTo(0.01, 12);

    await h.queue.send({ kind: 'intent', intent: entry });
    const waited = await h.until(async () => (await status(h, closeAll.id)) === 'DONE', 15 * 60_000);
    expect(queuedAt).toBeDefined();
    expect(waited, 'close_all never executed').toBeDefined();
    const latency = clock.now() - queuedAt!;
    expect(latency).toBeLessThanOrEqual(30_000);
    expect(h.sim.ledger.positions.has('BTCUSDT')).toBe(false);
    // The entry is still failing, alone in its group.
    expect(await status(h, entry.id)).toBe('IN_FLIGHT');
    expect(h.queue.depth).toBe(1);
  });

  it("defect 2: a strategy's stop never overtakes its failing entry (one group, handed back in order)", async () => {
    const clock = fakeClock(T0);
    const entry = intent({ strategy: 'grid', symbol: 'BTCUSDT', side: 'buy' }, 1);
    const stop = intent(
      {
        strategy: 'grid',
        symbol: 'BTCUSDT',
        side: 'sell',
        type: 'stop_market',
        stopPrice: 58_000,
        reduceOnly: true,
      },
      2,
    );
    let failures = 6; // more than one delivery's tries
    const placed: string[] = [];
    const h = bench(clock, (id) => {
      if (id === entry.id && failures-- > 0) throw new ExchangeUnavailable('502 Bad Gateway');
    });
    const create = h.exchange.createOrder;
    h.exchange.createOrder = async (r) => {
      const order = await create(r);
      placed.push(r.clientOrderId);
      return order;
    };
    expect(groupFor({ kind: 'intent', intent: stop })).toBe(groupFor({ kind: 'intent', intent: entry }));
    await h.queue.send({ kind: 'intent', intent: entry });
    await h.queue.send({ kind: 'intent', intent: stop });
    await h.until(async () => h.queue.depth === 0, 60_000);
    expect(placed).toEqual([entry.id, stop.id]);
  });
});

describe('defect 2: drainOnce (local runtime and tests) has the same semantics', () => {
  it('defect 2: close_all behind a failing entry in the same batch is executed; the entry is handed back', async () => {
    const clock = fakeClock(T0);
    const entry = intent({ strategy: 'grid', symbol: 'ETHUSDT', side: 'buy' }, 1);
    const h = bench(clock, (id) => {
      if (id === entry.id) throw new ExchangeUnavailable('503 Service Unavailable');
    });
    await executeMessage(
      JSON.stringify({
        kind: 'intent',
        intent: intent({ strategy: 'grid', symbol: 'BTCUSDT', side: 'buy' }, 0),
      }),
      h.deps,
    );
    await h.queue.send({ kind: 'intent', intent: entry });
    await h.queue.send({
      kind: 'close_all',
      id: 'close-all-1',
      source: 'telegram',
      reason: 'emergency',
      createdAt: T0,
    });
    const waits: number[] = [];
    const r = await drainOnce(h.queue, h.deps, {
      visibilityTimeoutS: queueVisibilityTimeout(EXECUTOR_TIMEOUT).toSeconds(),
      sleep: async (ms) => {
        waits.push(ms);
        clock.advance(ms);
      },
    });
    expect(r.outcomes.map((o) => o.kind)).toEqual(['closed_all']); // first: emergency before ordinary
    expect(r.failures.map((f) => f.messageId)).toEqual([entry.id]);
    expect(waits).toEqual([500, 1_000, 2_000]);
    expect(h.sim.ledger.positions.has('BTCUSDT')).toBe(false);
    // Handed back for a second, not for the queue's visibility timeout.
    clock.advance(1_000);
    expect((await h.queue.receive(10)).map((m) => m.messageId)).toEqual([entry.id]);
  });
});

describe('defect 2: groupFor keeps what must stay ordered together', () => {
  const m = (p: Partial<OrderIntent> & Pick<OrderIntent, 'strategy' | 'symbol' | 'side'>, seq: number) => ({
    kind: 'intent' as const,
    intent: intent(p, seq),
  });
  const cancel = (source: string, symbol: string, onlyIfPlaced?: string) => ({
    kind: 'cancel' as const,
    id: `cancel-${source}-${symbol}`,
    source,
    symbol,
    market: 'futures' as const,
    clientOrderId: 'old-stop',
    createdAt: T0,
    ...(onlyIfPlaced ? { onlyIfPlaced } : {}),
  });
  it("defect 2: protective traffic goes to its symbol's protective group, strategies stay in theirs", () => {
    const stop = { type: 'stop_market' as const, stopPrice: 58_000, reduceOnly: true };
    // A monitor's moved stop and its onlyIfPlaced cancel: one protective group.
    const trail = m({ strategy: 'position-monitor', symbol: 'BTCUSDT', side: 'sell', ...stop }, 1);
    expect(groupFor(trail)).toBe(protectiveGroupId('BTCUSDT'));
    expect(groupFor(cancel('position-monitor', 'BTCUSDT', trail.intent.id))).toBe(groupFor(trail));
    expect(
      groupFor(m({ strategy: 'risk-monitor', symbol: 'ETHUSDT', side: 'sell', reduceOnly: true }, 2)),
    ).toBe(protectiveGroupId('ETHUSDT'));
    // Telegram: a close is protective; an open and its stop stay together in the ordinary group.
    expect(groupFor(m({ strategy: 'telegram', symbol: 'BTCUSDT', side: 'sell', reduceOnly: true }, 3))).toBe(
      protectiveGroupId('BTCUSDT'),
    );
    expect(groupFor(m({ strategy: 'telegram', symbol: 'BTCUSDT', side: 'buy' }, 4))).toBe(DEFAULT_GROUP_ID);
    expect(groupFor(m({ strategy: 'telegram', symbol: 'BTCUSDT', side: 'sell', ...stop }, 5))).toBe(
      DEFAULT_GROUP_ID,
    );
    // A strategy's stop, exit and moved-stop cancel stay behind its entry.
    expect(groupFor(m({ strategy: 'grid', symbol: 'BTCUSDT', side: 'sell', ...stop }, 6))).toBe(
      DEFAULT_GROUP_ID,
    );
    expect(groupFor(m({ strategy: 'grid', symbol: 'BTCUSDT', side: 'sell', reduceOnly: true }, 7))).toBe(
      DEFAULT_GROUP_ID,
    );
    expect(groupFor(cancel('grid', 'BTCUSDT', 'successor'))).toBe(DEFAULT_GROUP_ID);
    expect(
      groupFor({ kind: 'close_all', id: 'x', source: 'telegram', reason: 'emergency', createdAt: T0 }),
    ).toBe(EMERGENCY_GROUP_ID);
  });
});
