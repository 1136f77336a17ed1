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

describe('fundingCarryEquity (1x short perp + spot, same quantity)', () => {
  const base = { perp, i0: 0, i1: 3, initialEquity: 2_000, slippagePct: 0, spotFee: 0.001, takerFee: 0.0005 };

  it('is price-neutral and collects funding on the short at each settlement after entry', () => {
    // A settlement at the entry instant (T0) is not earned; the one at T0 + 1h pays 0.1 %.
    const f = funding([
      [T0, 0.01 / 100],
      [T0 + HOUR, 0.1 / 100],
    ]);
    const c = fundingCarryEquity({ ...base, funding: f });
    // Half (1,000) buys q = 1,000 / (100 × 1.001) coins; the other half is the short's margin, minus its
    // taker fee q × 100 × 0.0005. Funding at bar 1: 0.001 × q × 110 (bar 1's open as mark).
    const q = 1_000 / 100.1;
    const margin = 1_000 - q * 100 * 0.0005;
    const paid = 0.001 * q * 110;
    expect(c.value[0]).toBeCloseTo(q * 100 + margin, 9); // = 2,000 − fees
    expect(c.value[0]).toBeCloseTo(2_000 - c.fees, 9);
    expect(c.value[1]).toBeCloseTo(q * 100 + margin + paid, 9);
    expect(c.value[2]).toBeCloseTo(q * 100 + margin + paid, 9); // price fell 25 %: no change
    expect(c.fundingPnl).toBeCloseTo(paid, 12);
    expect(c.fees).toBeCloseTo(q * 100 * 0.0015, 12);
  });

  it('pays negative funding, and values the notional on the mark price when a mark series is given', () => {
    const mark = candles([
      [100, 100, 100, 100],
      [112, 120, 110, 120],
      [120, 120, 90, 90],
    ]);
    const c = fundingCarryEquity({ ...base, mark, funding: funding([[T0 + HOUR, -0.002]]) });
    const q = 1_000 / 100.1;
    expect(c.fundingPnl).toBeCloseTo(-0.002 * q * 112, 12);
  });
});
