// Production wiring of the ports from the environment: DynamoDB, SQS, EventBridge, Binance through
// ccxt. The composition root of the Lambda handlers beside it (built once per container, reused on warm
// starts): it lives here, not in shared/app, so the use cases import ports only (DESIGN §3).
import { DynamoStateStore } from '../shared/adapters/aws/dynamodb/state-store.ts';
import { EmfMetrics } from '../shared/adapters/aws/emf-metrics.ts';
import { EventBridgeBus } from '../shared/adapters/aws/eventbridge/event-bus.ts';
import { eventBridgeGuardianWake } from '../shared/adapters/aws/eventbridge/guardian-wake.ts';
import { SqsOrderQueue } from '../shared/adapters/aws/sqs/order-queue.ts';
import { BinanceExchange } from '../shared/adapters/binance/binance-exchange.ts';
import { withCredentialRefresh } from '../shared/adapters/binance/credential-refresh.ts';
import { binanceCredentials } from '../shared/adapters/binance/credentials.ts';
import type { ExecutorDeps } from '../shared/app/execute-intent.ts';
import type { MonitorDeps } from '../shared/app/monitors/position-monitor.ts';
import type { TickDeps } from '../shared/app/strategy-tick.ts';
import { type Config, loadConfig } from '../shared/config/env.ts';
import { riskLimitsFrom } from '../shared/domain/risk/limits.ts';
import { systemClock } from '../shared/ports/clock.ts';

export { once } from '../shared/app/once.ts';

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
    ...(env.EVENT_BUS_NAME ? { wakeGuardian: eventBridgeGuardianWake(env.EVENT_BUS_NAME) } : {}),
    exchange: withCredentialRefresh(
      (opts) => binanceCredentials(env, opts),
      (c) => new BinanceExchange({ ...c, symbols: config.SYMBOLS, testnet }),
      creds,
    ),
    clock: systemClock,
    limits: riskLimitsFrom(config),
    assignment: config.assignment,
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
