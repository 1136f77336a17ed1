import { describe, expect, it } from 'vitest';
import { checkIntent } from '../../../shared/domain/risk/check-intent.ts';
import { DEFAULT_RISK_LIMITS } from '../../../shared/domain/risk/limits.ts';
import { accepted, account, intent, market, position, reasons } from './risk-fixtures.ts';

describe('checkIntent', () => {
  it('accepts a small isolated entry within every limit', () => {
    expect(checkIntent(intent(), account(), DEFAULT_RISK_LIMITS, market)).toEqual({
      accepted: true,
      reasons: [],
    });
  });

  it('rejects everything but reduce-only while halted', () => {
    expect(reasons(intent(), account({ halted: true }))).toMatch(/halted/);
    const a = account({ halted: true, positions: [position()] });
    expect(reasons(intent({ side: 'sell', reduceOnly: true }), a)).toBe('');
  });

  it('rejects leverage above the product maximum, even on an intent that skipped the schema', () => {
    // The intent schema caps leverage too; the risk check does not rely on it.
    expect(reasons({ ...intent(), leverage: 25 }, account(), {}, { maxLeverage: 20 })).toMatch(
      /leverage 25x is outside 1–20x/,
    );
  });

  it('rejects a position above 30 % of equity', () => {
    expect(reasons(intent({ quantity: 0.06 }))).toMatch(/exceeds 30 % of equity/);
  });

  it('rejects a fourth position', () => {
    const others = ['ETHUSDT', 'SOLUSDT', 'XRPUSDT'].map((symbol) => position({ symbol }));
    expect(reasons(intent(), account({ positions: others }))).toMatch(/at most 3 positions/);
  });

  it('rejects new exposure once the daily loss reaches 5 % of start-of-day equity', () => {
    expect(reasons(intent(), account({ equity: 9_500 }))).toMatch(/daily loss limit reached/);
    expect(reasons(intent(), account({ equity: 9_501 }))).toBe('');
  });

  it('rejects a position whose liquidation would be under the minimum distance', () => {
    // 20x isolated: liquidation ≈ 4.6 % away, under the 5 % minimum.
    expect(reasons(intent({ leverage: 20 }))).toMatch(/liquidation would be 4\.\d+ % away/);
  });

  it('rejects orders off the step, under min notional, or off the tick, listing every reason', () => {
    const r = reasons(intent({ quantity: 0.0015, type: 'limit', price: 60_000.05 }));
    expect(r).toMatch(/not a multiple of the step/);
    expect(r).toMatch(/below the minimum 100 USDT/);
    expect(r).toMatch(/not a multiple of the tick/);
  });

  it('always lets a reduce-only close through, even past every limit', () => {
    const a = account({ equity: 5_000, halted: true, positions: [position({ quantity: 0.1 })] });
    expect(reasons(intent({ side: 'sell', quantity: 0.1, reduceOnly: true }), a)).toBe('');
  });
});

describe('validity: what the exchange would refuse anyway', () => {
  const small = { minQuantity: 0.005, minNotional: 5 };

  it('refuses a quantity below the symbol minimum and accepts the minimum itself', () => {
    expect(reasons(intent({ quantity: 0.004 }), account(), small)).toMatch(
      /quantity 0\.004 is below the minimum 0\.005/,
    );
    expect(reasons(intent({ quantity: 0.005 }), account(), small)).toBe('');
  });

  it('refuses a notional below the symbol minimum, measured as quantity × price, and accepts the minimum', () => {
    // 0.001 BTC × 60,000 = 60 USDT.
    expect(reasons(intent({ quantity: 0.001 }), account(), { minNotional: 61 })).toMatch(
      /notional 60\.00 USDT is below the minimum 61 USDT/,
    );
    expect(reasons(intent({ quantity: 0.001 }), account(), { minNotional: 60 })).toBe('');
  });

  it("measures a limit order's minimum notional at its limit price", () => {
    const buy = intent({ type: 'limit', price: 50_000, quantity: 0.002 }); // 100 at the limit, 120 at the mark
    expect(reasons(buy, account(), { minNotional: 101 })).toMatch(/notional 100\.00 USDT is below/);
  });

  it('refuses a stop price off the tick and accepts one on it', () => {
    const stop = (stopPrice: number) => intent({ type: 'stop_market', stopPrice, leverage: 2 });
    expect(reasons(stop(60_500.05))).toMatch(/stopPrice 60500\.05 is not a multiple of the tick 0\.1/);
    expect(reasons(stop(60_500.1))).toBe('');
  });

  it('checks validity of reduce-only orders and spot sells too', () => {
    const a = account({ positions: [position()] });
    expect(reasons(intent({ side: 'sell', quantity: 0.0195, reduceOnly: true }), a)).toMatch(/step/);
    expect(reasons(intent({ market: 'spot', side: 'sell', quantity: 0.004, leverage: 1 }), a, small)).toMatch(
      /below the minimum 0\.005/,
    );
  });
});

describe('what counts as reducing (passes the limit rules)', () => {
  const halted = (positions = [position()]) => account({ halted: true, positions });

  it('an order against the position no larger than it reduces: a sell of a whole long, a buy of a short', () => {
    expect(reasons(intent({ side: 'sell', quantity: 0.02 }), halted())).toBe('');
    expect(reasons(intent({ side: 'buy', quantity: 0.02 }), halted([position({ side: 'short' })]))).toBe('');
  });

  it('an order larger than the position flips it and is checked as new exposure', () => {
    expect(reasons(intent({ side: 'sell', quantity: 0.021 }), halted())).toMatch(/halted/);
  });

  it('an order on the side of the position adds to it and is checked as new exposure', () => {
    expect(reasons(intent({ side: 'buy', quantity: 0.01 }), halted())).toMatch(/halted/);
    expect(reasons(intent({ side: 'sell', quantity: 0.01 }), halted([position({ side: 'short' })]))).toMatch(
      /halted/,
    );
  });

  it("only the symbol's own position counts: a sell of BTC against an ETH long is new exposure", () => {
    expect(
      reasons(intent({ side: 'sell', quantity: 0.01 }), halted([position({ symbol: 'ETHUSDT' })])),
    ).toMatch(/halted/);
  });

  it('a spot buy never counts as closing a futures short of the same coin', () => {
    const a = halted([position({ side: 'short', quantity: 0.1 })]);
    expect(reasons(intent({ market: 'spot', quantity: 0.05, leverage: 1 }), a)).toMatch(/halted/);
  });

  it('a futures sell is not a spot sell: without a position it opens a short', () => {
    expect(reasons(intent({ side: 'sell', quantity: 0.01 }), halted([]))).toMatch(/halted/);
  });
});

describe('daily loss', () => {
  it('does not apply before a start-of-day equity is known', () => {
    expect(accepted(intent(), account({ startOfDayEquity: 0, equity: 10_000 }))).toBe(true);
  });
});

describe('position count', () => {
  it('accepts a third position and an add to one of three open', () => {
    const two = ['ETHUSDT', 'SOLUSDT'].map((symbol) => position({ symbol }));
    expect(reasons(intent(), account({ positions: two }))).toBe('');
    const three = [...two, position()];
    expect(reasons(intent({ quantity: 0.01 }), account({ positions: three }))).toBe('');
  });
});

describe('flips', () => {
  it('counts only the new opposite position after a flip: long 0.02, sell 0.06 leaves a 0.04 short', () => {
    const a = account({ positions: [position({ quantity: 0.02 })] });
    expect(reasons(intent({ side: 'sell', quantity: 0.06, leverage: 2 }), a)).toBe('');
    expect(reasons(intent({ side: 'sell', quantity: 0.071, leverage: 2 }), a)).toMatch(
      /notional 3060\.00 USDT/,
    );
  });
});
