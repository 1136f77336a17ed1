// Brackets (OCO) each position-monitor slot: Binance USD-M has no native one-cancels-the-other, so a
// bracket's stop and take-profits are independent reduce-only orders that this monitor links. Per
// watched bracket (../bracket-book.ts) it takes the decision of shared/domain/bracket-plan.ts — the
// position gone: cancel its open legs; the position shrunk by a take-profit: resize the stop (new stop
// first, the old one's cancel only once the new one is placed) — and carries it out through the queue
// and the executor, like every order. Every message id is derived from the entry's id, the resize's
// number or the order cancelled and the request's number, so a slot that runs twice (crash before its
// state write, a redelivered schedule) sends the same messages again and the queue and executor drop
// the repeats. What was refused is asked again under a new id (./bracket-retries.ts). A successor whose
// slot died before its write — so the record never learnt of it, nor of the old stop's cancel — is taken
// into the record when found placed, and the stops it supersedes cancelled (../../domain/bracket-adopt.ts).
import { adoptPlacedResize } from '../../domain/bracket-adopt.ts';
import {
  type BracketTrack,
  planBracket,
  type QueuedCancel,
  type StopResize,
} from '../../domain/bracket-plan.ts';
import type { FuturesOrder } from '../../domain/order.ts';
import { OrderIntentSchema } from '../../domain/order.ts';
import type { FuturesPosition } from '../../domain/position.ts';
import type { Markets } from '../../ports/exchange.ts';
import { bracketTracks, changeBrackets } from '../bracket-book.ts';
import { checkBreakEven, requestCancels, type WantedCancel } from './bracket-retries.ts';
import { type MonitorDeps, pendingStatus } from './monitor-deps.ts';
import { SUCCESSOR_GIVE_UP_MS } from './stop-successor.ts';

export interface BracketsResult {
  /**
   * clientOrderIds whose cancel was queued in this slot: legs left over by a closed position, a resized
   * stop's old order, and cancels asked again (./bracket-retries.ts).
   */
  cancelled: string[];
  /** Symbols whose bracket stop was resized (or moved to break-even). */
  resized: string[];
}

export async function reconcileBrackets(
  deps: MonitorDeps,
  positions: readonly FuturesPosition[],
  orders: readonly FuturesOrder[],
  markets: Markets,
  slotTime: number,
  /** The symbol's brackets when the caller has read them already (one read per slot). */
  read?: ReadonlyMap<string, BracketTrack[]>,
): Promise<BracketsResult> {
  const result: BracketsResult = { cancelled: [], resized: [] };
  for (const symbol of deps.config.SYMBOLS) {
    const tracks = read?.get(symbol) ?? (await bracketTracks(deps.store, symbol));
    if (tracks.length === 0) continue;
    const rules = markets.futures[symbol];
    const position = positions.find((p) => p.symbol === symbol);
    // Only orders we placed (an intent of ours behind them): the trader's own orders on the symbol are
    // never a bracket's to resize or cancel. A bracket's own legs need no lookup.
    const legs = new Set(tracks.flatMap((t) => t.legIds));
    const open: FuturesOrder[] = [];
    for (const o of orders)
      if (
        o.symbol === symbol &&
        o.market === 'futures' &&
        (legs.has(o.clientOrderId) || (await deps.store.getIntent(o.clientOrderId)))
      )
        open.push(o);
    const next = new Map<string, BracketTrack | undefined>();
    for (const track of tracks) {
      const stepSize = rules?.stepSize ?? 0.001;
      const tickSize = rules?.tickSize ?? 0.01;
      // A successor placed by a slot whose bracket write was lost (../../domain/bracket-adopt.ts).
      const adopted = adoptPlacedResize({
        track: await checkBreakEven(deps, track, position?.side === track.side, slotTime),
        position,
        open,
        stepSize,
        tickSize,
      });
      const { successor, superseded } = adopted;
      const plan = planBracket({
        track: adopted.track,
        position,
        // The superseded stops are on their way out: the plan resizes from what stays.
        open: superseded.length > 0 ? open.filter((o) => !superseded.includes(o.clientOrderId)) : open,
        legsSettled: false,
        stepSize,
        tickSize,
        slotTime,
      });
      let t = plan.track;
      const wanted: WantedCancel[] = superseded.map((clientOrderId) => ({
        clientOrderId,
        onlyIfPlaced: successor,
      }));
      for (const clientOrderId of plan.cancels) wanted.push({ clientOrderId });
      if (plan.resize && position) {
        await queueResizedStop(deps, t, position, plan.resize, slotTime);
        // The old stop's cancel right behind it, carried out only once the new one is placed.
        wanted.push({ clientOrderId: plan.resize.fromId, onlyIfPlaced: plan.resize.id });
        if (plan.resize.breakEven) t = { ...t, breakEvenStop: { id: plan.resize.id, queuedAt: slotTime } };
        result.resized.push(symbol);
      }
      const requested = await requestCancels(deps, t, wanted, open, slotTime);
      result.cancelled.push(...requested.queued);
      if (requested.changed) t = withCancels(t, requested.cancels);
      const closed = t.closedAt !== undefined;
      const done = closed && plan.cancels.length === 0 && (await legsSettled(deps, t, slotTime));
      const kept = done ? undefined : t;
      if (JSON.stringify(kept) !== JSON.stringify(track)) next.set(track.parentId, kept);
    }
    if (next.size === 0) continue; // nothing changed: no write (and no second read)
    await changeBrackets(deps.store, symbol, slotTime, (all) => {
      let changed = false;
      for (const [id, t] of next) {
        if (!all[id]) continue; // dropped by another run meanwhile
        if (t === undefined) delete all[id];
        else if (JSON.stringify(t) === JSON.stringify(all[id])) continue;
        else all[id] = t;
        changed = true;
      }
      return changed ? all : undefined;
    });
  }
  return result;
}

/**
 * Every leg queued for the bracket has been executed or refused, so none can still appear on the book
 * — or the position closed long enough ago that a leg never executed is given up on (its message
 * dead-lettered and alarmed by then).
 */
async function legsSettled(deps: MonitorDeps, t: BracketTrack, slotTime: number): Promise<boolean> {
  if (slotTime - (t.closedAt ?? slotTime) >= SUCCESSOR_GIVE_UP_MS) return true;
  for (const id of t.legIds) if ((await pendingStatus(deps, id)) === 'queued') return false;
  return true;
}

/** The track with `cancels` as its cancel records (none: no key, as a track that never had one). */
function withCancels(t: BracketTrack, cancels: Record<string, QueuedCancel>): BracketTrack {
  const { cancels: _, ...rest } = t;
  return Object.keys(cancels).length > 0 ? { ...rest, cancels } : rest;
}

/** The stop's successor for what is left of the position (the old stop's cancel follows it). */
async function queueResizedStop(
  deps: MonitorDeps,
  t: BracketTrack,
  p: FuturesPosition,
  r: StopResize,
  slotTime: number,
): Promise<void> {
  // A trailing stop stays a trailing stop (the position monitor moves it from the mark).
  const pct = (await deps.store.getIntent(r.fromId))?.intent?.trailingStopPct;
  const intent = OrderIntentSchema.parse({
    id: r.id,
    strategy: t.strategy,
    symbol: t.symbol,
    market: 'futures',
    side: t.side === 'long' ? 'sell' : 'buy',
    type: 'stop_market',
    quantity: r.quantity,
    stopPrice: r.stopPrice,
    reduceOnly: true,
    ...(pct !== undefined ? { trailingStopPct: pct } : {}),
    leverage: Math.min(125, Math.max(1, p.leverage)),
    marginMode: p.marginMode,
    createdAt: slotTime,
    bracketOf: t.parentId,
    reason: `bracket stop resized to the remaining ${r.quantity} at ${r.stopPrice} after a take-profit`,
  });
  await deps.queue.send({ kind: 'intent', intent });
  deps.metrics.add('StopResized', 1, 'Count', { symbol: t.symbol });
}
