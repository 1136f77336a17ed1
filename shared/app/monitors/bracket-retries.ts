// A bracket's requests that the exchange or the executor refused, asked again (./brackets-monitor.ts).
// - A leg's cancel: a refused cancel keeps its id, and the queue and the executor drop a repeated id,
//   so asking again under the same one does nothing — and an order of ours left live (a take-profit of
//   a position that is gone) can later open one. Each request is numbered per order; a refused one is
//   asked again under the next number — at the next slot the first time, then once a minute — for as
//   long as the order is listed, with an alert from the second refusal on (repeated once per alert
//   window). A cancel that finds the order gone (Binance -2011, a final status) is DONE in the executor:
//   nothing more. A resized stop's old order is not asked again when its successor was never placed: it
//   still protects the position.
// - A break-even stop: done only once the executor placed it. A refused one leaves the old stop in place
//   and is decided again at the next slot (planBracket, breakEvenDone false), BREAK_EVEN_TRIES at most.
import { bracketLegId } from '../../domain/bracket.ts';
import type { BracketTrack, QueuedCancel } from '../../domain/bracket-plan.ts';
import type { FuturesOrder } from '../../domain/order.ts';
import { alertOncePerWindow } from './alerts.ts';
import { type MonitorDeps, pendingStatus } from './monitor-deps.ts';
import { SUCCESSOR_GIVE_UP_MS } from './stop-successor.ts';

/** Requests for one order sent at the slots' pace (the first and one retry); then one per CANCEL_RETRY_MS. */
export const CANCEL_FAST_REQUESTS = 2;
/** Also how long a request may stay unfinished (queued behind others, dead-lettered) before the next. */
export const CANCEL_RETRY_MS = 60_000;
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
      const next = await nextStep(deps, t, w.clientOrderId, rec, slotTime);
      if (next === 'kept') {
        cancels[w.clientOrderId] = { ...rec, kept: true };
        changed = true;
      }
      if (next !== 'ask') continue;
    }
    const attempt = rec ? rec.attempt + 1 : 0;
    const id = cancelId(t, w, attempt);
    await deps.queue.send({
      kind: 'cancel',
      id,
      source: t.strategy,
      symbol: t.symbol,
      market: 'futures',
      clientOrderId: w.clientOrderId,
      createdAt: slotTime,
      ...(w.onlyIfPlaced !== undefined ? { onlyIfPlaced: w.onlyIfPlaced } : {}),
    });
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

/** The n-th request for an order: attempt 0 keeps the id it always had (a redelivery finds it). */
function cancelId(t: BracketTrack, w: WantedCancel, attempt: number): string {
  const role = `${w.onlyIfPlaced !== undefined ? 'resize-cancel' : 'cancel'}:${w.clientOrderId}`;
  return bracketLegId(t.parentId, attempt === 0 ? role : `${role}:${attempt}`);
}

/**
 * What to do for an order whose latest request is `rec`: ask again when the exchange refused it (at the
 * next slot the first time, then once a minute; alerted from the second refusal), or when it is
 * unfinished — or done while a lagging view still lists the order — after a minute. Keep the order when
 * the executor kept it because its successor was not placed (the old stop protects the position).
 */
async function nextStep(
  deps: MonitorDeps,
  t: BracketTrack,
  clientOrderId: string,
  rec: QueuedCancel,
  slotTime: number,
): Promise<'ask' | 'wait' | 'kept'> {
  if (rec.kept) return 'wait';
  const waited = slotTime - rec.queuedAt;
  const status = await pendingStatus(deps, rec.id);
  if (status !== 'refused') return waited >= CANCEL_RETRY_MS ? 'ask' : 'wait';
  if (rec.onlyIfPlaced !== undefined && (await pendingStatus(deps, rec.onlyIfPlaced)) !== 'done')
    return 'kept';
  if (rec.attempt >= 1) await alertOrphan(deps, t, clientOrderId, rec.attempt + 1, slotTime);
  return rec.attempt + 1 < CANCEL_FAST_REQUESTS || waited >= CANCEL_RETRY_MS ? 'ask' : 'wait';
}

async function alertOrphan(
  deps: MonitorDeps,
  t: BracketTrack,
  order: string,
  refused: number,
  slotTime: number,
): Promise<void> {
  const gone = t.closedAt !== undefined;
  await alertOncePerWindow(deps, `orphan_order:${order}`, {
    type: 'RiskAlert',
    time: slotTime,
    kind: 'orphan_order',
    // A live order of a position that is gone can open a new one; an old stop beside its successor
    // (reduce-only) cannot.
    level: gone ? 'critical' : 'warning',
    symbol: t.symbol,
    value: refused,
    threshold: 2,
    message: gone
      ? `${t.symbol}: ${order}, left by a closed bracket, is still live after ${refused} refused cancels ` +
        'and could open a position. Asked again every minute; cancel it on Binance if this goes on.'
      : `${t.symbol}: the old stop ${order} stays beside its resized successor after ${refused} refused ` +
        'cancels (reduce-only: it cannot open a position). Asked again every minute.',
  });
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

/** What /futures_status says of a bracket's break-even move. */
export function breakEvenState(t: BracketTrack): 'none' | 'moving' | 'done' | 'refused' {
  if (!t.breakEvenDone) return 'none';
  if (t.breakEvenStop) return 'moving';
  return (t.breakEvenRefusals ?? 0) >= BREAK_EVEN_TRIES ? 'refused' : 'done';
}
