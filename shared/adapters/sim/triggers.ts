// Triggers inside one candle: the simulator walks a stated intra-candle path and fires, in the order the
// price meets them, resting stops, targets, limits and the liquidation price.
//
// Intra-candle path (conservative, stated): open → adverse extreme → favourable extreme → close, where
// adverse is judged for the position held at the candle's start (long: low first; short: high first;
// flat: the extreme nearer the open first). So a stop and a target inside one candle: the stop fills.
import type { SimPosition } from './ledger.ts';
import type { SimOrder } from './order-book.ts';

/** What the walk needs from the simulator; it changes nothing itself. */
export interface TriggerHost {
  openOrders(): Iterable<SimOrder>;
  position(symbol: string): SimPosition | undefined;
  liquidationPrice(position: SimPosition): number;
  /** Fill a resting order the price reached, at `level` (already adjusted for a gap at the open). */
  fire(order: SimOrder, level: number): void;
  /** Liquidate the symbol's position at `level`. */
  liquidate(symbol: string, level: number): void;
}

export interface CandleBar {
  open: number;
  high: number;
  low: number;
  close: number;
}

interface NextEvent {
  kind: 'order' | 'liquidation';
  level: number;
  distance: number;
  order?: SimOrder;
}

/** Trade one symbol through one candle along the stated path. */
export function tradeCandle(host: TriggerHost, symbol: string, bar: CandleBar): void {
  const pos = host.position(symbol);
  const lowFirst = pos ? pos.side === 'long' : bar.open - bar.low <= bar.high - bar.open;
  const first = lowFirst ? bar.low : bar.high;
  const second = lowFirst ? bar.high : bar.low;
  walkSegment(host, symbol, bar.open, first, true);
  walkSegment(host, symbol, first, second, false);
  walkSegment(host, symbol, second, bar.close, false);
}

/**
 * False when nothing can fire inside this candle: every resting order of the symbol and its position's
 * liquidation price lie outside the candle's range, as nextEvent judges them (a limit traded through,
 * a stop reached or already passed at the open, the liquidation price reached). The walk would find no
 * event, so the simulator skips it — the backtester's fast path for the many quiet candles. Exact, not a
 * heuristic: test/unit/sim/trigger-skip.property.test.ts holds it against tradeCandle.
 */
export function mayTrigger(host: TriggerHost, symbol: string, bar: CandleBar): boolean {
  for (const o of host.openOrders()) {
    if (o.symbol !== symbol) continue;
    if (o.type === 'limit') {
      if (o.side === 'buy' ? bar.low < o.price! : bar.high > o.price!) return true;
    } else {
      const risesTo = (o.type === 'stop_market') === (o.side === 'buy');
      if (risesTo ? bar.high >= o.stopPrice! : bar.low <= o.stopPrice!) return true;
    }
  }
  const pos = host.position(symbol);
  if (pos) {
    const lp = host.liquidationPrice(pos);
    if (lp > 0 && (pos.side === 'long' ? bar.low <= lp : bar.high >= lp)) return true;
  }
  return false;
}

/** Fire every trigger between a and b in the order the price meets them. */
function walkSegment(host: TriggerHost, symbol: string, a: number, b: number, atOpen: boolean): void {
  let from = a;
  for (let guard = 0; guard < 1_000; guard++) {
    const next = nextEvent(host, symbol, from, b);
    if (!next) return;
    // A trigger already passed at the candle's open (a gap) fills at the open, not at its level.
    const level = next.distance === 0 && atOpen ? from : next.level;
    if (next.kind === 'liquidation') host.liquidate(symbol, next.level);
    else host.fire(next.order!, level);
    from = next.level;
  }
  throw new Error('too many events in one candle segment');
}

/**
 * The first trigger the price meets going from a to b: resting orders and the liquidation price.
 * Ties at one level: stops and targets first (they exist to pre-empt liquidation), then liquidation,
 * then limits; among orders, the older first. Written without closures: it runs on every candle.
 */
function nextEvent(host: TriggerHost, symbol: string, a: number, b: number): NextEvent | undefined {
  const up = b >= a;
  const lo = up ? a : b;
  const hi = up ? b : a;
  let best: NextEvent | undefined;
  let bestRank = 0;
  for (const o of host.openOrders()) {
    if (o.symbol !== symbol) continue;
    let level: number;
    let rank: number;
    if (o.type === 'limit') {
      const limit = o.price!;
      // "Trades through": strictly beyond the limit, so a touch does not fill (queue position unknown).
      if (!(o.side === 'buy' ? lo < limit : hi > limit)) continue;
      level = Math.min(Math.max(limit, lo), hi);
      rank = 2 + o.seq * 1e-9;
    } else {
      const stop = o.stopPrice!;
      const risesTo = (o.type === 'stop_market') === (o.side === 'buy');
      if (risesTo ? a >= stop : a <= stop) level = a;
      else if (risesTo ? up && hi >= stop : !up && lo <= stop) level = stop;
      else continue;
      rank = o.seq * 1e-9;
    }
    const distance = Math.abs(level - a);
    if (!best || distance < best.distance || (distance === best.distance && rank < bestRank)) {
      best = { kind: 'order', level, distance, order: o };
      bestRank = rank;
    }
  }
  const pos = host.position(symbol);
  if (pos) {
    const lp = host.liquidationPrice(pos);
    let level = -1;
    if (lp > 0) {
      if (pos.side === 'long' ? a <= lp : a >= lp) level = a;
      else if (pos.side === 'long' ? !up && lo <= lp : up && hi >= lp) level = lp;
    }
    if (level >= 0) {
      const distance = Math.abs(level - a);
      if (!best || distance < best.distance || (distance === best.distance && 1 < bestRank)) {
        best = { kind: 'liquidation', level, distance };
      }
    }
  }
  return best;
}
