// What every monitor runs against: the ports and the configuration.
import type { Config } from '../../config/env.ts';
import type { Clock } from '../../ports/clock.ts';
import type { EventBus } from '../../ports/event-bus.ts';
import type { Exchange } from '../../ports/exchange.ts';
import type { MetricsSink } from '../../ports/metrics.ts';
import type { OrderQueue } from '../../ports/order-queue.ts';
import type { StateStore } from '../../ports/state-store.ts';

export interface MonitorDeps {
  exchange: Exchange;
  store: StateStore;
  queue: OrderQueue;
  bus: EventBus;
  clock: Clock;
  metrics: MetricsSink;
  config: Config;
}

/** An intent or cancel the monitor queued and has not yet seen the executor finish. */
export interface PendingMessage {
  id: string;
  /** The monitor slot that queued it. */
  queuedAt: number;
}

/** Status of a queued message as the executor recorded it: missing = not yet received. */
export type PendingStatus = 'queued' | 'done' | 'refused';

export async function pendingStatus(deps: Pick<MonitorDeps, 'store'>, id: string): Promise<PendingStatus> {
  const r = await deps.store.getIntent(id);
  if (r === undefined || r.status === 'RECEIVED' || r.status === 'IN_FLIGHT') return 'queued';
  return r.status === 'DONE' ? 'done' : 'refused';
}
