// A strategy's live pipeline on real local parts, for scenario tests of the tick: the simulated exchange
// replaying the shipped BTCUSDT candles, the in-memory state store and FIFO queue, and the executor.
// One `hour()` = the strategy tick at the current instant, the executor draining the queue, the market
// moving one candle — as the local runtime steps.
import { MemoryEventBus } from '../../shared/adapters/memory/event-bus.ts';
import { MemoryOrderQueue } from '../../shared/adapters/memory/order-queue.ts';
import { MemoryStateStore } from '../../shared/adapters/memory/state-store.ts';
import { SimulatedExchange } from '../../shared/adapters/sim/sim-exchange.ts';
import { Simulator } from '../../shared/adapters/sim/simulator.ts';
import { drainOnce } from '../../shared/app/drain-queue.ts';
import { strategyTick, type TickDeps, type TickResult } from '../../shared/app/strategy-tick.ts';
import { DEFAULT_RISK_LIMITS } from '../../shared/domain/risk/limits.ts';
import type { FundingSeries } from '../../shared/market-data/csv.ts';
import type { OrderQueue } from '../../shared/ports/order-queue.ts';
import type { StateStore } from '../../shared/ports/state-store.ts';
import type { Strategy } from '../../shared/strategies/strategy.ts';
import { monthDataset } from './month-data.ts';

export interface TickWorldOptions {
  startIndex?: number;
  initialSpot?: Record<string, number>;
  /** Replaces the shipped funding history (to make a funding strategy enter and exit on cue). */
  funding?: FundingSeries;
  store?: StateStore;
}

export function tickWorld(o: TickWorldOptions = {}) {
  const ds = monthDataset();
  const sim = new Simulator({
    data: { BTCUSDT: { candles: ds.candles, funding: o.funding ?? ds.funding } },
    startIndex: o.startIndex ?? 200,
    ...(o.initialSpot ? { initialSpot: o.initialSpot } : {}),
  });
  const clock = { now: () => sim.now() };
  const queue = new MemoryOrderQueue({ clock });
  const bus = new MemoryEventBus();
  const deps: TickDeps = {
    store: o.store ?? new MemoryStateStore(),
    exchange: new SimulatedExchange(sim),
    queue,
    bus,
    clock,
    limits: DEFAULT_RISK_LIMITS,
  };
  // biome-ignore lint/suspicious/noExplicitAny: strategies of any parameter type.
  const tick = (strategy: Strategy<any, any>, params: unknown, d: TickDeps = deps): Promise<TickResult> =>
    strategyTick({ strategy, params, symbol: 'BTCUSDT', tickTime: sim.now() }, d);
  /** The executor works through everything queued. */
  async function drain(q: OrderQueue = queue): Promise<void> {
    for (let i = 0; i < 100; i++) {
      const r = await drainOnce(q, deps);
      if (r.failures.length > 0) throw new Error(`executor failed: ${JSON.stringify(r.failures)}`);
      if (r.outcomes.length === 0) return;
    }
    throw new Error('the queue never drained');
  }
  return {
    sim,
    deps,
    queue,
    bus,
    store: deps.store,
    tick,
    drain,
    // biome-ignore lint/suspicious/noExplicitAny: strategies of any parameter type.
    async hour(strategy: Strategy<any, any>, params: unknown): Promise<TickResult> {
      const r = await tick(strategy, params);
      await drain();
      sim.advance();
      return r;
    },
    spot: (asset: string) => sim.ledger.spot.get(asset) ?? 0,
  };
}
export type TickWorld = ReturnType<typeof tickWorld>;

/** Every message waiting in a memory queue, in order, parsed (receives them; the world is done after). */
export async function queuedMessages(queue: MemoryOrderQueue): Promise<unknown[]> {
  const out: unknown[] = [];
  for (;;) {
    const batch = await queue.receive(10, 3_600);
    if (batch.length === 0) return out;
    for (const m of batch) {
      out.push(JSON.parse(m.body));
      await queue.delete(m.receipt);
    }
  }
}
