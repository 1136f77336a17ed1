// The simulator skips the intra-candle walk when mayTrigger says nothing is in reach. That is only
// right if it is exact: whenever mayTrigger is false, the walk itself fires nothing. Held here for
// random resting orders (limits, stops, targets, both sides), positions with a liquidation price, and
// candles around them, against the real tradeCandle.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SimPosition } from '../../../shared/adapters/sim/ledger.ts';
import type { SimOrder } from '../../../shared/adapters/sim/order-book.ts';
import {
  type CandleBar,
  mayTrigger,
  type TriggerHost,
  tradeCandle,
} from '../../../shared/adapters/sim/triggers.ts';

const price = fc.double({ min: 90, max: 110, noNaN: true });

const order = fc
  .record({
    type: fc.constantFrom('limit', 'stop_market', 'take_profit_market'),
    side: fc.constantFrom('buy', 'sell'),
    level: price,
    symbol: fc.constantFrom('BTCUSDT', 'ETHUSDT'),
  })
  .map(
    ({ type, side, level, symbol }) =>
      ({
        clientOrderId: 'o',
        symbol,
        market: 'futures',
        type,
        side,
        quantity: 1,
        ...(type === 'limit' ? { price: level } : { stopPrice: level }),
        reduceOnly: type !== 'limit',
        status: 'new',
        seq: 0,
      }) as unknown as SimOrder,
  );

const bar = fc.tuple(price, price, price, price).map(([a, b, c, d]): CandleBar => {
  const high = Math.max(a, b, c, d);
  const low = Math.min(a, b, c, d);
  return { open: b, high, low, close: c };
});

describe('mayTrigger', () => {
  it('when it says nothing is in reach, walking the candle fires nothing (property)', () => {
    fc.assert(
      fc.property(
        fc.array(order, { maxLength: 6 }),
        fc.option(fc.record({ side: fc.constantFrom('long', 'short'), lp: fc.oneof(price, fc.constant(0)) })),
        bar,
        (generated, position, candle) => {
          // Distinct ids and arrival order, as the book gives them.
          const orders = generated.map((o, i) => ({ ...o, clientOrderId: `o${i}`, seq: i + 1 }));
          let events = 0;
          const host: TriggerHost = {
            openOrders: () => orders.values(),
            position: () =>
              position ? ({ symbol: 'BTCUSDT', side: position.side, quantity: 1 } as SimPosition) : undefined,
            liquidationPrice: () => position?.lp ?? 0,
            fire: (o) => {
              events++;
              // A fired order leaves the book, as the simulator's does.
              orders.splice(orders.indexOf(o), 1);
            },
            liquidate: () => {
              events++;
              position = null;
            },
          };
          const reach = mayTrigger(host, 'BTCUSDT', candle);
          tradeCandle(host, 'BTCUSDT', candle);
          if (!reach) expect(events).toBe(0);
        },
      ),
      { numRuns: 3_000 },
    );
  });

  it('by hand: a buy limit at 99 is out of reach of a 99.5–101 candle and in reach of 98.9–101', () => {
    const o = {
      symbol: 'BTCUSDT',
      market: 'futures',
      type: 'limit',
      side: 'buy',
      price: 99,
      seq: 1,
    } as unknown as SimOrder;
    const host = {
      openOrders: () => [o],
      position: () => undefined,
      liquidationPrice: () => 0,
      fire: () => {},
      liquidate: () => {},
    };
    expect(mayTrigger(host, 'BTCUSDT', { open: 100, high: 101, low: 99.5, close: 100 })).toBe(false);
    expect(mayTrigger(host, 'BTCUSDT', { open: 100, high: 101, low: 98.9, close: 100 })).toBe(true);
  });

  it('by hand: judges the liquidation on the mark candle, not the last-price one', () => {
    const pos = { symbol: 'BTCUSDT', side: 'long' } as unknown as SimPosition;
    const host = {
      openOrders: () => [],
      position: () => pos,
      liquidationPrice: () => 95,
      fire: () => {},
      liquidate: () => {},
    };
    const last = { open: 100, high: 101, low: 96, close: 100 };
    // the mark dips to 94.9 while trades stay above 96: the walk liquidates on the mark, so no skip
    expect(mayTrigger(host, 'BTCUSDT', last, { open: 100, high: 101, low: 94.9, close: 100 })).toBe(true);
    // the last price wicks to 94 while the mark holds 96: nothing to walk for
    expect(
      mayTrigger(host, 'BTCUSDT', { ...last, low: 94 }, { open: 100, high: 101, low: 96, close: 100 }),
    ).toBe(false);
  });
});
