// The strategy tick end to end on real local parts: dynalite state, the in-process FIFO queue, the
// executor, and the simulated exchange replaying the shipped BTCUSDT data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoStateStore } from '../../../shared/adapters/aws/dynamodb/state-store.ts';
import { MemoryEventBus } from '../../../shared/adapters/memory/event-bus.ts';
import { MemoryOrderQueue } from '../../../shared/adapters/memory/order-queue.ts';
import { SimulatedExchange } from '../../../shared/adapters/sim/sim-exchange.ts';
import { Simulator } from '../../../shared/adapters/sim/simulator.ts';
import { drainOnce } from '../../../shared/app/drain-queue.ts';
import { strategyTick, type TickDeps } from '../../../shared/app/strategy-tick.ts';
import { buyAndHold } from '../../../shared/backtest/buy-and-hold.ts';
import { DEFAULT_RISK_LIMITS } from '../../../shared/domain/risk/limits.ts';
import { grid } from '../../../shared/strategies/grid.ts';
import { IntentFactory, type Strategy } from '../../../shared/strategies/strategy.ts';
import { startDynamo } from '../../support/dynalite.ts';
import { Killed, type KillPoint, killSwitch } from '../../support/kill-switch.ts';
import { monthDataset } from '../../support/month-data.ts';
import { tickWorld } from '../../support/tick-world.ts';

let dynamo: Awaited<ReturnType<typeof startDynamo>>;
beforeAll(async () => {
  dynamo = await startDynamo('autocoin-tick');
});
afterAll(async () => {
  await dynamo.stop();
});

async function setup(prefix: string) {
  const ds = monthDataset();
  const sim = new Simulator({
    data: { BTCUSDT: { candles: ds.candles, funding: ds.funding } },
    startIndex: 100,
  });
  const clock = { now: () => sim.now() };
  const store = new DynamoStateStore(await dynamo.newTable(`autocoin-tick-${prefix}`), dynamo.client);
  const queue = new MemoryOrderQueue({ clock });
  const deps: TickDeps = {
    store,
    exchange: new SimulatedExchange(sim),
    queue,
    bus: new MemoryEventBus(),
    clock,
    limits: DEFAULT_RISK_LIMITS,
  };
  return { sim, deps, queue, store, prefix };
}

describe('strategyTick', () => {
  it('enqueues the entry and its stop; the executor places them; a repeated tick enqueues nothing', async () => {
    const h = await setup('a');
    const params = buyAndHold.paramsSchema.parse({});
    const tickTime = h.sim.now();
    const first = await strategyTick({ strategy: buyAndHold, params, symbol: 'BTCUSDT', tickTime }, h.deps);
    expect(first.kind).toBe('ticked');
    expect(h.queue.depth).toBe(2);
    const again = await strategyTick({ strategy: buyAndHold, params, symbol: 'BTCUSDT', tickTime }, h.deps);
    expect(again).toEqual({ kind: 'skipped', reason: expect.stringMatching(/already ran/) });
    expect(h.queue.depth).toBe(2);

    const r = await drainOnce(h.queue, h.deps);
    expect(r.outcomes.map((o) => o.kind)).toEqual(['placed', 'placed']);
    expect(h.sim.ledger.positions.get('BTCUSDT')?.side).toBe('long');
    expect(h.sim.openOrders('BTCUSDT')).toEqual([
      expect.objectContaining({ type: 'stop_market', reduceOnly: true }),
    ]);

    h.sim.advance();
    const next = await strategyTick(
      { strategy: buyAndHold, params, symbol: 'BTCUSDT', tickTime: h.sim.now() },
      h.deps,
    );
    expect(next).toMatchObject({ kind: 'ticked', enqueued: [] });
    // Two writes a tick: the decision with its outbox, then the outbox cleared once sent.
    const record = await h.store.getStrategyState('buy_and_hold', 'BTCUSDT');
    expect(record?.version).toBe(4);
    expect(record?.outbox).toBeUndefined();
  });

  it('pre-checks with the risk engine: an oversized entry is recorded as rejected and never enqueued', async () => {
    const h = await setup('b');
    const params = buyAndHold.paramsSchema.parse({ positionPct: 60 });
    const tickTime = h.sim.now();
    const r = await strategyTick({ strategy: buyAndHold, params, symbol: 'BTCUSDT', tickTime }, h.deps);
    expect(r.kind).toBe('ticked');
    if (r.kind !== 'ticked') return;
    expect(r.enqueued).toEqual([]);
    expect(r.rejected[0]?.reasons.join()).toMatch(/exceeds 30 % of equity/);
    expect((await h.store.getIntent(r.rejected[0]!.id))?.status).toBe('REJECTED');
  });

  it('a moved stop: the successor is queued first and the old one is cancelled only once it is placed', async () => {
    const h = await setup('c');
    const params = buyAndHold.paramsSchema.parse({});
    await strategyTick({ strategy: buyAndHold, params, symbol: 'BTCUSDT', tickTime: h.sim.now() }, h.deps);
    await drainOnce(h.queue, h.deps);
    const old = h.sim.openOrders('BTCUSDT')[0]!;
    const pos = h.sim.ledger.positions.get('BTCUSDT')!;
    h.sim.advance();
    /** Moves the stop to `to` (a price that is not on the tick grid is refused by the pre-check). */
    const mover = (to: number): Strategy =>
      ({
        ...buyAndHold,
        evaluate({ view }: Parameters<Strategy['evaluate']>[0]) {
          const f = new IntentFactory('buy_and_hold', view, { leverage: 5, marginMode: 'isolated' });
          f.add({
            market: 'futures',
            side: 'sell',
            type: 'stop_market',
            quantity: pos.quantity,
            stopPrice: to,
            reduceOnly: true,
          });
          return { intents: f.intents, cancels: [old.clientOrderId], state: {}, notes: [] };
        },
      }) as Strategy;

    // Refused successor: nothing is cancelled, the old stop stays.
    const refused = await strategyTick(
      { strategy: mover(old.stopPrice! + 0.003), params, symbol: 'BTCUSDT', tickTime: h.sim.now() },
      h.deps,
    );
    expect(refused).toMatchObject({ kind: 'ticked', enqueued: [], cancels: [] });
    expect(h.queue.depth).toBe(0);

    h.sim.advance();
    const moved = await strategyTick(
      { strategy: mover(old.stopPrice! + 100), params, symbol: 'BTCUSDT', tickTime: h.sim.now() },
      h.deps,
    );
    if (moved.kind !== 'ticked') throw new Error('not ticked');
    const r = await drainOnce(h.queue, h.deps);
    expect(r.outcomes.map((o) => o.kind)).toEqual(['placed', 'cancelled']); // successor, then the old one
    expect(h.sim.openOrders('BTCUSDT').map((o) => o.stopPrice)).toEqual([old.stopPrice! + 100]);
  });
});

describe('defect 19: on DynamoDB (dynalite), a killed tick re-runs to the same outcome', () => {
  const params = grid.paramsSchema.parse({});
  let tables = 0;
  /** The first grid tick on a fresh dynalite table, killed at `kill`, then run again. */
  async function gridTick(kill: KillPoint) {
    const store = new DynamoStateStore(
      await dynamo.newTable(`autocoin-tick-kill-${tables++}`),
      dynamo.client,
    );
    const w = tickWorld({ startIndex: 200, store });
    const k = killSwitch(w.deps, kill);
    await w.tick(grid, params, k.deps).catch((err) => {
      if (!(err instanceof Killed)) throw err;
    });
    const rerun = await w.tick(grid, params);
    const record = await store.getStrategyState('grid', 'BTCUSDT');
    const depth = w.queue.depth;
    await w.drain();
    const open = w.sim
      .openOrders('BTCUSDT')
      .map((o) => o.clientOrderId)
      .sort();
    return { calls: k.calls, rerun, record, depth, open };
  }

  it('killed after recording its decision, after its first send, before clearing its outbox', async () => {
    const clean = await gridTick(undefined);
    expect(clean.record?.outbox).toBeUndefined();
    expect(clean.depth).toBe(10);
    const putAt = clean.calls.indexOf('store.putStrategyState') + 1;
    const points: KillPoint[] = [
      { at: putAt, when: 'before' },
      { at: putAt, when: 'after' },
      { at: clean.calls.indexOf('queue.send') + 1, when: 'after' },
      { at: clean.calls.lastIndexOf('store.putStrategyState') + 1, when: 'before' },
    ];
    for (const kill of points) {
      const r = await gridTick(kill);
      const where = `killed ${kill?.when} call ${kill?.at} (${clean.calls[(kill?.at ?? 1) - 1]})`;
      expect(r.rerun.kind, where).toBe('ticked');
      expect(r.record?.outbox, where).toBeUndefined();
      expect(r.record?.state, where).toEqual(clean.record?.state);
      expect(r.record?.lastTick, where).toBe(clean.record?.lastTick);
      expect(r.depth, where).toBe(clean.depth);
      expect(r.open, where).toEqual(clean.open);
    }
  }, 120_000);
});
