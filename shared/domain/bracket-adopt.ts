// A resize whose slot crashed after its sends, before its bracket write (live monitor only: the
// backtester never stops mid-slot). That slot queued the stop's successor bracketLegId(parentId,
// `stop:<resizes + 1>`) and the old stop's cancel; if the cancel was then refused, the only record of it
// was the write that never happened. The next plan, from the old record, finds the successor on the book
// as the best stop, already fitting the position, decides nothing, and the old stop would stay beside it
// until the position closes. So before the plan, a successor found placed is taken into the record (the
// resize it came from is counted: the next resize gets the next id, as if the write had happened), and
// the bracket's own stops it supersedes — at or below it, while it covers the whole position — are
// cancelled, only once it is placed (it is listed: the executor's onlyIfPlaced check passes).
import { bracketLegId } from './bracket.ts';
import { type BracketTrack, isCloseStop, knows, type PlanOrder } from './bracket-plan.ts';
import { floorToStep, roundToTick } from './precision.ts';

const EPS = 1e-9;

export interface AdoptedResize {
  /** The track with the successor counted (the same object when nothing was found). */
  track: BracketTrack;
  /** The successor found on the book, if any: the cancels below run only once it is placed. */
  successor?: string;
  /** The bracket's stops it supersedes, to cancel (and to leave out of the slot's plan). */
  superseded: string[];
}

export function adoptPlacedResize(p: {
  track: BracketTrack;
  position: { side: 'long' | 'short'; quantity: number; entryPrice: number } | undefined;
  open: readonly PlanOrder[];
  stepSize: number;
  tickSize: number;
}): AdoptedResize {
  const t0 = p.track;
  const id = bracketLegId(t0.parentId, `stop:${t0.resizes + 1}`);
  const placed = p.open.find((o) => o.clientOrderId === id);
  if (!placed || t0.legIds.includes(id)) return { track: t0, superseded: [] };
  const t: BracketTrack = {
    ...t0,
    resizes: t0.resizes + 1,
    legIds: [...t0.legIds, id],
    stopIds: t0.stopIds.filter((s) => s !== id),
  };
  const pos = p.position;
  // The position gone: the plan cancels every leg still open, this one now included.
  if (t.closedAt !== undefined || !pos || pos.side !== t.side)
    return { track: t, successor: id, superseded: [] };
  const closeSide = t.side === 'long' ? 'sell' : 'buy';
  const dir = t.side === 'long' ? 1 : -1;
  if (!isCloseStop(placed, closeSide)) return { track: t, successor: id, superseded: [] };
  const level = roundToTick(pos.entryPrice, p.tickSize);
  // The crashed slot's move to break-even, seen placed (as checkBreakEven would have recorded it).
  if (t.breakEvenAfterFirst && placed.stopPrice === level) {
    t.breakEvenDone = true;
    t.breakEvenPlaced = true;
  }
  // Only a successor that covers the whole position supersedes anything (one sized for less leaves the
  // old stops as they are: more protection, never less).
  if (placed.quantity < floorToStep(pos.quantity, p.stepSize) - p.stepSize * EPS)
    return { track: t, successor: id, superseded: [] };
  const superseded = p.open
    .filter(
      (o) =>
        o.clientOrderId !== id &&
        knows(t, o.clientOrderId) &&
        isCloseStop(o, closeSide) &&
        (o.stopPrice! - placed.stopPrice!) * dir <= 0,
    )
    .map((o) => o.clientOrderId);
  return { track: t, successor: id, superseded };
}
