// Moving or resizing a position's stop: a successor stop is queued first, then the old stop's cancel,
// which the executor carries out only once the successor is placed — the position is never bare. At most
// one successor per position is pending: while it is queued the stop is left alone, so a lagging queue
// cannot turn three 5-s slots into three full-size stops (issue 12, defect 9). An old stop whose cancel
// the exchange refused is asked again under a new id meanwhile (askOldStopGone).

import type { QueuedCancel } from '../../domain/bracket-plan.ts';
import type { FuturesOrder, OrderIntent } from '../../domain/order.ts';
import { makeIntentId, OrderIntentSchema } from '../../domain/order.ts';
import type { FuturesPosition } from '../../domain/position.ts';
import { roundToTick } from '../../domain/precision.ts';
import type { FuturesMarket } from '../../ports/exchange.ts';
import { nextCancelStep, queueCancel } from './cancel-retry.ts';
import { type MonitorDeps, type PendingMessage, pendingStatus } from './monitor-deps.ts';

/**
 * A successor neither placed nor refused after this long is given up on (its message dead-lettered and
 * alarmed): the old stop still protects the position, and trailing resumes from it. Longer than any
 * queue lag short of a dead letter, so a slow queue never gets a second successor.
 */
export const SUCCESSOR_GIVE_UP_MS = 10 * 60_000;

export interface SuccessorPending extends PendingMessage {
  /** clientOrderId of the stop it replaces. */
  from: string;
  /** The old stop's cancel, its latest request (absent in records written before requests were retried). */
  cancel?: QueuedCancel;
  /**
   * The successor itself, recorded before it is sent (absent in records written before): sent again
   * under its own id while the executor has no record of it (sendAgainIfUnseen).
   */
  intent?: OrderIntent;
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

/** True while the successor still has to be placed or refused (then the stop is not touched). */
export async function successorStillPending(
  deps: Pick<MonitorDeps, 'store'>,
  pending: SuccessorPending,
  stops: readonly FuturesOrder[],
  slotTime: number,
): Promise<boolean> {
  if (slotTime - pending.queuedAt >= SUCCESSOR_GIVE_UP_MS) return false;
  const status = await pendingStatus(deps, pending.id);
  const fromListed = stops.some((o) => o.clientOrderId === pending.from);
  // Never received, and the stop it replaces gone (stopped out, or with its closed position — its cancel
  // waits for this successor, so it was not ours): nothing to wait for; the stops there now are kept up.
  if (status === 'queued') return fromListed || (await deps.store.getIntent(pending.id)) !== undefined;
  // Placed, but the stop it replaces is still listed: its cancel (queued right behind the successor) has
  // not run yet, or this loop's order list predates the placement. Deriving another successor from the
  // old stop now would leave two; wait for the cancel.
  // (A copy of the trader's own stop — recorded with its intent and no cancel — replaces nothing.)
  if (status === 'done') return fromListed && !(pending.intent && !pending.cancel);
  return false;
}

export type StopChange = { trailed: boolean; resized: boolean; successor: SuccessorPending };

/**
 * The position's best stop, moved towards the mark if it trails and grown to the whole position if an
 * add left it short (more than one step): queues the successor and the old stop's conditional cancel.
 * `recordFirst` writes the pending successor before anything is sent: the old stop's cancel is asked
 * again (askOldStopGone) only from that record, so a slot that died after its sends and before a later
 * write would leave a refused (or never sent) cancel with nothing to ask it again — the old full-size
 * stop beside its successor until the position closes. Written first, a crash at any send leaves a
 * record of messages perhaps never sent: a successor never executed is given up on after
 * SUCCESSOR_GIVE_UP_MS (the old stop still protects), a cancel never executed is asked again after
 * CANCEL_RETRY_MS (and kept by the executor unless the successor was placed).
 */
export async function maintainStop(
  deps: MonitorDeps,
  p: FuturesPosition,
  stops: readonly FuturesOrder[],
  rules: FuturesMarket | undefined,
  slotTime: number,
  recordFirst: (successor: SuccessorPending) => Promise<void>,
): Promise<StopChange | undefined> {
  const tickSize = rules?.tickSize ?? 0.01;
  const stepSize = rules?.stepSize ?? 0.001;
  const dir = p.side === 'long' ? 1 : -1;
  // Ours first (an intent of ours behind it): the trader's own stop, placed by hand, is never the one
  // moved or grown while one of ours is there — and never cancelled (with none of ours, a short one is
  // copied to the whole position and left as it is).
  const priced = stops.filter((o) => o.stopPrice !== undefined);
  const records = await Promise.all(priced.map((o) => deps.store.getIntent(o.clientOrderId)));
  const ours = priced.filter((_, i) => records[i] !== undefined);
  const best = [...(ours.length > 0 ? ours : priced)].sort(
    (a, b) => (b.stopPrice! - a.stopPrice!) * dir || b.quantity - a.quantity,
  )[0];
  if (!best) return undefined;
  const bestRecord = records[priced.indexOf(best)];
  const pct = bestRecord?.intent?.trailingStopPct;
  const moved =
    pct === undefined ? undefined : trailedStopPrice(p.side, best.stopPrice!, p.markPrice, pct, tickSize);
  const short = p.quantity - best.quantity >= stepSize * (1 - 1e-9);
  if (moved === undefined && !short) return undefined;
  const stopPrice = moved ?? best.stopPrice!;
  const quantity = short ? p.quantity : best.quantity;
  const source = moved !== undefined ? 'position-monitor:trail' : 'position-monitor:resize';
  const reasons = [
    ...(moved !== undefined ? [`trailing stop ${best.stopPrice} → ${moved} (${pct} % from the mark)`] : []),
    ...(short ? [`stop for ${best.quantity} grown to the position's ${p.quantity}`] : []),
  ];
  const intent = OrderIntentSchema.parse({
    id: makeIntentId({ source, symbol: p.symbol, tickTime: slotTime, sequence: 0 }),
    strategy: 'position-monitor',
    symbol: p.symbol,
    market: 'futures',
    side: best.side,
    type: 'stop_market',
    quantity,
    stopPrice,
    reduceOnly: true,
    ...(pct !== undefined ? { trailingStopPct: pct } : {}),
    leverage: Math.min(125, Math.max(1, p.leverage)),
    marginMode: p.marginMode,
    createdAt: slotTime,
    reason: reasons.join('; '),
  });
  const cancelId = makeIntentId({
    source: `${source}-cancel`,
    symbol: p.symbol,
    tickTime: slotTime,
    sequence: 0,
  });
  const successor: SuccessorPending = {
    id: intent.id,
    queuedAt: slotTime,
    from: best.clientOrderId,
    ...(bestRecord !== undefined
      ? { cancel: { id: cancelId, attempt: 0, queuedAt: slotTime, onlyIfPlaced: intent.id } }
      : {}),
    intent,
  };
  await recordFirst(successor);
  await sendSuccessor(deps, p.symbol, successor, intent);
  if (moved !== undefined) deps.metrics.add('TrailingStopMoved', 1, 'Count', { symbol: p.symbol });
  if (short) deps.metrics.add('StopResized', 1, 'Count', { symbol: p.symbol });
  return { trailed: moved !== undefined, resized: short, successor };
}

/** The successor, then the old stop's first cancel request (carried out only once it is placed). */
async function sendSuccessor(
  deps: MonitorDeps,
  symbol: string,
  pending: SuccessorPending,
  intent: OrderIntent | undefined,
): Promise<void> {
  if (intent) await deps.queue.send({ kind: 'intent', intent });
  if (pending.cancel?.attempt !== 0) return;
  await queueCancel(deps, {
    id: pending.cancel.id,
    source: 'position-monitor',
    symbol,
    clientOrderId: pending.from,
    createdAt: pending.queuedAt,
    onlyIfPlaced: pending.id,
  });
}

/**
 * A recorded successor (or the old stop's first cancel) the executor has no record of: perhaps never
 * sent (recorded first, see maintainStop: the slot died, or a send failed, before it), perhaps still in
 * the queue. Sent again under the same ids — the queue and the executor drop a repeat, so a lagging
 * queue still gets one successor — and a position whose grown stop was never sent is not left short of
 * it for SUCCESSOR_GIVE_UP_MS, nor a trailing stop stalled that long.
 */
export async function sendAgainIfUnseen(
  deps: MonitorDeps,
  symbol: string,
  pending: SuccessorPending,
  /** The position's stops now: sent again only while the stop it replaces is one of them. */
  stops: readonly FuturesOrder[],
): Promise<void> {
  if (!pending.intent) return; // a record written before the successor was kept in it
  // The stop it replaces gone (stopped out, cancelled with its closed position): it was made for a
  // position that is no more — a new one on the symbol is not given the old one's stop.
  if (!stops.some((o) => o.clientOrderId === pending.from)) return;
  const unseen = async (id: string) => (await deps.store.getIntent(id)) === undefined;
  const intent = (await unseen(pending.id)) ? pending.intent : undefined;
  if (intent || (pending.cancel?.attempt === 0 && (await unseen(pending.cancel.id))))
    await sendSuccessor(deps, symbol, pending, intent);
}

/**
 * While a placed successor waits for the stop it replaces to go: that stop's cancel, when the exchange
 * refused it, asked again under a new id (./cancel-retry.ts) — until the successor's watch ends
 * (SUCCESSOR_GIVE_UP_MS). Returns the pending successor as it now stands.
 */
export async function askOldStopGone(
  deps: MonitorDeps,
  p: FuturesPosition,
  pending: SuccessorPending,
  slotTime: number,
): Promise<SuccessorPending> {
  const rec = pending.cancel;
  if (!rec) return pending;
  const step = await nextCancelStep(
    deps,
    { symbol: p.symbol, positionGone: false },
    pending.from,
    rec,
    slotTime,
  );
  if (step === 'kept') return { ...pending, cancel: { ...rec, kept: true } };
  if (step === 'wait') return pending;
  const attempt = rec.attempt + 1;
  // Numbered from the successor's slot: a slot run again after a crash sends the same id.
  const id = makeIntentId({
    source: 'position-monitor:old-stop-cancel',
    symbol: p.symbol,
    tickTime: pending.queuedAt,
    sequence: attempt,
  });
  const cancel: QueuedCancel = { id, attempt, queuedAt: slotTime, onlyIfPlaced: pending.id };
  await queueCancel(deps, {
    symbol: p.symbol,
    clientOrderId: pending.from,
    id,
    source: 'position-monitor',
    createdAt: slotTime,
    onlyIfPlaced: pending.id,
  });
  return { ...pending, cancel };
}
