// Production wiring of the ports from the environment: DynamoDB, SQS, EventBridge, Binance through
// ccxt. Used by the Lambda handlers (built once per container, reused on warm starts).
import { DynamoStateStore } from '../adapters/aws/dynamodb/state-store.ts';
import { EmfMetrics } from '../adapters/aws/emf-metrics.ts';
import { EventBridgeBus } from '../adapters/aws/eventbridge/event-bus.ts';
import { SqsOrderQueue } from '../adapters/aws/sqs/order-queue.ts';
import { BinanceExchange } from '../adapters/binance/binance-exchange.ts';
import { withCredentialRefresh } from '../adapters/binance/credential-refresh.ts';
import { binanceCredentials } from '../adapters/binance/credentials.ts';
import { type Config, loadConfig } from '../config/env.ts';
import { riskLimitsFrom } from '../domain/risk/limits.ts';
import { systemClock } from '../ports/clock.ts';
import type { ExecutorDeps } from './execute-intent.ts';
import type { MonitorDeps } from './monitors/position-monitor.ts';
import type { TickDeps } from './strategy-tick.ts';

export { once } from './once.ts';

export async function productionDeps(
  env: Record<string, string | undefined> = process.env,
): Promise<TickDeps & ExecutorDeps & { config: Config }> {
  const config = loadConfig(env);
  const creds = await binanceCredentials(env);
  const testnet = env.BINANCE_TESTNET === 'true';
  return {
    config,
    store: DynamoStateStore.fromEnv(env),
    queue: SqsOrderQueue.fromEnv(env),
    bus: EventBridgeBus.fromEnv(env),
    exchange: withCredentialRefresh(
      (opts) => binanceCredentials(env, opts),
      (c) => new BinanceExchange({ ...c, symbols: config.SYMBOLS, testnet }),
      creds,
    ),
    clock: systemClock,
    limits: riskLimitsFrom(config),
  };
}

/** Monitor dependencies: production ports plus EMF metrics under the function's name. */
export async function monitorDeps(
  fn: string,
  env: Record<string, string | undefined> = process.env,
): Promise<MonitorDeps> {
  const d = await productionDeps(env);
  return { ...d, metrics: new EmfMetrics(fn) };
}
