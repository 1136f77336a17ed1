// Fault injection against dynalite (real DynamoDB API) and the simulated exchange: every case must end
// with exactly one exchange order per intent and no lost intent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoStateStore } from '../../../shared/adapters/aws/dynamodb/state-store.ts';
import { MemoryEventBus } from '../../../shared/adapters/memory/event-bus.ts';
import { MemoryOrderQueue } from '../../../shared/adapters/memory/order-queue.ts';
import { SimulatedExchange } from '../../../shared/adapters/sim/sim-exchange.ts';
import { Simulator } from '../../../shared/adapters/sim/simulator.ts';
import { drainOnce } from '../../../shared/app/drain-queue.ts';
import { type ExecutorDeps, executeMessage } from '../../../shared/app/execute-intent.ts';
import { makeIntentId, OrderIntentSchema } from '../../../shared/domain/order.ts';
import { DEFAULT_RISK_LIMITS } from '../../../shared/domain/risk/limits.ts';
import { ExchangeUnavailable, RateLimited } from '../../../shared/ports/exchange-errors.ts';
import type { QueueMessage } from '../../../shared/ports/order-queue.ts';
import { flat, T0 } from '../../support/candles.ts';
import { startDynamo } from '../../support/dynalite.ts';
import { crash, faultyExchange, faultyStore } from '../../support/faulty.ts';

let dynamo: Awaited<ReturnType<typeof startDynamo>>;
beforeAll(async () => {
  dynamo = await startDynamo();
});
afterAll(async () => {
  await dynamo.stop();
});

let seq = 0;
function setup() {
  const sim = new Simulator({ data: { BTCUSDT: { candles: flat(5, 60_000) } }, initialWalletUsdt: 10_000 });
  const fx = faultyExchange(new SimulatedExchange(sim));
  const fs = faultyStore(new DynamoStateStore(dynamo.tableName, dynamo.client));
  const bus = new MemoryEventBus();
  const queue = new MemoryOrderQueue({ clock: { now: () => T0 }, maxReceiveCount: 10 });
  const clock = {
    t: T0,
    now() {
      return this.t;
    },
  };
  const deps: ExecutorDeps = {
    store: fs.store,
    exchange: fx.exchange,
    bus,
    clock,
    limits: DEFAULT_RISK_LIMITS,
  };
  const intent = OrderIntentSchema.parse({
    id: makeIntentId({ source: 'test', symbol: 'BTCUSDT', tickTime: T0, sequence: ++seq }),
    strategy: 'test',
    symbol: 'BTCUSDT',
    market: 'futures',
    side: 'buy',
    type: 'market',
    quantity: 0.01,
    leverage: 5,
    marginMode: 'isolated',
    createdAt: T0,
  });
  const message: QueueMessage = { kind: 'intent', intent };
  return { sim, fx, fs, bus, queue, clock, deps, intent, message };
}

/**
 * Deliver until the queue is empty (visibility 0: a failed message comes straight back), 30 s apart on
 * the executor's clock: an order whose create timed out is sent again only after that long.
 */
async function deliverAll(h: ReturnType<typeof setup>, rounds = 10) {
  const outcomes = [];
  const failures = [];
  for (let i = 0; i < rounds && h.queue.depth > 0; i++) {
    if (i > 0) h.clock.t += 30_000;
    const r = await drainOnce(h.queue, h.deps, { visibilityTimeoutS: 0 });
    outcomes.push(...r.outcomes);
    failures.push(...r.failures);
  }
  return { outcomes, failures };
}

async function expectExactlyOnce(h: ReturnType<typeof setup>) {
  expect(h.fx.creates.get(h.intent.id)).toBe(1);
  expect(h.sim.orderByClientId('BTCUSDT', h.intent.id).status).toBe('filled');
  const record = await h.deps.store.getIntent(h.intent.id);
  expect(record?.status).toBe('DONE');
  expect((await h.deps.store.getOrder(h.intent.id))?.status).toBe('filled');
  expect(h.queue.depth).toBe(0);
  expect(h.queue.deadLetters).toEqual([]);
  expect(h.sim.ledger.positions.get('BTCUSDT')?.quantity).toBeCloseTo(0.01, 12);
}

describe('executor under faults: exactly one order per intent, none lost', () => {
  it('the same message delivered 3×', async () => {
    const h = setup();
    for (let i = 0; i < 3; i++) h.queue.sendRaw(JSON.stringify(h.message), `${h.intent.id}-${i}`);
    const { outcomes } = await deliverAll(h);
    expect(outcomes.map((o) => o.kind)).toEqual(['placed', 'duplicate', 'duplicate']);
    await expectExactlyOnce(h);
  });

  it('killed before the exchange call (setting leverage, before the IN_FLIGHT write)', async () => {
    const h = setup();
    h.fx.beforeLeverage.push(crash('before the exchange call'));
    await h.queue.send(h.message);
    const { outcomes, failures } = await deliverAll(h);
    expect(failures).toHaveLength(1);
    expect(outcomes.map((o) => o.kind)).toEqual(['placed']);
    await expectExactlyOnce(h);
  });

  it('killed after the exchange accepted, before the state write: reconciled, not re-sent', async () => {
    const h = setup();
    h.fs.beforePutOrder.push(crash('after accept, before state write'));
    await h.queue.send(h.message);
    const { outcomes } = await deliverAll(h);
    expect(outcomes.map((o) => o.kind)).toEqual(['reconciled']);
    await expectExactlyOnce(h);
  });

  it('killed after the state write, before the ack: the redelivery is a duplicate', async () => {
    const h = setup();
    await h.queue.send(h.message);
    const [m] = await h.queue.receive(1, 0);
    expect((await executeMessage(m!.body, h.deps)).kind).toBe('placed'); // … and the process dies: no delete
    const { outcomes } = await deliverAll(h);
    expect(outcomes.map((o) => o.kind)).toEqual(['duplicate']);
    await expectExactlyOnce(h);
  });

  it('the exchange times out after accepting', async () => {
    const h = setup();
    h.fx.after.push(() => {
      throw new ExchangeUnavailable('request timed out');
    });
    await h.queue.send(h.message);
    const { outcomes, failures } = await deliverAll(h);
    expect(failures).toEqual([]); // the RetryLater is retried within the delivery (order-retry.ts)
    expect(outcomes.map((o) => o.kind)).toEqual(['reconciled']);
    await expectExactlyOnce(h);
  });

  it('rate limits and 5xx before the order reaches the exchange: retried later, placed once', async () => {
    const h = setup();
    h.fx.before.push(
      () => {
        throw new RateLimited('429 Too Many Requests', 1_000);
      },
      () => {
        throw new RateLimited('429 Too Many Requests', 1_000);
      },
      () => {
        throw new ExchangeUnavailable('502 Bad Gateway');
      },
    );
    await h.queue.send(h.message);
    const { outcomes, failures } = await deliverAll(h);
    // The two 429s are retried within the delivery (refused before Binance acted); the 502 leaves the
    // create's outcome unknown, so the message goes back and is sent again only 30 s later.
    expect(failures).toHaveLength(1);
    expect(outcomes.map((o) => o.kind)).toEqual(['placed']);
    await expectExactlyOnce(h);
  });

  it('a malformed message is rejected, recorded and acknowledged, not retried forever', async () => {
    const h = setup();
    h.queue.sendRaw('}{ not json', 'garbage');
    h.queue.sendRaw(JSON.stringify({ kind: 'intent', intent: { ...h.intent, quantity: -1 } }), 'negative');
    const { outcomes, failures } = await deliverAll(h);
    expect(failures).toEqual([]);
    expect(outcomes.map((o) => o.kind)).toEqual(['rejected', 'rejected']);
    expect(h.queue.depth).toBe(0);
    expect(h.fx.creates.size).toBe(0);
    for (const o of outcomes) {
      const record = await h.deps.store.getIntent(o.id);
      expect(record).toMatchObject({ kind: 'malformed', status: 'REJECTED' });
    }
    expect(h.bus.events.filter((e) => e.type === 'OrderRejected')).toHaveLength(2);
  });

  it('a risk rejection is recorded with its reasons and published, and nothing is sent', async () => {
    const h = setup();
    await h.queue.send({ kind: 'intent', intent: { ...h.intent, quantity: 0.1 } });
    const { outcomes } = await deliverAll(h);
    expect(outcomes[0]).toMatchObject({ kind: 'rejected' });
    expect((await h.deps.store.getIntent(h.intent.id))?.reasons.join()).toMatch(/exceeds 30 % of equity/);
    expect(h.fx.creates.size).toBe(0);
  });

  it('an outcome that stays unknown is marked UNKNOWN, published, and dead-lettered', async () => {
    const h = setup();
    h.deps.maxAttempts = 2;
    const queue = new MemoryOrderQueue({ clock: { now: () => T0 }, maxReceiveCount: 4 });
    const down = () => {
      throw new ExchangeUnavailable('exchange down');
    };
    h.fx.before.push(down);
    // While the exchange is down, reconciliation cannot tell whether the order exists.
    h.fx.exchange.fetchOrderByClientId = async () => {
      throw new ExchangeUnavailable('exchange down');
    };
    await queue.send(h.message);
    for (let i = 0; i < 6; i++) await drainOnce(queue, h.deps, { visibilityTimeoutS: 0 });
    expect(queue.depth).toBe(0);
    expect(queue.deadLetters.map((d) => JSON.parse(d.body).intent.id)).toEqual([h.intent.id]);
    expect((await h.deps.store.getIntent(h.intent.id))?.status).toBe('UNKNOWN');
    expect(h.bus.events.filter((e) => e.type === 'OrderOutcomeUnknown')).toHaveLength(1);
    expect(h.fx.creates.size).toBe(0);
  });
});

describe('executor position events', () => {
  it('an entry publishes PositionOpened; the reduce-only close of all of it publishes PositionClosed', async () => {
    const h = setup();
    await h.queue.send(h.message);
    await drainOnce(h.queue, h.deps);
    const close = OrderIntentSchema.parse({
      ...h.intent,
      id: `${h.intent.id.slice(0, 30)}close`,
      side: 'sell',
      reduceOnly: true,
    });
    await h.queue.send({ kind: 'intent', intent: close });
    await drainOnce(h.queue, h.deps);
    const events = h.bus.events.filter((e) => e.type === 'PositionOpened' || e.type === 'PositionClosed');
    expect(events).toEqual([
      expect.objectContaining({
        type: 'PositionOpened',
        symbol: 'BTCUSDT',
        side: 'long',
        quantity: 0.01,
        correlationId: h.intent.id,
      }),
      expect.objectContaining({
        type: 'PositionClosed',
        symbol: 'BTCUSDT',
        side: 'long',
        quantity: 0.01,
        correlationId: close.id,
      }),
    ]);
  });
});
