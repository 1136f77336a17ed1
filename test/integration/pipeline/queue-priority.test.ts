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
import { type ExecutorDeps, executeMessage } from '../../../shared/app/execute-intent.ts';
import { makeIntentId, type OrderIntent, OrderIntentSchema } from '../../../shared/domain/order.ts';
import { DEFAULT_RISK_LIMITS } from '../../../shared/domain/risk/limits.ts';
import { ExchangeUnavailable } from '../../../shared/ports/exchange-errors.ts';
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
  const handler = makeExecutorHandler(async () => deps, undefined, undefined, {
    queue: () => queue,
    sleep: async (ms: number) => clock.advance(ms),
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
  return { sim, deps, queue, source, until };
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
