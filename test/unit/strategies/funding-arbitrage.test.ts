import { describe, expect, it } from 'vitest';
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
  const state = { hedge: { quantity: 0.033, entryBasisPct: 0, stopId: 'stop-1' } };

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
    expect(out.state).toEqual({});
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
