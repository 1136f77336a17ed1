// The monitors' test bench: a simulator over hand-made BTCUSDT candles, a fresh dynalite table, the
// in-process queue and bus, and `order()` — an intent straight through the executor, as if it came
// off the queue.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoStateStore } from '../../shared/adapters/aws/dynamodb/state-store.ts';
import { MemoryEventBus } from '../../shared/adapters/memory/event-bus.ts';
import { MemoryMetrics } from '../../shared/adapters/memory/metrics.ts';
import { MemoryOrderQueue } from '../../shared/adapters/memory/order-queue.ts';
import { SimulatedExchange } from '../../shared/adapters/sim/sim-exchange.ts';
import { Simulator } from '../../shared/adapters/sim/simulator.ts';
import { executeMessage } from '../../shared/app/execute-intent.ts';
import type { MonitorDeps } from '../../shared/app/monitors/position-monitor.ts';
import { loadConfig } from '../../shared/config/env.ts';
import { makeIntentId, type OrderIntentInput, OrderIntentSchema } from '../../shared/domain/order.ts';
import { riskLimitsFrom } from '../../shared/domain/risk/limits.ts';
import { candles } from './candles.ts';

let tables = 0;

export async function monitorHarness(
  dynamo: { client: DynamoDBClient; newTable(name: string): Promise<string> },
  env: Record<string, string>,
  prices: readonly number[],
  opts: { initialSpot?: Record<string, number>; cancelReduceOnlyOnClose?: boolean } = {},
) {
  const sim = new Simulator({
    data: { BTCUSDT: { candles: candles(prices.map((p) => [p, p, p, p] as const)) } },
    initialWalletUsdt: 10_000,
    ...(opts.initialSpot ? { initialSpot: opts.initialSpot } : {}),
    ...(opts.cancelReduceOnlyOnClose === false ? { cancelReduceOnlyOnClose: false } : {}),
  });
  let offset = 0;
  const clock = { now: () => sim.now() + offset };
  const config = loadConfig(env);
  const bus = new MemoryEventBus();
  const metrics = new MemoryMetrics();
  const deps: MonitorDeps = {
    exchange: new SimulatedExchange(sim),
    store: new DynamoStateStore(await dynamo.newTable(`mon-${++tables}`), dynamo.client),
    queue: new MemoryOrderQueue({ clock }),
    bus,
    clock,
    metrics,
    config,
  };
  const exec = { ...deps, limits: riskLimitsFrom(config) };
  let seq = 0;
  /** A futures intent (market, 5x isolated, strategy 'test' unless given) executed now. */
  const order = async (
    p: Pick<OrderIntentInput, 'side' | 'quantity'> &
      Partial<
        Pick<
          OrderIntentInput,
          'type' | 'price' | 'stopPrice' | 'reduceOnly' | 'leverage' | 'trailingStopPct' | 'strategy'
        >
      >,
  ) => {
    const strategy = p.strategy ?? 'test';
    const intent = OrderIntentSchema.parse({
      id: makeIntentId({ source: strategy, symbol: 'BTCUSDT', tickTime: clock.now(), sequence: seq++ }),
      strategy,
      symbol: 'BTCUSDT',
      market: 'futures',
      type: 'market',
      leverage: 5,
      marginMode: 'isolated',
      createdAt: clock.now(),
      ...p,
    });
    return { intent, outcome: await executeMessage(JSON.stringify({ kind: 'intent', intent }), exec) };
  };
  return { sim, deps, exec, bus, metrics, order, advanceClock: (ms: number) => (offset += ms) };
}

/**
 * A 0.04 BTC long with its stop 2 % under the 60,000 entry (58,800), trailing 2 %: the position the
 * trailing-stop tests start from.
 */
export async function longWithTrailingStop(h: Pick<Awaited<ReturnType<typeof monitorHarness>>, 'order'>) {
  await h.order({ side: 'buy', quantity: 0.04 });
  await h.order({
    side: 'sell',
    type: 'stop_market',
    quantity: 0.04,
    stopPrice: 58_800,
    reduceOnly: true,
    trailingStopPct: 2,
  });
}
