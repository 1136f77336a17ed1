// funding_arbitrage keeps its short from liquidation by margin, never by a stop that breaks the hedge.
// Worked example for every test: a 0.033 BTC short entered at 60,000 with 3x isolated margin
// (0.033 × 60,000 / 3 = 660 USDT), the mark at 60,000, BTC tier 1 (maintenance 0.4 %, cum 0).
import { describe, expect, it } from 'vitest';
import { leverageBracketsFor } from '../../../shared/domain/leverage-brackets.ts';
import type { FundingArbitrageState } from '../../../shared/strategies/funding-arbitrage.ts';
import { fundingArbitrage } from '../../../shared/strategies/funding-arbitrage.ts';
import { marginForShortLiquidation, shortLiquidation } from '../../../shared/strategies/funding-margin.ts';
import { flat, HOUR, T0 } from '../../support/candles.ts';
import { accountWith, openOrder, positionOf, viewAt } from '../../support/strategy-harness.ts';

const params = fundingArbitrage.paramsSchema.parse({});
const c = flat(50, 60_000);
const brackets = leverageBracketsFor('BTCUSDT');
const state: FundingArbitrageState = {
  hedge: { quantity: 0.033, entryBasisPct: 0, stopId: 'stop-1', stopPrice: 67_900, enteredAt: T0 },
  spot: { quantity: 0.033 },
  funding: { next: T0 + 24 * HOUR, predicted: 0.0003, settled: Array.from({ length: 8 }, () => 0.0003) },
};
const account = (liquidationPrice: number, extra = {}) =>
  accountWith({
    position: positionOf({ side: 'short', quantity: 0.033, entryPrice: 60_000, liquidationPrice }),
    spotBase: 0.033,
    spotUsdt: 0,
    openOrders: [openOrder('stop-1', { type: 'stop_market', reduceOnly: true, quantity: 0.033 })],
    ...extra,
  });
const evaluate = (acc: ReturnType<typeof accountWith>, extra = {}) =>
  fundingArbitrage.evaluate({
    view: viewAt(c, 20, { fundingRate: 0.0003, ...extra }),
    account: acc,
    params,
    state,
  });

describe('the short liquidation formula, solved both ways', () => {
  it('margin for a liquidation price of 84,000: 84,000 × 0.033 × 1.004 − 1,980 = 803.088, and back', () => {
    const margin = marginForShortLiquidation({
      quantity: 0.033,
      entryPrice: 60_000,
      target: 84_000,
      brackets,
    });
    expect(margin).toBeCloseTo(803.088, 9);
    expect(shortLiquidation({ quantity: 0.033, entryPrice: 60_000, margin, brackets })).toBeCloseTo(
      84_000,
      6,
    );
  });
});

describe('funding_arbitrage margin call: liquidation under 20 % away → margin back to 40 %', () => {
  // Liquidation at 70,000 with the mark at 60,000: 16.7 % away. Target 60,000 × 1.4 = 84,000 needs
  // 803.088 of margin; the short holds 660 → 143.088 more, floored to the cent: 143.08.
  it('the futures wallet pays: add_margin 143.08, no order', () => {
    const out = evaluate(account(70_000));
    expect(out.marginActions).toEqual([
      { kind: 'add_margin', amount: 143.08, reason: expect.stringMatching(/16.7 % away/) },
    ]);
    expect(out.intents).toEqual([]);
    expect(out.state.hedge?.quantity).toBe(0.033);
  });

  it('the futures wallet holds 50: 93.08 moves from the spot wallet first, then 143.08 goes in', () => {
    const out = evaluate(account(70_000, { availableBalance: 50, spotUsdt: 1_000 }));
    expect(out.marginActions?.map((a) => [a.kind, a.amount])).toEqual([
      ['transfer', 93.08],
      ['add_margin', 143.08],
    ]);
    expect(out.marginActions?.[0]).toMatchObject({ from: 'spot', to: 'futures' });
  });

  it('both wallets dry: both legs shrink by 25 % (0.00825 → 0.008) in one tick, the spot sale funding the margin', () => {
    const out = evaluate(account(70_000, { availableBalance: 0, spotUsdt: 0 }));
    expect(out.marginActions).toBeUndefined();
    expect(out.intents.map((i) => [i.market, i.side, i.type, i.quantity, i.reduceOnly])).toEqual([
      ['futures', 'buy', 'market', 0.008, true],
      ['spot', 'sell', 'market', 0.008, false],
    ]);
    expect(out.state.hedge?.quantity).toBe(0.025);
    // The spot sale is booked when it fills; the coins stay ours meanwhile.
    expect(out.state.spot).toMatchObject({ quantity: 0.033, pending: { side: 'sell' } });
  });

  it('both wallets dry while spot cannot trade: no leg shrinks (a lone perp buy would unhedge)', () => {
    const out = evaluate(account(70_000, { availableBalance: 0, spotUsdt: 0 }), { spotTradable: false });
    expect(out.intents).toEqual([]);
  });

  it('liquidation 25 % away, the stop already 3 % under it: nothing to do', () => {
    const out = fundingArbitrage.evaluate({
      view: viewAt(c, 20, { fundingRate: 0.0003 }),
      account: account(75_000),
      params,
      state: { ...state, hedge: { ...state.hedge!, stopPrice: 72_750 } },
    });
    expect(out.marginActions).toBeUndefined();
    expect(out.intents).toEqual([]);
  });

  it('cross margin: the spot wallet’s USDT moves to the futures wallet (no isolated margin to add)', () => {
    const out = evaluate(account(70_000, { marginMode: 'cross', spotUsdt: 321.456 }));
    expect(out.marginActions).toEqual([
      { kind: 'transfer', from: 'spot', to: 'futures', amount: 321.45, reason: expect.any(String) },
    ]);
  });
});

describe('the last-resort stop follows the liquidation price the exchange reports', () => {
  it('margin arrived (liquidation now 100,000): the stop moves to 97,000, the old one is cancelled', () => {
    const out = evaluate(account(100_000));
    expect(out.cancels).toEqual(['stop-1']);
    expect(out.intents).toEqual([
      expect.objectContaining({
        type: 'stop_market',
        side: 'buy',
        reduceOnly: true,
        quantity: 0.033,
        stopPrice: 97_000,
      }),
    ]);
    expect(out.state.hedge).toMatchObject({ stopId: out.intents[0]!.id, stopPrice: 97_000 });
  });

  it('a rise under 1 % (liquidation 70,500 → stop 68,385 vs 67,900): left alone', () => {
    const out = evaluate(account(70_500, {}));
    expect(out.intents.filter((i) => i.type === 'stop_market')).toEqual([]);
  });
});
