// Emergency close (close_all) against the simulator: what it cancels, what it closes, when it is done.
import { describe, expect, it } from 'vitest';
import { RetryLater } from '../../../shared/app/execute-intent.ts';
import { InvalidOrder } from '../../../shared/ports/exchange-errors.ts';
import { candles } from '../../support/candles.ts';
import { executorHarness } from './executor-harness.ts';

/** 60,000 at the open, a dip to 57,000 inside the first hour, then flat. */
const dip = candles([
  [60_000, 60_100, 57_000, 59_000],
  [59_000, 59_000, 59_000, 59_000],
  [59_000, 59_000, 59_000, 59_000],
]);

describe('close_all', () => {
  it('defect 1: cancels every resting entry order (futures and spot) before closing; the dip opens nothing', async () => {
    const h = executorHarness({ candles: dip, initialSpot: { USDT: 1_000, BTC: 0.5 } });
    expect((await h.place({ quantity: 0.01 })).kind).toBe('placed');
    for (const price of [59_000, 58_500, 58_000])
      expect((await h.place({ type: 'limit', price, quantity: 0.01 })).kind).toBe('placed');
    expect((await h.place({ market: 'spot', type: 'limit', price: 58_000, quantity: 0.001 })).kind).toBe(
      'placed',
    );
    expect(
      (await h.place({ side: 'sell', type: 'stop_market', stopPrice: 50_000, reduceOnly: true })).kind,
    ).toBe('placed');
    const calls: string[] = [];
    const { cancelOrder, createOrder } = h.fx.exchange;
    h.fx.exchange.cancelOrder = (symbol, id, market) => {
      calls.push(`cancel ${market ?? 'futures'}`);
      return cancelOrder(symbol, id, market);
    };
    h.fx.exchange.createOrder = (r) => {
      calls.push(`create ${r.side}${r.reduceOnly ? ' reduce-only' : ''}`);
      return createOrder(r);
    };

    await h.deps.store.setHalt(true, 'emergency close', h.clock.now(), 0);
    const out = await h.closeAll();

    expect(out).toMatchObject({ kind: 'closed_all', closed: ['BTCUSDT'] });
    // Entries first (3 futures limits + 1 spot limit), then the reduce-only close; the stop is left to
    // protect the position until it is closed.
    expect(calls).toEqual([
      'cancel futures',
      'cancel futures',
      'cancel futures',
      'cancel spot',
      'create sell reduce-only',
    ]);
    expect(h.events('OrderCancelled')).toHaveLength(4);
    expect(await h.fx.exchange.fetchOpenOrders(undefined, 'futures')).toEqual([]);
    expect(await h.fx.exchange.fetchOpenOrders(undefined, 'spot')).toEqual([]);

    h.sim.advance(); // the dip through every former limit price
    expect(h.sim.ledger.positions.size).toBe(0);
    // defect 3: the coins in the spot wallet are not the emergency close's to sell.
    expect(h.sim.ledger.spot.get('BTC')).toBe(0.5);
  });

  it('defect 13: a close that is rejected leaves close_all retryable and alerted, not DONE; the retry closes', async () => {
    const h = executorHarness();
    expect((await h.place({ quantity: 0.01 })).kind).toBe('placed');
    h.fx.before.push(() => {
      throw new InvalidOrder('client order id is not valid (-4015)');
    });
    const id = 'close-all-defect-13';

    await expect(h.closeAll(id)).rejects.toBeInstanceOf(RetryLater);
    expect((await h.deps.store.getIntent(id))?.status).not.toBe('DONE');
    expect(h.events('CloseAllIncomplete')).toEqual([
      expect.objectContaining({ intentId: id, openPositions: ['BTCUSDT'] }),
    ]);
    expect(h.sim.ledger.positions.has('BTCUSDT')).toBe(true);

    h.clock.t += 5_000; // the redelivery
    expect(await h.closeAll(id)).toMatchObject({ kind: 'closed_all', closed: ['BTCUSDT'] });
    expect((await h.deps.store.getIntent(id))?.status).toBe('DONE');
    expect(h.sim.ledger.positions.size).toBe(0);
  });

  it('defect 13: a failed cancel of an entry order keeps close_all retryable even when positions are flat', async () => {
    const h = executorHarness();
    expect((await h.place({ type: 'limit', price: 59_000, quantity: 0.01 })).kind).toBe('placed');
    const { cancelOrder } = h.fx.exchange;
    h.fx.exchange.cancelOrder = async () => {
      throw new InvalidOrder('service temporarily refused the cancel');
    };
    await expect(h.closeAll('close-all-cancel-fails')).rejects.toBeInstanceOf(RetryLater);
    expect(h.events('CancelFailed')).toHaveLength(1);
    expect(h.events('CloseAllIncomplete')[0]).toMatchObject({ failedCancels: [expect.any(String)] });

    h.fx.exchange.cancelOrder = cancelOrder;
    expect((await h.closeAll('close-all-cancel-fails')).kind).toBe('closed_all');
    expect(await h.fx.exchange.fetchOpenOrders()).toEqual([]);
  });

  it('defect 4: close_all and reduce-only orders do not need the account to be valued', async () => {
    const h = executorHarness({ initialSpot: { USDT: 100, XYZ: 3 } });
    expect((await h.place({ quantity: 0.01 })).kind).toBe('placed');
    // Balances cannot be read at all (e.g. the key lacks spot permission): valuation is impossible.
    h.fx.exchange.fetchBalances = async () => {
      throw new InvalidOrder('spot wallet unavailable');
    };
    expect(
      (await h.place({ side: 'sell', type: 'stop_market', stopPrice: 55_000, reduceOnly: true })).kind,
    ).toBe('placed');
    expect(await h.closeAll()).toMatchObject({ kind: 'closed_all', closed: ['BTCUSDT'] });
    expect(h.sim.ledger.positions.size).toBe(0);
  });

  it('defect 8: close_all still closes a position opened by hand at a leverage above the 20x cap', async () => {
    const h = executorHarness();
    h.sim.setLeverage('BTCUSDT', 50); // set by hand on the exchange
    h.sim.createOrder({
      clientOrderId: 'by-hand-1',
      symbol: 'BTCUSDT',
      market: 'futures',
      side: 'buy',
      type: 'market',
      quantity: 0.01,
    });
    expect(await h.closeAll()).toMatchObject({ kind: 'closed_all', closed: ['BTCUSDT'] });
    expect(h.sim.ledger.positions.size).toBe(0);
  });
});
