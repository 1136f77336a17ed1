// The intent fast path (shared/domain/intent-fast-path.ts) against the schema it stands in front
// of: for any input — valid or broken in any field, a key absent or explicitly undefined, an unknown
// key — it vouches exactly when OrderIntentSchema accepts (and the input has no unknown key), and what
// it returns is the schema's output, key order included. So a strategy's intents are validated as
// strictly as before; only the cost changed. The same holds for IntentFactory.add, which builds the
// intent from the strategy's fields without merging them first (factoryIntent).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { plainlyValidIntent } from '../../../shared/domain/intent-fast-path.ts';
import { makeIntentId, OrderIntentSchema } from '../../../shared/domain/order.ts';
import { IntentFactory } from '../../../shared/strategies/strategy.ts';

/** Mostly one of the valid values, sometimes a broken one: both sides of the schema get reached. */
const pick = (valid: unknown[], broken: unknown[]) =>
  fc.oneof(
    { arbitrary: fc.constantFrom(...valid), weight: 8 },
    { arbitrary: fc.oneof(fc.constantFrom(...broken), fc.double()), weight: 1 },
  );

/** Brackets the schema refuses: a field out of range, fractions over the whole, too many legs, a stop on
 * the wrong side of a long's take-profit, the wrong kind. */
const BROKEN_BRACKETS: unknown[] = [
  { stopPrice: 0 },
  {
    stopPrice: 90,
    takeProfits: [
      { price: 110, fraction: 0.7 },
      { price: 120, fraction: 0.5 },
    ],
  },
  { stopPrice: 90, takeProfits: [{ price: 110, fraction: 1.5 }] },
  { stopPrice: 90, takeProfits: Array.from({ length: 5 }, (_, i) => ({ price: 110 + i, fraction: 0.1 })) },
  { stopPrice: 90, breakEvenAfterFirst: 'yes' },
  { stopPrice: 90, stopTrailingPct: 51 },
  { stopPrice: 90, takeProfits: { price: 110, fraction: 1 } },
  { stopPrice: 130, takeProfits: [{ price: 120, fraction: 1 }] },
  { takeProfits: [] },
  [],
  'bracket',
  null,
];

/**
 * An entry's bracket: valid for a long (stop below the take-profits) or a short, or broken in a way the
 * schema refuses (a field out of range, fractions over the whole, too many legs, the wrong kind).
 */
const bracket = pick(
  [
    // Mostly none (explicitly undefined when the key is drawn): most intents carry no bracket.
    ...Array.from({ length: 12 }, () => undefined),
    { stopPrice: 90 },
    {
      stopPrice: 90,
      takeProfits: [
        { price: 110, fraction: 0.5 },
        { price: 120, fraction: 0.5 },
      ],
      breakEvenAfterFirst: true,
    },
    { stopPrice: 110, takeProfits: [{ price: 80, fraction: 1 }] },
    { stopPrice: 90, stopTrailingPct: 3, breakEvenAfterFirst: false, takeProfits: [] },
  ],
  BROKEN_BRACKETS,
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
    bracket,
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

// What IntentFactory.add (shared/strategies/strategy.ts) did before its fast path built the intent
// itself: merge the strategy's fields over the defaults, set the factory's own, and parse.
const strategyFields = fc.record(
  {
    symbol: pick(['BTCUSDT', 'ETHUSDT', undefined], ['btcusdt']),
    market: pick(['futures', 'futures', 'spot'], ['margin']),
    side: pick(['buy', 'sell'], ['hold']),
    type: pick(['market', 'limit', 'stop_market', 'take_profit_market'], ['stop_limit']),
    quantity: pick([0.001, 1, 2.5], [0, -1, Number.NaN, '1']),
    price: pick([100, undefined], [0, '100']),
    stopPrice: pick([90, undefined], [0, Number.POSITIVE_INFINITY]),
    reduceOnly: pick([true, false, undefined], ['yes']),
    leverage: pick([1, 3, 20, 125, undefined], [21, 2.5, 0]),
    marginMode: pick(['isolated', 'cross', undefined], ['portfolio']),
    reason: pick(['grid buy 1', 'r'.repeat(200), undefined], ['r'.repeat(201), 5]),
    trailingStopPct: pick([3, 50, undefined], [51, 0]),
    bracket,
  },
  { requiredKeys: ['market', 'side', 'type', 'quantity'] },
);
/** Fields as strategies pass them (a limit, a market order, a reduce-only stop), with or without the
 * optional ones: most of these are accepted, so the accepting side is reached often. */
const usualFields = fc
  .tuple(
    fc.constantFrom(
      { market: 'futures', side: 'buy', type: 'limit', quantity: 0.002, price: 59_880, reason: 'grid buy 1' },
      { market: 'futures', side: 'sell', type: 'market', quantity: 0.002, reduceOnly: true },
      { market: 'spot', side: 'buy', type: 'market', quantity: 1 },
      // volatility_breakout's entry: a market order carrying its bracket.
      {
        market: 'futures',
        side: 'buy',
        type: 'market',
        quantity: 0.002,
        bracket: {
          stopPrice: 59_000,
          takeProfits: [
            { price: 60_500, fraction: 0.5 },
            { price: 61_000, fraction: 0.5 },
          ],
          breakEvenAfterFirst: true,
        },
      },
      {
        market: 'futures',
        side: 'sell',
        type: 'stop_market',
        quantity: 0.002,
        stopPrice: 59_280,
        reduceOnly: true,
      },
    ),
    fc.record(
      { symbol: fc.constantFrom('ETHUSDT', undefined), leverage: fc.constantFrom(5, 125, undefined) },
      { requiredKeys: [] },
    ),
  )
  .map(([order, extra]) => ({ ...order, ...extra }));

/** Now and then a key the factory sets itself (the merge overrides it), one the fast path leaves to
 * the schema, or one the schema strips. */
const oddKey = fc.option(
  fc.constantFrom<Record<string, unknown>>(
    { id: 'ac-from-the-strategy' },
    { createdAt: -1 },
    { strategy: 'Grid' },
    { bracketOf: 'ac-0123456789abcdef0123456789abcdef' },
    { extra: 1 },
    // A bracket the schema accepts but reshapes (strips a key, fills a default for an explicit
    // undefined): left to the schema.
    { bracket: { stopPrice: 1, extra: 1 } },
    { bracket: { stopPrice: 1, takeProfits: undefined } },
    { bracket: { stopPrice: 1, takeProfits: [{ price: 2, fraction: 1, note: 'x' }] } },
  ),
  { freq: 4 },
);

describe('a bracket the schema refuses is refused on an otherwise valid entry', () => {
  it('each broken bracket: no fast answer, and the factory throws the schema error', () => {
    const entry = { market: 'futures', side: 'buy', type: 'market', quantity: 0.01 } as const;
    for (const b of BROKEN_BRACKETS) {
      const x = {
        ...entry,
        bracket: b,
        id: 'ac-0123456789abcdef0123456789abcdef',
        strategy: 'volatility_breakout',
        symbol: 'BTCUSDT',
        leverage: 10,
        marginMode: 'isolated',
        createdAt: 1,
      };
      expect(OrderIntentSchema.safeParse(x).success, JSON.stringify(b)).toBe(false);
      expect(plainlyValidIntent(x), JSON.stringify(b)).toBeUndefined();
      const factory = new IntentFactory(
        'volatility_breakout',
        { symbol: 'BTCUSDT', time: 1 },
        {
          leverage: 10,
          marginMode: 'isolated',
        },
      );
      expect(() => factory.add({ ...entry, bracket: b } as never)).toThrow(ZodError);
    }
  });
});

describe('IntentFactory.add ≡ the schema parse of its merged input', () => {
  it('throws exactly when the parse fails, else returns the parse output, key order included', () => {
    let plain = 0;
    let withBracket = 0;
    fc.assert(
      fc.property(
        fc.oneof(strategyFields, usualFields),
        oddKey,
        fc.constantFrom(3, 3, 0, 30),
        fc.constantFrom('isolated', 'cross'),
        fc.constantFrom(1_700_000_000_000, 1_700_000_000_000, 1.5),
        fc.integer({ min: 0, max: 9 }),
        (own, odd, leverage, marginMode, time, dice) => {
          const fields = { ...own, ...odd };
          // Now and then the fields come on an object with a prototype (only own keys are merged).
          const p = dice === 0 ? Object.assign(Object.create({ price: 5 }), fields) : fields;
          const view = { symbol: 'BTCUSDT', time };
          const symbol = (fields.symbol as string | undefined) ?? view.symbol;
          const merged = {
            leverage,
            marginMode,
            ...p,
            id: makeIntentId({ source: 'grid', symbol, tickTime: time, sequence: 0 }),
            strategy: 'grid',
            symbol,
            createdAt: time,
          };
          const slow = OrderIntentSchema.safeParse(merged);
          const factory = new IntentFactory('grid', view, { leverage, marginMode });
          if (!slow.success) {
            expect(() => factory.add(p as never)).toThrow(ZodError);
            return;
          }
          if (odd === null && dice !== 0) plain++;
          const fast = factory.add(p as never);
          if (fast.bracket) withBracket++;
          expect(Object.keys(fast)).toEqual(Object.keys(slow.data));
          expect(fast).toStrictEqual(slow.data);
          expect(factory.intents).toEqual([fast]);
        },
      ),
      { numRuns: 20_000 },
    );
    // Plain fields the schema accepts — what the fast path answers for — are reached often enough.
    expect(plain).toBeGreaterThan(200);
    expect(withBracket).toBeGreaterThan(200);
  });
});
