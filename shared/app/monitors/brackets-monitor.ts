// Brackets (OCO) each position-monitor slot: Binance USD-M has no native one-cancels-the-other, so a
// bracket's stop and take-profits are independent reduce-only orders that this monitor links. Per
// watched bracket (../bracket-book.ts) it takes the decision of shared/domain/bracket-plan.ts — the
// position gone: cancel its open legs; the position shrunk by a take-profit: resize the stop (new stop
// first, the old one's cancel only once the new one is placed) — and carries it out through the queue
// and the executor, like every order. Every message id is derived from the entry's id, the resize's
// number or the order cancelled, so a slot that runs twice (crash before its state write, a
// redelivered schedule) sends the same messages again and the queue and executor drop the repeats.
import { bracketLegId } from '../../domain/bracket.ts';
import { type BracketTrack, planBracket, type StopResize } from '../../domain/bracket-plan.ts';
import type { FuturesOrder } from '../../domain/order.ts';
import { OrderIntentSchema } from '../../domain/order.ts';
import type { FuturesPosition } from '../../domain/position.ts';
import type { Markets } from '../../ports/exchange.ts';
import { bracketTracks, changeBrackets } from '../bracket-book.ts';
import { type MonitorDeps, pendingStatus } from './monitor-deps.ts';
import { SUCCESSOR_GIVE_UP_MS } from './stop-successor.ts';

export interface BracketsResult {
  /** clientOrderIds whose cancel was queued: legs left over by a closed position. */
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
      const plan = planBracket({
        track,
        position,
        open,
        legsSettled: false,
        stepSize: rules?.stepSize ?? 0.001,
        tickSize: rules?.tickSize ?? 0.01,
        slotTime,
      });
      for (const clientOrderId of plan.cancels) {
        await cancelLeg(deps, track, clientOrderId, `cancel:${clientOrderId}`, slotTime);
        result.cancelled.push(clientOrderId);
      }
      if (plan.resize && position) {
        await resizeStop(deps, plan.track, position, plan.resize, slotTime);
        result.resized.push(symbol);
      }
      const closed = plan.track.closedAt !== undefined;
      const done = closed && plan.cancels.length === 0 && (await legsSettled(deps, plan.track, slotTime));
      const t = done ? undefined : plan.track;
      if (JSON.stringify(t) !== JSON.stringify(track)) next.set(track.parentId, t);
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

async function cancelLeg(
  deps: MonitorDeps,
  t: BracketTrack,
  clientOrderId: string,
  role: string,
  slotTime: number,
  onlyIfPlaced?: string,
): Promise<void> {
  await deps.queue.send({
    kind: 'cancel',
    id: bracketLegId(t.parentId, role),
    source: t.strategy,
    symbol: t.symbol,
    market: 'futures',
    clientOrderId,
    createdAt: slotTime,
    ...(onlyIfPlaced ? { onlyIfPlaced } : {}),
  });
}

/** The stop's successor for what is left of the position, then the old stop's conditional cancel. */
async function resizeStop(
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
  await cancelLeg(deps, t, r.fromId, `resize-cancel:${r.fromId}`, slotTime, intent.id);
  deps.metrics.add('StopResized', 1, 'Count', { symbol: t.symbol });
}
