// position-monitor (every 5 s): every open position must have its reduce-only stop on the exchange —
// a missing one is re-created through the queue (never the exchange directly: the executor is the only
// writer) — trailing stops follow the mark in the position's favour only, and its liquidation distance
// is measured, with an alert at the configured thresholds once per cooldown window (sooner when it
// escalates).
import type { Config } from '../../config/env.ts';
import { liquidationDistancePct } from '../../domain/futures-math.ts';
import type { FuturesOrder } from '../../domain/order.ts';
import { makeIntentId, OrderIntentSchema } from '../../domain/order.ts';
import type { FuturesPosition } from '../../domain/position.ts';
import { roundToTick } from '../../domain/precision.ts';
import type { Clock } from '../../ports/clock.ts';
import type { EventBus } from '../../ports/event-bus.ts';
import type { Exchange } from '../../ports/exchange.ts';
import type { MetricsSink } from '../../ports/metrics.ts';
import type { OrderQueue } from '../../ports/order-queue.ts';
import type { StateStore } from '../../ports/state-store.ts';
import { writeAccountView } from '../read-model.ts';
import { alertOncePerWindow } from './alerts.ts';

export interface MonitorDeps {
  exchange: Exchange;
  store: StateStore;
  queue: OrderQueue;
  bus: EventBus;
  clock: Clock;
  metrics: MetricsSink;
  config: Config;
}

interface StopRecord {
  /** Identifies the position the stop protects (a new position starts a new series). */
  positionKey: string;
  generation: number;
  pendingId?: string;
}

const STATE = 'position-monitor';

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
 * Where a trailing stop belongs now: `trailPct` from the mark, rounded to the tick — or undefined when
 * that is not at least one tick better than where it is (it never moves against the position).
 */
export function trailedStopPrice(
  side: 'long' | 'short',
  current: number,
  markPrice: number,
  trailPct: number,
  tickSize: number,
): number | undefined {
  const dir = side === 'long' ? 1 : -1;
  const wanted = roundToTick(markPrice * (1 - (dir * trailPct) / 100), tickSize);
  return (wanted - current) * dir >= tickSize * (1 - 1e-9) ? wanted : undefined;
}

/**
 * Move the position's best trailing stop towards the mark: the replacement is queued first, then the
 * old stop's cancel — which the executor carries out only once the replacement is placed.
 */
async function trail(
  deps: MonitorDeps,
  p: FuturesPosition,
  stops: FuturesOrder[],
  tickSize: number,
  slotTime: number,
): Promise<number | undefined> {
  const dir = p.side === 'long' ? 1 : -1;
  const best = stops
    .filter((o) => o.stopPrice !== undefined)
    .sort((a, b) => (b.stopPrice! - a.stopPrice!) * dir)[0];
  if (!best) return undefined;
  const pct = (await deps.store.getIntent(best.clientOrderId))?.intent?.trailingStopPct;
  if (pct === undefined) return undefined;
  const moved = trailedStopPrice(p.side, best.stopPrice!, p.markPrice, pct, tickSize);
  if (moved === undefined) return undefined;
  const intent = OrderIntentSchema.parse({
    id: makeIntentId({ source: 'position-monitor:trail', symbol: p.symbol, tickTime: slotTime, sequence: 0 }),
    strategy: 'position-monitor',
    symbol: p.symbol,
    market: 'futures',
    side: best.side,
    type: 'stop_market',
    quantity: best.quantity,
    stopPrice: moved,
    reduceOnly: true,
    trailingStopPct: pct,
    leverage: Math.min(125, Math.max(1, p.leverage)),
    marginMode: p.marginMode,
    createdAt: slotTime,
    reason: `trailing stop ${best.stopPrice} → ${moved} (${pct} % from the mark)`,
  });
  await deps.queue.send({ kind: 'intent', intent });
  await deps.queue.send({
    kind: 'cancel',
    id: makeIntentId({
      source: 'position-monitor:trail-cancel',
      symbol: p.symbol,
      tickTime: slotTime,
      sequence: 0,
    }),
    source: 'position-monitor',
    symbol: p.symbol,
    market: 'futures',
    clientOrderId: best.clientOrderId,
    createdAt: slotTime,
    onlyIfPlaced: intent.id,
  });
  deps.metrics.add('TrailingStopMoved', 1, 'Count', { symbol: p.symbol });
  return moved;
}

export async function positionMonitorOnce(
  deps: MonitorDeps,
  slotTime: number,
): Promise<{ restored: string[]; trailed: string[]; alerts: number }> {
  const [positions, orders, markets] = await Promise.all([
    deps.exchange.fetchPositions(),
    deps.exchange.fetchOpenOrders(),
    deps.exchange.loadMarkets(),
  ]);
  const restored: string[] = [];
  const trailed: string[] = [];
  let alerts = 0;
  for (const p of positions) {
    const closeSide = p.side === 'long' ? 'sell' : 'buy';
    const stops = orders.filter(
      (o) => o.symbol === p.symbol && o.type === 'stop_market' && o.reduceOnly && o.side === closeSide,
    );
    const hasStop = stops.length > 0;
    if (hasStop && (await trail(deps, p, stops, markets.futures[p.symbol]?.tickSize ?? 0.01, slotTime))) {
      trailed.push(p.symbol);
    }
    const stored = await deps.store.getStrategyState(STATE, p.symbol);
    const positionKey = `${p.side}:${p.openedAt}:${p.quantity}`;
    let record = (stored?.state as StopRecord | undefined) ?? { positionKey, generation: 0 };
    if (record.positionKey !== positionKey) record = { positionKey, generation: record.generation };
    if (!hasStop) {
      // A replacement already queued and not yet executed is not queued twice.
      const pending = record.pendingId ? await deps.store.getIntent(record.pendingId) : undefined;
      const waiting =
        record.pendingId !== undefined &&
        (pending === undefined || pending.status === 'RECEIVED' || pending.status === 'IN_FLIGHT');
      if (!waiting) {
        const rules = markets.futures[p.symbol];
        const generation = record.generation + 1;
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
          reason: 'protective stop missing: restored by the position monitor',
        });
        await deps.queue.send({ kind: 'intent', intent });
        record = { positionKey, generation, pendingId: intent.id };
        restored.push(p.symbol);
        alerts += await alertOncePerWindow(deps, `stop_missing:${p.symbol}`, {
          type: 'RiskAlert',
          time: slotTime,
          kind: 'stop_missing',
          level: 'warning',
          symbol: p.symbol,
          value: 0,
          threshold: 0,
          message: `${p.symbol} ${p.side} had no stop on the exchange; a reduce-only stop at ${intent.stopPrice} was queued`,
        });
      }
    } else if (record.pendingId) {
      record = { positionKey, generation: record.generation };
    }
    await deps.store.putStrategyState({
      strategy: STATE,
      symbol: p.symbol,
      state: record,
      lastTick: slotTime,
      version: (stored?.version ?? 0) + 1,
    });

    const distance = liquidationDistancePct({
      side: p.side,
      markPrice: p.markPrice,
      liquidationPrice: p.liquidationPrice,
    });
    deps.metrics.add('LiquidationDistancePct', distance, 'Percent', { symbol: p.symbol });
    deps.metrics.add('UnrealizedPnl', p.unrealizedPnl, 'None', { symbol: p.symbol });
    const { LIQUIDATION_DISTANCE_WARN_PCT: warn, LIQUIDATION_DISTANCE_CRITICAL_PCT: critical } = deps.config;
    if (distance < warn) {
      const level = distance < critical ? 'critical' : 'warning';
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
  await writeAccountView(deps, slotTime, { positions, markets });
  deps.metrics.add('Heartbeat', 1, 'Count', { function: 'position-monitor' });
  deps.metrics.add('OpenPositions', positions.length, 'Count');
  deps.metrics.flush();
  return { restored, trailed, alerts };
}
