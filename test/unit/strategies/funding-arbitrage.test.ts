import { describe, expect, it } from 'vitest';
import type { FundingArbitrageState } from '../../../shared/strategies/funding-arbitrage.ts';
import { fundingArbitrage } from '../../../shared/strategies/funding-arbitrage.ts';
import { flat, T0 } from '../../support/candles.ts';
import { accountWith, openOrder, positionOf, viewAt } from '../../support/strategy-harness.ts';

const params = fundingArbitrage.paramsSchema.parse({});
const c = flat(10, 60_000);

describe('funding_arbitrage', () => {
  it('funding 0.05 % → short perp and buy spot of equal quantity, 2x, with a protective stop', () => {
    const out = fundingArbitrage.evaluate({
      view: viewAt(c, 5, { fundingRate: 0.0005 }),
      account: accountWith(),
      params,
      state: undefined,
    });
    const [perp, spot, stop] = out.intents;
    expect(perp).toMatchObject({
      market: 'futures',
      side: 'sell',
      type: 'market',
      leverage: 2,
      reduceOnly: false,
    });
    expect(spot).toMatchObject({ market: 'spot', side: 'buy', type: 'market' });
    expect(spot!.quantity).toBe(perp!.quantity);
    // 20 % of 10,000 at 60,000 = 0.0333… → 0.033 on the 0.001 futures step (also valid on spot's 0.00001).
    expect(perp!.quantity).toBe(0.033);
    expect(stop).toMatchObject({
      market: 'futures',
      side: 'buy',
      type: 'stop_market',
      reduceOnly: true,
      stopPrice: 69_000,
    });
    expect(out.state.hedge?.stopId).toBe(stop!.id);
    // The spot leg is booked once its fill is known (next tick), not from what was asked.
    expect(out.state.spot).toEqual({
      quantity: 0,
      pending: { id: spot!.id, side: 'buy', sentAt: spot!.createdAt },
    });
  });

  it('stays out below the entry threshold', () => {
    const out = fundingArbitrage.evaluate({
      view: viewAt(c, 5, { fundingRate: 0.0002 }),
      account: accountWith(),
      params,
      state: undefined,
    });
    expect(out.intents).toEqual([]);
  });

  const hedged = (extra = {}) =>
    accountWith({
      position: positionOf({ side: 'short', quantity: 0.033, entryPrice: 60_000 }),
      spotBase: 0.033,
      openOrders: [openOrder('stop-1', { type: 'stop_market', reduceOnly: true })],
      ...extra,
    });
  const state = {
    hedge: { quantity: 0.033, entryBasisPct: 0, stopId: 'stop-1' },
    spot: { quantity: 0.033 },
  };

  it('funding drops to 0.005 % → both legs closed and the stop cancelled', () => {
    const out = fundingArbitrage.evaluate({
      view: viewAt(c, 6, { fundingRate: 0.00005 }),
      account: hedged(),
      params,
      state,
    });
    expect(out.intents.map((i) => [i.market, i.side, i.type, i.quantity, i.reduceOnly])).toEqual([
      ['futures', 'buy', 'market', 0.033, true],
      ['spot', 'sell', 'market', 0.033, false],
    ]);
    expect(out.cancels).toEqual(['stop-1']);
    // The hedge is over; its coins stay booked until the sell is seen filled.
    expect(out.state).toEqual({
      spot: {
        quantity: 0.033,
        pending: { id: out.intents[1]!.id, side: 'sell', sentAt: out.intents[1]!.createdAt },
      },
    });
  });

  it('exits before a funding time whose predicted rate turned negative', () => {
    const view = viewAt(c, 7, { fundingRate: -0.0001, nextFundingTime: T0 + 7 * 3_600_000 + 30 * 60_000 });
    const out = fundingArbitrage.evaluate({
      view,
      account: hedged(),
      params: { ...params, exitFundingRate: -0.001 },
      state,
    });
    expect(out.notes.join()).toMatch(/negative 30 min before funding/);
    expect(out.intents).toHaveLength(2);
  });

  it('exits when the basis widens against the hedge beyond the limit', () => {
    const view = viewAt(c, 7, { fundingRate: 0.0004, spotPrice: 59_600 });
    const out = fundingArbitrage.evaluate({ view, account: hedged(), params, state });
    expect(out.notes.join()).toMatch(/basis widened/);
    expect(out.intents).toHaveLength(2);
  });

  it('a failed spot leg leaves an alert and a flatten intent, never a naked short', () => {
    const out = fundingArbitrage.evaluate({
      view: viewAt(c, 6, { fundingRate: 0.0005 }),
      account: hedged({ spotBase: 0 }),
      params,
      state,
    });
    expect(out.notes.join()).toMatch(/ALERT hedge leg missing/);
    expect(out.intents).toEqual([
      expect.objectContaining({ market: 'futures', side: 'buy', reduceOnly: true, quantity: 0.033 }),
    ]);
  });
});

describe('defect 3: funding_arbitrage trades only the spot coins it bought itself', () => {
  const short = positionOf({ side: 'short', quantity: 0.033, entryPrice: 60_000 });
  const stop = openOrder('stop-1', { type: 'stop_market', reduceOnly: true });

  it('BTC the trader held before the bot started is not a stray leg: nothing is sold', () => {
    const out = fundingArbitrage.evaluate({
      view: viewAt(c, 5, { fundingRate: 0.0002 }),
      account: accountWith({ spotBase: 0.5 }),
      params,
      state: undefined,
    });
    expect(out.intents).toEqual([]);
  });

  it('with the trader’s 0.5 BTC in the wallet, the exit sells exactly the 0.033 the hedge bought', () => {
    const out = fundingArbitrage.evaluate({
      view: viewAt(c, 6, { fundingRate: 0.00005 }),
      account: accountWith({ position: short, spotBase: 0.533, openOrders: [stop] }),
      params,
      state: { hedge: { quantity: 0.033, entryBasisPct: 0, stopId: 'stop-1' }, spot: { quantity: 0.033 } },
    });
    expect(out.intents.filter((i) => i.market === 'spot')).toEqual([
      expect.objectContaining({ side: 'sell', quantity: 0.033 }),
    ]);
  });

  it('books the spot buy from what filled, less the fee Binance charges in the coin bought', () => {
    const entry = fundingArbitrage.evaluate({
      view: viewAt(c, 5, { fundingRate: 0.0005 }),
      account: accountWith({ spotBase: 0.5 }),
      params,
      state: undefined,
    });
    const buy = entry.intents.find((i) => i.market === 'spot')!;
    const filled = openOrder(buy.id, {
      market: 'spot',
      type: 'market',
      status: 'filled',
      quantity: 0.033,
      filledQuantity: 0.033,
      commission: { asset: 'BTC', amount: 0.000033 },
    });
    const held = fundingArbitrage.evaluate({
      view: viewAt(c, 6, { fundingRate: 0.0005 }),
      account: accountWith({ position: short, spotBase: 0.532967, openOrders: [stop], orders: [filled] }),
      params,
      state: entry.state,
    });
    expect(held.intents).toEqual([]);
    expect(held.state.spot).toEqual({ quantity: 0.032967 });
    expect(fundingArbitrage.spotHolding?.(held.state)).toBe(0.032967);

    const exit = fundingArbitrage.evaluate({
      view: viewAt(c, 7, { fundingRate: 0.00005 }),
      account: accountWith({ position: short, spotBase: 0.532967, openOrders: [stop] }),
      params,
      state: { ...held.state, hedge: { ...held.state.hedge!, stopId: 'stop-1' } },
    });
    // 0.032967 floored to the 0.00001 spot step; the 0.000007 of dust stays booked as ours.
    expect(exit.intents.find((i) => i.market === 'spot')).toMatchObject({ side: 'sell', quantity: 0.03296 });
  });

  it('a spot buy that only partly filled is booked at its fill, and the exit sells that', () => {
    const state: FundingArbitrageState = {
      hedge: { quantity: 0.033, entryBasisPct: 0, stopId: 'stop-1' },
      spot: { quantity: 0, pending: { id: 'buy-1', side: 'buy', sentAt: 0 } },
    };
    const partial = openOrder('buy-1', {
      market: 'spot',
      type: 'market',
      status: 'expired',
      quantity: 0.033,
      filledQuantity: 0.02,
    });
    const out = fundingArbitrage.evaluate({
      view: viewAt(c, 6, { fundingRate: 0.00005 }),
      account: accountWith({ position: short, spotBase: 0.52, openOrders: [stop], orders: [partial] }),
      params,
      state,
    });
    expect(out.intents.find((i) => i.market === 'spot')).toMatchObject({ side: 'sell', quantity: 0.02 });
  });

  it('coins of ours sold by hand (wallet under our books): the hedge is flattened, selling only what is left', () => {
    const out = fundingArbitrage.evaluate({
      view: viewAt(c, 6, { fundingRate: 0.0005 }),
      account: accountWith({ position: short, spotBase: 0.01, openOrders: [stop] }),
      params,
      state: { hedge: { quantity: 0.033, entryBasisPct: 0, stopId: 'stop-1' }, spot: { quantity: 0.033 } },
    });
    expect(out.notes.join()).toMatch(/ALERT hedge leg missing/);
    expect(out.intents.map((i) => [i.market, i.side, i.quantity])).toEqual([
      ['futures', 'buy', 0.033],
      ['spot', 'sell', 0.01],
    ]);
  });

  it('a spot order not yet seen on the exchange is waited for (1 h); after 2 h it is taken as never placed', () => {
    const state: FundingArbitrageState = {
      hedge: { quantity: 0.033, entryBasisPct: 0, stopId: 'stop-1' },
      spot: { quantity: 0, pending: { id: 'buy-1', side: 'buy', sentAt: T0 + 5 * 3_600_000 } },
    };
    const account = accountWith({ position: short, spotBase: 0.5, openOrders: [stop] });
    const soon = fundingArbitrage.evaluate({ view: viewAt(c, 6), account, params, state });
    expect(soon.intents).toEqual([]);
    expect(soon.state).toEqual(state);
    // Three hours on, the strategy is deciding again (it made no decision for at most two).
    const threeHours = fundingArbitrage.evaluate({
      view: viewAt(flat(20, 60_000), 8),
      account,
      params,
      state,
    });
    expect(threeHours.notes.join()).toMatch(/never reached the exchange in 3 h/);
    const late = fundingArbitrage.evaluate({
      view: viewAt(flat(20, 60_000), 12),
      account,
      params,
      state,
    });
    expect(late.notes.join()).toMatch(/ALERT spot buy buy-1 never reached the exchange/);
    // No spot of ours: the short is a naked leg → flattened; the trader's 0.5 BTC is untouched.
    expect(late.intents.map((i) => [i.market, i.side])).toEqual([['futures', 'buy']]);
  });

  it('a state written before the spot ledger existed holds its hedge quantity (an upgrade sells no more)', () => {
    const out = fundingArbitrage.evaluate({
      view: viewAt(c, 6, { fundingRate: 0.00005 }),
      account: accountWith({ position: short, spotBase: 0.533, openOrders: [stop] }),
      params,
      state: { hedge: { quantity: 0.033, entryBasisPct: 0, stopId: 'stop-1' } },
    });
    expect(out.intents.find((i) => i.market === 'spot')).toMatchObject({ side: 'sell', quantity: 0.033 });
  });
});
