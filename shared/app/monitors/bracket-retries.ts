// A bracket's requests that the exchange or the executor refused, asked again (./brackets-monitor.ts).
// - A leg's cancel (the position gone) or a resized stop's old order: asked again under a new id while
//   refused (./cancel-retry.ts), for as long as the order is listed — a take-profit of a position that
//   is gone trades when its price comes. A resized stop's old order is not asked again when its
//   successor was never placed: it still protects the position.
// - A break-even stop: done only once the executor placed it. A refused one leaves the old stop in place
//   and is decided again at the next slot (planBracket, breakEvenDone false), BREAK_EVEN_TRIES at most.
import { bracketLegId } from '../../domain/bracket.ts';
import type { BracketTrack, QueuedCancel } from '../../domain/bracket-plan.ts';
import type { FuturesOrder } from '../../domain/order.ts';
import { alertOncePerWindow } from './alerts.ts';
import { nextCancelStep, queueCancel } from './cancel-retry.ts';
import { type MonitorDeps, pendingStatus } from './monitor-deps.ts';
import { SUCCESSOR_GIVE_UP_MS } from './stop-successor.ts';

/** Break-even stops tried before the old stop is left where it is (with a critical alert). */
export const BREAK_EVEN_TRIES = 3;

/** An order the slot wants gone; `onlyIfPlaced`: a resized stop's old order, once its successor is placed. */
export interface WantedCancel {
  clientOrderId: string;
  onlyIfPlaced?: string;
}

/**
 * Queue the cancels the slot wants — a new one at once, one already asked for only when it was refused
 * or is overdue — plus the retries of resized stops' old orders still listed. Returns the track's new
 * cancel records (those of orders no longer listed dropped), whether they changed (records read back
 * from the store need not keep their key order: compared by content, not as JSON), and the
 * clientOrderIds queued.
 */
export async function requestCancels(
  deps: MonitorDeps,
  t: BracketTrack,
  wanted: readonly WantedCancel[],
  listed: readonly FuturesOrder[],
  slotTime: number,
): Promise<{ cancels: Record<string, QueuedCancel>; changed: boolean; queued: string[] }> {
  const cancels: Record<string, QueuedCancel> = {};
  for (const o of listed) {
    const rec = t.cancels?.[o.clientOrderId];
    if (rec) cancels[o.clientOrderId] = rec;
  }
  let changed = Object.keys(cancels).length !== Object.keys(t.cancels ?? {}).length;
  const all = new Map(wanted.map((w) => [w.clientOrderId, w]));
  for (const [id, rec] of Object.entries(cancels))
    if (rec.onlyIfPlaced !== undefined && !rec.kept && !all.has(id))
      all.set(id, { clientOrderId: id, onlyIfPlaced: rec.onlyIfPlaced });
  const queued: string[] = [];
  for (const w of all.values()) {
    const rec = cancels[w.clientOrderId];
    // A new decision (the first, a new successor, the position gone) is asked for now.
    if (rec && rec.onlyIfPlaced === w.onlyIfPlaced) {
      const next = await nextCancelStep(deps, cancelContext(t), w.clientOrderId, rec, slotTime);
      if (next === 'kept') {
        cancels[w.clientOrderId] = { ...rec, kept: true };
        changed = true;
      }
      if (next !== 'ask') continue;
    }
    const attempt = rec ? rec.attempt + 1 : 0;
    const id = cancelId(t, w, attempt);
    await queueCancel(deps, { id, source: t.strategy, symbol: t.symbol, createdAt: slotTime, ...w });
    cancels[w.clientOrderId] = {
      id,
      attempt,
      queuedAt: slotTime,
      ...(w.onlyIfPlaced !== undefined ? { onlyIfPlaced: w.onlyIfPlaced } : {}),
    };
    queued.push(w.clientOrderId);
    changed = true;
  }
  return { cancels, changed, queued };
}

/** Whose order a retry is about, for its alert: the bracket's position gone makes a leg dangerous. */
function cancelContext(t: BracketTrack): { symbol: string; positionGone: boolean } {
  return { symbol: t.symbol, positionGone: t.closedAt !== undefined };
}

/** The n-th request for an order: attempt 0 keeps the id it always had (a redelivery finds it). */
function cancelId(t: BracketTrack, w: WantedCancel, attempt: number): string {
  const role = `${w.onlyIfPlaced !== undefined ? 'resize-cancel' : 'cancel'}:${w.clientOrderId}`;
  return bracketLegId(t.parentId, attempt === 0 ? role : `${role}:${attempt}`);
}

/**
 * Before the slot's plan: the break-even stop queued earlier, if any. Placed: the move is done. Still
 * queued (up to SUCCESSOR_GIVE_UP_MS): wait. Refused (or never executed): the old stop still protects;
 * alerted, and the move is due again (breakEvenDone false) until BREAK_EVEN_TRIES were refused.
 */
export async function checkBreakEven(
  deps: MonitorDeps,
  t: BracketTrack,
  /** The bracket's position is in the slot's view (gone: its legs are cancelled, no move is due). */
  positionHeld: boolean,
  slotTime: number,
): Promise<BracketTrack> {
  const pending = t.breakEvenStop;
  if (!pending) return t;
  const status = await pendingStatus(deps, pending.id);
  if (status === 'queued' && slotTime - pending.queuedAt < SUCCESSOR_GIVE_UP_MS) return t;
  const next = { ...t };
  delete next.breakEvenStop;
  if (status === 'done' && t.closedAt === undefined && positionHeld) next.breakEvenPlaced = true;
  if (status === 'done' || t.closedAt !== undefined || !positionHeld) return next;
  const refusals = (t.breakEvenRefusals ?? 0) + 1;
  next.breakEvenRefusals = refusals;
  const again = refusals < BREAK_EVEN_TRIES;
  if (again) next.breakEvenDone = false;
  const reason = (await deps.store.getIntent(pending.id))?.reasons[0] ?? 'not executed';
  await alertOncePerWindow(deps, `break_even_refused:${t.parentId}`, {
    type: 'RiskAlert',
    time: slotTime,
    kind: 'break_even_refused',
    level: again ? 'warning' : 'critical',
    symbol: t.symbol,
    value: refusals,
    threshold: BREAK_EVEN_TRIES,
    message: again
      ? `${t.symbol} ${t.side}: the stop's move to break-even was refused (${reason}); the old stop ` +
        'still protects the position. Trying again.'
      : `${t.symbol} ${t.side}: the stop's move to break-even was refused ${refusals} times (${reason}); ` +
        'the old stop stays. Move it by hand if you want break-even.',
  });
  return next;
}

/**
 * What /futures_status says of a bracket's break-even move: 'done' only once a stop at break-even was
 * seen placed — a move not possible at the mark then leaves the stop where it was, and says nothing.
 */
export function breakEvenState(t: BracketTrack): 'none' | 'moving' | 'done' | 'refused' {
  if (t.breakEvenPlaced) return 'done';
  if (!t.breakEvenDone) return 'none';
  if (t.breakEvenStop) return 'moving';
  return (t.breakEvenRefusals ?? 0) >= BREAK_EVEN_TRIES ? 'refused' : 'none';
}
