// The executor's real Lambda handler behind the modelled SQS FIFO event source (lambda-sqs.ts), with the
// stack's own settings imported from the constructs that synthesize them: visibility timeout,
// maxReceiveCount, batch size and executor timeout. Over the simulator, on a fake clock.
import { makeExecutorHandler } from '../../functions/order-executor/handler.ts';
import { FUNCTION_SPECS } from '../../infra/aws/constructs/functions.ts';
import {
  EXECUTOR_BATCH_SIZE,
  MAX_RECEIVE_COUNT,
  queueVisibilityTimeout,
} from '../../infra/aws/constructs/queue.ts';
import { MemoryEventBus } from '../../shared/adapters/memory/event-bus.ts';
import { MemoryOrderQueue } from '../../shared/adapters/memory/order-queue.ts';
import { MemoryStateStore } from '../../shared/adapters/memory/state-store.ts';
import { SimulatedExchange } from '../../shared/adapters/sim/sim-exchange.ts';
import { Simulator } from '../../shared/adapters/sim/simulator.ts';
import type { ExecutorDeps } from '../../shared/app/execute-intent.ts';
import { DEFAULT_RISK_LIMITS } from '../../shared/domain/risk/limits.ts';
import { ExchangeUnavailable } from '../../shared/ports/exchange-errors.ts';
import { flat } from './candles.ts';
import { type FakeClock, fifoEventSource } from './lambda-sqs.ts';

export { intent } from './intents.ts';

export const EXECUTOR_TIMEOUT = FUNCTION_SPECS['order-executor'].timeout;

/**
 * The stack's queue and event source over the simulator. `failing(id)` may throw instead of a create
 * or a look-up of that client order id; `down()` makes every exchange call fail while it is true.
 */
export function bench(
  clock: FakeClock,
  failing: (clientOrderId: string) => void = () => {},
  down = () => false,
) {
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

export const status = async (h: ReturnType<typeof bench>, id: string) =>
  (await h.deps.store.getIntent(id))?.status;
