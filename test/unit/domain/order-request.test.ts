// orderRequestFor is what every intent becomes at the exchange (live executor and backtester alike):
// the intent's order fields, a price only for what carries one, its reduce-only flag — in one key order,
// whichever fields are present (it is built key by key for speed; the order is what a reader and a
// serialised request see).
import { describe, expect, it } from 'vitest';
import type { OrderIntent } from '../../../shared/domain/order.ts';
import { orderRequestFor } from '../../../shared/ports/exchange.ts';

const base: OrderIntent = {
  id: 'ac-req-1',
  strategy: 'grid',
  symbol: 'BTCUSDT',
  market: 'futures',
  side: 'buy',
  type: 'market',
  quantity: 0.01,
  reduceOnly: false,
  leverage: 3,
  marginMode: 'isolated',
  createdAt: 1,
  reason: 'test',
};

describe('orderRequestFor', () => {
  it('a market order: no price fields, nothing of the intent but the order', () => {
    const r = orderRequestFor(base);
    expect(Object.keys(r)).toEqual([
      'clientOrderId',
      'symbol',
      'market',
      'side',
      'type',
      'quantity',
      'reduceOnly',
    ]);
    expect(r).toEqual({
      clientOrderId: 'ac-req-1',
      symbol: 'BTCUSDT',
      market: 'futures',
      side: 'buy',
      type: 'market',
      quantity: 0.01,
      reduceOnly: false,
    });
  });
  it('a limit carries its price, a stop its stop price, before the reduce-only flag', () => {
    const limit = orderRequestFor({ ...base, type: 'limit', price: 100 });
    expect(Object.keys(limit).slice(5)).toEqual(['quantity', 'price', 'reduceOnly']);
    expect(limit.price).toBe(100);
    const stop = orderRequestFor({
      ...base,
      type: 'stop_market',
      stopPrice: 90,
      reduceOnly: true,
      side: 'sell',
    });
    expect(Object.keys(stop).slice(5)).toEqual(['quantity', 'stopPrice', 'reduceOnly']);
    expect(stop).toMatchObject({ stopPrice: 90, reduceOnly: true, side: 'sell' });
    expect('price' in stop).toBe(false);
  });
});
