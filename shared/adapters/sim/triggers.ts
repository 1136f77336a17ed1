// Triggers inside one candle: the simulator walks a stated intra-candle path and fires, in the order the
// prices meet them, resting stops, targets, limits and the liquidation price.
//
// Intra-candle path (conservative, stated): open → adverse extreme → favourable extreme → close, where
// adverse is judged for the position held at the candle's start (long: low first; short: high first;
// flat: the extreme nearer the open first). So a stop and a target inside one candle: the stop fills.
//
// Two prices walk that path side by side, leg by leg: the LAST price (the perp's trades) triggers
// stops, targets and limits — Binance's default workingType for STOP_MARKET / TAKE_PROFIT_MARKET is
// CONTRACT_PRICE (USD-M "New Order" endpoint: "workingType: stopPrice triggered by: MARK_PRICE,
// CONTRACT_PRICE. Default CONTRACT_PRICE") — and the MARK price decides liquidation (Binance: "the
// mark price is used to trigger liquidations", USD-M FAQ "What is Mark Price and Price Index"). Both
// move linearly through each leg in the same time, so within a leg an event's moment is its fraction
// of the leg; the earlier fraction happens first. With one price for both, this is the old single walk.
// Spot orders walk the spot candle on their own (nothing on the futures books depends on them).
import type { MarketKind } from '../../domain/order.ts';
import type { SimPosition } from './ledger.ts';
import type { SimOrder } from './order-book.ts';

/** What the walk needs from the simulator; it changes nothing itself. */
export interface TriggerHost {
  openOrders(): Iterable<SimOrder>;
  position(symbol: string): SimPosition | undefined;
  liquidationPrice(position: SimPosition): number;
  /** Fill a resting order the price reached, at `level` (already adjusted for a gap at the open). */
  fire(order: SimOrder, level: number): void;
  /** Liquidate the symbol's position at `level` (a mark price). */
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
  /** Moment within the leg, 0 (its start) to 1 (its end). */
  at: number;
  order?: SimOrder;
}

/**
 * Trade one symbol's futures orders and position through one candle: orders on the last-price `bar`,
 * liquidation on the `mark` bar (the same bar where there is no mark).
 */
export function tradeCandle(host: TriggerHost, symbol: string, bar: CandleBar, mark: CandleBar = bar): void {
  const pos = host.position(symbol);
  const lowFirst = pos ? pos.side === 'long' : bar.open - bar.low <= bar.high - bar.open;
  const first = lowFirst ? bar.low : bar.high;
  const second = lowFirst ? bar.high : bar.low;
  const mFirst = lowFirst ? mark.low : mark.high;
  const mSecond = lowFirst ? mark.high : mark.low;
  walkLeg(host, symbol, 'futures', bar.open, first, mark.open, mFirst, true);
  walkLeg(host, symbol, 'futures', first, second, mFirst, mSecond, false);
  walkLeg(host, symbol, 'futures', second, bar.close, mSecond, mark.close, false);
}

/**
 * False when nothing can fire inside this candle: every resting futures order of the symbol lies outside
 * the last-price candle's range and its position's liquidation price outside the mark candle's range, as
 * nextEvent judges them (a limit traded through, a stop reached or already passed at the open, the
 * liquidation price reached by the mark). The walk would find no event, so the simulator skips it — the
 * backtester's fast path for the many quiet candles. Exact, not a heuristic:
 * test/unit/sim/trigger-skip.property.test.ts holds it against tradeCandle.
 */
export function mayTrigger(
  host: TriggerHost,
  symbol: string,
  bar: CandleBar,
  mark: CandleBar = bar,
): boolean {
  for (const o of host.openOrders()) {
    if (o.symbol !== symbol || o.market !== 'futures') continue;
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
    if (lp > 0 && (pos.side === 'long' ? mark.low <= lp : mark.high >= lp)) return true;
  }
  return false;
}

/** Trade one symbol's resting spot orders through one spot candle (no position, no liquidation). */
export function tradeSpotCandle(host: TriggerHost, symbol: string, bar: CandleBar): void {
  const lowFirst = bar.open - bar.low <= bar.high - bar.open;
  const first = lowFirst ? bar.low : bar.high;
  const second = lowFirst ? bar.high : bar.low;
  walkLeg(host, symbol, 'spot', bar.open, first, Number.NaN, Number.NaN, true);
  walkLeg(host, symbol, 'spot', first, second, Number.NaN, Number.NaN, false);
  walkLeg(host, symbol, 'spot', second, bar.close, Number.NaN, Number.NaN, false);
}

const lerp = (a: number, b: number, t: number) => (t <= 0 ? a : t >= 1 ? b : a + (b - a) * t);

/** Fire every trigger met while the last price goes a → b and the mark ma → mb, in order. */
function walkLeg(
  host: TriggerHost,
  symbol: string,
  market: MarketKind,
  a: number,
  b: number,
  ma: number,
  mb: number,
  atOpen: boolean,
): void {
  let from = a;
  let mFrom = ma;
  for (let guard = 0; guard < 1_000; guard++) {
    const next = nextEvent(host, symbol, market, from, b, mFrom, mb);
    if (!next) return;
    // Read before acting: `next` is nextEvent's one reused answer.
    const { kind, level, at, order } = next;
    if (kind === 'liquidation') {
      host.liquidate(symbol, level);
      from = lerp(from, b, at);
      mFrom = level;
    } else {
      // A trigger already passed at the candle's open (a gap) fills at the open, not at its level.
      host.fire(order!, at === 0 && atOpen ? from : level);
      from = level;
      mFrom = lerp(mFrom, mb, at);
    }
  }
  throw new Error('too many events in one candle leg');
}

/**
 * nextEvent's answer, one object reused for every call: walkLeg reads it before it asks again, and
 * nothing else sees it (a backtest asks once per leg and event: hundreds of thousands of times).
 */
const found: NextEvent = { kind: 'order', level: 0, at: 0, order: undefined };

/**
 * The first trigger met going from a to b (last price) and ma to mb (mark): resting orders of the
 * market and the liquidation price. Ties at one moment: stops and targets first (they exist to pre-empt
 * liquidation), then liquidation, then limits; among orders, the older first. Written without
 * closures or allocation: it runs on every candle in reach of a trigger. The event returned is `found`,
 * good until the next call.
 */
function nextEvent(
  host: TriggerHost,
  symbol: string,
  market: MarketKind,
  a: number,
  b: number,
  ma: number,
  mb: number,
): NextEvent | undefined {
  const up = b >= a;
  const lo = up ? a : b;
  const hi = up ? b : a;
  const span = hi - lo;
  let bestOrder: SimOrder | undefined;
  let bestKind: NextEvent['kind'] | undefined;
  let bestLevel = 0;
  let bestAt = 0;
  let bestRank = 0;
  for (const o of host.openOrders()) {
    if (o.symbol !== symbol || o.market !== market) continue;
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
    const at = span > 0 ? Math.abs(level - a) / span : 0;
    if (bestKind === undefined || at < bestAt || (at === bestAt && rank < bestRank)) {
      bestKind = 'order';
      bestLevel = level;
      bestAt = at;
      bestOrder = o;
      bestRank = rank;
    }
  }
  const pos = market === 'futures' ? host.position(symbol) : undefined;
  if (pos) {
    const lp = host.liquidationPrice(pos);
    const mUp = mb >= ma;
    let level = -1;
    if (lp > 0) {
      if (pos.side === 'long' ? ma <= lp : ma >= lp) level = ma;
      else if (pos.side === 'long' ? !mUp && mb <= lp : mUp && mb >= lp) level = lp;
    }
    if (level >= 0) {
      const mSpan = Math.abs(mb - ma);
      const at = mSpan > 0 ? Math.abs(level - ma) / mSpan : 0;
      if (bestKind === undefined || at < bestAt || (at === bestAt && 1 < bestRank)) {
        bestKind = 'liquidation';
        bestLevel = level;
        bestAt = at;
        bestOrder = undefined;
      }
    }
  }
  if (bestKind === undefined) return undefined;
  found.kind = bestKind;
  found.level = bestLevel;
  found.at = bestAt;
  found.order = bestOrder;
  return found;
}
