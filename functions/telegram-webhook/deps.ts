// Production wiring of the Telegram webhook (its composition root, beside the handler): DynamoDB, SQS, EventBridge and the account read model —
// deliberately no exchange client (the bundle test checks that no ccxt reaches this function).
import { DynamoStateStore } from '../../shared/adapters/aws/dynamodb/state-store.ts';
import { EventBridgeBus } from '../../shared/adapters/aws/eventbridge/event-bus.ts';
import { SqsOrderQueue } from '../../shared/adapters/aws/sqs/order-queue.ts';
import { ReadModelExchange } from '../../shared/app/read-model.ts';
import type { TelegramDeps } from '../../shared/app/telegram/registry.ts';
import { VIEW_MAX_AGE_MS } from '../../shared/app/telegram/view-age.ts';
import { loadConfig } from '../../shared/config/env.ts';
import { riskLimitsFrom } from '../../shared/domain/risk/limits.ts';
import { systemClock } from '../../shared/ports/clock.ts';
import { dashboardLinkFromEnv } from '../dashboard/link.ts';

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
    ...dashboardLinkFromEnv(env),
  };
}
