// The executor Lambda handler with a Lambda SQS FIFO event: Powertools' FIFO processor reports the
// failed record and everything after it as batch item failures, so the order of a group is kept.
import type { Context, SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { makeExecutorHandler } from '../../../functions/order-executor/handler.ts';
import { makeTickHandler, TICK_MAX_LATENESS_MS } from '../../../functions/strategy-tick/handler.ts';
import { maxEventAgeOf } from '../../../infra/aws/constructs/schedules.ts';
import { SCHEDULES } from '../../../infra/schedules.ts';
import { MemoryEventBus } from '../../../shared/adapters/memory/event-bus.ts';
import { MemoryOrderQueue } from '../../../shared/adapters/memory/order-queue.ts';
import { MemoryStateStore } from '../../../shared/adapters/memory/state-store.ts';
import { SimulatedExchange } from '../../../shared/adapters/sim/sim-exchange.ts';
import { Simulator } from '../../../shared/adapters/sim/simulator.ts';
import type { ExecutorDeps } from '../../../shared/app/execute-intent.ts';
import { makeIntentId, OrderIntentSchema } from '../../../shared/domain/order.ts';
import { DEFAULT_RISK_LIMITS } from '../../../shared/domain/risk/limits.ts';
import { ExchangeUnavailable } from '../../../shared/ports/exchange-errors.ts';
import { flat, T0 } from '../../support/candles.ts';
import { faultyExchange } from '../../support/faulty.ts';

function record(messageId: string, body: string) {
  return {
    messageId,
    receiptHandle: `rh-${messageId}`,
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: String(T0),
      SenderId: 'AIDAEXAMPLE',
      ApproximateFirstReceiveTimestamp: String(T0),
      SequenceNumber: '18849496460467696128',
      MessageGroupId: 'account-main',
      MessageDeduplicationId: messageId,
    },
    messageAttributes: {},
    md5OfBody: '0',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:autocoin-orders.fifo',
    awsRegion: 'eu-west-1',
  };
}

const intent = (seq: number) =>
  OrderIntentSchema.parse({
    id: makeIntentId({ source: 'lambda', symbol: 'BTCUSDT', tickTime: T0, sequence: seq }),
    strategy: 'lambda',
    symbol: 'BTCUSDT',
    market: 'futures',
    side: 'buy',
    type: 'market',
    quantity: 0.005,
    leverage: 5,
    marginMode: 'isolated',
    createdAt: T0,
  });

describe('order-executor handler', () => {
  it('places records in order; a failure short-circuits the rest of the batch as item failures', async () => {
    const sim = new Simulator({ data: { BTCUSDT: { candles: flat(3, 60_000) } } });
    const fx = faultyExchange(new SimulatedExchange(sim));
    // A 502 on the create leaves its outcome unknown: no in-invocation retry can resend it before the
    // 30-s lookup window has passed, so the first delivery fails whatever its retry budget.
    fx.before.push(() => {
      throw new ExchangeUnavailable('502 Bad Gateway');
    });
    let now = T0;
    const deps: ExecutorDeps = {
      store: new MemoryStateStore(),
      exchange: fx.exchange,
      bus: new MemoryEventBus(),
      clock: { now: () => now },
      limits: DEFAULT_RISK_LIMITS,
    };
    const handler = makeExecutorHandler(async () => deps, undefined, undefined, { sleep: async () => {} });
    // The first record fails (exchange down); FIFO: the two behind it are not attempted.
    const event = {
      Records: [1, 2, 3].map((i) => record(`m${i}`, JSON.stringify({ kind: 'intent', intent: intent(i) }))),
    } as SQSEvent;
    const r1 = await handler(event, {} as Context);
    expect(r1.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(['m1', 'm2', 'm3']);
    expect(fx.creates.size).toBe(0);
    now += 30_000; // a 502 leaves the outcome unknown: sent again once the lookup missed for 30 s
    const r2 = await handler(event, {} as Context);
    expect(r2.batchItemFailures).toEqual([]);
    expect([...fx.creates.keys()]).toEqual([intent(1).id, intent(2).id, intent(3).id]);
  });

  it('rejects a non-SQS event loudly (a wiring error, not a message to drop)', async () => {
    const handler = makeExecutorHandler(async () => {
      throw new Error('must not build deps');
    });
    await expect(handler({ foo: 1 } as unknown as SQSEvent, {} as Context)).rejects.toThrow(/Records/);
  });
});

/** A tick handler over a flat simulated market (in-memory store and queue). */
function tickSetup() {
  const sim = new Simulator({ data: { BTCUSDT: { candles: flat(400, 60_000) } }, startIndex: 350 });
  const clock = { now: () => sim.now() };
  const queue = new MemoryOrderQueue({ clock });
  const deps = {
    store: new MemoryStateStore(),
    exchange: new SimulatedExchange(sim),
    queue,
    bus: new MemoryEventBus(),
    clock,
    limits: DEFAULT_RISK_LIMITS,
  };
  return { sim, queue, handler: makeTickHandler(async () => deps) };
}

describe('strategy-tick handler', () => {
  it('a tick started past its lateness bound refuses to trade, says why, and enqueues nothing (issue 13, finding 5)', async () => {
    const { sim, queue, handler } = tickSetup();
    const late = new Date(sim.now() - TICK_MAX_LATENESS_MS - 1_000).toISOString();
    const r = await handler({ strategy: 'grid', symbol: 'BTCUSDT', time: late }, {} as Context);
    expect(r).toMatchObject({ kind: 'skipped', reason: expect.stringMatching(/refusing to trade/) });
    expect(queue.depth).toBe(0);
    // Within the bound it runs as usual.
    const onTime = new Date(sim.now() - TICK_MAX_LATENESS_MS + 60_000).toISOString();
    expect((await handler({ strategy: 'grid', symbol: 'BTCUSDT', time: onTime }, {} as Context)).kind).toBe(
      'ticked',
    );
  });

  it("the lateness bound is the schedule's own event-age bound for the tick", () => {
    const tick = SCHEDULES.find((e) => e.fn === 'strategy-tick')!;
    expect(maxEventAgeOf(tick).toMilliseconds()).toBe(TICK_MAX_LATENESS_MS);
  });

  it('aligns the scheduled time to the hour and refuses a bad event', async () => {
    const { sim, handler } = tickSetup();
    const at = new Date(sim.now() + 7 * 60_000).toISOString(); // 7 minutes late
    const r = await handler({ strategy: 'grid', symbol: 'BTCUSDT', time: at }, {} as Context);
    expect(r.kind).toBe('ticked');
    const again = await handler(
      { strategy: 'grid', symbol: 'BTCUSDT', time: new Date(sim.now()).toISOString() },
      {} as Context,
    );
    expect(again.kind).toBe('skipped');
    await expect(
      handler({ strategy: 'martingale', symbol: 'BTCUSDT', time: at }, {} as Context),
    ).rejects.toThrow(/strategy/);
  });
});

describe('order-executor structured logs', () => {
  it('writes one JSON line per message with the intent id as correlation id', async () => {
    const { Logger } = await import('@aws-lambda-powertools/logger');
    const { vi } = await import('vitest');
    const sim = new Simulator({ data: { BTCUSDT: { candles: flat(3, 60_000) } } });
    const deps: ExecutorDeps = {
      store: new MemoryStateStore(),
      exchange: new SimulatedExchange(sim),
      bus: new MemoryEventBus(),
      clock: { now: () => T0 },
      limits: DEFAULT_RISK_LIMITS,
    };
    const lines: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      const handler = makeExecutorHandler(
        async () => deps,
        undefined,
        new Logger({ serviceName: 'order-executor' }),
      );
      await handler(
        { Records: [record('m1', JSON.stringify({ kind: 'intent', intent: intent(42) }))] } as SQSEvent,
        {} as Context,
      );
    } finally {
      spy.mockRestore();
    }
    const logs = lines
      .flatMap((l) => l.split('\n'))
      .filter((l) => l.includes('"correlation_id"'))
      .map((l) => JSON.parse(l));
    expect(logs).toEqual([
      expect.objectContaining({
        level: 'INFO',
        message: 'order message handled',
        service: 'order-executor',
        correlation_id: intent(42).id,
        outcome: 'placed',
        status: 'filled',
      }),
    ]);
  });
});
