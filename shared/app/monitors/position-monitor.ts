// position-monitor (the guardian's per-slot steps, ./guardian.ts; every 5 s while exposed): every open position must have its reduce-only stop on the exchange —
// a missing one is re-created through the queue (never the exchange directly: the executor is the only
// writer; ./stop-restore.ts) — covering the whole position and trailing the mark in the position's
// favour only (./stop-successor.ts), without piling up copies (./redundant-stops.ts). While halted,
// resting entry orders are cancelled (./halt-cancels.ts). Its liquidation distance is measured, with an
// alert at the configured thresholds once per cooldown window (sooner when it escalates); a warning
// (never a critical alert) is not raised while the position's own exchange stop fires before the mark
// comes within LIQUIDATION_DISTANCE_MIN_PCT of liquidation (stopFiresBeforeDanger). Fills of resting
// orders are announced here (./fill-watch-monitor.ts).
import { liquidationDistancePct } from '../../domain/futures-math.ts';
import { writeAccountView } from '../read-model.ts';
import { advancedOrdersSlot } from './advanced-orders.ts';
import { alertOncePerWindow } from './alerts.ts';
import { announceRestingFills } from './fill-watch-monitor.ts';
import { cancelEntriesWhileHalted } from './halt-cancels.ts';
import type { MonitorDeps } from './monitor-deps.ts';
import { cancelRedundantMonitorStops } from './redundant-stops.ts';
import { type RestoreState, restoreStop } from './stop-restore.ts';
import {
  askOldStopGone,
  maintainStop,
  type SuccessorPending,
  sendAgainIfUnseen,
  successorStillPending,
} from './stop-successor.ts';

export type { MonitorDeps } from './monitor-deps.ts';
export { protectiveStopPrice } from './stop-restore.ts';
export { trailedStopPrice } from './stop-successor.ts';

interface StopRecord extends RestoreState {
  /** Identifies the position the stop protects (a new position or size starts a new series). */
  positionKey: string;
  /** The successor of the position's stop (trailed or resized), until it is placed or refused. */
  successor?: SuccessorPending;
}

const STATE = 'position-monitor';

export async function positionMonitorOnce(
  deps: MonitorDeps,
  slotTime: number,
  /**
   * The account view is written on change, not every slot: skipped when what it shows of positions and
   * orders is `viewWrittenFor` (the guardian passes the last one it wrote this minute; the first slot of
   * each invocation writes, so the view is never older than the 2-minute bound the webhook allows).
   */
  o: { viewWrittenFor?: string } = {},
): Promise<{
  restored: string[];
  trailed: string[];
  resized: string[];
  cancelled: string[];
  alerts: number;
  fills: number;
  /** What the guardian's cadence follows: exposure and the closest liquidation (∞ with no position). */
  exposure: { positions: number; openOrders: number; minLiquidationDistancePct: number };
  /** What the view showed of positions and orders when written (or skipped as unchanged). */
  view: string;
}> {
  const [positions, orders, markets] = await Promise.all([
    deps.exchange.fetchPositions(),
    deps.exchange.fetchOpenOrders(),
    deps.exchange.loadMarkets(),
  ]);
  const restored: string[] = [];
  const trailed: string[] = [];
  const resized: string[] = [];
  let alerts = 0;
  let minDistance = Number.POSITIVE_INFINITY;
  for (const p of positions) {
    const closeSide = p.side === 'long' ? 'sell' : 'buy';
    const stops = orders.filter(
      (o) => o.symbol === p.symbol && o.type === 'stop_market' && o.reduceOnly && o.side === closeSide,
    );
    const rules = markets.futures[p.symbol];
    const stored = await deps.store.getStrategyState(STATE, p.symbol);
    const positionKey = `${p.side}:${p.openedAt}:${p.quantity}`;
    const previous = (stored?.state as StopRecord | undefined) ?? { positionKey, generation: 0 };
    let record: StopRecord = { ...previous, positionKey };
    // The record as last written (versioned: a concurrent run's write makes this one fail, unsent).
    let written = { json: JSON.stringify(stored?.state), version: stored?.version ?? 0 };
    const write = async (r: StopRecord) => {
      const json = JSON.stringify(r);
      if (json === written.json) return;
      written = { json, version: written.version + 1 };
      await deps.store.putStrategyState({
        strategy: STATE,
        symbol: p.symbol,
        state: r,
        lastTick: slotTime,
        version: written.version,
      });
    };
    if (stops.length > 0) {
      // Protected: no restore is pending; the stop is moved or grown only with no successor on its way.
      record = { positionKey, generation: previous.generation };
      if (previous.successor && (await successorStillPending(deps, previous.successor, stops, slotTime))) {
        await sendAgainIfUnseen(deps, p.symbol, previous.successor, stops);
        record.successor = await askOldStopGone(deps, p, previous.successor, slotTime);
      } else {
        const dropped = await cancelRedundantMonitorStops(deps, p, stops, rules, slotTime);
        const kept = stops.filter((o) => !dropped.includes(o.clientOrderId));
        // The successor is recorded before it and the old stop's cancel are sent (see maintainStop).
        const change = await maintainStop(deps, p, kept, rules, slotTime, (successor) =>
          write({ ...record, successor }),
        );
        if (change) {
          record.successor = change.successor;
          if (change.trailed) trailed.push(p.symbol);
          if (change.resized) resized.push(p.symbol);
        }
      }
    } else {
      const restore = await restoreStop(
        deps,
        p,
        rules,
        previous,
        previous.positionKey === positionKey,
        slotTime,
      );
      if (restore) {
        record = { positionKey, ...restore.state };
        restored.push(p.symbol);
        alerts += restore.alerts;
      }
    }
    await write(record);

    const distance = liquidationDistancePct({
      side: p.side,
      markPrice: p.markPrice,
      liquidationPrice: p.liquidationPrice,
    });
    minDistance = Math.min(minDistance, distance);
    deps.metrics.add('LiquidationDistancePct', distance, 'Percent', { symbol: p.symbol });
    deps.metrics.add('UnrealizedPnl', p.unrealizedPnl, 'None', { symbol: p.symbol });
    const { LIQUIDATION_DISTANCE_WARN_PCT: warn, LIQUIDATION_DISTANCE_CRITICAL_PCT: critical } = deps.config;
    const level = distance < critical ? 'critical' : 'warning';
    if (distance < warn && (level === 'critical' || !stopFiresBeforeDanger(p, stops, deps.config))) {
      alerts += await alertOncePerWindow(deps, `liquidation_distance:${p.symbol}`, {
        type: 'RiskAlert',
        time: slotTime,
        kind: 'liquidation_distance',
        level,
        symbol: p.symbol,
        value: distance,
        threshold: level === 'critical' ? critical : warn,
        message: `${p.symbol} ${p.side} is ${distance.toFixed(2)} % from liquidation at ${p.liquidationPrice} (${level} under ${level === 'critical' ? critical : warn} %)`,
      });
    }
  }
  // The read model the Telegram webhook shows (after the protection work: a slow write never delays it).
  // The open orders are in it (the dashboard shows each position's stop and take-profits): their price and
  // size are part of what "changed" means.
  const view = JSON.stringify([
    positions.map((p) => [p.symbol, p.side, p.quantity, p.entryPrice, p.leverage, p.marginMode]),
    orders.map((o) => [o.clientOrderId, o.status, o.filledQuantity, o.quantity, o.price, o.stopPrice]),
  ]);
  if (view !== o.viewWrittenFor)
    await writeAccountView(deps, slotTime, { positions, markets, openOrders: orders });
  // After the view: a failing spot listing fails the loop (logged, no heartbeat) without hiding the account.
  const cancelled = await cancelEntriesWhileHalted(deps, orders, slotTime);
  await advancedOrdersSlot(deps, positions, orders, markets, slotTime);
  const fills = await announceRestingFills(deps, orders, slotTime);
  deps.metrics.add('OpenPositions', positions.length, 'Count');
  const exposure = {
    positions: positions.length,
    openOrders: orders.length,
    minLiquidationDistancePct: minDistance,
  };
  return { restored, trailed, resized, cancelled, alerts, fills, exposure, view };
}

/**
 * Whether the position's exchange-side stops (reduce-only, its closing side) cover all of it and trigger
 * while the liquidation price is still at least LIQUIDATION_DISTANCE_MIN_PCT away — the distance the risk
 * engine demands of any order it lets open a position. Such a position is not in the danger the warning
 * is for: its stop closes it first. A gap through the stop is what the critical alert still catches.
 */
export function stopFiresBeforeDanger(
  p: { side: 'long' | 'short'; quantity: number; liquidationPrice: number },
  stops: readonly { quantity: number; stopPrice?: number | undefined }[],
  config: { LIQUIDATION_DISTANCE_MIN_PCT: number },
): boolean {
  if (!(p.liquidationPrice > 0)) return false;
  let covered = 0;
  for (const s of stops) {
    if (s.stopPrice === undefined || !(s.stopPrice > 0)) continue;
    const atStop = liquidationDistancePct({
      side: p.side,
      markPrice: s.stopPrice,
      liquidationPrice: p.liquidationPrice,
    });
    if (atStop >= config.LIQUIDATION_DISTANCE_MIN_PCT) covered += s.quantity;
  }
  return covered >= p.quantity * (1 - 1e-9);
}
