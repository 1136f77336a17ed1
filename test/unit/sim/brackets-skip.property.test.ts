// The backtester's brackets do not plan a bracket again while its position has the side and quantity
// its last plan saw (shared/adapters/sim/brackets.ts): they only note new stops when the book changed,
// and do nothing at all when it did not. That is only right if it is exact: held here against the live
// monitor's way — planBracket at every slot — on random trading over the shipped BTCUSDT candles:
// bracketed entries (one or two take-profits, break-even or not) whose legs fill, partial and full
// market closes that leave the book alone, flips to the other side at the same size, stops of the
// trader's own (more than a bracket remembers), cancels by hand, with the simulator's reduce-only
// cancel on close on or off. Two simulators take the same actions; after every candle their books,
// positions, fills and brackets must be the same.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { Simulator } from '../../../shared/adapters/sim/simulator.ts';
import { bracketLegs } from '../../../shared/domain/bracket.ts';
import { OrderIntentSchema } from '../../../shared/domain/order.ts';
import { type Dataset, loadDataset } from '../../../shared/market-data/dataset.ts';
import { orderRequestFor } from '../../../shared/ports/exchange.ts';
import { ExchangeError } from '../../../shared/ports/exchange-errors.ts';

const SYMBOL = 'BTCUSDT';
const CANDLES = 150;

let btc: Dataset;
beforeAll(() => {
  btc = loadDataset(SYMBOL);
});

const action = fc.oneof(
  { arbitrary: fc.constant({ kind: 'wait' as const }), weight: 6 },
  {
    arbitrary: fc.record({
      kind: fc.constant('enter' as const),
      side: fc.constantFrom('buy' as const, 'sell' as const),
      quantity: fc.integer({ min: 4, max: 40 }).map((n) => n / 1000),
      stopPct: fc.double({ min: 0.3, max: 4, noNaN: true }),
      tpPct: fc.array(fc.double({ min: 0.3, max: 4, noNaN: true }), { minLength: 0, maxLength: 2 }),
      breakEven: fc.boolean(),
    }),
    weight: 3,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('reduce' as const),
      share: fc.double({ min: 0.1, max: 0.9, noNaN: true }),
    }),
    weight: 2,
  },
  { arbitrary: fc.constant({ kind: 'close' as const }), weight: 1 },
  { arbitrary: fc.constant({ kind: 'flip' as const }), weight: 1 },
  {
    arbitrary: fc.record({ kind: fc.constant('stops' as const), count: fc.integer({ min: 1, max: 9 }) }),
    weight: 2,
  },
  { arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }), weight: 1 },
);
type Action = typeof action extends fc.Arbitrary<infer A> ? A : never;

/** Try a call on the exchange; a refusal is a refusal in both simulators alike (the outcome is compared). */
function attempt(call: () => unknown): string {
  try {
    call();
    return 'ok';
  } catch (err) {
    if (err instanceof ExchangeError) return err.name;
    throw err;
  }
}

/** One action, as the engine takes it: the entry and its legs placed in the tick that emits them. */
function act(sim: Simulator, a: Action, k: number): string[] {
  const pos = sim.ledger.positions.get(SYMBOL);
  const price = sim.price(SYMBOL);
  const id = (role: string) => `t-${k}-${role}`;
  const closeSide = pos?.side === 'long' ? 'sell' : 'buy';
  const base = { symbol: SYMBOL, market: 'futures' as const };
  const market = (clientOrderId: string, quantity: number, reduceOnly: boolean) =>
    attempt(() =>
      sim.createOrder({ ...base, clientOrderId, side: closeSide, type: 'market', quantity, reduceOnly }),
    );
  switch (a.kind) {
    case 'wait':
      return [];
    case 'enter': {
      const dir = a.side === 'buy' ? 1 : -1;
      const tick = (p: number) => Math.round(p * 10) / 10;
      const parent = OrderIntentSchema.parse({
        id: id('entry'),
        strategy: 'volatility_breakout',
        ...base,
        side: a.side,
        type: 'market',
        quantity: a.quantity,
        leverage: 5,
        marginMode: 'isolated',
        createdAt: sim.now(),
        bracket: {
          stopPrice: tick(price * (1 - (dir * a.stopPct) / 100)),
          takeProfits: a.tpPct
            .map((pct) => tick(price * (1 + (dir * pct) / 100)))
            .sort((x, y) => (x - y) * dir)
            .map((p) => ({ price: p, fraction: 1 / a.tpPct.length })),
          breakEvenAfterFirst: a.breakEven && a.tpPct.length > 1,
        },
      });
      return [parent, ...bracketLegs(parent, 0.001)].map((i) =>
        attempt(() => sim.brackets.placed(i, sim.createOrder(orderRequestFor(i)), sim.now())),
      );
    }
    case 'reduce': {
      // A market close of part of the position: the position shrinks, the book does not change.
      if (!pos) return [];
      const quantity = Math.floor(pos.quantity * a.share * 1000) / 1000;
      return quantity > 0 ? [market(id('reduce'), quantity, true)] : [];
    }
    case 'close':
      return pos ? [market(id('close'), pos.quantity, true)] : [];
    case 'flip':
      // The other side at the same size in one order: the side changes, the quantity and book do not.
      return pos ? [market(id('flip'), 2 * pos.quantity, false)] : [];
    case 'stops': {
      // The trader's own stops, far off (they stay on the book): more of them than a bracket remembers.
      if (!pos) return [];
      const dir = pos.side === 'long' ? 1 : -1;
      return Array.from({ length: a.count }, (_, i) =>
        attempt(() =>
          sim.createOrder({
            ...base,
            clientOrderId: id(`stop${i}`),
            side: closeSide,
            type: 'stop_market',
            quantity: 0.001,
            stopPrice: Math.round(price * (1 - dir * (0.3 + i / 100)) * 10) / 10,
            reduceOnly: true,
          }),
        ),
      );
    }
    case 'cancel': {
      const open = sim.openOrders(SYMBOL);
      if (open.length === 0) return [];
      return [attempt(() => sim.cancelOrder(SYMBOL, open[a.pick % open.length]!.clientOrderId))];
    }
  }
}

/** Everything a bracket can have changed, as one comparable value. */
function state(sim: Simulator) {
  return {
    open: sim.openOrders(SYMBOL),
    position: sim.ledger.positions.get(SYMBOL),
    fills: sim.ledger.fills.length,
    wallet: sim.ledger.walletBalance,
    tracks: sim.brackets.tracks(),
    orphansCancelled: sim.brackets.orphansCancelled,
    stopsResized: sim.brackets.stopsResized,
  };
}

describe('SimBrackets: the shortcut for a position as last seen', () => {
  it('changes nothing against planning every bracket at every slot (property, real candles)', () => {
    const seen = { skipped: 0, resized: 0, orphans: 0, flips: 0 };
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: btc.candles.time.length - CANDLES - 1 }),
        fc.boolean(),
        fc.array(action, { minLength: CANDLES, maxLength: CANDLES }),
        (startIndex, cancelReduceOnlyOnClose, actions) => {
          const make = () =>
            new Simulator({
              data: {
                [SYMBOL]: {
                  candles: btc.candles,
                  funding: btc.funding,
                  ...(btc.mark ? { mark: btc.mark } : {}),
                },
              },
              initialWalletUsdt: 1_000_000,
              startIndex,
              cancelReduceOnlyOnClose,
            });
          const skipping = make();
          const reference = make();
          reference.brackets.replanEverySlot = true;
          actions.forEach((a, k) => {
            if (a.kind === 'flip' && skipping.ledger.positions.has(SYMBOL)) seen.flips++;
            expect(act(skipping, a, k)).toEqual(act(reference, a, k));
            skipping.advance();
            reference.advance();
            expect(state(skipping)).toEqual(state(reference));
          });
          seen.skipped += skipping.brackets.plansSkipped;
          seen.resized += skipping.brackets.stopsResized;
          seen.orphans += skipping.brackets.orphansCancelled;
          expect(reference.brackets.plansSkipped).toBe(0);
        },
      ),
      { numRuns: 60 },
    );
    // The runs did reach what the skip must not hide: steady slots skipped, stops resized after
    // take-profits and partial closes, legs of gone positions cancelled, flips.
    expect(seen.skipped).toBeGreaterThan(0);
    expect(seen.resized).toBeGreaterThan(0);
    expect(seen.orphans).toBeGreaterThan(0);
    expect(seen.flips).toBeGreaterThan(0);
  });
});
