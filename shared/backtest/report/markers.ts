// Trade markers for the candlestick chart: entries and exits from the round-trip trades, triggered
// stops from the fills (their order type), liquidations from the simulator's liquidation records.
// Each marker sits on the candle in which it happened (the last candle opening at or before it).
import type { BacktestResult } from '../engine.ts';

export const MARKER_KINDS = ['long', 'short', 'exit', 'stop', 'target', 'liquidation'] as const;
export type MarkerKind = (typeof MARKER_KINDS)[number];

export interface ReportMarker {
  /** Open time of the candle it belongs to, seconds UTC. */
  time: number;
  kind: MarkerKind;
  price: number;
}

/** Index of the last time ≤ t (0 if t is before the first). */
export function barAtOrBefore(time: ArrayLike<number>, t: number): number {
  let lo = 0;
  let hi = time.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (time[mid]! <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export function markersOf(r: BacktestResult): ReportMarker[] {
  const ct = r.candles.time;
  if (ct.length === 0) return [];
  const at = (ms: number) => Math.round(ct[barAtOrBefore(ct, ms)]! / 1000);
  const out: ReportMarker[] = [];
  // Closes that a stop, target or liquidation marker already shows: no second "exit" on them.
  const shown = new Set<string>();
  for (const f of r.fills) {
    if (f.market !== 'futures' || f.liquidation) continue;
    const kind =
      f.orderType === 'stop_market' ? 'stop' : f.orderType === 'take_profit_market' ? 'target' : undefined;
    if (!kind) continue;
    shown.add(`${f.symbol}@${f.time}`);
    out.push({
      time: at(f.time),
      kind,
      price: f.price,
    });
  }
  for (const l of r.liquidations) {
    shown.add(`${l.symbol}@${l.time}`);
    out.push({
      time: at(l.time),
      kind: 'liquidation',
      price: l.liquidationPrice,
    });
  }
  for (const t of r.trades) {
    out.push({
      time: at(t.openedAt),
      kind: t.side,
      price: t.entryPrice,
    });
    if (t.openAtEnd || t.liquidated || shown.has(`${t.symbol}@${t.closedAt}`)) continue;
    out.push({
      time: at(t.closedAt),
      kind: 'exit',
      price: t.exitPrice,
    });
  }
  return out.sort((a, b) => a.time - b.time);
}
