// What the dashboard reads and does: the Telegram commands' dependencies (the same read model, state
// store, queue and risk limits — one source of truth, one action path), plus what only a page shows.
import type { CandleSeries } from '../../domain/candles.ts';
import type { StateStore } from '../../ports/state-store.ts';
import { type OpenOrdersView, OpenOrdersViewSchema } from '../read-model.ts';
import type { TelegramDeps } from '../telegram/registry.ts';

export interface DashboardDeps extends TelegramDeps {
  /** Candles of a symbol for the trade chart (1 h); absent: the chart says so. */
  candles?: (symbol: string, limit: number) => Promise<CandleSeries>;
  /** Messages waiting in the order queue's dead-letter queue; absent: shown as unknown. */
  deadLetterDepth?: () => Promise<number>;
}

/** A panel's data, or why it is missing (a stale view, a monitor not reporting): the page shows it. */
export type Panel<T> = { ok: true; data: T } | { ok: false; error: string };

export async function panel<T>(load: () => Promise<T>): Promise<Panel<T>> {
  try {
    return { ok: true, data: await load() };
  } catch (err) {
    // The message of an ExchangeUnavailable (stale view) is written for the trader; anything else
    // is named by its class only, so no internal detail reaches the page.
    const e = err instanceof Error ? err : new Error(String(err));
    return { ok: false, error: e.name === 'ExchangeUnavailable' ? e.message : `unavailable (${e.name})` };
  }
}

/** The open orders the position monitor last saw; undefined when it has not written them yet. */
export async function openOrders(store: StateStore): Promise<OpenOrdersView['orders'] | undefined> {
  const v = OpenOrdersViewSchema.safeParse(await store.getView('open-orders'));
  return v.success ? v.data.orders : undefined;
}
