// bracketLegs validates its legs through the intents' fast path (shared/domain/intent-fast-path.ts)
// with OrderIntentSchema behind it: held here against the schema itself — one parse per leg of the
// fields the legs are made of — for entries valid or broken in any field a leg inherits (an id too
// long to be a bracketOf, a bad strategy, symbol, leverage, margin mode, creation time), trailing or
// not, one to four take-profits: the same legs, key order included, or the same error class.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import {
  type Bracket,
  bracketLegId,
  bracketLegs,
  takeProfitQuantities,
} from '../../../shared/domain/bracket.ts';
import { newBracketTrack } from '../../../shared/domain/bracket-plan.ts';
import { type OrderIntent, OrderIntentSchema } from '../../../shared/domain/order.ts';
import { intent } from '../../support/intents.ts';

/** The legs as the schema makes them: the stop for the whole entry, then each take-profit. */
function schemaLegs(parent: OrderIntent, stepSize: number): OrderIntent[] {
  const b = parent.bracket!;
  const common = {
    strategy: parent.strategy,
    symbol: parent.symbol,
    market: 'futures',
    side: parent.side === 'buy' ? 'sell' : 'buy',
    reduceOnly: true,
    leverage: parent.leverage,
    marginMode: parent.marginMode,
    createdAt: parent.createdAt,
    bracketOf: parent.id,
  };
  const stop = OrderIntentSchema.parse({
    ...common,
    id: bracketLegId(parent.id, 'stop:0'),
    type: 'stop_market',
    quantity: parent.quantity,
    stopPrice: b.stopPrice,
    ...(b.stopTrailingPct !== undefined ? { trailingStopPct: b.stopTrailingPct } : {}),
    reason: b.stopTrailingPct !== undefined ? 'bracket trailing stop' : 'bracket stop',
  });
  const sizes = takeProfitQuantities(parent.quantity, b.takeProfits, stepSize);
  return [
    stop,
    ...b.takeProfits.map((t, i) =>
      OrderIntentSchema.parse({
        ...common,
        id: bracketLegId(parent.id, `tp:${i}`),
        type: 'take_profit_market',
        quantity: sizes[i],
        stopPrice: t.price,
        reason: `bracket take-profit ${i + 1} of ${b.takeProfits.length}`,
      }),
    ),
  ];
}

const pick = (valid: unknown[], broken: unknown[]) =>
  fc.oneof(
    { arbitrary: fc.constantFrom(...valid), weight: 8 },
    { arbitrary: fc.constantFrom(...broken), weight: 1 },
  );

const parent = fc
  .record({
    id: pick(['ac-0123456789abcdef0123456789abcdef', 'x', 'a'.repeat(36)], ['a'.repeat(37), '']),
    strategy: pick(['volatility_breakout', 'telegram:42'], ['Grid', '']),
    symbol: pick(['BTCUSDT', 'ETHUSDT'], ['btcusdt']),
    side: fc.constantFrom('buy', 'sell'),
    quantity: pick([0.01, 0.004, 1.5], [0, Number.NaN]),
    leverage: pick([1, 5, 20], [0, 2.5, 126]),
    marginMode: pick(['isolated', 'cross'], ['portfolio']),
    createdAt: pick([0, 1_700_000_000_000], [-1, 1.5]),
    stopPrice: pick([58_000, 0.5], [0, -1]),
    trailing: fc.option(pick([3, 50], [0, 51]), { nil: undefined }),
    tps: fc.array(
      fc.record({ price: pick([63_000, 2], [0]), fraction: fc.constantFrom(0.25, 0.5, 1 / 3, 1) }),
      { maxLength: 4 },
    ),
  })
  .map(
    (p) =>
      ({
        id: p.id,
        strategy: p.strategy,
        symbol: p.symbol,
        market: 'futures',
        side: p.side,
        type: 'market',
        quantity: p.quantity,
        reduceOnly: false,
        leverage: p.leverage,
        marginMode: p.marginMode,
        createdAt: p.createdAt,
        bracket: {
          stopPrice: p.stopPrice,
          takeProfits: p.tps,
          breakEvenAfterFirst: false,
          ...(p.trailing !== undefined ? { stopTrailingPct: p.trailing } : {}),
        },
      }) as OrderIntent,
  );

/** A 0.01 BTC long market entry by the trader at 5x isolated, validated, with `bracket`. */
const btcEntry = (bracket: Bracket) =>
  intent({ strategy: 'telegram', symbol: 'BTCUSDT', side: 'buy', bracket }, 1);

function outcome(f: () => OrderIntent[]): { legs: string } | { error: string } {
  try {
    // JSON keeps the key order: the legs must be the schema's output, not just deep-equal to it.
    return { legs: JSON.stringify(f()) };
  } catch (err) {
    if (err instanceof ZodError) return { error: 'ZodError' };
    if (err instanceof Error) return { error: err.name };
    throw err;
  }
}

describe('bracketLegs ≡ OrderIntentSchema on each leg', () => {
  it('the same legs (key order included) or the same refusal, for entries valid and broken (property)', () => {
    const seen = { legs: 0, refused: 0 };
    fc.assert(
      fc.property(parent, fc.constantFrom(0.001, 0.1), (p, step) => {
        const want = outcome(() => schemaLegs(p, step));
        expect(outcome(() => bracketLegs(p, step))).toEqual(want);
        if ('legs' in want) seen.legs++;
        else seen.refused++;
      }),
      { numRuns: 2_000 },
    );
    expect(seen.legs).toBeGreaterThan(100);
    expect(seen.refused).toBeGreaterThan(100);
  });

  it('an entry id over 36 characters cannot be a bracketOf: the schema refuses its legs', () => {
    const p = btcEntry({ stopPrice: 58_000, takeProfits: [], breakEvenAfterFirst: false });
    expect(() => bracketLegs({ ...p, id: 'a'.repeat(37) }, 0.001)).toThrow(ZodError);
  });
});

describe('newBracketTrack after bracketLegs (leg ids hashed once)', () => {
  it('lists the ids of the legs, whatever was asked before, and a track owns its list', () => {
    const base = btcEntry({
      stopPrice: 58_000,
      takeProfits: [
        { price: 61_000, fraction: 0.5 },
        { price: 63_000, fraction: 0.5 },
      ],
      breakEvenAfterFirst: false,
    });
    const one = { ...base, bracket: { ...base.bracket!, takeProfits: [base.bracket!.takeProfits[0]!] } };
    const ids = (n: number) => [
      bracketLegId(base.id, 'stop:0'),
      ...Array.from({ length: n }, (_, i) => bracketLegId(base.id, `tp:${i}`)),
    ];
    expect(bracketLegs(base, 0.001).map((l) => l.id)).toEqual(ids(2));
    const first = newBracketTrack(base, 0.01, 0)!;
    expect(first.legIds).toEqual(ids(2));
    first.legIds.push('ac-edited'); // as a plan's track grows by a resized stop
    expect(newBracketTrack(base, 0.01, 0)!.legIds).toEqual(ids(2));
    const three = {
      ...base,
      bracket: {
        ...base.bracket!,
        takeProfits: [1, 2, 3].map((i) => ({ price: 60_000 + i * 1_000, fraction: 1 / 3 })),
      },
    };
    expect(newBracketTrack(three, 0.01, 0)!.legIds).toEqual(ids(3));
    expect(newBracketTrack(one, 0.01, 0)!.legIds).toEqual(ids(1));
    expect(bracketLegs(one, 0.001).map((l) => l.id)).toEqual(ids(1));
  });
});
