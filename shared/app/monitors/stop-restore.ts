// Restoring a missing stop: a reduce-only stop for the whole position, queued (the executor is the only
// writer). A restore already queued is waited for — but only for a bound: one that the executor never
// finished (dead-lettered while IN_FLIGHT, lost) is re-issued under a new id, with a critical alert,
// and the stuck one is cancelled should it ever be placed after its successor (issue 12, defect 5).
import { makeIntentId, OrderIntentSchema } from '../../domain/order.ts';
import type { FuturesPosition } from '../../domain/position.ts';
import { roundToTick } from '../../domain/precision.ts';
import type { FuturesMarket } from '../../ports/exchange.ts';
import { alertOncePerWindow } from './alerts.ts';
import { type MonitorDeps, pendingStatus } from './monitor-deps.ts';

/** Loops a queued restore may take before it is re-issued. */
export const RESTORE_WAIT_LOOPS = 2;

export interface RestoreState {
  generation: number;
  pendingId?: string;
  /** The slot that queued `pendingId` (absent in records written before the bound existed: stale). */
  pendingSince?: number;
}

/** Where a replacement stop goes: halfway from the mark to the liquidation price (or half the margin). */
export function protectiveStopPrice(p: FuturesPosition, tickSize: number): number {
  const dir = p.side === 'long' ? 1 : -1;
  const level =
    p.liquidationPrice > 0
      ? p.markPrice + (p.liquidationPrice - p.markPrice) / 2
      : p.markPrice * (1 - (dir * 0.5) / p.leverage);
  return roundToTick(level, tickSize);
}

/**
 * Queue a stop for a position that has none, unless one queued within the bound is still on its way.
 * `samePosition` false (the position changed since the pending restore was sized) re-issues at once.
 * Returns the new state and the alerts raised, or undefined when it waited.
 */
export async function restoreStop(
  deps: MonitorDeps,
  p: FuturesPosition,
  rules: FuturesMarket | undefined,
  state: RestoreState,
  samePosition: boolean,
  slotTime: number,
): Promise<{ state: RestoreState; alerts: number } | undefined> {
  const boundMs = RESTORE_WAIT_LOOPS * deps.config.POSITION_MONITOR_INTERVAL_SECONDS * 1000;
  const prior = state.pendingId;
  const priorQueued = prior !== undefined && (await pendingStatus(deps, prior)) === 'queued';
  const overdue = slotTime - (state.pendingSince ?? 0) >= boundMs;
  if (priorQueued && samePosition && !overdue) return undefined;

  const closeSide = p.side === 'long' ? 'sell' : 'buy';
  const generation = state.generation + 1;
  const intent = OrderIntentSchema.parse({
    id: makeIntentId({
      source: 'position-monitor:stop',
      symbol: p.symbol,
      tickTime: p.openedAt,
      sequence: generation,
    }),
    strategy: 'position-monitor',
    symbol: p.symbol,
    market: 'futures',
    side: closeSide,
    type: 'stop_market',
    quantity: p.quantity,
    stopPrice: protectiveStopPrice(p, rules?.tickSize ?? 0.01),
    reduceOnly: true,
    leverage: Math.min(125, Math.max(1, p.leverage)),
    marginMode: p.marginMode,
    createdAt: slotTime,
    reason: priorQueued
      ? `protective stop missing: restore ${prior} not executed; re-issued by the position monitor`
      : 'protective stop missing: restored by the position monitor',
  });
  await deps.queue.send({ kind: 'intent', intent });
  if (priorQueued) {
    // The stuck restore, if it ever executes after this one, would be a second stop: cancel it then.
    await deps.queue.send({
      kind: 'cancel',
      id: makeIntentId({
        source: 'position-monitor:stop-cancel',
        symbol: p.symbol,
        tickTime: p.openedAt,
        sequence: generation,
      }),
      source: 'position-monitor',
      symbol: p.symbol,
      market: 'futures',
      clientOrderId: prior,
      createdAt: slotTime,
      onlyIfPlaced: intent.id,
    });
  }
  const stuck = priorQueued && samePosition;
  const alerts = await alertOncePerWindow(deps, `stop_missing:${p.symbol}`, {
    type: 'RiskAlert',
    time: slotTime,
    kind: 'stop_missing',
    // A restore that did not execute within its bound escalates, so the alert repeats inside the window.
    level: stuck ? 'critical' : 'warning',
    symbol: p.symbol,
    value: 0,
    threshold: 0,
    message: stuck
      ? `${p.symbol} ${p.side} still has no stop: the restore queued ${Math.round((slotTime - (state.pendingSince ?? 0)) / 1000)} s ago was not executed; a new reduce-only stop at ${intent.stopPrice} was queued`
      : `${p.symbol} ${p.side} had no stop on the exchange; a reduce-only stop at ${intent.stopPrice} was queued`,
  });
  return { state: { generation, pendingId: intent.id, pendingSince: slotTime }, alerts };
}
