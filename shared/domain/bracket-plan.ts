// The bracket's one-cancels-the-other rule, as a pure decision the live position monitor
// (shared/app/monitors/brackets-monitor.ts) and the simulator (shared/adapters/sim/brackets.ts) both
// take once per slot:
//  - the position the bracket protects is gone (its stop or its last take-profit filled, or it was
//    closed otherwise) → cancel every leg still open;
//  - it shrank (a take-profit filled, fully or partly) → resize the stop to what is left, moved to
//    break-even after the first take-profit when the bracket says so. The new stop is placed BEFORE the
//    old one is cancelled (the cancel runs only once the new stop is placed): cancelling first would
//    leave the position bare between the two — and for good, should the new stop then be refused. Two
//    reduce-only stops for a moment are harmless: reduce-only orders can never open or flip a position.
import { bracketLegId, firstLegIds } from './bracket.ts';
import type { OrderIntent } from './order.ts';
import { floorToStep, roundToTick } from './precision.ts';

const EPS = 1e-9;
const MAX_STOP_IDS = 16;

/** What the monitor remembers about one bracket between slots. */
export interface BracketTrack {
  parentId: string;
  symbol: string;
  /** The owner of the entry: every leg and resize is booked to it. */
  strategy: string;
  side: 'long' | 'short';
  /** The position's quantity when last seen (the entry's filled quantity before that). */
  quantity: number;
  /** The position's openedAt when first seen (shown only: on Binance it moves at every change). */
  openedAt?: number;
  /** Leg ids placed for it: the first stop, the take-profits and every resized stop. */
  legIds: string[];
  /** Other close-side stops seen protecting its position (a restored or trailed stop). */
  stopIds: string[];
  /** Resizes so far (the n-th resize's id is bracketLegId(parentId, `stop:n`)). */
  resizes: number;
  breakEvenAfterFirst: boolean;
  /**
   * True once the break-even move has been decided (moved, or not possible at the price then); false —
   * set by the live monitor only — when the stop it queued was refused: the move is due again.
   */
  breakEvenDone?: boolean;
  /** The slot that first found the position gone. */
  closedAt?: number;
  registeredAt: number;
  // Kept by the live monitor only (shared/app/monitors/bracket-retries.ts); the backtester never sets them.
  /** Cancels queued for its orders, by the clientOrderId cancelled: asked again while refused. */
  cancels?: Record<string, QueuedCancel>;
  /** The break-even stop queued and not yet seen placed: the move is done only once it is. */
  breakEvenStop?: { id: string; queuedAt: number };
  /** Break-even stops refused so far. */
  breakEvenRefusals?: number;
  /**
   * A stop at break-even was seen placed (breakEvenDone alone is also true when the move was not
   * possible at the mark then, and the stop stayed where it was).
   */
  breakEvenPlaced?: boolean;
}

/** A cancel the live monitor queued: its latest request (attempt n has its own id). */
export interface QueuedCancel {
  /** The request's id (the queue's deduplication id and the executor's intent record). */
  id: string;
  attempt: number;
  queuedAt: number;
  /** Only once this successor stop is placed (a resized stop's old order). */
  onlyIfPlaced?: string;
  /** Refused because its successor was never placed: the order stays, nothing is asked again. */
  kept?: boolean;
}

export interface PlanPosition {
  side: 'long' | 'short';
  quantity: number;
  entryPrice: number;
  markPrice: number;
  openedAt: number;
}

export interface PlanOrder {
  clientOrderId: string;
  type: string;
  side: 'buy' | 'sell';
  reduceOnly: boolean;
  quantity: number;
  stopPrice?: number | undefined;
}

export interface StopResize {
  /** The stop being replaced. */
  fromId: string;
  /** Its successor's id: bracketLegId(parentId, `stop:<n>`). */
  id: string;
  quantity: number;
  stopPrice: number;
  /** The stop is moved to the entry price (break-even). */
  breakEven: boolean;
}

export interface BracketPlan {
  track: BracketTrack;
  /** Open orders to cancel (the position is gone). */
  cancels: string[];
  resize?: StopResize;
  /** Nothing of it is left to watch: forget it. */
  done: boolean;
}

/**
 * One slot's decision. `open` is the symbol's open orders; `legsSettled` says every leg queued for the
 * bracket has been executed or refused (none can still appear on the book).
 */
export function planBracket(p: {
  track: BracketTrack;
  position: PlanPosition | undefined;
  open: readonly PlanOrder[];
  legsSettled: boolean;
  stepSize: number;
  tickSize: number;
  slotTime: number;
}): BracketPlan {
  const t = copyTrack(p.track);
  const pos = p.position;
  // Not openedAt: on Binance it is positionRisk.updateTime (ccxt: timestamp), which moves at every change
  // of the position — a partial take-profit included — so it cannot tell another position from this one.
  const alive = t.closedAt === undefined && pos !== undefined && pos.side === t.side;
  if (!alive || !pos) {
    // Never yet seen with its position and registered after this slot's view was taken (the view is
    // fetched at or after slotTime): the view may predate the entry's fill — not a verdict.
    if (t.closedAt === undefined && t.openedAt === undefined && t.registeredAt >= p.slotTime)
      return { track: t, cancels: [], done: false };
    t.closedAt ??= p.slotTime;
    const known = new Set([...t.legIds, ...t.stopIds]);
    const cancels = p.open.filter((o) => known.has(o.clientOrderId)).map((o) => o.clientOrderId);
    return { track: t, cancels, done: cancels.length === 0 && p.legsSettled };
  }
  t.openedAt ??= pos.openedAt;
  const stops = noteCloseStops(t, p.open);
  const shrank = pos.quantity < t.quantity - p.stepSize * (1 - EPS);
  t.quantity = pos.quantity;
  // A break-even stop that was refused (breakEvenDone false) is decided again without a new shrink.
  if (!shrank && t.breakEvenDone !== false) return { track: t, cancels: [], done: false };

  const dir = t.side === 'long' ? 1 : -1;
  // The stop that protects most: nearest the mark, then the largest (as the position monitor picks it).
  const best = [...stops].sort((a, b) => (b.stopPrice! - a.stopPrice!) * dir || b.quantity - a.quantity)[0];
  if (!best) return { track: t, cancels: [], done: false }; // bare: the position monitor restores a stop
  let stopPrice = best.stopPrice!;
  let breakEven = false;
  if (t.breakEvenAfterFirst && !t.breakEvenDone) {
    const level = roundToTick(pos.entryPrice, p.tickSize);
    // Only where it would not trigger at once (Binance refuses such a stop: -2021).
    breakEven = (level - stopPrice) * dir > 0 && (pos.markPrice - level) * dir > 0;
    if (breakEven) stopPrice = level;
    t.breakEvenDone = true;
  }
  const quantity = floorToStep(pos.quantity, p.stepSize);
  const sameSize = Math.abs(best.quantity - quantity) < p.stepSize * EPS;
  if ((sameSize && stopPrice === best.stopPrice) || !(quantity > 0))
    return { track: t, cancels: [], done: false };
  t.resizes += 1;
  const id = bracketLegId(t.parentId, `stop:${t.resizes}`);
  t.legIds.push(id);
  return {
    track: t,
    cancels: [],
    resize: { fromId: best.clientOrderId, id, quantity, stopPrice, breakEven },
    done: false,
  };
}

/**
 * { ...track, legIds: [...track.legIds], stopIds: [...track.stopIds] }: the same own properties in the
 * same order. Made by Object.assign rather than a spread: V8 (Node 20) takes microseconds to add a
 * property (openedAt, closedAt, breakEvenDone) to a spread's copy, a tenth of that to Object.assign's.
 * The two differ only for an own key named __proto__, which a spread defines and Object.assign sets
 * (changing the copy's prototype): never a track's, but then the spread, as before.
 */
function copyTrack(track: BracketTrack): BracketTrack {
  const t: BracketTrack = Object.hasOwn(track, '__proto__') ? { ...track } : Object.assign({}, track);
  t.legIds = [...track.legIds];
  t.stopIds = [...track.stopIds];
  return t;
}

/**
 * Note the close-side stops on the book the track does not know yet (a restored or trailed stop) into
 * its stopIds, in place; returns every close-side stop on the book.
 */
export function noteCloseStops(t: BracketTrack, open: readonly PlanOrder[]): PlanOrder[] {
  const closeSide = t.side === 'long' ? 'sell' : 'buy';
  const stops = open.filter((o) => isCloseStop(o, closeSide));
  for (const s of stops) if (!knows(t, s.clientOrderId)) t.stopIds.push(s.clientOrderId);
  // A stop trailed every slot gets a new id each time: the ids of long-gone ones need not be kept.
  if (t.stopIds.length > MAX_STOP_IDS) t.stopIds.splice(0, t.stopIds.length - MAX_STOP_IDS);
  return stops;
}

/**
 * Whether the track, as a plan returned it, has seen its position alive (openedAt set, closedAt not —
 * the dead path sets closedAt or returns before openedAt is ever set), has no refused break-even move
 * due again (breakEvenDone false: set by the live monitor only), and `position` still has the side
 * and the quantity that plan saw. Then planBracket's next plan takes its alive path, finds nothing shrunk
 * (it compares the quantity with itself: false for any step ≥ 0) and returns no cancel, no resize and
 * the track with only noteCloseStops applied — the mark, the entry price, the tick size, the slot time
 * and the position's openedAt are not read. The backtester takes that shortcut
 * (shared/adapters/sim/brackets.ts); the live monitor plans every slot.
 */
export function positionAsSeen(track: BracketTrack, position: { side: string; quantity: number }): boolean {
  return (
    track.closedAt === undefined &&
    track.breakEvenDone !== false &&
    track.openedAt !== undefined &&
    position.side === track.side &&
    position.quantity === track.quantity
  );
}

/** A reduce-only stop on the close side: one that protects the position (a leg or not). */
export function isCloseStop(o: PlanOrder, closeSide: 'buy' | 'sell'): boolean {
  return o.type === 'stop_market' && o.reduceOnly && o.side === closeSide && o.stopPrice !== undefined;
}

export function knows(t: BracketTrack, clientOrderId: string): boolean {
  return t.legIds.includes(clientOrderId) || t.stopIds.includes(clientOrderId);
}

/**
 * Whether the track knows every close-side stop of `open`: then noteCloseStops(track, open) pushes no
 * id (so trims none) and changes nothing — with positionAsSeen, planBracket against the same book
 * would return an equal track and do nothing.
 */
export function knowsEveryStop(track: BracketTrack, open: readonly PlanOrder[]): boolean {
  const closeSide = track.side === 'long' ? 'sell' : 'buy';
  for (const o of open) if (isCloseStop(o, closeSide) && !knows(track, o.clientOrderId)) return false;
  return true;
}

/** What starts being watched when a bracketed entry has filled `filledQuantity`. */
export function newBracketTrack(
  entry: OrderIntent,
  filledQuantity: number,
  now: number,
): BracketTrack | undefined {
  const b = entry.bracket;
  if (!b || !(filledQuantity > 0)) return undefined;
  return {
    parentId: entry.id,
    symbol: entry.symbol,
    strategy: entry.strategy,
    side: entry.side === 'buy' ? 'long' : 'short',
    quantity: filledQuantity,
    legIds: [...firstLegIds(entry.id, b.takeProfits.length)],
    stopIds: [],
    resizes: 0,
    breakEvenAfterFirst: b.breakEvenAfterFirst,
    registeredAt: now,
  };
}
