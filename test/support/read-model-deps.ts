// The dashboard's and the webhook's dependencies over the read model on a store, at a fixed instant:
// what the reports read (views no older than a minute, funding an hour); a queue that takes anything.
import { MemoryStateStore } from '../../shared/adapters/memory/state-store.ts';
import type { DashboardDeps } from '../../shared/app/dashboard/deps.ts';
import { ReadModelExchange } from '../../shared/app/read-model.ts';
import type { Config } from '../../shared/config/env.ts';
import { riskLimitsFrom } from '../../shared/domain/risk/limits.ts';

export function readModelDeps(now: number, config: Config, store = new MemoryStateStore()): DashboardDeps {
  const clock = { now: () => now };
  return {
    store,
    clock,
    config,
    limits: riskLimitsFrom(config),
    exchange: new ReadModelExchange(store, clock, { account: 60_000, funding: 3_600_000 }),
    queue: { send: async () => {} } as unknown as DashboardDeps['queue'],
  };
}
