// The order book shows its orders without `seq` by an explicit copy (strip) rather than a rest spread,
// and builds new orders by one literal per shape (newSimOrder): both for speed. What a reader sees must
// not change: every key the order carries, in the same order, with the same values, for every shape an
// order takes over its life (new limit / stop / market, filled with averagePrice, a spot buy's
// commission, cancelled, expired).
import { describe, expect, it } from 'vitest';
import { newSimOrder, type SimOrder, STRIPPED_KEYS, strip } from '../../../shared/adapters/sim/order-book.ts';
import { Simulator } from '../../../shared/adapters/sim/simulator.ts';
import { FuturesOrderSchema } from '../../../shared/domain/order.ts';
import type { OrderRequest } from '../../../shared/ports/exchange.ts';
import { candles, funding } from '../../support/candles.ts';

/** The generic copy strip() replaces: the reference it must equal key for key. */
function restCopy(o: SimOrder) {
  const { seq: _seq, ...rest } = o;
  return rest;
}

const sameShown = (o: SimOrder) => {
  const shown = strip(o);
  expect(Object.keys(shown)).toEqual(Object.keys(restCopy(o)));
  expect(shown).toEqual(restCopy(o));
};

describe('strip: the order as shown equals the rest-spread copy, key order included', () => {
  it('lists every key of the order schema (a new key must be added to the copy)', () => {
    expect([...STRIPPED_KEYS].sort()).toEqual(Object.keys(FuturesOrderSchema.shape).sort());
  });

  const base: OrderRequest = {
    clientOrderId: 'ac-strip-1',
    symbol: 'BTCUSDT',
    market: 'futures',
    side: 'buy',
    type: 'market',
    quantity: 0.01,
  };
  it('new orders of each shape', () => {
    for (const req of [
      base,
      { ...base, type: 'limit', price: 100 },
      { ...base, type: 'stop_market', stopPrice: 90, reduceOnly: true },
      { ...base, type: 'take_profit_market', stopPrice: 110 },
    ] as OrderRequest[]) {
      const o = newSimOrder(req, 7, req.reduceOnly ?? false, 1_000);
      // The order's own key order (what saveState writes): the optional price between the fill
      // quantity and the reduce-only flag.
      const priced = req.price !== undefined ? ['price'] : req.stopPrice !== undefined ? ['stopPrice'] : [];
      expect(Object.keys(o)).toEqual([
        ...['clientOrderId', 'exchangeOrderId', 'seq', 'symbol', 'market', 'side', 'type', 'status'],
        ...['quantity', 'filledQuantity', ...priced, 'reduceOnly', 'fee', 'createdAt', 'updatedAt'],
      ]);
      sameShown(o);
      // A fill adds its price, fee and (spot) commission at the end; a cancel changes status only.
      sameShown({
        ...o,
        status: 'filled',
        filledQuantity: 0.01,
        averagePrice: 101,
        fee: 0.5,
        updatedAt: 2_000,
      });
      sameShown({
        ...o,
        status: 'filled',
        averagePrice: 101,
        commission: { asset: 'BTC', amount: 0.00001 },
      });
      sameShown({ ...o, status: 'canceled', updatedAt: 3_000 });
    }
  });

  it('every order a simulated run creates, fills and cancels', () => {
    // Bars swinging 98–103 around 100: the sell limit at 101 fills, the stop at 90 never triggers.
    const rows = Array.from({ length: 10 }, () => [100, 103, 98, 100] as const);
    const sim = new Simulator({ data: { BTCUSDT: { candles: candles(rows), funding: funding([]) } } });
    const ids: string[] = [];
    const place = (r: Omit<OrderRequest, 'clientOrderId' | 'symbol'>) => {
      const id = `ac-run-${ids.length}`;
      ids.push(id);
      const shown = sim.createOrder({ ...r, clientOrderId: id, symbol: 'BTCUSDT' } as OrderRequest);
      expect(sim.orderByClientId('BTCUSDT', id)).toEqual(shown);
    };
    place({ market: 'futures', side: 'buy', type: 'market', quantity: 2 });
    place({ market: 'futures', side: 'sell', type: 'limit', quantity: 1.5, price: 101 });
    place({
      market: 'futures',
      side: 'sell',
      type: 'stop_market',
      quantity: 2,
      stopPrice: 90,
      reduceOnly: true,
    });
    place({ market: 'futures', side: 'buy', type: 'limit', quantity: 2, price: 95 });
    sim.cancelOrder('BTCUSDT', ids[3]!);
    for (let k = 0; k < 5; k++) sim.advance();
    const book = sim.saveState().orders;
    expect(book.length).toBe(4);
    for (const o of book) sameShown(o);
    expect(book.map((o) => o.status)).toEqual(['filled', 'filled', 'new', 'canceled']);
  });
});
