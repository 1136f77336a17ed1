// Review: a bracket's legs are queued right behind its entry. When the executor refuses the entry (its
// final risk check on fresh state, a halt), the legs have no position of their own to protect — yet they
// were placed: reduce-only, they then act on whatever position the symbol holds, and no bracket is ever
// registered to cancel them (only a filled entry registers one). Here a take-profit for an entry that
// never happened closes the position that was already there.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeMessage } from '../../../shared/app/execute-intent.ts';
import { bracketLegs } from '../../../shared/domain/bracket.ts';
import { makeIntentId, OrderIntentSchema } from '../../../shared/domain/order.ts';
import { startDynamo } from '../../support/dynalite.ts';
import { monitorHarness } from '../../support/monitor-harness.ts';

let dynamo: Awaited<ReturnType<typeof startDynamo>>;
beforeAll(async () => {
  dynamo = await startDynamo('autocoin-review-refused-entry');
});
afterAll(async () => {
  await dynamo.stop();
});

describe('review: a bracket whose entry is refused', () => {
  it('review: its legs are refused too, and never touch the position already there', async () => {
    // 60,000 → 60,000 → 62,000: the third candle would trigger a take-profit at 61,000.
    const h = await monitorHarness(dynamo, {}, [60_000, 60_000, 62_000, 62_000]);
    // Already held: 0.02 BTC long (1,200 USDT of notional).
    expect((await h.order({ side: 'buy', quantity: 0.02 })).outcome.kind).toBe('placed');
    // Equity 10,000 USDT: the 30 % limit is 3,000 USDT. Adding 0.04 × 60,000 = 2,400 makes 3,600: refused.
    const parent = OrderIntentSchema.parse({
      id: makeIntentId({ source: 'review', symbol: 'BTCUSDT', tickTime: h.deps.clock.now(), sequence: 1 }),
      strategy: 'test',
      symbol: 'BTCUSDT',
      market: 'futures',
      side: 'buy',
      type: 'market',
      quantity: 0.04,
      leverage: 5,
      marginMode: 'isolated',
      createdAt: h.deps.clock.now(),
      bracket: { stopPrice: 58_000, takeProfits: [{ price: 61_000, fraction: 1 }] },
    });
    const run = (intent: unknown) => executeMessage(JSON.stringify({ kind: 'intent', intent }), h.exec);
    expect((await run(parent)).kind).toBe('rejected');
    const legs = [];
    for (const leg of bracketLegs(parent, 0.001)) legs.push((await run(leg)).kind);
    expect(legs).toEqual(['rejected', 'rejected']);
    expect(await h.deps.exchange.fetchOpenOrders()).toEqual([]);

    for (let i = 0; i < 3; i++) h.sim.advance();
    expect((await h.deps.exchange.fetchPositions())[0]?.quantity).toBeCloseTo(0.02, 9); // still all there
  });
});
