// The emergency close, from the exchange's own state (never a read model): (1) cancel every entry
// order — every open order that is not reduce-only, futures and spot — so no resting limit re-opens
// what is being closed; (2) close every futures position with a reduce-only market order; (3) ask the
// exchange again. DONE only when it reports no position and every cancel went through; otherwise the
// message fails (RetryLater) and a CloseAllIncomplete alert goes out, and each redelivery does it again.
//
// Spot coins are never sold here: the wallet holds the trader's own coins and the hedge leg, and the
// emergency close is about futures exposure (and about stopping the bot from buying more).
import {
  MAX_INTENT_LEVERAGE,
  makeIntentId,
  type OrderIntent,
  OrderIntentSchema,
} from '../../domain/order.ts';
import type { FuturesPosition } from '../../domain/position.ts';
import { ExchangeError } from '../../ports/exchange-errors.ts';
import type { QueueMessage } from '../../ports/order-queue.ts';
import type { IntentRecord } from '../../ports/state-store.ts';
import { publishSafely } from '../publish.ts';
import { cancelOnExchange, publishCancelFailed } from './cancel.ts';
import type { ExecutionOutcome, ExecutorDeps } from './deps.ts';
import { describeError, RetryLater, retryLaterFor } from './errors.ts';
import { save } from './records.ts';

type CloseAll = Extract<QueueMessage, { kind: 'close_all' }>;

export async function closeAll(
  message: CloseAll,
  stored: IntentRecord,
  deps: ExecutorDeps,
  execute: (body: string) => Promise<ExecutionOutcome>,
): Promise<ExecutionOutcome> {
  const record = await save(stored, { attempts: stored.attempts + 1 }, deps);
  const reasons: string[] = [];
  const { cancelled, failedCancels } = await cancelEntryOrders(message, deps, reasons);

  const positions = await openPositions(deps);
  const closed: string[] = [];
  for (const p of positions) {
    // A new id per delivery: a close REJECTED on an earlier delivery must not make this one a duplicate.
    const intent = closeIntent(message, p, record.attempts);
    try {
      const outcome = await execute(JSON.stringify({ kind: 'intent', intent }));
      if (outcome.kind === 'rejected')
        reasons.push(`close ${p.symbol} rejected: ${outcome.reasons.join('; ')}`);
      else closed.push(p.symbol);
    } catch (err) {
      // Go on with the other positions; this one is retried with the whole message.
      reasons.push(`close ${p.symbol} failed: ${describeError(err)}`);
    }
  }

  const stillOpen = positions.length === 0 ? [] : (await openPositions(deps)).map((p) => p.symbol);
  if (stillOpen.length > 0 || failedCancels.length > 0) {
    const summary = `close all ${message.id}: ${stillOpen.length} position(s) still open (${stillOpen.join(', ')}), ${failedCancels.length} entry order(s) not cancelled`;
    await save(record, { reasons: [summary, ...reasons].slice(0, 20) }, deps);
    await publishSafely(deps.bus, {
      type: 'CloseAllIncomplete',
      time: deps.clock.now(),
      intentId: message.id,
      attempt: record.attempts,
      openPositions: stillOpen,
      failedCancels,
      reasons: reasons.slice(0, 10),
      correlationId: message.id,
    });
    throw new RetryLater(summary);
  }
  await save(
    record,
    {
      status: 'DONE',
      reasons: [
        `cancelled: ${cancelled.join(', ') || 'no entry order open'}`,
        `closed: ${closed.join(', ') || 'nothing open'}`,
      ],
    },
    deps,
  );
  return { kind: 'closed_all', id: message.id, closed, cancelled };
}

/** Cancel every open order that is not reduce-only (stops and targets keep protecting until closed). */
async function cancelEntryOrders(
  message: CloseAll,
  deps: ExecutorDeps,
  reasons: string[],
): Promise<{ cancelled: string[]; failedCancels: string[] }> {
  const cancelled: string[] = [];
  const failedCancels: string[] = [];
  for (const market of ['futures', 'spot'] as const) {
    let orders: Awaited<ReturnType<ExecutorDeps['exchange']['fetchOpenOrders']>>;
    try {
      orders = await deps.exchange.fetchOpenOrders(undefined, market);
    } catch (err) {
      // Cannot see them, so cannot say they are gone: close the positions, then retry the whole.
      failedCancels.push(`${market} open orders unreadable`);
      reasons.push(`listing ${market} open orders failed: ${describeError(err)}`);
      continue;
    }
    for (const order of orders) {
      if (order.reduceOnly) continue;
      let error: unknown;
      try {
        const result = await cancelOnExchange(order.symbol, order.clientOrderId, market, deps);
        if (result.gone) {
          cancelled.push(order.clientOrderId);
          if (result.status !== 'filled')
            await publishSafely(deps.bus, {
              type: 'OrderCancelled',
              time: deps.clock.now(),
              intentId: message.id,
              symbol: order.symbol,
              clientOrderId: order.clientOrderId,
              correlationId: message.id,
            });
          continue;
        }
        error = result.error;
      } catch (err) {
        error = err;
      }
      failedCancels.push(order.clientOrderId);
      reasons.push(`cancel ${order.clientOrderId} on ${order.symbol} failed: ${describeError(error)}`);
      await publishCancelFailed(message.id, { ...order, market }, error, deps);
    }
  }
  return { cancelled, failedCancels };
}

async function openPositions(deps: ExecutorDeps): Promise<FuturesPosition[]> {
  try {
    return (await deps.exchange.fetchPositions()).filter((p) => p.quantity > 0);
  } catch (err) {
    if (err instanceof ExchangeError) throw retryLaterFor('close all', err);
    throw err;
  }
}

function closeIntent(message: CloseAll, p: FuturesPosition, attempt: number): OrderIntent {
  return OrderIntentSchema.parse({
    id: makeIntentId({
      source: `${message.id}:close`,
      symbol: p.symbol,
      tickTime: message.createdAt,
      sequence: attempt,
    }),
    strategy: message.source,
    symbol: p.symbol,
    market: 'futures',
    side: p.side === 'long' ? 'sell' : 'buy',
    type: 'market',
    quantity: p.quantity,
    reduceOnly: true,
    // Never applied (a reduce-only order leaves leverage alone); kept within the product's cap.
    leverage: Math.min(MAX_INTENT_LEVERAGE, Math.max(1, p.leverage)),
    marginMode: p.marginMode,
    createdAt: message.createdAt,
    reason: message.reason,
  });
}
