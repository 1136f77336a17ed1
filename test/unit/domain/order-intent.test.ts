import { describe, expect, it } from 'vitest';
import { allowedLeverage, leverageBracketsFor } from '../../../shared/domain/leverage-brackets.ts';
import { makeIntentId, OrderIntentSchema } from '../../../shared/domain/order.ts';

const base = {
  id: makeIntentId({ source: 'grid', symbol: 'BTCUSDT', tickTime: 1_788_094_800_000, sequence: 0 }),
  strategy: 'grid',
  symbol: 'BTCUSDT',
  market: 'futures',
  side: 'buy',
  type: 'market',
  quantity: 0.01,
  leverage: 5,
  marginMode: 'isolated',
  createdAt: 1_788_094_800_000,
};

describe('makeIntentId', () => {
  it('is deterministic, distinct per sequence, and a valid Binance clientOrderId', () => {
    const a = makeIntentId({ source: 'grid', symbol: 'BTCUSDT', tickTime: 1, sequence: 0 });
    expect(makeIntentId({ source: 'grid', symbol: 'BTCUSDT', tickTime: 1, sequence: 0 })).toBe(a);
    expect(makeIntentId({ source: 'grid', symbol: 'BTCUSDT', tickTime: 1, sequence: 1 })).not.toBe(a);
    expect(a).toMatch(/^[.A-Z:/a-z0-9_-]{1,36}$/);
  });
});

describe('OrderIntentSchema', () => {
  it('accepts a market order and defaults reduceOnly to false', () => {
    expect(OrderIntentSchema.parse(base).reduceOnly).toBe(false);
  });

  it.each([
    ['a negative quantity', { quantity: -1 }, 'quantity'],
    ['a NaN quantity', { quantity: Number.NaN }, 'quantity'],
    ['a lower-case symbol', { symbol: 'btcusdt' }, 'symbol'],
    ['a limit order without price', { type: 'limit' }, 'price'],
    ['a stop without stopPrice', { type: 'stop_market', reduceOnly: true }, 'stopPrice'],
    ['a market order with a stopPrice', { stopPrice: 10 }, 'stopPrice'],
    ['a reduce-only spot order', { market: 'spot', reduceOnly: true }, 'market'],
    ['an id Binance would refuse', { id: 'has spaces and is far too long for binance!!' }, 'id'],
    ['leverage 0', { leverage: 0 }, 'leverage'],
  ])('rejects %s, naming the field', (_name, patch, field) => {
    const r = OrderIntentSchema.safeParse({ ...base, ...patch });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path[0])).toContain(field);
  });
});

describe('allowedLeverage', () => {
  it('caps by the product maximum and by the tier of the notional', () => {
    const btc = leverageBracketsFor('BTCUSDT');
    expect(allowedLeverage({ requested: 10, productMax: 20, notional: 10_000, brackets: btc })).toBe(10);
    expect(allowedLeverage({ requested: 50, productMax: 20, notional: 10_000, brackets: btc })).toBe(20);
    // 150 M USDT is tier 7 on BTCUSDT: max 10x.
    expect(allowedLeverage({ requested: 20, productMax: 20, notional: 150_000_000, brackets: btc })).toBe(10);
  });
});
