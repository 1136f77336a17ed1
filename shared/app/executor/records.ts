// The intent record's lifecycle (versioned writes, DONE, REJECTED, UNKNOWN) and the events each end
// publishes. Events go out after the record is written: a crash between the two loses a notification,
// never repeats or undoes an order.
import { createHash } from 'node:crypto';
import type { FuturesOrder, OrderIntent } from '../../domain/order.ts';
import { ConcurrentModification, type IntentRecord } from '../../ports/state-store.ts';
import { watchRestingOrder } from '../fill-watch.ts';
import { ownerOfIntent } from '../ownership.ts';
import { publishSafely } from '../publish.ts';
import type { ExecutionOutcome, ExecutorDeps } from './deps.ts';
import { OrderOutcomeUnknown, RetryLater } from './errors.ts';

export async function save(
  record: IntentRecord,
  patch: Partial<IntentRecord>,
  deps: ExecutorDeps,
): Promise<IntentRecord> {
  const next = { ...record, ...patch, version: record.version + 1, updatedAt: deps.clock.now() };
  try {
    await deps.store.updateIntent(next);
  } catch (err) {
    if (err instanceof ConcurrentModification) throw new RetryLater(err.message);
    throw err;
  }
  return next;
}

/** The signed position (+ long, − short, 0 flat) an intent's record keeps for its position events. */
export function signedQuantity(p: { side: 'long' | 'short'; quantity: number } | undefined): number {
  return p === undefined ? 0 : p.side === 'long' ? p.quantity : -p.quantity;
}

export async function finish(
  record: IntentRecord,
  intent: OrderIntent,
  order: FuturesOrder,
  kind: 'placed' | 'reconciled',
  deps: ExecutorDeps,
): Promise<ExecutionOutcome> {
  const now = deps.clock.now();
  const owner = ownerOfIntent(intent, deps.assignment);
  await deps.store.putOrder({ ...order, intentId: intent.id, recordedAt: now, owner });
  const executed =
    order.status === 'filled' || (order.filledQuantity > 0 && order.status !== 'partially_filled');
  // Resting (not filled at placement): its fill is announced by the position monitor's fill watcher.
  // Before DONE, so a crash here is redelivered and the (idempotent) watch is written then.
  if (!executed && (order.status === 'new' || order.status === 'partially_filled'))
    await watchRestingOrder(deps.store, order.symbol, {
      clientOrderId: order.clientOrderId,
      intentId: intent.id,
      owner,
      orderType: order.type,
      reduceOnly: order.reduceOnly,
      market: order.market,
      since: now,
    });
  await save(record, { status: 'DONE', orderStatus: order.status }, deps);
  if (record.positionBefore !== undefined)
    await publishPositionEvents(intent, order, record.positionBefore, deps);
  await publishSafely(
    deps.bus,
    executed
      ? {
          type: 'OrderFilled',
          time: now,
          intentId: intent.id,
          symbol: intent.symbol,
          side: order.side,
          quantity: order.filledQuantity,
          price: order.averagePrice ?? 0,
          fee: order.fee,
          correlationId: intent.id,
          owner,
          reduceOnly: intent.reduceOnly,
          orderType: order.type,
        }
      : {
          type: 'OrderPlaced',
          time: now,
          intentId: intent.id,
          symbol: intent.symbol,
          status: order.status,
          side: order.side,
          orderType: order.type,
          quantity: order.quantity,
          correlationId: intent.id,
          owner,
        },
  );
  return { kind, id: intent.id, order };
}

/** PositionOpened / PositionClosed from what the fill did to the position held before it. */
async function publishPositionEvents(
  intent: OrderIntent,
  order: FuturesOrder,
  positionBefore: number,
  deps: ExecutorDeps,
): Promise<void> {
  if (intent.market !== 'futures' || order.filledQuantity <= 0) return;
  const prior =
    positionBefore === 0
      ? undefined
      : {
          side: positionBefore > 0 ? ('long' as const) : ('short' as const),
          quantity: Math.abs(positionBefore),
        };
  const time = deps.clock.now();
  const price = order.averagePrice ?? 0;
  const buying = intent.side === 'buy';
  const closing = prior !== undefined && (prior.side === 'long') !== buying;
  if (closing && order.filledQuantity >= prior.quantity - 1e-12) {
    await publishSafely(deps.bus, {
      type: 'PositionClosed',
      time,
      symbol: intent.symbol,
      side: prior.side,
      quantity: prior.quantity,
      price,
      correlationId: intent.id,
    });
  }
  const opened =
    !intent.reduceOnly && (prior === undefined || (closing && order.filledQuantity > prior.quantity + 1e-12));
  if (opened) {
    const quantity = prior && closing ? order.filledQuantity - prior.quantity : order.filledQuantity;
    await publishSafely(deps.bus, {
      type: 'PositionOpened',
      time,
      symbol: intent.symbol,
      side: buying ? 'long' : 'short',
      quantity,
      price,
      correlationId: intent.id,
    });
  }
}

/** Record a refusal and announce it once (an order intent or a margin move: what it refuses is its id and symbol). */
export async function reject(
  record: IntentRecord,
  intent: Pick<OrderIntent, 'id' | 'symbol'>,
  reasons: string[],
  deps: ExecutorDeps,
): Promise<ExecutionOutcome> {
  await save(record, { status: 'REJECTED', reasons }, deps);
  await publishSafely(deps.bus, {
    type: 'OrderRejected',
    time: deps.clock.now(),
    intentId: intent.id,
    symbol: intent.symbol,
    reasons,
    correlationId: intent.id,
  });
  return { kind: 'rejected', id: intent.id, reasons };
}

/** Mark the intent UNKNOWN, alert, and fail so the queue moves the message to the dead-letter queue. */
export async function declareUnknown(
  record: IntentRecord,
  intent: OrderIntent,
  reason: string,
  deps: ExecutorDeps,
): Promise<never> {
  return markUnknown(
    record,
    reason,
    deps,
    {
      type: 'OrderOutcomeUnknown',
      time: deps.clock.now(),
      intentId: intent.id,
      symbol: intent.symbol,
      attempts: record.attempts,
    },
    `intent ${intent.id}`,
  );
}

/**
 * The one way an outcome becomes unknown (an order, a margin move): record UNKNOWN with the reason,
 * publish the alert, and throw OrderOutcomeUnknown so the message goes to the dead-letter queue.
 */
export async function markUnknown(
  record: IntentRecord,
  reason: string,
  deps: ExecutorDeps,
  alert: Parameters<typeof publishSafely>[1],
  what: string,
): Promise<never> {
  await save(
    record,
    { status: 'UNKNOWN', reasons: [`outcome unknown after ${record.attempts} attempts: ${reason}`] },
    deps,
  );
  await publishSafely(deps.bus, alert);
  throw new OrderOutcomeUnknown(`${what}: outcome unknown after ${record.attempts} attempts`);
}

export async function rejectMalformed(
  body: string,
  err: unknown,
  deps: ExecutorDeps,
): Promise<ExecutionOutcome> {
  const id = `malformed-${createHash('sha256').update(body).digest('hex').slice(0, 24)}`;
  const reasons = [`malformed message: ${err instanceof Error ? err.message.slice(0, 500) : String(err)}`];
  const now = deps.clock.now();
  await deps.store.createIntent({
    id,
    kind: 'malformed',
    status: 'REJECTED',
    raw: body.slice(0, 2_000),
    reasons,
    attempts: 0,
    version: 1,
    createdAt: now,
    updatedAt: now,
  });
  await publishSafely(deps.bus, { type: 'OrderRejected', time: now, intentId: id, reasons });
  return { kind: 'rejected', id, reasons };
}
