// Rules of the futures math that the worked examples do not reach: bracket boundaries, the cross-margin
// inputs of the bracket-aware liquidation price, Binance's tier substitution, and the domain of each input.
import { describe, expect, it } from 'vitest';
import {
  bracketForNotional,
  FuturesMathInputError,
  liquidationDistancePct,
  liquidationPrice,
  liquidationPriceWithBrackets,
  marginRatio,
  maxLeverageForNotional,
} from '../../../shared/domain/futures-math.ts';
import { leverageBracketsFor } from '../../../shared/domain/leverage-brackets.ts';

const btc = leverageBracketsFor('BTCUSDT'); // tier 1: [0, 50,000) 0.4 % cum 0; tier 2: [50,000, 600,000) 0.5 % cum 50
const last = btc[btc.length - 1]!;

describe('bracketForNotional', () => {
  it('puts a notional in the bracket whose floor it reaches and whose cap it stays under', () => {
    expect(bracketForNotional(0, btc).bracket).toBe(1);
    expect(bracketForNotional(49_999.99, btc).bracket).toBe(1);
    expect(bracketForNotional(50_000, btc).bracket).toBe(2); // a cap belongs to the next bracket
    expect(bracketForNotional(100_000, btc).bracket).toBe(2);
  });

  it("accepts exactly the last bracket's cap and refuses anything above it", () => {
    expect(bracketForNotional(last.notionalCap, btc)).toBe(last);
    expect(() => bracketForNotional(last.notionalCap + 1, btc)).toThrow(FuturesMathInputError);
  });

  it('refuses a negative or non-finite notional and an empty table', () => {
    expect(() => bracketForNotional(-1, btc)).toThrow(FuturesMathInputError);
    expect(() => bracketForNotional(Number.NaN, btc)).toThrow(FuturesMathInputError);
    expect(() => bracketForNotional(Number.POSITIVE_INFINITY, btc)).toThrow(FuturesMathInputError);
    expect(() => bracketForNotional(10, [])).toThrow(FuturesMathInputError);
  });

  it('gives the highest leverage of the bracket', () => {
    expect(maxLeverageForNotional(10_000, btc)).toBe(125);
    expect(maxLeverageForNotional(100_000, btc)).toBe(100);
  });
});

describe('liquidationPriceWithBrackets — cross margin and tier substitution', () => {
  const crossShort = {
    side: 'short' as const,
    entryPrice: 60_000,
    quantity: 1,
    walletBalance: 10_000,
    otherMaintenanceMargin: 500,
    otherUnrealizedPnl: -1_000,
    brackets: btc,
  };

  it('in cross mode counts the other positions: WB − TMM1 + UPNL1 (Binance [LIQ])', () => {
    // (10,000 − 500 − 1,000 + 50 + 60,000) / (0.005 + 1) = 68,208.955…
    expect(liquidationPriceWithBrackets({ ...crossShort, marginMode: 'cross' })).toBeCloseTo(68_208.9552, 3);
  });

  it('in isolated mode ignores the other positions', () => {
    // (10,000 + 50 + 60,000) / 1.005 = 69,701.49…
    expect(liquidationPriceWithBrackets({ ...crossShort, marginMode: 'isolated' })).toBeCloseTo(
      69_701.4925,
      3,
    );
  });

  it('treats missing other-position figures in cross mode as none', () => {
    const { otherMaintenanceMargin: _m, otherUnrealizedPnl: _u, ...alone } = crossShort;
    expect(liquidationPriceWithBrackets({ ...alone, marginMode: 'cross' })).toBeCloseTo(69_701.4925, 3);
  });

  it('finds a positive liquidation price in a lower tier when the entry tier would say "never"', () => {
    // 1 BTC long at 60,000 (tier 2) with 59,970 margin: tier 2's cum makes its formula negative, but the
    // price it would liquidate at is in tier 1: (59,970 − 60,000) / (0.004 − 1) = 30.12.
    const lp = liquidationPriceWithBrackets({
      side: 'long',
      marginMode: 'isolated',
      entryPrice: 60_000,
      quantity: 1,
      walletBalance: 59_970,
      brackets: btc,
    });
    expect(lp).toBeCloseTo(30.1205, 3);
  });

  it('uses the last tier when the liquidation notional is beyond the table', () => {
    // A short so over-margined that it would liquidate above the last cap: last tier, by the formula.
    const lp = liquidationPriceWithBrackets({
      side: 'short',
      marginMode: 'isolated',
      entryPrice: 60_000,
      quantity: 1,
      walletBalance: 1e10,
      brackets: btc,
    });
    expect(lp).toBeCloseTo((1e10 + last.maintAmount + 60_000) / (last.maintMarginRatio + 1), 0);
  });

  it('refuses an unknown margin mode', () => {
    const bad = { ...crossShort, marginMode: 'portfolio' as 'cross' };
    expect(() => liquidationPriceWithBrackets(bad)).toThrow(FuturesMathInputError);
    expect(() => liquidationPrice({ ...bad, maintMarginRatio: 0.005, maintAmount: 50 })).toThrow(
      FuturesMathInputError,
    );
  });
});

describe('input domains', () => {
  const lp = {
    side: 'long' as const,
    marginMode: 'isolated' as const,
    entryPrice: 100,
    quantity: 1,
    walletBalance: 10,
    maintAmount: 0,
  };

  it('takes a maintenance rate in [0, 1): 0 is allowed, negative or NaN is refused', () => {
    expect(liquidationPrice({ ...lp, maintMarginRatio: 0 })).toBeCloseTo(90, 9);
    expect(() => liquidationPrice({ ...lp, maintMarginRatio: -0.01 })).toThrow(FuturesMathInputError);
    expect(() => liquidationPrice({ ...lp, maintMarginRatio: Number.NaN })).toThrow(FuturesMathInputError);
  });

  it('refuses a negative or non-finite liquidation price when measuring the distance to it', () => {
    const d = { side: 'long' as const, markPrice: 100 };
    expect(() => liquidationDistancePct({ ...d, liquidationPrice: -1 })).toThrow(FuturesMathInputError);
    expect(() => liquidationDistancePct({ ...d, liquidationPrice: Number.NaN })).toThrow(
      FuturesMathInputError,
    );
  });

  it('gives a margin ratio of 0 with no maintenance margin, and refuses a negative or NaN one', () => {
    expect(marginRatio({ maintenanceMargin: 0, marginBalance: 1_000 })).toBe(0);
    expect(() => marginRatio({ maintenanceMargin: -1, marginBalance: 1_000 })).toThrow(FuturesMathInputError);
    expect(() => marginRatio({ maintenanceMargin: Number.NaN, marginBalance: 1_000 })).toThrow(
      FuturesMathInputError,
    );
  });

  it('reads a margin balance at or below zero as past liquidation: infinite ratio', () => {
    expect(marginRatio({ maintenanceMargin: 0, marginBalance: 0 })).toBe(Number.POSITIVE_INFINITY);
    expect(marginRatio({ maintenanceMargin: 250, marginBalance: -100 })).toBe(Number.POSITIVE_INFINITY);
  });
});
