// The intent fast path (shared/strategies/intent-fast-path.ts) against the schema it stands in front
// of: for any input — valid or broken in any field, a key absent or explicitly undefined, an unknown
// key — it vouches exactly when OrderIntentSchema accepts (and the input has no unknown key), and what
// it returns is the schema's output, key order included. So a strategy's intents are validated as
// strictly as before; only the cost changed.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OrderIntentSchema } from '../../../shared/domain/order.ts';
import { plainlyValidIntent } from '../../../shared/strategies/intent-fast-path.ts';

/** Mostly one of the valid values, sometimes a broken one: both sides of the schema get reached. */
const pick = (valid: unknown[], broken: unknown[]) =>
  fc.oneof(
    { arbitrary: fc.constantFrom(...valid), weight: 8 },
    { arbitrary: fc.oneof(fc.constantFrom(...broken), fc.double()), weight: 1 },
  );

const input = fc.record(
  {
    id: pick(['ac-0123456789abcdef0123456789abcdef', 'x'], ['bad id!', '', 'y'.repeat(37), 5]),
    strategy: pick(['grid', 'long_short_switch', 'telegram:42'], ['Grid', '', 7]),
    symbol: pick(['BTCUSDT', 'ETHUSDT'], ['btcusdt', 'BTC', undefined]),
    market: pick(['futures', 'futures', 'spot'], ['margin']),
    side: pick(['buy', 'sell'], ['hold']),
    type: pick(['market', 'limit', 'stop_market', 'take_profit_market'], ['stop_limit']),
    quantity: pick([0.001, 1, 2.5], [0, -1, Number.NaN, Number.POSITIVE_INFINITY, '1']),
    price: pick([100, undefined], [0, -5, Number.NaN, '100']),
    stopPrice: pick([90, undefined], [0, Number.POSITIVE_INFINITY]),
    reduceOnly: pick([true, false, undefined], ['yes']),
    leverage: pick([1, 3, 20, 125], [21, 126, 2.5, 0, Number.NaN]),
    marginMode: pick(['isolated', 'cross'], ['portfolio']),
    createdAt: pick([0, 1_700_000_000_000], [-1, 1.5, 2 ** 60]),
    reason: pick(['grid buy 1', 'r'.repeat(200), undefined], ['r'.repeat(201), 5]),
    trailingStopPct: pick([3, 50, undefined], [51, 0, -1]),
    extra: fc.constant(1),
  },
  {
    requiredKeys: [
      'id',
      'strategy',
      'market',
      'side',
      'type',
      'quantity',
      'leverage',
      'marginMode',
      'createdAt',
    ],
  },
);

describe('intent fast path ≡ OrderIntentSchema', () => {
  it('vouches exactly for what the schema accepts, and returns the schema output', () => {
    let vouched = 0;
    fc.assert(
      fc.property(input, (x) => {
        const fast = plainlyValidIntent(x);
        const slow = OrderIntentSchema.safeParse(x);
        expect(fast !== undefined).toBe(slow.success && !('extra' in x));
        if (fast) {
          vouched++;
          expect(Object.keys(fast)).toEqual(Object.keys(slow.data!));
          expect(fast).toStrictEqual(slow.data);
        }
      }),
      { numRuns: 20_000 },
    );
    // The generator reaches the accepting side often enough for the equality above to mean something.
    expect(vouched).toBeGreaterThan(20);
  });

  it('vouches for the intents a strategy builds (by hand: a limit buy, a trailing reduce-only stop)', () => {
    const base = {
      id: 'ac-0123456789abcdef0123456789abcdef',
      strategy: 'grid',
      symbol: 'BTCUSDT',
      market: 'futures',
      leverage: 3,
      marginMode: 'isolated',
      createdAt: 1_700_000_000_000,
    };
    const limit = {
      ...base,
      side: 'buy',
      type: 'limit',
      quantity: 0.01,
      price: 30_000,
      reason: 'grid buy 1',
    };
    const stop = {
      ...base,
      side: 'sell',
      type: 'stop_market',
      quantity: 0.01,
      stopPrice: 29_000,
      reduceOnly: true,
      trailingStopPct: 3,
    };
    expect(plainlyValidIntent(limit)).toStrictEqual(OrderIntentSchema.parse(limit));
    expect(plainlyValidIntent(stop)).toStrictEqual(OrderIntentSchema.parse(stop));
  });
});
