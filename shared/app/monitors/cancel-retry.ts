// Asking again for a cancel that was refused: a refused cancel keeps its id, and the queue and the
// executor drop a repeated id, so the same request can never succeed later. Each request for an order is
// numbered (its own id); a refused one is asked again under the next number — at the next slot the first
// time, then once a minute — with an alert from the second refusal (once per alert window). A cancel
// that finds the order gone (Binance -2011, a final status) is DONE in the executor: nothing more. Used
// for brackets' legs and resized stops (./bracket-retries.ts) and the position monitor's moved stops
// (./stop-successor.ts); each keeps its own records.
import type { QueuedCancel } from '../../domain/bracket-plan.ts';
import { alertOncePerWindow } from './alerts.ts';
import { type MonitorDeps, pendingStatus } from './monitor-deps.ts';

/** Requests for one order sent at the slots' pace (the first and one retry); then one per CANCEL_RETRY_MS. */
export const CANCEL_FAST_REQUESTS = 2;
/** Also how long a request may stay unfinished (queued behind others, dead-lettered) before the next. */
export const CANCEL_RETRY_MS = 60_000;

/** Queue the cancel of one of our futures orders (the executor carries it out; onlyIfPlaced: see the queue). */
export async function queueCancel(
  deps: Pick<MonitorDeps, 'queue'>,
  m: {
    id: string;
    source: string;
    symbol: string;
    clientOrderId: string;
    createdAt: number;
    onlyIfPlaced?: string;
  },
): Promise<void> {
  await deps.queue.send({ kind: 'cancel', market: 'futures', ...m });
}

/**
 * What to do for an order whose latest request is `rec`: ask again when the exchange refused it (at the
 * next slot the first time, then once a minute; alerted from the second refusal), or when it is
 * unfinished — or done while a lagging view still lists the order — after a minute. Keep the order when
 * the executor kept it because its successor was not placed (the old stop protects the position).
 */
export async function nextCancelStep(
  deps: MonitorDeps,
  of: { symbol: string; positionGone: boolean },
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
  if (rec.attempt >= 1) await alertOrphan(deps, of, clientOrderId, rec.attempt + 1, slotTime);
  return rec.attempt + 1 < CANCEL_FAST_REQUESTS || waited >= CANCEL_RETRY_MS ? 'ask' : 'wait';
}

async function alertOrphan(
  deps: MonitorDeps,
  of: { symbol: string; positionGone: boolean },
  order: string,
  refused: number,
  slotTime: number,
): Promise<void> {
  await alertOncePerWindow(deps, `orphan_order:${order}`, {
    type: 'RiskAlert',
    time: slotTime,
    kind: 'orphan_order',
    // A leg of a position that is gone trades when its price comes, against whatever is held then; an
    // old stop beside its successor only doubles the protection of the position it was made for.
    level: of.positionGone ? 'critical' : 'warning',
    symbol: of.symbol,
    value: refused,
    threshold: 2,
    message: of.positionGone
      ? `${of.symbol}: ${order}, left by a closed position, is still live after ${refused} refused cancels ` +
        'and will trade if its price comes. Asked again every minute; cancel it on Binance if this goes on.'
      : `${of.symbol}: the old stop ${order} stays beside its successor after ${refused} refused cancels ` +
        '(reduce-only: it cannot open a position). Asked again every minute; cancel it on Binance if it stays.',
  });
}
