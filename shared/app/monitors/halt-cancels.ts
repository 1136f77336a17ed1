// While trading is halted, no entry order may rest on the exchange: a grid's buy limits would fill on
// the next dip and re-open a position the halt was meant to prevent (issue 12, defect 1). Each loop the
// position monitor queues a cancel for every order that is not reduce-only, futures and spot — once per
// order: a cancel already queued is not queued again; only one the executor refused, or that did not
// finish within a minute, is re-sent (under a new id). Reduce-only stops and take-profits stay.

import type { FuturesOrder } from '../../domain/order.ts';
import { makeIntentId } from '../../domain/order.ts';
import { type MonitorDeps, pendingStatus } from './monitor-deps.ts';

/** A cancel not finished after this long is sent again (the view may lag a done one by a loop or two). */
export const HALT_CANCEL_RETRY_MS = 60_000;

const STATE = 'position-monitor';
const KEY = 'halt-cancels';

interface SentCancel {
  attempt: number;
  queuedAt: number;
}

function cancelId(o: FuturesOrder, haltSince: number, attempt: number): string {
  return makeIntentId({
    source: `position-monitor:halt-cancel:${o.market}:${o.clientOrderId}`,
    symbol: o.symbol,
    tickTime: haltSince,
    sequence: attempt,
  });
}

/**
 * Queue cancels for the entry orders resting while halted. `futuresOrders` are the loop's open futures
 * orders; spot orders are listed per symbol the monitors watch (and per symbol with a futures order).
 * Returns the clientOrderIds a cancel was queued for in this loop.
 */
export async function cancelEntriesWhileHalted(
  deps: MonitorDeps,
  futuresOrders: readonly FuturesOrder[],
  slotTime: number,
): Promise<string[]> {
  const halt = await deps.store.getHalt();
  if (!halt.halted) return [];
  const symbols = [...new Set([...deps.config.SYMBOLS, ...futuresOrders.map((o) => o.symbol)])];
  const spot = (await Promise.all(symbols.map((s) => deps.exchange.fetchOpenOrders(s, 'spot'))))
    .flat()
    .filter((o) => o.market === 'spot');
  const byKey = new Map<string, FuturesOrder>();
  for (const o of [...futuresOrders, ...spot])
    if (!o.reduceOnly) byKey.set(`${o.market}:${o.clientOrderId}`, o);

  const stored = await deps.store.getStrategyState(STATE, KEY);
  const previous = (stored?.state as { since?: number; sent?: Record<string, SentCancel> } | undefined) ?? {};
  const before = previous.since === halt.since ? (previous.sent ?? {}) : {};
  const sent: Record<string, SentCancel> = {};
  const queued: string[] = [];
  for (const [key, o] of byKey) {
    const last = before[key];
    if (last) {
      const status = await pendingStatus(deps, cancelId(o, halt.since, last.attempt));
      if (status !== 'refused' && slotTime - last.queuedAt < HALT_CANCEL_RETRY_MS) {
        sent[key] = last;
        continue;
      }
    }
    const attempt = last ? last.attempt + 1 : 0;
    await deps.queue.send({
      kind: 'cancel',
      id: cancelId(o, halt.since, attempt),
      source: 'position-monitor',
      symbol: o.symbol,
      market: o.market,
      clientOrderId: o.clientOrderId,
      createdAt: slotTime,
    });
    sent[key] = { attempt, queuedAt: slotTime };
    queued.push(o.clientOrderId);
  }
  if (queued.length > 0 || Object.keys(before).length !== Object.keys(sent).length) {
    await deps.store.putStrategyState({
      strategy: STATE,
      symbol: KEY,
      state: { since: halt.since, sent },
      lastTick: slotTime,
      version: (stored?.version ?? 0) + 1,
    });
    deps.metrics.add('HaltEntryCancels', queued.length, 'Count');
  }
  return queued;
}
