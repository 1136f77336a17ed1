// Finding out what the exchange did with an order: by its clientOrderId after a crash or timeout
// (reconcile), and until it is final for a market order the exchange only acknowledged (Binance's
// ACK answer: status NEW, nothing executed yet).
import type { FuturesOrder, OrderIntent, OrderStatus } from '../../domain/order.ts';
import { ExchangeError, OrderNotFound } from '../../ports/exchange-errors.ts';
import type { ExecutorDeps } from './deps.ts';
import { retryLaterFor } from './errors.ts';

export const TERMINAL_STATUSES: ReadonlySet<OrderStatus> = new Set([
  'filled',
  'canceled',
  'expired',
  'rejected',
]);

/** The order created for this intent, or undefined when the exchange says there is none (yet). */
export async function reconcile(intent: OrderIntent, deps: ExecutorDeps): Promise<FuturesOrder | undefined> {
  try {
    return await deps.exchange.fetchOrderByClientId(intent.symbol, intent.id, intent.market);
  } catch (err) {
    if (err instanceof OrderNotFound) return undefined;
    if (err instanceof ExchangeError) throw retryLaterFor(`reconcile ${intent.id}`, err);
    throw err;
  }
}

/**
 * Pauses before each fetch of an acknowledged market order: about 3 s in all, well inside the
 * executor's invocation. A market order on Binance is final within milliseconds; one still open
 * after this is left to the redelivery.
 */
export const SETTLE_DELAYS_MS: readonly number[] = [100, 200, 400, 800, 1_600];

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The market order in a final status, fetched a bounded number of times; undefined if still open. */
export async function settleMarketOrder(
  intent: OrderIntent,
  order: FuturesOrder,
  deps: ExecutorDeps,
): Promise<FuturesOrder | undefined> {
  const wait = deps.wait ?? sleep;
  let current = order;
  for (const ms of SETTLE_DELAYS_MS) {
    if (TERMINAL_STATUSES.has(current.status)) return current;
    await wait(ms);
    try {
      current = await deps.exchange.fetchOrderByClientId(intent.symbol, intent.id, intent.market);
    } catch (err) {
      // Not visible yet, or a transient failure: the order exists (it was acknowledged); ask again.
      if (!(err instanceof ExchangeError)) throw err;
    }
  }
  return TERMINAL_STATUSES.has(current.status) ? current : undefined;
}
