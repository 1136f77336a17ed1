// The product's handlers wired for one machine — shared by the replay runtime (runtime.ts, simulated
// exchange) and the live runtime (live.ts, Binance demo trading): the strategy-tick, monitor and
// executor Lambda handlers over the given ports, the Telegram endpoint on the read model, and the
// executor's drain of the queue as SQS event batches.
import { makeExecutorHandler } from '../../functions/order-executor/handler.ts';
import { makeTickHandler } from '../../functions/strategy-tick/handler.ts';
import type { MemoryEventBus } from '../../shared/adapters/memory/event-bus.ts';
import { MemoryMetrics } from '../../shared/adapters/memory/metrics.ts';
import { fundingMonitorOnce } from '../../shared/app/monitors/funding-monitor.ts';
import { makeGuardianHandler } from '../../shared/app/monitors/guardian-handler.ts';
import type { MonitorDeps } from '../../shared/app/monitors/monitor-deps.ts';
import { makeMonitorHandler } from '../../shared/app/monitors/monitor-handler.ts';
import { performanceMonitorOnce } from '../../shared/app/monitors/performance-monitor.ts';
import { ReadModelExchange } from '../../shared/app/read-model.ts';
import type { TickDeps } from '../../shared/app/strategy-tick.ts';
import type { TelegramDeps } from '../../shared/app/telegram/registry.ts';
import type { Config } from '../../shared/config/env.ts';
import type { BotMessage } from './bot-api.ts';
import { toSqsEvent } from './sqs-event.ts';
import { startLocalTelegram } from './telegram.ts';

export function localHandlers(
  deps: TickDeps & { bus: MemoryEventBus },
  config: Config,
  /** The monitors' inner-loop sleep (tests of the live runtime pass one that moves a fake clock). */
  sleep?: (ms: number) => Promise<void>,
  /** The executor's wake-up of the guardian after an entry (the live runtime launches it; absent: none). */
  wakeGuardian?: (at: number) => void,
) {
  const tick = makeTickHandler(async () => ({
    ...deps,
    strategyConfigFile: config.STRATEGY_CONFIG_FILE,
    assignment: config.assignment,
  }));
  const metrics = new MemoryMetrics();
  const monitorDeps: MonitorDeps = { ...deps, metrics, config };
  const monitor = (
    name: string,
    interval: (d: MonitorDeps) => number,
    once: (d: MonitorDeps, slot: number) => Promise<unknown>,
  ) => makeMonitorHandler(interval, once, async () => monitorDeps, { name, ...(sleep ? { sleep } : {}) });
  const monitors = {
    guardian: makeGuardianHandler(async () => monitorDeps, sleep ? { sleep } : {}),
    'funding-monitor': monitor(
      'funding-monitor',
      (d) => d.config.FUNDING_MONITOR_INTERVAL_SECONDS,
      fundingMonitorOnce,
    ),
    'performance-monitor': monitor(
      'performance-monitor',
      (d) => d.config.PERFORMANCE_INTERVAL_SECONDS,
      performanceMonitorOnce,
    ),
  } as const;
  const execute = makeExecutorHandler(
    async () => ({
      ...deps,
      assignment: config.assignment,
      ...(wakeGuardian ? { wakeGuardian: async (at: number) => wakeGuardian(at) } : {}),
    }),
    undefined,
    undefined,
    {
      queue: () => deps.queue,
      sleep: sleep ?? (async () => {}),
    },
  );
  const context = {} as Parameters<typeof execute>[1];

  /** Deliver queued messages to the executor handler as SQS events until the queue is quiet. */
  async function drain(): Promise<void> {
    for (let round = 0; round < 50; round++) {
      const messages = await deps.queue.receive(10);
      if (messages.length === 0) return;
      const r = await execute(toSqsEvent(messages, deps.clock.now()), context);
      const failed = new Set(r.batchItemFailures.map((f) => f.itemIdentifier));
      for (const m of messages) if (!failed.has(m.receipt)) await deps.queue.delete(m.receipt);
      // Failed records were handed back (visible again in seconds, in order); other groups go on.
    }
  }
  return { tick, monitors, drain, metrics, context };
}

/** The Telegram endpoint over the read model (views older than `maxAgeMs` are reported stale). */
export async function localTelegram(
  deps: TickDeps & { bus: MemoryEventBus },
  config: Config,
  maxAgeMs: { account: number; funding: number },
  o: false | { infoFile?: string | false; onMessage?: (m: BotMessage) => void } | undefined,
  dashboardLink?: TelegramDeps['dashboardLink'],
) {
  if (o === false) return undefined;
  const telegramDeps: TelegramDeps = {
    store: deps.store,
    exchange: new ReadModelExchange(deps.store, deps.clock, maxAgeMs),
    queue: deps.queue,
    bus: deps.bus,
    clock: deps.clock,
    limits: deps.limits,
    config,
    ...(dashboardLink ? { dashboardLink } : {}),
  };
  return startLocalTelegram({
    deps: telegramDeps,
    bus: deps.bus,
    ...(o?.onMessage ? { onMessage: o.onMessage } : {}),
    ...(o?.infoFile !== undefined ? { infoFile: o.infoFile } : {}),
  });
}
