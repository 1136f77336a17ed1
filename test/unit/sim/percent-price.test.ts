// Binance USD-M PERCENT_PRICE filter (exchangeInfo BTCUSDT: multiplierUp 1.0500, multiplierDown 0.9500):
// a BUY limit must be ≤ mark × multiplierUp, a SELL limit ≥ mark × multiplierDown, else the order is
// refused (-4016 "Limit price can't be higher than …", -4024 "Limit price can't be lower than …").
import { describe, expect, it } from 'vitest';
import { Simulator } from '../../../shared/adapters/sim/simulator.ts';
import type { OrderRequest } from '../../../shared/ports/exchange.ts';
import { InvalidOrder } from '../../../shared/ports/exchange-errors.ts';
import { flat } from '../../support/candles.ts';

const BTC = 'BTCUSDT';
const MARK = 60_000;

function sim() {
  return new Simulator({ data: { [BTC]: { candles: flat(5, MARK) } }, defaultLeverage: 10 });
}

function limit(side: 'buy' | 'sell', price: number, clientOrderId = `l-${side}-${price}`): OrderRequest {
  return { clientOrderId, symbol: BTC, market: 'futures', side, type: 'limit', quantity: 0.05, price };
}

describe('defect 10: the simulator applies PERCENT_PRICE to limit orders', () => {
  it('defect 10: a marketable sell limit far below the mark is refused as on Binance, and nothing fills', () => {
    const s = sim();
    const wallet = s.ledger.walletBalance;
    expect(() => s.createOrder(limit('sell', MARK * 0.5, 'far'))).toThrow(InvalidOrder);
    expect(s.ledger.positions.size).toBe(0);
    expect(s.ledger.fills).toHaveLength(0);
    expect(s.ledger.walletBalance).toBe(wallet);
    expect(s.openOrders(BTC)).toHaveLength(0);
    // Binance creates no order for a refused request: the id is free for a corrected retry.
    expect(s.createOrder(limit('sell', MARK * 0.96, 'far')).status).toBe('filled');
  });

  it('defect 10: a buy limit above mark × 1.05 is refused; at the bound it is accepted', () => {
    const s = sim();
    expect(() => s.createOrder(limit('buy', MARK * 1.05 + 0.1))).toThrow(InvalidOrder);
    expect(s.createOrder(limit('buy', MARK * 1.05)).status).toBe('filled');
  });

  it('defect 10: a sell limit below mark × 0.95 is refused; at the bound it is accepted', () => {
    const s = sim();
    expect(() => s.createOrder(limit('sell', MARK * 0.95 - 0.1))).toThrow(InvalidOrder);
    expect(s.createOrder(limit('sell', MARK * 0.95)).status).toBe('filled');
  });

  it('the band bounds only the side that crosses: a deep resting buy and a high resting sell are accepted', () => {
    const s = sim();
    expect(s.createOrder(limit('buy', MARK * 0.5)).status).toBe('new');
    expect(s.createOrder(limit('sell', MARK * 2)).status).toBe('new');
    expect(s.openOrders(BTC)).toHaveLength(2);
  });

  it('reduce-only limits obey the band too (Binance filters every LIMIT)', () => {
    const s = sim();
    s.createOrder({
      clientOrderId: 'open',
      symbol: BTC,
      market: 'futures',
      side: 'buy',
      type: 'market',
      quantity: 0.05,
    });
    expect(() => s.createOrder({ ...limit('sell', MARK * 0.9, 'ro'), reduceOnly: true })).toThrow(
      InvalidOrder,
    );
    expect(s.ledger.positions.get(BTC)?.quantity).toBe(0.05);
  });
});
