// Review: a bracket's legs act on ITS position only.
// 1. The trader's own orders on the symbol (placed by hand in the Binance app: no intent of ours behind
//    them) are not its legs: a take-profit of the bracket must never get the trader's own stop cancelled
//    or turned into a stop for the rest of the position.
// 2. The legs are queued right behind the entry. When the executor refuses the entry (its final risk
//    check on fresh state, a halt), the legs have no position of their own — yet they were placed:
//    reduce-only, they then act on whatever position the symbol holds, and no bracket is ever registered
//    to cancel them (only a filled entry registers one).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drainOnce } from '../../../shared/app/drain-queue.ts';
import { executeMessage } from '../../../shared/app/execute-intent.ts';
import { positionMonitorOnce } from '../../../shared/app/monitors/position-monitor.ts';
import { type BracketInput, bracketLegId, bracketLegs } from '../../../shared/domain/bracket.ts';
import { startDynamo } from '../../support/dynalite.ts';
import { monitorHarness } from '../../support/monitor-harness.ts';
import { bracketedEntry } from './bracket-entry.ts';

let dynamo: Awaited<ReturnType<typeof startDynamo>>;
beforeAll(async () => {
  dynamo = await startDynamo('autocoin-review-bracket-legs');
});
afterAll(async () => {
  await dynamo.stop();
});

type Harness = Awaited<ReturnType<typeof monitorHarness>>;

/** A market buy of `quantity` BTC carrying `bracket`, then its legs, through the executor; their outcomes. */
async function enterWithBracket(h: Harness, quantity: number, bracket: BracketInput) {
  const parent = bracketedEntry(h, quantity, bracket);
  const kinds: string[] = [];
  for (const intent of [parent, ...bracketLegs(parent, 0.001)])
    kinds.push((await executeMessage(JSON.stringify({ kind: 'intent', intent }), h.exec)).kind);
  return { parent, kinds };
}

describe("review: bracket legs and the symbol's other orders and positions", () => {
  it("review: a partial take-profit resizes the bracket's stop, not the trader's own tighter stop", async () => {
    // 60,000 → 60,000 → 62,000: the third candle fills the first take-profit (61,000) only.
    const h = await monitorHarness(dynamo, {}, [60_000, 60_000, 62_000, 62_000]);
    const { parent, kinds } = await enterWithBracket(h, 0.01, {
      stopPrice: 58_000,
      takeProfits: [
        { price: 61_000, fraction: 0.5 },
        { price: 64_000, fraction: 0.5 },
      ],
    });
    expect(kinds).toEqual(['placed', 'placed', 'placed', 'placed']);
    // The trader's own stop for the whole of it, tighter, placed by hand on the exchange (not through us).
    const own = 'web_TraderOwnStop1';
    h.sim.createOrder({
      clientOrderId: own,
      symbol: 'BTCUSDT',
      market: 'futures',
      side: 'sell',
      type: 'stop_market',
      quantity: 0.01,
      stopPrice: 59_000,
      reduceOnly: true,
    });
    for (let i = 0; i < 3; i++) h.sim.advance();
    expect((await h.deps.exchange.fetchPositions())[0]?.quantity).toBeCloseTo(0.005, 9);

    await positionMonitorOnce(h.deps, h.deps.clock.now());
    for (let i = 0; i < 20; i++) if ((await drainOnce(h.deps.queue, h.exec)).outcomes.length === 0) break;

    const stops = (await h.deps.exchange.fetchOpenOrders()).filter((o) => o.type === 'stop_market');
    // The trader's stop is where the trader left it: 0.01 at 59,000.
    expect(stops.find((o) => o.clientOrderId === own)).toMatchObject({ quantity: 0.01, stopPrice: 59_000 });
    // The bracket's stop:0 (0.01 at 58,000) gave way to stop:1 for the 0.005 left, at its own 58,000.
    expect(stops.find((o) => o.clientOrderId === bracketLegId(parent.id, 'stop:1'))).toMatchObject({
      quantity: 0.005,
      stopPrice: 58_000,
    });
    expect(stops.some((o) => o.clientOrderId === bracketLegId(parent.id, 'stop:0'))).toBe(false);
  });

  it('review: the legs of a refused entry are refused too, and never touch the position already there', async () => {
    // 60,000 → 60,000 → 62,000: the third candle would trigger a take-profit at 61,000.
    const h = await monitorHarness(dynamo, {}, [60_000, 60_000, 62_000, 62_000]);
    // Already held: 0.02 BTC long (1,200 USDT of notional).
    expect((await h.order({ side: 'buy', quantity: 0.02 })).outcome.kind).toBe('placed');
    // Equity 10,000 USDT: the 30 % limit is 3,000 USDT. Adding 0.04 × 60,000 = 2,400 makes 3,600: refused.
    const { kinds } = await enterWithBracket(h, 0.04, {
      stopPrice: 58_000,
      takeProfits: [{ price: 61_000, fraction: 1 }],
    });
    expect(kinds).toEqual(['rejected', 'rejected', 'rejected']);
    expect(await h.deps.exchange.fetchOpenOrders()).toEqual([]);

    for (let i = 0; i < 3; i++) h.sim.advance();
    expect((await h.deps.exchange.fetchPositions())[0]?.quantity).toBeCloseTo(0.02, 9); // still all there
  });
});
