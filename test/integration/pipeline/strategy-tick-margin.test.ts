// A strategy's margin actions through the real pipeline: the strategy tick (pre-check, outbox) → the
// in-memory FIFO queue → the executor → the simulated exchange, with the in-memory state store.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MemoryEventBus } from '../../../shared/adapters/memory/event-bus.ts';
import { MemoryOrderQueue } from '../../../shared/adapters/memory/order-queue.ts';
import { MemoryStateStore } from '../../../shared/adapters/memory/state-store.ts';
import { SimulatedExchange } from '../../../shared/adapters/sim/sim-exchange.ts';
import { Simulator } from '../../../shared/adapters/sim/simulator.ts';
import { drainOnce } from '../../../shared/app/drain-queue.ts';
import { executeMessage } from '../../../shared/app/execute-intent.ts';
import { strategyTick, type TickDeps } from '../../../shared/app/strategy-tick.ts';
import type { DomainEvent } from '../../../shared/domain/events.ts';
import { makeIntentId, OrderIntentSchema } from '../../../shared/domain/order.ts';
import { DEFAULT_RISK_LIMITS } from '../../../shared/domain/risk/limits.ts';
import { messageId, type QueueMessage } from '../../../shared/ports/order-queue.ts';
import {
  IntentFactory,
  type MarginAction,
  type Strategy,
  type StrategyInput,
  type StrategyOutput,
} from '../../../shared/strategies/strategy.ts';
import { flat } from '../../support/candles.ts';

type Script = (input: StrategyInput<unknown, unknown>) => Partial<StrategyOutput<unknown>>;

/** A strategy that does what the test scripts, through the same interface as the real ones. */
const scripted = (script: Script): Strategy<unknown, unknown> => ({
  name: 'mover',
  description: 'test strategy',
  paramsSchema: z.unknown(),
  timeframes: ['1h'],
  lookback: () => 1,
  evaluate: (input) => ({ intents: [], cancels: [], state: {}, notes: [], ...script(input) }),
});

let opened = 0;
function world(o: { spotUsdt?: number; price?: number } = {}) {
  const sim = new Simulator({
    data: { BTCUSDT: { candles: flat(20, o.price ?? 60_000) } },
    startIndex: 5,
    initialWalletUsdt: 10_000,
    initialSpot: { USDT: o.spotUsdt ?? 0 },
  });
  const clock = { now: () => sim.now() };
  const queue = new MemoryOrderQueue({ clock });
  const sent: QueueMessage[] = [];
  const recording = Object.assign(Object.create(queue) as MemoryOrderQueue, {
    send: (m: QueueMessage, opts?: { groupId?: string }) => {
      sent.push(m);
      return queue.send(m, opts);
    },
  });
  const bus = new MemoryEventBus();
  const deps: TickDeps = {
    store: new MemoryStateStore(),
    exchange: new SimulatedExchange(sim),
    queue: recording,
    bus,
    clock,
    limits: DEFAULT_RISK_LIMITS,
  };
  const tick = (strategy: Strategy<unknown, unknown>) =>
    strategyTick({ strategy, params: {}, symbol: 'BTCUSDT', tickTime: sim.now() }, deps);
  async function drain() {
    for (let i = 0; i < 20; i++) {
      const r = await drainOnce(queue, deps);
      if (r.failures.length > 0) throw new Error(JSON.stringify(r.failures));
      if (r.outcomes.length === 0) return;
    }
  }
  /** Open an isolated position through the executor, as a strategy's entry would be. */
  async function open(side: 'buy' | 'sell', quantity: number, leverage = 5) {
    const intent = OrderIntentSchema.parse({
      id: makeIntentId({ source: 'opener', symbol: 'BTCUSDT', tickTime: sim.now(), sequence: ++opened }),
      strategy: 'opener',
      symbol: 'BTCUSDT',
      market: 'futures',
      side,
      type: 'market',
      quantity,
      leverage,
      marginMode: 'isolated',
      createdAt: sim.now(),
    });
    const r = await executeMessage(JSON.stringify({ kind: 'intent', intent }), deps);
    if (r.kind !== 'placed') throw new Error(`open failed: ${JSON.stringify(r)}`);
  }
  const position = async () => (await deps.exchange.fetchPositions()).find((p) => p.symbol === 'BTCUSDT');
  const events = <T extends DomainEvent['type']>(type: T) =>
    bus.events.filter((e): e is Extract<DomainEvent, { type: T }> => e.type === type);
  return { sim, deps, sent, tick, drain, open, position, events };
}

describe('strategy tick: margin actions', () => {
  it('sends cancels, then margin moves, then intents; refuses a bad amount and an overdraft with reasons', async () => {
    const w = world({ spotUsdt: 500 });
    await w.open('sell', 0.04);
    const stale = makeIntentId({ source: 'mover', symbol: 'BTCUSDT', tickTime: 1, sequence: 0 });
    const actions: MarginAction[] = [
      { kind: 'transfer', from: 'spot', to: 'futures', amount: 200, reason: 'fund the short' },
      { kind: 'add_margin', amount: Number.NaN, reason: 'bug' },
      { kind: 'add_margin', amount: 150.005, reason: 'short near liquidation' },
      { kind: 'transfer', from: 'spot', to: 'futures', amount: 400, reason: 'more than is left' },
    ];
    const strategy = scripted(({ view }) => {
      const f = new IntentFactory('mover', view, { leverage: 5, marginMode: 'isolated' });
      f.add({
        market: 'futures',
        side: 'buy',
        type: 'stop_market',
        quantity: 0.04,
        stopPrice: 66_000,
        reduceOnly: true,
      });
      return { cancels: [stale], marginActions: actions, intents: f.intents };
    });
    const r = await w.tick(strategy);
    if (r.kind !== 'ticked') throw new Error(r.reason);
    expect(w.sent.map((m) => m.kind)).toEqual(['cancel', 'transfer', 'add_margin', 'intent']);
    // Rounded down to whole cents, never up.
    expect(w.sent[2]).toMatchObject({ kind: 'add_margin', amount: 150 });
    expect(r.marginMoves).toEqual([messageId(w.sent[1]!), messageId(w.sent[2]!)]);
    // 500 USDT in spot, 200 already moved: 300 left for the last transfer of 400.
    expect(r.rejected.map((x) => x.reasons[0])).toEqual([
      'add NaN USDT margin to BTCUSDT refused: the amount must be a finite number of USDT above 0',
      'transfer 400.00 USDT spot → futures (for BTCUSDT) refused: the spot wallet has only 300.00 USDT free',
    ]);
    for (const { id } of r.rejected) expect((await w.deps.store.getIntent(id))?.status).toBe('REJECTED');
    expect(w.events('OrderRejected')).toHaveLength(2);

    const before = (await w.position())!;
    await w.drain();
    const after = (await w.position())!;
    expect(after.isolatedMargin).toBeCloseTo(before.isolatedMargin + 150, 9);
    expect(w.sim.ledger.spot.get('USDT')).toBeCloseTo(300, 9);
    expect(w.events('FundsTransferred')).toHaveLength(1);
    expect(w.events('MarginAdded')).toHaveLength(1);
  });

  it('refuses add_margin without a position and, halted, a transfer out of futures; lets add_margin through a halt', async () => {
    const w = world();
    const ask = scripted(() => ({ marginActions: [{ kind: 'add_margin', amount: 50, reason: 'protect' }] }));
    const flat1 = await w.tick(ask);
    expect(flat1).toMatchObject({
      rejected: [{ reasons: [expect.stringMatching(/no position open on BTCUSDT/)] }],
    });
    w.sim.advance();

    await w.open('buy', 0.04);
    await w.deps.store.setHalt(true, 'daily loss', w.sim.now(), 0);
    const both = scripted(() => ({
      marginActions: [
        { kind: 'add_margin', amount: 50, reason: 'protect' },
        { kind: 'transfer', from: 'futures', to: 'spot', amount: 50, reason: 'take profit out' },
      ],
    }));
    const halted = await w.tick(both);
    if (halted.kind !== 'ticked') throw new Error(halted.reason);
    expect(halted.marginMoves).toHaveLength(1);
    expect(halted.rejected[0]?.reasons[0]).toMatch(/halted/);
    await w.drain();
    expect(w.events('MarginAdded')).toHaveLength(1);
  });

  it('property: a tick emitting add_margin moves the liquidation price away from the mark, by the amount added', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('buy' as const, 'sell' as const),
        fc.integer({ min: 1, max: 5 }), // quantity in 0.01 BTC
        fc.integer({ min: 2, max: 10 }), // leverage
        fc.integer({ min: 100, max: 300_000 }), // amount in cents: 1 … 3 000 USDT
        async (side, hundredths, leverage, cents) => {
          const w = world();
          await w.open(side, hundredths / 100, leverage);
          const before = (await w.position())!;
          const amount = cents / 100;
          await w.tick(scripted(() => ({ marginActions: [{ kind: 'add_margin', amount, reason: 'p' }] })));
          await w.drain();
          const after = (await w.position())!;
          expect(after.isolatedMargin).toBeCloseTo(before.isolatedMargin + amount, 6);
          // Long: the liquidation price falls (or reaches 0, nothing left to liquidate); short: it rises.
          if (side === 'buy') expect(after.liquidationPrice).toBeLessThan(before.liquidationPrice);
          else expect(after.liquidationPrice).toBeGreaterThan(before.liquidationPrice);
        },
      ),
      { numRuns: 25 },
    );
  });
});
