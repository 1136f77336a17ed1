// The local runtime's path for margin moves: the in-process queue's messages as an SQS FIFO event to
// the executor's real Lambda handler (infra/local/sqs-event.ts, as localHandlers().drain does), over
// the simulated exchange made durable by persistingExchange: a move is saved the moment it is booked.
import { describe, expect, it } from 'vitest';
import { makeExecutorHandler } from '../../../functions/order-executor/handler.ts';
import { persistingExchange } from '../../../infra/local/persisting-exchange.ts';
import { toSqsEvent } from '../../../infra/local/sqs-event.ts';
import { MemoryEventBus } from '../../../shared/adapters/memory/event-bus.ts';
import { MemoryOrderQueue } from '../../../shared/adapters/memory/order-queue.ts';
import { MemoryStateStore } from '../../../shared/adapters/memory/state-store.ts';
import { SimulatedExchange } from '../../../shared/adapters/sim/sim-exchange.ts';
import { Simulator } from '../../../shared/adapters/sim/simulator.ts';
import type { ExecutorDeps } from '../../../shared/app/execute-intent.ts';
import { DEFAULT_RISK_LIMITS } from '../../../shared/domain/risk/limits.ts';
import { flat, T0 } from '../../support/candles.ts';

describe('local runtime: margin moves through the executor handler', () => {
  it('a transfer then an add_margin are executed in order and each saved when booked', async () => {
    const sim = new Simulator({
      data: { BTCUSDT: { candles: flat(5, 60_000) } },
      initialWalletUsdt: 10_000,
      initialSpot: { USDT: 1_000 },
    });
    let saves = 0;
    const exchange = persistingExchange(new SimulatedExchange(sim), () => saves++);
    const clock = { now: () => T0 };
    const queue = new MemoryOrderQueue({ clock });
    const deps: ExecutorDeps = {
      store: new MemoryStateStore(),
      exchange,
      bus: new MemoryEventBus(),
      clock,
      limits: DEFAULT_RISK_LIMITS,
    };
    sim.createOrder({
      clientOrderId: 'ac-short',
      symbol: 'BTCUSDT',
      market: 'futures',
      side: 'sell',
      type: 'market',
      quantity: 0.04,
    });
    const common = {
      source: 'funding_arbitrage',
      symbol: 'BTCUSDT',
      reason: 'protect the short',
      createdAt: T0,
    };
    await queue.send({
      kind: 'transfer',
      id: 'ac-move-1',
      from: 'spot',
      to: 'futures',
      amount: 300,
      ...common,
    });
    await queue.send({ kind: 'add_margin', id: 'ac-move-2', amount: 300, ...common });
    const handler = makeExecutorHandler(async () => deps, undefined, undefined, {
      queue: () => queue,
      sleep: async () => {},
    });
    const messages = await queue.receive(10);
    expect(messages.map((m) => m.groupId)).toEqual([
      'account-main-protect-BTCUSDT-margin',
      'account-main-protect-BTCUSDT-margin',
    ]);
    const r = await handler(toSqsEvent(messages, T0), {} as Parameters<typeof handler>[1]);
    expect(r.batchItemFailures).toEqual([]);
    expect(saves).toBe(2);
    expect(sim.ledger.spot.get('USDT')).toBeCloseTo(700, 9);
    // 0.04 × 60 000 / 5 = 480 opening margin, + 300.
    expect(sim.ledger.positions.get('BTCUSDT')!.isolatedMargin).toBeCloseTo(780, 9);
    expect((await deps.store.getIntent('ac-move-2'))?.status).toBe('DONE');
  });
});
