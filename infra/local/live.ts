// The live local runtime: the same wiring as the replay (infra/local/wiring.ts) against a real
// exchange and the wall clock — `npm start -- --exchange binance-testnet` runs it on Binance's demo
// trading through the ccxt adapter. A scheduler fires the entries of infra/schedules.ts at their
// minute (strategy ticks at the hour, per (strategy, symbol) of the assignment; each monitor's one-minute invocation runs
// its inner loop, never two of the same function at once, as EventBridge + reserved concurrency do in
// AWS) and the executor drains the queue every second.

import { DynamoStateStore } from '../../shared/adapters/aws/dynamodb/state-store.ts';
import { MemoryEventBus } from '../../shared/adapters/memory/event-bus.ts';
import { MemoryOrderQueue } from '../../shared/adapters/memory/order-queue.ts';
import type { TickDeps } from '../../shared/app/strategy-tick.ts';
import { VIEW_MAX_AGE_MS } from '../../shared/app/telegram/view-age.ts';
import type { Config } from '../../shared/config/env.ts';
import { strategySymbolPairs } from '../../shared/config/strategy-symbols.ts';
import { riskLimitsFrom } from '../../shared/domain/risk/limits.ts';
import { type Clock, systemClock } from '../../shared/ports/clock.ts';
import type { Exchange } from '../../shared/ports/exchange.ts';
import { SCHEDULES } from '../schedules.ts';
import type { BotMessage } from './bot-api.ts';
import { startDynalite } from './dynalite.ts';
import { localHandlers, localTelegram } from './wiring.ts';

const MINUTE = 60_000;

export interface LiveRuntimeOptions {
  config: Config;
  exchange: Exchange;
  clock?: Clock;
  sleep?: (ms: number) => Promise<void>;
  /** dynalite's data directory (kept across restarts); absent: in memory. */
  dataPath?: string;
  telegram?: false | { infoFile?: string | false; onMessage?: (m: BotMessage) => void };
  /** Errors of scheduled functions (the run goes on: the next minute runs them again). */
  onError?: (fn: string, err: unknown) => void;
}

export async function startLiveRuntime(o: LiveRuntimeOptions) {
  const clock = o.clock ?? systemClock;
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const db = await startDynalite('autocoin-live', o.dataPath ? { path: o.dataPath } : {});
  const bus = new MemoryEventBus();
  const queue = new MemoryOrderQueue({ clock, maxReceiveCount: 5, defaultVisibilityTimeoutS: 30 });
  const deps: TickDeps & { bus: MemoryEventBus } = {
    store: new DynamoStateStore(db.tableName, db.client),
    exchange: o.exchange,
    queue,
    bus,
    clock,
    limits: riskLimitsFrom(o.config),
  };
  const { tick, monitors, drain, context, metrics } = localHandlers(deps, o.config, sleep, (at) =>
    launch('guardian', () => monitors.guardian({ time: new Date(at).toISOString(), wake: true }, context)),
  );
  const telegram = await localTelegram(deps, o.config, VIEW_MAX_AGE_MS, o.telegram);
  const running = new Map<string, Promise<void>>();
  const report = o.onError ?? ((fn, err) => process.stderr.write(`${fn} failed: ${String(err)}\n`));

  /** Run `fn` unless the previous run of the same key is still going (no overlap, as in AWS). */
  function launch(key: string, fn: () => Promise<unknown>): void {
    if (running.has(key)) return;
    const p = fn()
      .then(() => undefined)
      .catch((err) => report(key, err))
      .finally(() => running.delete(key));
    running.set(key, p);
  }

  /** Fire everything the schedule table has due at this minute. */
  function fireMinute(minute: number): void {
    const time = new Date(minute).toISOString();
    for (const entry of SCHEDULES) {
      if ((minute / MINUTE) % entry.rateMinutes !== 0) continue;
      if (entry.fn === 'strategy-tick') {
        if (!o.config.ENABLE_FUTURES) continue;
        for (const { strategy, symbol } of strategySymbolPairs(o.config.assignment))
          launch(`strategy-tick:${strategy}:${symbol}`, () => tick({ strategy, symbol, time }, context));
      } else {
        const handler = monitors[entry.fn];
        launch(entry.fn, () => handler({ time }, context));
      }
    }
  }

  return {
    deps,
    bus,
    metrics,
    telegram,
    fireMinute,
    /** Wait for every scheduled function that is running, then drain the queue. */
    async idle(): Promise<void> {
      while (running.size > 0) await Promise.all([...running.values()]);
      await drain();
    },
    /** Until `shouldStop`: the scheduler at each minute, the executor every second. */
    async run(shouldStop: () => boolean): Promise<void> {
      let nextMinute = Math.floor(clock.now() / MINUTE) * MINUTE + MINUTE;
      while (!shouldStop()) {
        if (clock.now() >= nextMinute) {
          fireMinute(nextMinute);
          nextMinute += MINUTE;
        }
        await drain().catch((err) => report('order-executor', err));
        await sleep(Math.max(0, Math.min(1_000, nextMinute - clock.now())));
      }
      while (running.size > 0) await Promise.all([...running.values()]);
      await drain();
    },
    async stop(): Promise<void> {
      await telegram?.stop();
      await db.stop();
    },
  };
}
