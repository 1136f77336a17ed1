// The intents strategies build, shape by shape, through IntentFactory.add against what it did before
// its fast path: merge the fields over the defaults, set its own, parse with OrderIntentSchema. The
// fast path writes each common shape (a limit, a stop, a trailing stop, a market order, a bracketed
// entry, each with a reason) as one object literal (shared/domain/intent-fast-path.ts); every literal
// is reached here on every run — with an optional key absent, present, or present but undefined — and
// must equal the parse output, key order included. The domain's broad property test draws any field,
// valid or broken, and reaches these accepting shapes too rarely to hold each literal.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeIntentId, OrderIntentSchema } from '../../../shared/domain/order.ts';
import { IntentFactory } from '../../../shared/strategies/strategy.ts';

const side = fc.constantFrom('buy', 'sell');
const quantity = fc.constantFrom(0.001, 0.5, 3);
const reason = fc.constantFrom('grid buy 1', 'trailing stop moved', 'r'.repeat(200), undefined);

const SHAPES = {
  limit: fc.record({
    market: fc.constant('futures'),
    side,
    type: fc.constant('limit'),
    quantity,
    price: fc.constantFrom(100, 59_880.5),
    reason,
  }),
  stop: fc.record(
    {
      market: fc.constant('futures'),
      side,
      type: fc.constantFrom('stop_market', 'take_profit_market'),
      quantity,
      stopPrice: fc.constantFrom(90, 61_000),
      reduceOnly: fc.constant(true),
      reason,
      trailingStopPct: fc.constant(undefined),
    },
    { requiredKeys: ['market', 'side', 'type', 'quantity', 'stopPrice', 'reason'] },
  ),
  trailing: fc.record({
    market: fc.constant('futures'),
    side,
    type: fc.constant('stop_market'),
    quantity,
    stopPrice: fc.constantFrom(90, 61_000),
    reduceOnly: fc.constant(true),
    reason,
    trailingStopPct: fc.constantFrom(3, 50),
  }),
  market: fc.record(
    {
      market: fc.constantFrom('futures', 'spot'),
      side,
      type: fc.constant('market'),
      quantity,
      reduceOnly: fc.constant(false),
      reason,
      price: fc.constant(undefined),
      stopPrice: fc.constant(undefined),
    },
    { requiredKeys: ['market', 'side', 'type', 'quantity', 'reason'] },
  ),
  bracketed: fc.record(
    {
      market: fc.constant('futures'),
      side: fc.constant('buy'),
      type: fc.constant('market'),
      quantity,
      reason,
      bracket: fc.constantFrom(
        { stopPrice: 90, stopTrailingPct: 3 },
        {
          stopPrice: 90,
          takeProfits: [
            { price: 110, fraction: 0.5 },
            { price: 120, fraction: 0.5 },
          ],
          breakEvenAfterFirst: true,
        },
        undefined,
      ),
    },
    { requiredKeys: ['market', 'side', 'type', 'quantity', 'reason'] },
  ),
};

describe('IntentFactory.add, each shape a strategy builds', () => {
  for (const [name, fields] of Object.entries(SHAPES))
    it(`${name}: the schema parse of the merged input, key order included`, () => {
      fc.assert(
        fc.property(
          fields,
          fc.constantFrom(1, 3, 20),
          fc.constantFrom('isolated', 'cross'),
          (p: Record<string, unknown>, leverage, marginMode) => {
            const time = 1_700_000_000_000;
            const factory = new IntentFactory('grid', { symbol: 'BTCUSDT', time }, { leverage, marginMode });
            const want = OrderIntentSchema.parse({
              leverage,
              marginMode,
              ...p,
              id: makeIntentId({ source: 'grid', symbol: 'BTCUSDT', tickTime: time, sequence: 0 }),
              strategy: 'grid',
              symbol: 'BTCUSDT',
              createdAt: time,
            });
            const got = factory.add(p as never);
            expect(Object.keys(got)).toEqual(Object.keys(want));
            expect(got).toStrictEqual(want);
          },
        ),
        { numRuns: 300 },
      );
    });
});
