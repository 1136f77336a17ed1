import { describe, expect, it } from 'vitest';
import type { FundingArbitrageState } from '../../../shared/strategies/funding-arbitrage.ts';
import { fundingArbitrage } from '../../../shared/strategies/funding-arbitrage.ts';
import type { FundingHistory } from '../../../shared/strategies/funding-carry.ts';
import { flat, HOUR, T0 } from '../../support/candles.ts';
import { accountWith, openOrder, positionOf, viewAt } from '../../support/strategy-harness.ts';

const params = fundingArbitrage.paramsSchema.parse({});
const c = flat(200, 60_000);
/** The default window's 8 settled rates at `rate` and the settlement ahead at T0 + 8 h. */
const history = (rate: number, next = T0 + 8 * HOUR): FundingHistory => ({
  next,
  predicted: rate,
  settled: Array.from({ length: 8 }, () => rate),
});
const ready = (rate: number): FundingArbitrageState => ({ funding: history(rate) });

describe('funding_arbitrage entry: the smoothed carry must reach the APR floor and pay the round trip', () => {
  it('carry 54.8 % a year → short perp and buy spot of equal quantity, 2x, with a stop under the liquidation price', () => {
    const out = fundingArbitrage.evaluate({
      view: viewAt(c, 5, { fundingRate: 0.0005 }),
      account: accountWith(),
      params,
      state: ready(0.0005),
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
    // Isolated margin 0.033 × 60,000 / 2 = 990; BTC tier 1 (mmr 0.4 %, cum 0): liquidation at
    // (990 + 1,980) / (0.033 × 1.004) = 89,641.43; the stop 3 % under it: 86,952.19 → tick 86,952.2.
    expect(stop).toMatchObject({ market: 'futures', side: 'buy', type: 'stop_market', reduceOnly: true });
    expect(stop!.stopPrice).toBe(86_952.2);
    expect(out.state.hedge).toMatchObject({
      stopId: stop!.id,
      stopPrice: 86_952.2,
      enteredAt: T0 + 5 * HOUR,
    });
    // The spot leg is booked once its fill is known (next tick), not from what was asked.
    expect(out.state.spot).toEqual({
      quantity: 0,
      pending: { id: spot!.id, side: 'buy', sentAt: spot!.createdAt },
    });
    expect(out.marginActions).toBeUndefined();
  });

  it('stays out while the window has fewer than 8 settled rates (warm-up), however high the rate', () => {
    const out = fundingArbitrage.evaluate({
      view: viewAt(c, 5, { fundingRate: 0.003 }),
      account: accountWith(),
      params,
      state: { funding: { ...history(0.003), settled: [0.003, 0.003] } },
    });
    expect(out.intents).toEqual([]);
    // The history moved on: this tick's prediction is kept, the settled ones too.
    expect(out.state.funding).toEqual({ next: T0 + 8 * HOUR, predicted: 0.003, settled: [0.003, 0.003] });
  });

  it('stays out at 0.008 % per 8 h: 8.76 % a year is under the 10 % floor', () => {
    const out = fundingArbitrage.evaluate({
      view: viewAt(c, 5, { fundingRate: 0.00008 }),
      account: accountWith(),
      params,
      state: ready(0.00008),
    });
    expect(out.intents).toEqual([]);
  });

  it('0.02 % per 8 h (21.9 % a year) enters when 14 days pay the costs, not when 3 days must', () => {
    // Costs: 2 × (0.05 + 0.1) fees + 4 × 0.01 slippage = 0.34 %. 14 days = 42 settlements × 0.02 % =
    // 0.84 % ≥ 0.34 %; 3 days = 9 × 0.02 % = 0.18 % < 0.34 %.
    const at = (paybackDays: number) =>
      fundingArbitrage.evaluate({
        view: viewAt(c, 5, { fundingRate: 0.0002 }),
        account: accountWith(),
        params: { ...params, paybackDays },
        state: ready(0.0002),
      });
    expect(at(14).intents).toHaveLength(3);
    expect(at(3).intents).toEqual([]);
    expect(at(3).notes.join()).toMatch(/carry 0.180 % in 3 d under costs 0.340 %/);
  });

  it('a perp 0.6 % under spot is a cost: 0.94 % is more than 14 days of 0.02 % (0.84 %) pay', () => {
    const out = fundingArbitrage.evaluate({
      view: viewAt(c, 5, { fundingRate: 0.0002, spotPrice: 60_000 / 0.994 }),
      account: accountWith(),
      params,
      state: ready(0.0002),
    });
    expect(out.intents).toEqual([]);
    expect(out.notes.join()).toMatch(/under costs 0.940 %/);
  });

  it('no entry while spot cannot trade (a halt, or no spot data): the short would be naked', () => {
    const out = fundingArbitrage.evaluate({
      view: viewAt(c, 5, { fundingRate: 0.0005, spotTradable: false }),
      account: accountWith(),
      params,
      state: ready(0.0005),
    });
    expect(out.intents).toEqual([]);
  });

  it('wallets split unevenly: first only a transfer to the futures wallet, then the entry (no orders ride on a transfer)', () => {
    // Equity 20,000 → 4,000 per leg. The futures wallet's 500 carry a short of only 500 × 0.99 / 0.501
    // = 988 of notional, so this tick asks for 4,000 × 0.501 − 500 = 1,504 to move from spot, no orders.
    const account = accountWith({ equity: 20_000, availableBalance: 500, spotUsdt: 19_500 });
    const ask = fundingArbitrage.evaluate({
      view: viewAt(c, 5, { fundingRate: 0.0005 }),
      account,
      params,
      state: ready(0.0005),
    });
    expect(ask.intents).toEqual([]);
    expect(ask.marginActions).toEqual([
      {
        kind: 'transfer',
        from: 'spot',
        to: 'futures',
        amount: 1_504,
        reason: 'split the wallets as the hedge legs need',
      },
    ]);
    expect(ask.state.fundAskedAt).toBe(T0 + 5 * HOUR);
    // The transfer did not happen (refused, say): an hour on, the hedge enters within the futures
    // wallet's 988 → 0.016 BTC at 60,000, and asks nothing more.
    const enter = fundingArbitrage.evaluate({
      view: viewAt(c, 6, { fundingRate: 0.0005 }),
      account,
      params,
      state: ask.state,
    });
    expect(enter.intents.map((i) => [i.market, i.side, i.quantity])).toEqual([
      ['futures', 'sell', 0.016],
      ['spot', 'buy', 0.016],
      ['futures', 'buy', 0.016],
    ]);
    expect(enter.marginActions).toBeUndefined();
    // Once it did happen (futures 2,004, spot 17,996), the full 4,000 → 0.066 BTC.
    const full = fundingArbitrage.evaluate({
      view: viewAt(c, 6, { fundingRate: 0.0005 }),
      account: accountWith({ equity: 20_000, availableBalance: 2_004, spotUsdt: 17_996 }),
      params,
      state: ask.state,
    });
    expect(full.intents[0]!.quantity).toBe(0.066);
  });
});

describe('funding_arbitrage exit: after the minimum hold, when the smoothed carry turns negative', () => {
  const hedged = (extra = {}) =>
    accountWith({
      position: positionOf({ side: 'short', quantity: 0.033, entryPrice: 60_000, liquidationPrice: 89_000 }),
      spotBase: 0.033,
      openOrders: [openOrder('stop-1', { type: 'stop_market', reduceOnly: true })],
      ...extra,
    });
  const held = (rate: number, enteredAt: number): FundingArbitrageState => ({
    hedge: { quantity: 0.033, entryBasisPct: 0, stopId: 'stop-1', stopPrice: 86_330, enteredAt },
    spot: { quantity: 0.033 },
    funding: history(rate),
  });

  it('carry −11 % a year after 100 h → both legs closed and the stop cancelled', () => {
    const out = fundingArbitrage.evaluate({
      view: viewAt(c, 100, { fundingRate: -0.0001 }),
      account: hedged(),
      params,
      state: held(-0.0001, T0),
    });
    expect(out.intents.map((i) => [i.market, i.side, i.type, i.quantity, i.reduceOnly])).toEqual([
      ['futures', 'buy', 'market', 0.033, true],
      ['spot', 'sell', 'market', 0.033, false],
    ]);
    expect(out.cancels).toEqual(['stop-1']);
    expect(out.notes.join()).toMatch(/carry -11.0 % a year under exit 0.0 % after 100 h/);
    // The hedge is over; its coins stay booked until the sell is seen filled.
    expect(out.state.hedge).toBeUndefined();
    expect(out.state.spot).toEqual({
      quantity: 0.033,
      pending: { id: out.intents[1]!.id, side: 'sell', sentAt: out.intents[1]!.createdAt },
    });
  });

  it('the same carry 10 h after entry: held (minimum hold 72 h)', () => {
    const out = fundingArbitrage.evaluate({
      view: viewAt(c, 100, { fundingRate: -0.0001 }),
      account: hedged(),
      params,
      state: held(-0.0001, T0 + 90 * HOUR),
    });
    expect(out.intents).toEqual([]);
    expect(out.state.hedge).toBeDefined();
  });

  it('one negative prediction among positive settlements is smoothed away: (8 × 0.03 % − 0.05 %) / 9 = 23 % a year', () => {
    const state = held(0.0003, T0);
    const out = fundingArbitrage.evaluate({
      view: viewAt(c, 100, { fundingRate: -0.0005 }),
      account: hedged(),
      params,
      state: { ...state, funding: { ...state.funding!, predicted: -0.0005 } },
    });
    expect(out.intents).toEqual([]);
  });

  it('no exit while spot cannot trade: selling the perp alone would leave the spot leg naked', () => {
    const out = fundingArbitrage.evaluate({
      view: viewAt(c, 100, { fundingRate: -0.001, spotTradable: false }),
      account: hedged(),
      params,
      state: held(-0.001, T0),
    });
    expect(out.intents).toEqual([]);
  });

  it('a failed spot leg leaves an alert and a flatten intent, never a naked short', () => {
    const out = fundingArbitrage.evaluate({
      view: viewAt(c, 6, { fundingRate: 0.0005 }),
      account: hedged({ spotBase: 0 }),
      params,
      state: held(0.0005, T0),
    });
    expect(out.notes.join()).toMatch(/ALERT hedge leg missing/);
    expect(out.intents).toEqual([
      expect.objectContaining({ market: 'futures', side: 'buy', reduceOnly: true, quantity: 0.033 }),
    ]);
  });

  it('the short gone (stopped or liquidated): the spot this hedge bought is sold', () => {
    const out = fundingArbitrage.evaluate({
      view: viewAt(c, 6, { fundingRate: 0.0005 }),
      account: hedged({ position: undefined, openOrders: [] }),
      params,
      state: held(0.0005, T0),
    });
    expect(out.intents.map((i) => [i.market, i.side, i.quantity])).toEqual([['spot', 'sell', 0.033]]);
  });
});

describe('defect 3: funding_arbitrage trades only the spot coins it bought itself', () => {
  /** A view 100 h after T0 whose carry says exit (−11 % a year), for a hedge entered at T0. */
  const exitView = (k = 100) => viewAt(c, k, { fundingRate: -0.0001 });
  const negative = history(-0.0001);
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
      view: exitView(),
      account: accountWith({ position: short, spotBase: 0.533, openOrders: [stop] }),
      params,
      state: {
        hedge: { quantity: 0.033, entryBasisPct: 0, stopId: 'stop-1', enteredAt: T0 },
        spot: { quantity: 0.033 },
        funding: negative,
      },
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
      state: ready(0.0005),
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
      view: exitView(),
      account: accountWith({ position: short, spotBase: 0.532967, openOrders: [stop] }),
      params,
      state: {
        ...held.state,
        funding: negative,
        hedge: { ...held.state.hedge!, stopId: 'stop-1', enteredAt: T0 },
      },
    });
    // 0.032967 floored to the 0.00001 spot step; the 0.000007 of dust stays booked as ours.
    expect(exit.intents.find((i) => i.market === 'spot')).toMatchObject({ side: 'sell', quantity: 0.03296 });
  });

  it('a spot buy that only partly filled is booked at its fill, and the exit sells that', () => {
    const state: FundingArbitrageState = {
      hedge: { quantity: 0.033, entryBasisPct: 0, stopId: 'stop-1', enteredAt: T0 },
      spot: { quantity: 0, pending: { id: 'buy-1', side: 'buy', sentAt: 0 } },
      funding: negative,
    };
    const partial = openOrder('buy-1', {
      market: 'spot',
      type: 'market',
      status: 'expired',
      quantity: 0.033,
      filledQuantity: 0.02,
    });
    const out = fundingArbitrage.evaluate({
      view: exitView(),
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
    expect(soon.state).toMatchObject(state);
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
      view: exitView(),
      account: accountWith({ position: short, spotBase: 0.533, openOrders: [stop] }),
      params,
      state: {
        hedge: { quantity: 0.033, entryBasisPct: 0, stopId: 'stop-1', enteredAt: T0 },
        funding: negative,
      },
    });
    expect(out.intents.find((i) => i.market === 'spot')).toMatchObject({ side: 'sell', quantity: 0.033 });
  });
});
