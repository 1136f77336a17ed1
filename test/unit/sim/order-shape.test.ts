// validateShape answers a valid request without building anything (a backtest sends tens of thousands)
// and gathers every problem of a bad one into one InvalidOrder; the quick check and the full one must
// agree: what the full checks find nothing wrong with is accepted.
import { describe, expect, it } from 'vitest';
import { validateShape } from '../../../shared/adapters/sim/order-rules.ts';
import type { OrderRequest } from '../../../shared/ports/exchange.ts';
import { InvalidOrder } from '../../../shared/ports/exchange-errors.ts';

const rules = { tickSize: 0.1, stepSize: 0.001, minQuantity: 0.001 };
const limit: OrderRequest = {
  clientOrderId: 'ac-shape',
  symbol: 'BTCUSDT',
  market: 'futures',
  side: 'buy',
  type: 'limit',
  quantity: 0.01,
  price: 100.1,
};

describe('validateShape', () => {
  it('accepts a valid limit, stop and market request', () => {
    expect(() => validateShape(limit, rules, false)).not.toThrow();
    const { price: _p, ...market } = limit;
    expect(() => validateShape({ ...market, type: 'market' }, rules, false)).not.toThrow();
    expect(() =>
      validateShape({ ...market, type: 'stop_market', stopPrice: 90, side: 'sell' }, rules, true),
    ).not.toThrow();
  });

  it('names every problem of a bad request at once', () => {
    const bad = { ...limit, quantity: 0.0105, price: 100.15, stopPrice: 90 };
    expect(() => validateShape(bad, rules, false)).toThrow(InvalidOrder);
    expect(() => validateShape(bad, rules, false)).toThrow(
      /Precision is over the maximum.*price 100\.15 is not a multiple of tick 0\.1.*stopPrice is not allowed for limit/,
    );
    expect(() => validateShape({ ...limit, market: 'spot' }, rules, true)).toThrow(/never reduce-only/);
  });

  it('a market whose minimum quantity is not a number refuses nothing for it (the full checks find nothing)', () => {
    expect(() => validateShape(limit, { ...rules, minQuantity: Number.NaN }, false)).not.toThrow();
  });
});
