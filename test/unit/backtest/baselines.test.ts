import { describe, expect, it } from 'vitest';
import { buyAndHoldEquity, fundingCarryEquity } from '../../../shared/backtest/baselines.ts';
import { candles, funding, HOUR, T0 } from '../../support/candles.ts';

const perp = candles([
  [100, 110, 100, 110],
  [110, 120, 110, 120],
  [120, 120, 90, 90],
]);

describe('buyAndHoldEquity (unlevered, 1x spot)', () => {
  it('spends the whole capital at the first open and values the coins at each close', () => {
    const b = buyAndHoldEquity({ perp, i0: 0, i1: 3, initialEquity: 1_000, slippagePct: 0, spotFee: 0.001 });
    // 1,000 buys q = 1,000 / (100 × 1.001) = 9.99000999… coins; fee = q × 100 × 0.001 = 0.999000999.
    const q = 1_000 / 100.1;
    expect(Array.from(b.value)).toEqual([q * 110, q * 120, q * 90]);
    expect(b.value[0]).toBeCloseTo(1_098.901098901, 8);
    expect(b.fees).toBeCloseTo(0.999000999, 8);
    expect(Array.from(b.time)).toEqual([T0, T0 + HOUR, T0 + 2 * HOUR]);
  });

  it('cannot be liquidated: a 90 % fall leaves 10 % of the coins’ value, never zero', () => {
    const crash = candles([
      [100, 100, 100, 100],
      [100, 100, 10, 10],
    ]);
    const b = buyAndHoldEquity({
      perp: crash,
      i0: 0,
      i1: 2,
      initialEquity: 1_000,
      slippagePct: 0,
      spotFee: 0,
    });
    expect(Array.from(b.value)).toEqual([1_000, 100]);
  });

  it('prices the hold on the spot series, carrying the last spot price over a missing spot bar', () => {
    const spot = candles([
      [101, 111, 101, 111],
      [Number.NaN, Number.NaN, Number.NaN, Number.NaN],
      [121, 121, 121, 121],
    ]);
    const b = buyAndHoldEquity({
      perp,
      spot,
      i0: 0,
      i1: 3,
      initialEquity: 1_000,
      slippagePct: 1,
      spotFee: 0,
    });
    // Entry 101 × 1.01 (1 % slippage) = 102.01; bar 1 has no spot price → 111 again.
    const q = 1_000 / 102.01;
    expect(Array.from(b.value)).toEqual([q * 111, q * 111, q * 121]);
  });

  it('covers only the bars [i0, i1)', () => {
    const b = buyAndHoldEquity({ perp, i0: 1, i1: 3, initialEquity: 1_000, slippagePct: 0, spotFee: 0 });
    // Bought at 110 (bar 1's open).
    expect(Array.from(b.value)).toEqual([(1_000 / 110) * 120, (1_000 / 110) * 90]);
  });
});

describe('fundingCarryEquity (1x short + spot: notional = half the equity)', () => {
  const base = { perp, i0: 0, i1: 3, initialEquity: 2_000, slippagePct: 0, spotFee: 0.001, takerFee: 0.0005 };

  it('is price-neutral and collects rate × equity / 2 at each settlement after entry', () => {
    // A settlement at the entry instant (T0) is not earned; the one at T0 + 1h pays 0.1 %.
    const c = fundingCarryEquity({
      ...base,
      funding: funding([
        [T0, 0.01 / 100],
        [T0 + HOUR, 0.1 / 100],
      ]),
    });
    // Entry fees: 1,000 × 0.1 % (spot) + 1,000 × 0.05 % (perp) = 1.5 → 1,998.5.
    // At T0 + 1h: + 0.001 × 1,998.5 / 2 = 0.99925 → 1,999.49925; the 25 % price fall after it changes nothing.
    expect(Array.from(c.value)).toEqual([1_998.5, 1_999.49925, 1_999.49925]);
    expect(c.fees).toBe(1.5);
    expect(c.fundingPnl).toBeCloseTo(0.99925, 12);
  });

  it('pays negative funding, and charges slippage on both legs', () => {
    const c = fundingCarryEquity({ ...base, slippagePct: 0.1, funding: funding([[T0 + 2 * HOUR, -0.002]]) });
    // Fees 1,000 × (0.001 + 0.0005 + 2 × 0.001) = 3.5 → 1,996.5; then −0.002 × 998.25 = −1.9965.
    expect(c.value[1]).toBeCloseTo(1_996.5, 9);
    expect(c.value[2]).toBeCloseTo(1_996.5 - 1.9965, 9);
  });
});
