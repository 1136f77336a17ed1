// Binance spot charges a buy's commission in the coin bought (unless BNB pays it): buying 0.1 BTC at
// 0.1 % leaves 0.0999 BTC and the full price in USDT paid. A sell's commission is taken from the USDT
// received. (Issue 12, "Also verify": the simulator charged the buy fee in USDT.)
import { describe, expect, it } from 'vitest';
import { Simulator } from '../../../shared/adapters/sim/simulator.ts';
import { simTotalEquity } from '../../../shared/adapters/sim/snapshot.ts';
import { InsufficientMargin } from '../../../shared/ports/exchange-errors.ts';
import { flat } from '../../support/candles.ts';

const BTC = 'BTCUSDT';
const PRICE = 60_000;

function sim() {
  return new Simulator({
    data: { [BTC]: { candles: flat(3, PRICE) } },
    initialWalletUsdt: 0,
    initialSpot: { USDT: 10_000 },
    spotFee: 0.001,
  });
}

const spot = (side: 'buy' | 'sell', quantity: number, clientOrderId: string) =>
  ({ clientOrderId, symbol: BTC, market: 'spot', side, type: 'market', quantity }) as const;

describe('spot buy commission is charged in the coin bought, as on Binance', () => {
  it('a spot buy of 0.1 BTC at 0.1 % leaves 0.0999 BTC, pays 6 000 USDT, and the order reports the BTC commission', () => {
    const s = sim();
    const equityBefore = simTotalEquity(s);
    const o = s.createOrder(spot('buy', 0.1, 'buy'));
    expect(o.status).toBe('filled');
    expect(o.filledQuantity).toBe(0.1);
    expect(o.commission?.asset).toBe('BTC');
    expect(o.commission?.amount).toBeCloseTo(0.0001, 12);
    // `fee` stays the commission valued in USDT.
    expect(o.fee).toBeCloseTo(0.0001 * PRICE, 9);
    expect(s.ledger.spot.get('BTC')).toBeCloseTo(0.0999, 12);
    expect(s.ledger.spot.get('USDT')).toBeCloseTo(10_000 - 0.1 * PRICE, 9);
    // The books agree: the account lost exactly the fee, and the fee total counts it once.
    expect(simTotalEquity(s)).toBeCloseTo(equityBefore - o.fee, 9);
    expect(s.ledger.feesPaid).toBeCloseTo(o.fee, 9);
    expect(s.orderByClientId(BTC, 'buy').commission).toEqual(o.commission);
  });

  it('the coin received, not the coin ordered, is what can be sold back; the sell pays its fee in USDT', () => {
    const s = sim();
    s.createOrder(spot('buy', 0.1, 'buy'));
    expect(() => s.createOrder(spot('sell', 0.1, 'too-much'))).toThrow(InsufficientMargin);
    const sell = s.createOrder(spot('sell', 0.0999, 'sell'));
    expect(sell.commission).toBeUndefined();
    expect(sell.fee).toBeCloseTo(0.0999 * PRICE * 0.001, 9);
    expect(s.ledger.spot.get('BTC')).toBeCloseTo(0, 12);
    expect(s.ledger.spot.get('USDT')).toBeCloseTo(10_000 - 6_000 + 0.0999 * PRICE * 0.999, 9);
  });

  it('a buy needs only its price in USDT (the commission is not taken from USDT)', () => {
    const s = new Simulator({
      data: { [BTC]: { candles: flat(3, PRICE) } },
      initialSpot: { USDT: 6_000 },
    });
    expect(s.createOrder(spot('buy', 0.1, 'exact')).status).toBe('filled');
    expect(s.ledger.spot.get('USDT')).toBeCloseTo(0, 9);
  });
});
