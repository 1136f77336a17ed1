// Margin ratio, bracket capacity and liquidation distance of the position an order leaves behind.
import { describe, expect, it } from 'vitest';
import type { FuturesPosition } from '../../../shared/domain/position.ts';
import { account, intent, position, reasons, steepBrackets } from './risk-fixtures.ts';

const eth = (p: Partial<FuturesPosition> = {}) =>
  position({ symbol: 'ETHUSDT', quantity: 1, entryPrice: 3_000, markPrice: 3_000, ...p });

describe('margin ratio after the order', () => {
  it("refuses an order that takes the margin ratio to the critical level, counting every other position's maintenance", () => {
    // ETH 995.2 + the new 0.02 BTC's 4.8 = 1,000 = 10 % of 10,000 equity.
    const lim = { marginRatioCriticalPct: 10 };
    expect(reasons(intent(), account({ positions: [eth({ maintenanceMargin: 995.2 })] }), {}, lim)).toMatch(
      /margin ratio after the order would be 10 %, at or above the critical 10 %/,
    );
    expect(reasons(intent(), account({ positions: [eth({ maintenanceMargin: 995.1 })] }), {}, lim)).toBe('');
  });

  it("replaces the symbol's own maintenance margin by that of the resulting position, never adds both", () => {
    const a = account({ positions: [position({ maintenanceMargin: 9_000 })] }); // a stale figure
    expect(reasons(intent({ quantity: 0.01 }), a)).toBe('');
  });
});

describe('bracket capacity', () => {
  it("refuses a position beyond the symbol's largest bracket", () => {
    const rich = account({ equity: 1e6, walletBalance: 1e6, startOfDayEquity: 1e6 });
    const big = intent({ quantity: 2, leverage: 2 }); // 120,000 USDT: above the steep table's 100,000 cap
    expect(reasons(big, rich, { brackets: steepBrackets })).toMatch(
      /position notional 120000\.00 USDT exceeds the symbol's largest bracket/,
    );
    expect(reasons({ ...big, quantity: 1.5 }, rich, { brackets: steepBrackets })).toBe('');
  });

  it("accepts a position exactly at the largest bracket's cap", () => {
    const rich = account({ equity: 1e6, walletBalance: 1e6, startOfDayEquity: 1e6 });
    const atCap = intent({ quantity: 2, leverage: 2 }); // 2 × 50,000 = 100,000 USDT, the steep table's cap
    expect(reasons(atCap, rich, { brackets: steepBrackets, markPrice: 50_000 })).toBe('');
  });

  it('refuses every futures entry when the symbol has no brackets', () => {
    expect(reasons(intent(), account(), { brackets: [] })).toMatch(/largest bracket/);
  });
});

describe('liquidation distance of the resulting position', () => {
  it('checks an add at the averaged entry of the whole position', () => {
    // Long 0.02 @ 70,000 + 0.02 @ 60,000 → 0.04 @ 65,000 at 10x: liquidation ≈ 58,735, 2.1 % under the mark.
    const added = intent({ quantity: 0.02, leverage: 10 });
    expect(reasons(added, account({ positions: [position({ entryPrice: 70_000 })] }))).toMatch(
      /liquidation would be 2\.11 % away \(price 58734\.94\)/,
    );
    expect(reasons(added, account({ positions: [position({ entryPrice: 60_000 })] }))).toBe('');
  });

  it('checks a short upward: 20x short liquidates about 4.6 % above', () => {
    expect(reasons(intent({ side: 'sell', leverage: 20 }))).toMatch(
      /liquidation would be 4\.\d+ % away \(price 62/,
    );
  });

  it('checks a 1x order too: a 1x short liquidates at about twice its entry', () => {
    expect(
      reasons(
        intent({ side: 'sell', quantity: 0.04, leverage: 1 }),
        account(),
        {},
        { liquidationDistanceMinPct: 99.5 },
      ),
    ).toMatch(/liquidation would be 99\.2 % away/);
  });

  it('accepts a liquidation exactly at the minimum distance', () => {
    // With a 0 % maintenance rate a 10x isolated long liquidates at exactly 90 % of entry: 10 % away.
    const flat = [
      {
        bracket: 1,
        notionalFloor: 0,
        notionalCap: 1e6,
        maintMarginRatio: 0,
        maintAmount: 0,
        maxLeverage: 20,
      },
    ];
    const tenX = intent({ leverage: 10 });
    expect(reasons(tenX, account(), { brackets: flat }, { liquidationDistanceMinPct: 10 })).toBe('');
    expect(reasons(tenX, account(), { brackets: flat }, { liquidationDistanceMinPct: 10.000001 })).toMatch(
      /liquidation would be 10 % away \(price 54000\.00\)/,
    );
  });

  it("gives a cross order only the cross wallet: isolated positions' margin is not available to it", () => {
    const cross = intent({ quantity: 0.04, marginMode: 'cross' });
    const a = (isolatedMargin: number) =>
      account({ positions: [eth({ isolatedMargin, maintenanceMargin: 15 })] });
    expect(reasons(cross, a(9_900))).toMatch(/liquidation would be 3\.15 % away/);
    expect(reasons(cross, a(0))).toBe('');
  });

  it("leaves a cross position's own margin in the cross wallet", () => {
    const cross = intent({ quantity: 0.04, marginMode: 'cross' });
    const a = account({
      positions: [eth({ marginMode: 'cross', isolatedMargin: 9_900, maintenanceMargin: 15 })],
    });
    expect(reasons(cross, a)).toBe('');
  });

  it("does not count the symbol's own unrealised PnL as another position's: the averaged entry holds it", () => {
    const a = account({ positions: [position({ marginMode: 'cross', unrealizedPnl: -9_900 })] });
    expect(reasons(intent({ quantity: 0.02, marginMode: 'cross' }), a)).toBe('');
  });

  it("counts other cross positions' losses against a cross order, not an isolated position's", () => {
    const cross = intent({ quantity: 0.04, marginMode: 'cross' });
    const a = (marginMode: 'cross' | 'isolated') =>
      account({
        positions: [eth({ marginMode, isolatedMargin: 0, unrealizedPnl: -9_900, maintenanceMargin: 15 })],
      });
    expect(reasons(cross, a('cross'))).toMatch(/liquidation would be 3\.15 % away/);
    expect(reasons(cross, a('isolated'))).toBe('');
  });
});
