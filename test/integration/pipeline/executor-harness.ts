// A harness for executor scenarios: the real simulator behind the fault-injection exchange, the
// in-memory state store and event bus, and a clock the test moves (no sleeping: the executor's
// injectable wait advances it).
import { MemoryEventBus } from '../../../shared/adapters/memory/event-bus.ts';
import { MemoryStateStore } from '../../../shared/adapters/memory/state-store.ts';
import { SimulatedExchange } from '../../../shared/adapters/sim/sim-exchange.ts';
import { Simulator } from '../../../shared/adapters/sim/simulator.ts';
import {
  type ExecutionOutcome,
  type ExecutorDeps,
  executeMessage,
} from '../../../shared/app/execute-intent.ts';
import type { CandleSeries } from '../../../shared/domain/candles.ts';
import type { DomainEvent } from '../../../shared/domain/events.ts';
import { makeIntentId, type OrderIntentInput } from '../../../shared/domain/order.ts';
import { DEFAULT_RISK_LIMITS } from '../../../shared/domain/risk/limits.ts';
import { flat, T0 } from '../../support/candles.ts';
import { faultyExchange } from '../../support/faulty.ts';

export interface HarnessOptions {
  candles?: CandleSeries;
  initialSpot?: Record<string, number>;
  initialWalletUsdt?: number;
}

let seq = 0;

export function executorHarness(o: HarnessOptions = {}) {
  const sim = new Simulator({
    data: { BTCUSDT: { candles: o.candles ?? flat(5, 60_000) } },
    initialWalletUsdt: o.initialWalletUsdt ?? 10_000,
    ...(o.initialSpot ? { initialSpot: o.initialSpot } : {}),
  });
  const fx = faultyExchange(new SimulatedExchange(sim));
  const clock = {
    t: T0,
    now() {
      return this.t;
    },
  };
  const bus = new MemoryEventBus();
  const waits: number[] = [];
  const deps: ExecutorDeps = {
    store: new MemoryStateStore(),
    exchange: fx.exchange,
    bus,
    clock,
    limits: DEFAULT_RISK_LIMITS,
    wait: async (ms: number) => {
      waits.push(ms);
      clock.t += ms;
    },
  };
  /** A raw intent (not parsed: the executor's own schema check is part of what is tested). */
  const intent = (p: Partial<OrderIntentInput> = {}): OrderIntentInput => ({
    id: makeIntentId({ source: 'hardening', symbol: 'BTCUSDT', tickTime: T0, sequence: ++seq }),
    strategy: 'test',
    symbol: 'BTCUSDT',
    market: 'futures',
    side: 'buy',
    type: 'market',
    quantity: 0.01,
    leverage: 5,
    marginMode: 'isolated',
    createdAt: T0,
    ...p,
  });
  const run = (message: unknown): Promise<ExecutionOutcome> => executeMessage(JSON.stringify(message), deps);
  const place = (p: Partial<OrderIntentInput> = {}) => run({ kind: 'intent', intent: intent(p) });
  const closeAll = (id = `close-all-${++seq}`) =>
    run({ kind: 'close_all', id, source: 'telegram', reason: 'emergency close', createdAt: clock.now() });
  const events = <T extends DomainEvent['type']>(type: T) =>
    bus.events.filter((e): e is Extract<DomainEvent, { type: T }> => e.type === type);
  return { sim, fx, clock, bus, deps, waits, intent, run, place, closeAll, events };
}
