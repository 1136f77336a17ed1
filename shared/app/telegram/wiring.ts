// Production wiring of the Telegram webhook: DynamoDB, SQS, EventBridge and the account read model —
// deliberately no exchange client (the bundle test checks that no ccxt reaches this function).
import { DynamoStateStore } from '../../adapters/aws/dynamodb/state-store.ts';
import { EventBridgeBus } from '../../adapters/aws/eventbridge/event-bus.ts';
import { SqsOrderQueue } from '../../adapters/aws/sqs/order-queue.ts';
import { loadConfig } from '../../config/env.ts';
import { riskLimitsFrom } from '../../domain/risk/limits.ts';
import { systemClock } from '../../ports/clock.ts';
import { ReadModelExchange } from '../read-model.ts';
import type { TelegramDeps } from './registry.ts';

/** The position monitor writes every few seconds, the funding monitor hourly: older is stale. */
export const VIEW_MAX_AGE_MS = { account: 2 * 60_000, funding: 3 * 3_600_000 };

export async function telegramDeps(
  env: Record<string, string | undefined> = process.env,
): Promise<TelegramDeps> {
  const config = loadConfig(env);
  const store = DynamoStateStore.fromEnv(env);
  return {
    config,
    store,
    queue: SqsOrderQueue.fromEnv(env),
    bus: EventBridgeBus.fromEnv(env),
    clock: systemClock,
    limits: riskLimitsFrom(config),
    exchange: new ReadModelExchange(store, systemClock, VIEW_MAX_AGE_MS),
  };
}
