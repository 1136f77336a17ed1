// The bracket tests' steps on the monitor bench (./monitor-harness.ts): a bracketed entry executed with
// its legs, the executor working through the queue one message at a time, and an executor whose
// exchange refuses the cancels and creates a test picks.
import { expect } from 'vitest';
import { bracketTracks, changeBrackets } from '../../shared/app/bracket-book.ts';
import { drainOnce } from '../../shared/app/drain-queue.ts';
import { executeMessage } from '../../shared/app/execute-intent.ts';
import { positionMonitorOnce } from '../../shared/app/monitors/position-monitor.ts';
import { advancedOrderLines } from '../../shared/app/telegram/bracket-lines.ts';
import { marketFormat } from '../../shared/app/telegram/market-format.ts';
import { type BracketInput, bracketLegs } from '../../shared/domain/bracket.ts';
import { makeIntentId } from '../../shared/domain/order.ts';
import type { Exchange, OrderRequest } from '../../shared/ports/exchange.ts';
import { ExchangeError, InvalidOrder } from '../../shared/ports/exchange-errors.ts';
import { intent } from './intents.ts';
import type { monitorHarness } from './monitor-harness.ts';

type Harness = Awaited<ReturnType<typeof monitorHarness>>;

/** A 0.01 BTC market buy (or `side`) carrying `bracket`, then its legs, through the executor as the queue would. */
export async function enterWithBracket(h: Harness, bracket: BracketInput, side: 'buy' | 'sell' = 'buy') {
  const now = h.deps.clock.now();
  const id = makeIntentId({ source: 'test', symbol: 'BTCUSDT', tickTime: now, sequence: 0 });
  const parent = intent(
    { id, strategy: 'volatility_breakout', symbol: 'BTCUSDT', side, createdAt: now, bracket },
    0,
  );
  for (const i of [parent, ...bracketLegs(parent, 0.001)]) {
    const out = await executeMessage(JSON.stringify({ kind: 'intent', intent: i }), h.exec);
    expect(out.kind).toBe('placed');
  }
  return parent;
}

/** The executor works through the queue one message at a time; `after` runs after each. */
export async function drain(h: Harness, after: () => Promise<void> = async () => {}) {
  for (let i = 0; i < 50; i++) {
    const r = await drainOnce(h.deps.queue, h.exec, { max: 1 });
    expect(r.failures).toEqual([]);
    if (r.outcomes.length === 0) return;
    await after();
  }
  throw new Error('queue never drained');
}

/** Half at 61,000, the rest at 64,000, from a 58,000 stop: a 62,000 candle fills only the first. */
export const TWO_TAKE_PROFITS: BracketInput = {
  stopPrice: 58_000,
  takeProfits: [
    { price: 61_000, fraction: 0.5 },
    { price: 64_000, fraction: 0.5 },
  ],
};

/**
 * The executor's exchange refuses cancels while `refuse.cancels` > 0 (an error of no known kind: not
 * "order gone", the order stays live) and creates that `refuse.create` picks (-2021). Returns the
 * clientOrderIds of the cancel requests that reached it.
 */
export function refusing(h: Harness, refuse: { cancels: number; create?: (r: OrderRequest) => boolean }) {
  const inner = h.deps.exchange;
  const cancels: string[] = [];
  h.exec.exchange = Object.assign(Object.create(inner) as Exchange, {
    cancelOrder: async (symbol: string, id: string, market?: 'futures' | 'spot') => {
      cancels.push(id);
      if (refuse.cancels-- > 0)
        throw new ExchangeError('-1000 An unknown error occurred while processing the request.');
      return inner.cancelOrder(symbol, id, market);
    },
    createOrder: async (r: OrderRequest) => {
      if (refuse.create?.(r)) throw new InvalidOrder('-2021 Order would immediately trigger.');
      return inner.createOrder(r);
    },
  });
  return cancels;
}

/** The futures stop orders on the book: [clientOrderId, quantity, stopPrice]. */
export async function stopRows(h: Harness) {
  return (await h.deps.exchange.fetchOpenOrders())
    .filter((o) => o.type === 'stop_market')
    .map((o) => [o.clientOrderId, o.quantity, o.stopPrice]);
}

/** The brackets' lines in /futures_status. */
export async function bracketStatus(h: Harness) {
  return (await advancedOrderLines(h.deps, await marketFormat(h.deps.exchange))).join('\n');
}

/**
 * A guardian slot at `t` that dies after its sends, before its bracket record write: the slot runs, then
 * the BTCUSDT bracket record is put back as it was before it.
 */
export async function slotLosingItsBracketWrite(h: Harness, t: number) {
  const before = await bracketTracks(h.deps.store, 'BTCUSDT');
  await positionMonitorOnce(h.deps, t);
  await changeBrackets(h.deps.store, 'BTCUSDT', t, () =>
    Object.fromEntries(before.map((b) => [b.parentId, b])),
  );
}

/** The trader's own BTCUSDT sell stop, placed by hand on Binance (no intent of ours behind it). */
export function tradersStop(h: Harness, quantity: number, stopPrice: number) {
  return h.deps.exchange.createOrder({
    clientOrderId: 'my-own-stop',
    symbol: 'BTCUSDT',
    market: 'futures',
    side: 'sell',
    type: 'stop_market',
    quantity,
    stopPrice,
    reduceOnly: true,
  });
}
