// Cancelling an order. The exchange must say the order is gone: "unknown order" (Binance -2011: it is
// not open) or a fetch showing a final status. Any other answer is a failure, alerted, never DONE —
// an order read as cancelled while it is live can re-open a position the trader closed.
import type { MarketKind } from '../../domain/order.ts';
import { ExchangeError, OrderNotFound } from '../../ports/exchange-errors.ts';
import type { QueueMessage } from '../../ports/order-queue.ts';
import type { IntentRecord } from '../../ports/state-store.ts';
import { ownerOfIntent } from '../ownership.ts';
import { publishSafely } from '../publish.ts';
import type { ExecutionOutcome, ExecutorDeps } from './deps.ts';
import { describeError, retryLaterFor } from './errors.ts';
import { save } from './records.ts';
import { TERMINAL_STATUSES } from './settle.ts';

export type CancelResult = { gone: true; status: string } | { gone: false; error: unknown };

/** Cancel one order. A transient failure throws RetryLater; any other failure is returned. */
export async function cancelOnExchange(
  symbol: string,
  clientOrderId: string,
  market: MarketKind,
  deps: ExecutorDeps,
): Promise<CancelResult> {
  let error: unknown;
  try {
    const order = await deps.exchange.cancelOrder(symbol, clientOrderId, market);
    return { gone: true, status: order.status };
  } catch (err) {
    if (err instanceof OrderNotFound) return { gone: true, status: 'not open' };
    if (err instanceof ExchangeError && err.retryable) throw retryLaterFor(`cancel ${clientOrderId}`, err);
    error = err;
  }
  // The error says nothing about the order itself (refused key, unexpected answer): ask for it.
  try {
    const order = await deps.exchange.fetchOrderByClientId(symbol, clientOrderId, market);
    if (TERMINAL_STATUSES.has(order.status)) return { gone: true, status: order.status };
  } catch {
    // No better knowledge: the cancel's own error stands.
  }
  return { gone: false, error };
}

export async function publishCancelFailed(
  intentId: string,
  order: { symbol: string; clientOrderId: string; market: MarketKind },
  error: unknown,
  deps: ExecutorDeps,
): Promise<void> {
  await publishSafely(deps.bus, {
    type: 'CancelFailed',
    time: deps.clock.now(),
    intentId,
    symbol: order.symbol,
    market: order.market,
    clientOrderId: order.clientOrderId,
    error: describeError(error),
    correlationId: intentId,
  });
}

/**
 * A cancel request from the queue. A refusal the exchange will repeat (a key without permission, an
 * invalid request) is REJECTED and alerted, not retried: retrying cannot succeed until a human acts,
 * and it would hold the account's queue — stops and emergency closes included — behind it. Producers
 * that still want the order gone ask again with a new request (the monitors do, every loop). An error
 * of no known class is recorded, alerted and re-thrown: the queue retries it and dead-letters it.
 */
export async function cancelMessage(
  message: Extract<QueueMessage, { kind: 'cancel' }>,
  record: IntentRecord,
  deps: ExecutorDeps,
): Promise<ExecutionOutcome> {
  if (message.onlyIfPlaced !== undefined) {
    const successor = await deps.store.getIntent(message.onlyIfPlaced);
    if (successor?.status !== 'DONE') {
      const reasons = [
        `kept ${message.clientOrderId}: its replacement ${message.onlyIfPlaced} was not placed (${successor?.status ?? 'unknown'})`,
      ];
      await save(record, { status: 'REJECTED', reasons }, deps);
      return { kind: 'rejected', id: message.id, reasons };
    }
  }
  const result = await cancelOnExchange(message.symbol, message.clientOrderId, message.market, deps);
  if (result.gone) {
    await save(record, { status: 'DONE', orderStatus: result.status }, deps);
    // An order that filled before the cancel reached it was not cancelled: its fill is what happened.
    if (result.status !== 'filled')
      await publishSafely(deps.bus, {
        type: 'OrderCancelled',
        time: deps.clock.now(),
        intentId: message.id,
        symbol: message.symbol,
        clientOrderId: message.clientOrderId,
        owner: ownerOfIntent({ strategy: message.source, symbol: message.symbol }, deps.assignment),
      });
    return { kind: 'cancelled', id: message.id };
  }
  const reasons = [`cancel of ${message.clientOrderId} failed: ${describeError(result.error)}`];
  await publishCancelFailed(message.id, message, result.error, deps);
  if (result.error instanceof ExchangeError) {
    await save(record, { status: 'REJECTED', reasons }, deps);
    return { kind: 'rejected', id: message.id, reasons };
  }
  await save(record, { reasons }, deps);
  throw result.error;
}
