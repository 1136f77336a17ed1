import { describe, expect, it } from 'vitest';
import {
  FuturesMathInputError,
  fundingFee,
  initialMargin,
  liquidationDistancePct,
  liquidationPrice,
  liquidationPriceWithBrackets,
  maintenanceMargin,
  marginRatio,
  roePct,
  unrealizedPnl,
} from '../../../shared/domain/futures-math.ts';
import { leverageBracketsFor } from '../../../shared/domain/leverage-brackets.ts';

/** Relative closeness required by the foundation issue: within 0.1 % of a published value. */
function expectWithinPct(actual: number, expected: number, pct = 0.1): void {
  expect(Math.abs(actual - expected) / Math.abs(expected)).toBeLessThanOrEqual(pct / 100);
}

describe('liquidationPrice — published worked examples', () => {
  // Binance FAQ "How to Calculate Liquidation Price of USDⓈ-M Futures Contracts", cross-margin example:
  // wallet 1,535,443.01 USDT; BTCUSDT long 109.488 @ 32,481.98 (MMR 2.5 %, cum 16,300, mark 31,967.27);
  // ETHUSDT long 3,683.979 @ 1,456.84 (MMR 10 %, cum 135,365, mark 1,335.18). Expected values as
  // published in freqtrade's tests of its Binance liquidation formula (tests/exchange/test_binance.py).
  const cases = [
    {
      name: 'cross long ETHUSDT of the two-position example → 1,153.26',
      input: {
        side: 'long' as const,
        marginMode: 'cross' as const,
        walletBalance: 1_535_443.01,
        otherMaintenanceMargin: 71_200.81144,
        otherUnrealizedPnl: -56_354.57,
        maintAmount: 135_365,
        quantity: 3_683.979,
        entryPrice: 1_456.84,
        maintMarginRatio: 0.1,
      },
      expected: 1_153.26,
    },
    {
      name: 'cross long BTCUSDT of the two-position example → 26,316.89',
      input: {
        side: 'long' as const,
        marginMode: 'cross' as const,
        walletBalance: 1_535_443.01,
        otherMaintenanceMargin: 356_512.508,
        otherUnrealizedPnl: -448_192.89,
        maintAmount: 16_300,
        quantity: 109.488,
        entryPrice: 32_481.98,
        maintMarginRatio: 0.025,
      },
      expected: 26_316.89,
    },
    {
      name: 'isolated long ETHUSDT with the example wallet as its margin → 1,114.78',
      input: {
        side: 'long' as const,
        marginMode: 'isolated' as const,
        walletBalance: 1_535_443.01,
        maintAmount: 135_365,
        quantity: 3_683.979,
        entryPrice: 1_456.84,
        maintMarginRatio: 0.1,
      },
      expected: 1_114.78,
    },
    {
      name: 'isolated long BTCUSDT with the example wallet as its margin → 18,778.73',
      input: {
        side: 'long' as const,
        marginMode: 'isolated' as const,
        walletBalance: 1_535_443.01,
        maintAmount: 16_300,
        quantity: 109.488,
        entryPrice: 32_481.98,
        maintMarginRatio: 0.025,
      },
      expected: 18_778.73,
    },
    // freqtrade tests/test_freqtradebot.py::test_execute_entry (Binance, isolated, 5x, 1 @ 10, wallet 2,
    // MMR 1 %, cum 0.01): short → 11.89108910891089, long → 8.070707070707071.
    {
      name: 'isolated short 5x, 1 @ 10 → 11.891',
      input: {
        side: 'short' as const,
        marginMode: 'isolated' as const,
        walletBalance: 2,
        maintAmount: 0.01,
        quantity: 1,
        entryPrice: 10,
        maintMarginRatio: 0.01,
      },
      expected: 11.89108910891089,
    },
    {
      name: 'isolated long 5x, 1 @ 10 → 8.0707',
      input: {
        side: 'long' as const,
        marginMode: 'isolated' as const,
        walletBalance: 2,
        maintAmount: 0.01,
        quantity: 1,
        entryPrice: 10,
        maintMarginRatio: 0.01,
      },
      expected: 8.070707070707071,
    },
  ];
  for (const c of cases) {
    it(c.name, () => expectWithinPct(liquidationPrice(c.input), c.expected));
  }

  it('isolated mode ignores other positions (TMM = UPNL = 0 per Binance)', () => {
    const base = cases[2]!.input;
    expect(liquidationPrice({ ...base, otherMaintenanceMargin: 1e6, otherUnrealizedPnl: -1e6 })).toBe(
      liquidationPrice(base),
    );
  });
});

describe('liquidationPrice — hand-worked examples from the definition', () => {
  // Liquidation happens where margin balance = maintenance margin:
  //   WB + UPNL_other + side·(P − EP)·Q = TMM_other + (P·Q·MMR − cum).
  // Solved by hand below, independently of the closed form in futures-math.ts.
  it('cross short 1 BTC @ 50,000, wallet 10,000, MMR 0.5 %, cum 50 → 59,751.24', () => {
    // 10,000 + (50,000 − P) = 0.005·P − 50  ⇒  60,050 = 1.005·P  ⇒  P = 59,751.2437…
    const lp = liquidationPrice({
      side: 'short',
      marginMode: 'cross',
      entryPrice: 50_000,
      quantity: 1,
      walletBalance: 10_000,
      maintMarginRatio: 0.005,
      maintAmount: 50,
    });
    expectWithinPct(lp, 59_751.2437810945, 0.001);
  });

  it('cross short 2 BTC @ 40,000 beside a losing long (MM 500, UPNL −1,000), wallet 20,000 → 49,029.85', () => {
    // 20,000 − 1,000 + 2·(40,000 − P) = 500 + 0.01·P − 50  ⇒  98,550 = 2.01·P  ⇒  P = 49,029.8507…
    const lp = liquidationPrice({
      side: 'short',
      marginMode: 'cross',
      entryPrice: 40_000,
      quantity: 2,
      walletBalance: 20_000,
      otherMaintenanceMargin: 500,
      otherUnrealizedPnl: -1_000,
      maintMarginRatio: 0.005,
      maintAmount: 50,
    });
    expectWithinPct(lp, 49_029.8507462687, 0.001);
  });

  it('a fully collateralised 1x long cannot be liquidated: 0', () => {
    expect(
      liquidationPrice({
        side: 'long',
        marginMode: 'isolated',
        entryPrice: 100,
        quantity: 1,
        walletBalance: 100,
        maintMarginRatio: 0.004,
        maintAmount: 0,
      }),
    ).toBe(0);
  });
});

describe('liquidationPriceWithBrackets', () => {
  const btc = leverageBracketsFor('BTCUSDT');

  it('re-computes in the tier of the liquidation price when it differs from the entry tier', () => {
    // 0.85 BTC @ 60,000 = 51,000 USDT (tier 2: 0.5 %, cum 50) at 10x: isolated wallet 5,100.
    // Tier 2 gives ≈ 54,212.2 → notional 46,080, which is tier 1 (0.4 %, cum 0). In tier 1 by hand:
    // 5,100 + 0.85·(P − 60,000) = 0.0034·P ⇒ 0.8466·P = 45,900 ⇒ P = 54,216.8675…
    const lp = liquidationPriceWithBrackets({
      side: 'long',
      marginMode: 'isolated',
      entryPrice: 60_000,
      quantity: 0.85,
      walletBalance: 5_100,
      brackets: btc,
    });
    expectWithinPct(lp, 54_216.867469879515, 0.0001);
  });

  it('stays in the entry tier when the liquidation price is in it', () => {
    // 1 BTC @ 60,000 at 20x: wallet 3,000, tier 2: (3,000 + 50 − 60,000) / (0.005 − 1) = 57,236.18…
    const lp = liquidationPriceWithBrackets({
      side: 'long',
      marginMode: 'isolated',
      entryPrice: 60_000,
      quantity: 1,
      walletBalance: 3_000,
      brackets: btc,
    });
    expectWithinPct(lp, 57_236.18090452261, 0.0001);
  });
});

describe('unrealizedPnl, fundingFee, margins', () => {
  it('a long gains when the mark rises; a short loses the same', () => {
    expect(unrealizedPnl({ side: 'long', entryPrice: 100, markPrice: 110, quantity: 2 })).toBe(20);
    expect(unrealizedPnl({ side: 'short', entryPrice: 100, markPrice: 110, quantity: 2 })).toBe(-20);
  });

  it('a positive rate makes the long pay notional × rate at the mark (Binance funding FAQ)', () => {
    // 0.5 BTC at mark 60,000, rate 0.01 %: 30,000 × 0.0001 = 3 USDT paid by the long.
    expect(fundingFee({ side: 'long', quantity: 0.5, markPrice: 60_000, fundingRate: 0.0001 })).toBeCloseTo(
      -3,
      12,
    );
    expect(fundingFee({ side: 'short', quantity: 0.5, markPrice: 60_000, fundingRate: 0.0001 })).toBeCloseTo(
      3,
      12,
    );
    expect(fundingFee({ side: 'short', quantity: 0.5, markPrice: 60_000, fundingRate: -0.0002 })).toBeCloseTo(
      -6,
      12,
    );
  });

  it('initial margin is entry notional over leverage', () => {
    expect(initialMargin({ quantity: 0.5, entryPrice: 60_000, leverage: 10 })).toBe(3_000);
  });

  it('maintenance margin uses the bracket the notional falls in', () => {
    const btc = leverageBracketsFor('BTCUSDT');
    expect(maintenanceMargin({ notional: 40_000, brackets: btc })).toBeCloseTo(160, 9); // 0.4 %
    expect(maintenanceMargin({ notional: 100_000, brackets: btc })).toBeCloseTo(450, 9); // 0.5 % − 50
    expect(maintenanceMargin({ notional: 1_000_000, brackets: btc })).toBeCloseTo(5_550, 9); // 0.65 % − 950
  });

  it('maintenance margin is continuous at every tier boundary (what cum is for)', () => {
    for (const symbol of ['BTCUSDT', 'ETHUSDT', 'SOLUSDT']) {
      const rows = leverageBracketsFor(symbol);
      for (let i = 1; i < rows.length; i++) {
        const edge = rows[i]!.notionalFloor;
        const below = edge * rows[i - 1]!.maintMarginRatio - rows[i - 1]!.maintAmount;
        const at = maintenanceMargin({ notional: edge, brackets: rows });
        expect(Math.abs(at - below) / at).toBeLessThan(1e-9);
      }
    }
  });

  it('margin ratio is maintenance over margin balance, infinite once the balance is gone', () => {
    expect(marginRatio({ maintenanceMargin: 250, marginBalance: 1_000 })).toBe(0.25);
    expect(marginRatio({ maintenanceMargin: 250, marginBalance: 0 })).toBe(Number.POSITIVE_INFINITY);
  });

  it('ROE is PnL over initial margin: +1 % price at 10x is +10 %', () => {
    expect(roePct({ side: 'long', entryPrice: 100, markPrice: 101, quantity: 3, leverage: 10 })).toBeCloseTo(
      10,
      9,
    );
    expect(roePct({ side: 'short', entryPrice: 100, markPrice: 101, quantity: 3, leverage: 10 })).toBeCloseTo(
      -10,
      9,
    );
  });

  it('liquidation distance is measured against the position: down for longs, up for shorts', () => {
    expect(liquidationDistancePct({ side: 'long', markPrice: 100, liquidationPrice: 90 })).toBeCloseTo(
      10,
      12,
    );
    expect(liquidationDistancePct({ side: 'short', markPrice: 100, liquidationPrice: 108 })).toBeCloseTo(
      8,
      12,
    );
    expect(liquidationDistancePct({ side: 'long', markPrice: 100, liquidationPrice: 0 })).toBe(100);
  });
});

describe('bad input', () => {
  it.each([
    ['NaN price', () => unrealizedPnl({ side: 'long', entryPrice: Number.NaN, markPrice: 1, quantity: 1 })],
    ['negative quantity', () => initialMargin({ quantity: -1, entryPrice: 1, leverage: 1 })],
    ['zero leverage', () => initialMargin({ quantity: 1, entryPrice: 1, leverage: 0 })],
    [
      'infinite funding rate',
      () => fundingFee({ side: 'long', quantity: 1, markPrice: 1, fundingRate: Infinity }),
    ],
    ['unknown side', () => unrealizedPnl({ side: 'up' as 'long', entryPrice: 1, markPrice: 1, quantity: 1 })],
    [
      'notional above the last tier',
      () => maintenanceMargin({ notional: 1e12, brackets: leverageBracketsFor('BTCUSDT') }),
    ],
    [
      'maintenance rate ≥ 1',
      () =>
        liquidationPrice({
          side: 'long',
          marginMode: 'cross',
          entryPrice: 1,
          quantity: 1,
          walletBalance: 1,
          maintMarginRatio: 1,
          maintAmount: 0,
        }),
    ],
  ])('%s is a named error, not a number', (_name, call) => {
    expect(call).toThrow(FuturesMathInputError);
  });

  it('an unknown symbol has no brackets, with the known ones listed', () => {
    expect(() => leverageBracketsFor('DOGEUSDT')).toThrow(
      /no leverage brackets shipped for DOGEUSDT; known: BTCUSDT/,
    );
  });
});
