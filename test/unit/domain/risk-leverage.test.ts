// Leverage rules of the risk engine: every order that is not reduce-only carries a leverage the executor
// sets on the symbol, so its bounds are checked for every such order — also one that only trims the
// position, since setting the leverage re-levers what remains.
import { describe, expect, it } from 'vitest';
import { account, intent, position, reasons, steepBrackets } from './risk-fixtures.ts';

describe('leverage bounds', () => {
  it('defect 8: an order against the position, no larger than it, is refused a leverage above the configured maximum', () => {
    const a = account({ positions: [position({ quantity: 0.02 })] });
    const trim = intent({ side: 'sell', quantity: 0.01, leverage: 15 });
    expect(reasons(trim, a, {}, { maxLeverage: 10 })).toMatch(/leverage 15x is outside 1–10x/);
  });

  it("defect 8: an order against the position is refused a leverage above the bracket cap of the position's notional", () => {
    // 0.1 BTC at 60,000 = 6,000 USDT: the 10x bracket. Setting 15x would re-lever the position past it.
    const a = account({ positions: [position({ quantity: 0.1 })] });
    const trim = intent({ side: 'sell', quantity: 0.05, leverage: 15 });
    expect(reasons(trim, a, { brackets: steepBrackets })).toMatch(/exceeds the bracket maximum 10x/);
    expect(reasons({ ...trim, leverage: 10 }, a, { brackets: steepBrackets })).toBe('');
  });

  it('an order against the position with a leverage inside every bound passes, even while halted', () => {
    const a = account({ halted: true, positions: [position({ quantity: 0.02 })] });
    expect(reasons(intent({ side: 'sell', quantity: 0.02, leverage: 5 }), a)).toBe('');
  });

  it('refuses a leverage below 1x on any order that is not reduce-only', () => {
    const a = account({ positions: [position({ quantity: 0.02 })] });
    expect(reasons({ ...intent(), leverage: 0 })).toMatch(/leverage 0x is outside 1–20x/);
    expect(reasons({ ...intent({ side: 'sell', quantity: 0.01 }), leverage: 0 }, a)).toMatch(/outside 1–20x/);
  });

  it('accepts exactly the configured maximum and refuses one more', () => {
    const lim = { maxLeverage: 4, liquidationDistanceMinPct: 1 };
    expect(reasons(intent({ leverage: 4 }), account(), {}, lim)).toBe('');
    expect(reasons(intent({ leverage: 5 }), account(), {}, lim)).toMatch(/leverage 5x is outside 1–4x/);
    expect(reasons(intent({ leverage: 1 }), account(), {}, lim)).toBe('');
  });

  it("refuses a new position's leverage above its bracket's maximum, and accepts the bracket's maximum", () => {
    // 0.05 BTC at 60,000 = 3,000 USDT: the 10x bracket of the steep table.
    const lim = { liquidationDistanceMinPct: 1 };
    const m = { brackets: steepBrackets };
    expect(reasons(intent({ quantity: 0.05, leverage: 11 }), account(), m, lim)).toMatch(
      /leverage 11x exceeds the bracket maximum 10x/,
    );
    expect(reasons(intent({ quantity: 0.05, leverage: 10 }), account(), m, lim)).toBe('');
  });

  it("ignores a spot order's leverage: spot is unleveraged", () => {
    const buy = intent({ market: 'spot', quantity: 0.01, leverage: 15 });
    expect(reasons(buy, account(), {}, { maxLeverage: 10 })).toBe('');
  });

  it('never refuses a reduce-only close for its leverage: closing must always be possible', () => {
    const a = account({ positions: [position({ quantity: 0.1 })] });
    const close = intent({ side: 'sell', quantity: 0.1, reduceOnly: true, leverage: 15 });
    expect(reasons(close, a, { brackets: steepBrackets }, { maxLeverage: 10 })).toBe('');
  });
});
