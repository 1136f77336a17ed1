// Defect 2 (issue 12): a failing message must not hold protective and emergency traffic. The executor's
// real Lambda handler (Powertools FIFO processor) runs behind a model of the SQS FIFO event source with
// the stack's own settings: visibility timeout, maxReceiveCount, batch size and executor timeout are
// imported from the constructs that synthesize them.
import { describe, expect, it } from 'vitest';
import { makeExecutorHandler } from '../../../functions/order-executor/handler.ts';
import { FUNCTION_SPECS } from '../../../infra/aws/constructs/functions.ts';
import {
  EXECUTOR_BATCH_SIZE,
  MAX_RECEIVE_COUNT,
  queueVisibilityTimeout,
} from '../../../infra/aws/constructs/queue.ts';
import { MemoryEventBus } from '../../../shared/adapters/memory/event-bus.ts';
import { MemoryOrderQueue } from '../../../shared/adapters/memory/order-queue.ts';
import { MemoryStateStore } from '../../../shared/adapters/memory/state-store.ts';
import { SimulatedExchange } from '../../../shared/adapters/sim/sim-exchange.ts';
import { Simulator } from '../../../shared/adapters/sim/simulator.ts';
import { drainOnce } from '../../../shared/app/drain-queue.ts';
import { type ExecutorDeps, executeMessage } from '../../../shared/app/execute-intent.ts';
import { makeIntentId, type OrderIntent, OrderIntentSchema } from '../../../shared/domain/order.ts';
import { DEFAULT_RISK_LIMITS } from '../../../shared/domain/risk/limits.ts';
import { ExchangeUnavailable, RateLimited } from '../../../shared/ports/exchange-errors.ts';
import {
  DEFAULT_GROUP_ID,
  EMERGENCY_GROUP_ID,
  groupFor,
  protectiveGroupId,
} from '../../../shared/ports/order-queue.ts';
import { flat, T0 } from '../../support/candles.ts';
import { type FakeClock, fakeClock, fifoEventSource } from '../../support/lambda-sqs.ts';

const EXECUTOR_TIMEOUT = FUNCTION_SPECS['order-executor'].timeout;

function intent(p: Partial<OrderIntent> & Pick<OrderIntent, 'strategy' | 'symbol' | 'side'>, seq: number) {
  return OrderIntentSchema.parse({
    id: makeIntentId({ source: p.strategy, symbol: p.symbol, tickTime: T0, sequence: seq }),
    market: 'futures',
    type: 'market',
    quantity: 0.01,
    leverage: 5,
    marginMode: 'isolated',
    createdAt: T0,
    ...p,
  });
}

/**
 * The stack's queue and event source over the simulator. `failing(id)` may throw instead of a create
 * or a look-up of that client order id; `down()` makes every exchange call fail while it is true.
 */
function bench(clock: FakeClock, failing: (clientOrderId: string) => void = () => {}, down = () => false) {
  const sim = new Simulator({
    data: { BTCUSDT: { candles: flat(5, 60_000) }, ETHUSDT: { candles: flat(5, 3_000) } },
    initialWalletUsdt: 10_000,
  });
  const exchange = new SimulatedExchange(sim);
  const create = exchange.createOrder.bind(exchange);
  exchange.createOrder = async (r) => {
    failing(r.clientOrderId);
    return create(r);
  };
  const lookUp = exchange.fetchOrderByClientId.bind(exchange);
  exchange.fetchOrderByClientId = async (symbol, clientOrderId, market) => {
    failing(clientOrderId);
    return lookUp(symbol, clientOrderId, market);
  };
  for (const k of ['fetchPositions', 'fetchBalances', 'fetchOrderByClientId', 'fetchMarkPrice'] as const) {
    const real = (exchange[k] as (...a: unknown[]) => Promise<unknown>).bind(exchange);
    (exchange as unknown as Record<string, unknown>)[k] = async (...a: unknown[]) => {
      if (down()) throw new ExchangeUnavailable('503 Service Unavailable');
      return real(...a);
    };
  }
  const deps: ExecutorDeps = {
    store: new MemoryStateStore(),
    exchange,
    bus: new MemoryEventBus(),
    clock,
    limits: DEFAULT_RISK_LIMITS,
  };
  const queue = new MemoryOrderQueue({ clock, maxReceiveCount: MAX_RECEIVE_COUNT });
  const visibilityTimeoutS = queueVisibilityTimeout(EXECUTOR_TIMEOUT).toSeconds();
  const waits: number[] = [];
  const handler = makeExecutorHandler(async () => deps, undefined, undefined, {
    queue: () => queue,
    sleep: async (ms: number) => {
      waits.push(ms);
      clock.advance(ms);
    },
  });
  const source = fifoEventSource({
    queue,
    handler,
    clock,
    batchSize: EXECUTOR_BATCH_SIZE,
    visibilityTimeoutS,
    functionTimeoutMs: EXECUTOR_TIMEOUT.toMilliseconds(),
  });
  /** Poll until `done` holds (checked after each poll); the time it took, or undefined. */
  async function until(done: () => Promise<boolean>, limitMs: number): Promise<number | undefined> {
    const from = clock.now();
    while (clock.now() - from < limitMs) {
      await source.poll();
      if (await done()) return clock.now() - from;
    }
    return undefined;
  }
  return { sim, exchange, deps, queue, source, until, waits };
}

const status = async (h: ReturnType<typeof bench>, id: string) => (await h.deps.store.getIntent(id))?.status;

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
});

describe('defect 2: retries, hand-backs and the dead-letter queue (stack settings)', () => {
  it('defect 2: a rate limit is retried inside the invocation after its retry-after', async () => {
    const clock = fakeClock(T0);
    const entry = intent({ strategy: 'grid', symbol: 'BTCUSDT', side: 'buy' }, 1);
    let limited = 2;
    const h = bench(clock, (id) => {
      if (id === entry.id && limited-- > 0) throw new RateLimited('429 Too Many Requests', 2_000);
    });
    await h.queue.send({ kind: 'intent', intent: entry });
    expect(await h.source.poll()).toBe(1);
    expect(await status(h, entry.id)).toBe('DONE');
    expect(h.queue.depth).toBe(0);
    expect(h.waits).toEqual([2_000, 2_000]);
  });

  it('defect 2: a retry-after longer than the budget hands the message back for that long', async () => {
    const clock = fakeClock(T0);
    const entry = intent({ strategy: 'grid', symbol: 'BTCUSDT', side: 'buy' }, 1);
    let limited = 1;
    const h = bench(clock, (id) => {
      if (id === entry.id && limited-- > 0) throw new RateLimited('429 Too Many Requests', 20_000);
    });
    await h.queue.send({ kind: 'intent', intent: entry });
    const took = await h.until(async () => (await status(h, entry.id)) === 'DONE', 5 * 60_000);
    expect(h.waits).toEqual([]); // not hammered inside the invocation
    expect(took).toBeGreaterThanOrEqual(20_000);
    expect(took).toBeLessThan(25_000);
  });

  it('defect 2: an exchange outage of 4 minutes does not dead-letter an order in flight', async () => {
    const clock = fakeClock(T0);
    const entry = intent({ strategy: 'grid', symbol: 'BTCUSDT', side: 'buy' }, 1);
    let downUntil = 0;
    const h = bench(clock, undefined, () => clock.now() < downUntil);
    const create = h.exchange.createOrder;
    h.exchange.createOrder = async (r) => {
      const order = await create(r);
      // Accepted, then the exchange goes dark for four minutes: the answer is lost.
      if (downUntil === 0) {
        downUntil = clock.now() + 4 * 60_000;
        throw new ExchangeUnavailable('request timed out');
      }
      return order;
    };
    await h.queue.send({ kind: 'intent', intent: entry });
    const took = await h.until(async () => (await status(h, entry.id)) === 'DONE', 30 * 60_000);
    expect(took).toBeGreaterThanOrEqual(4 * 60_000);
    expect(took).toBeLessThan(5 * 60_000); // hand-backs are capped at 30 s
    expect(h.sim.orderByClientId('BTCUSDT', entry.id).status).toBe('filled');
    expect(h.queue.deadLetters).toEqual([]);
    expect(h.queue.depth).toBe(0);
  });

  it('defect 2: an order of unknown outcome goes to the dead-letter queue and frees its group', async () => {
    const clock = fakeClock(T0);
    const stuck = intent({ strategy: 'grid', symbol: 'ETHUSDT', side: 'buy' }, 1);
    const next = intent({ strategy: 'grid', symbol: 'BTCUSDT', side: 'buy' }, 2);
    const h = bench(clock, (id) => {
      if (id === stuck.id) throw new ExchangeUnavailable('503 Service Unavailable');
    });
    await h.queue.send({ kind: 'intent', intent: stuck });
    await h.queue.send({ kind: 'intent', intent: next });
    const took = await h.until(async () => (await status(h, stuck.id)) === 'UNKNOWN', 60 * 60_000);
    expect(took).toBeDefined();
    expect(took).toBeGreaterThan(5 * 60_000); // minutes of trying first
    // Moved by the executor at once (not by SQS's redrive after MAX_RECEIVE_COUNT deliveries) …
    expect(h.queue.deadLetters).toHaveLength(1);
    expect(h.queue.deadLetters[0]!.reason).toMatch(/^OrderOutcomeUnknown/);
    expect(h.queue.deadLetters[0]!.receiveCount).toBeLessThan(MAX_RECEIVE_COUNT);
    // … so the order behind it in the same group goes within seconds.
    const after = await h.until(async () => (await status(h, next.id)) === 'DONE', 60_000);
    expect(after).toBeLessThanOrEqual(2_000);
    expect(
      h.deps.bus instanceof MemoryEventBus && h.deps.bus.events.some((e) => e.type === 'OrderOutcomeUnknown'),
    ).toBe(true);
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
