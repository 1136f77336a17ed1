// The position-size rule (30 % of equity by default): the notional that grows exposure is counted at the
// worse of the order's price and the mark — a marketable limit fills near the mark whatever its limit
// says, a resting one at its limit — so no order is ever counted smaller than it can fill.
import { describe, expect, it } from 'vitest';
import { precheckBatch } from '../../../shared/domain/risk/precheck-batch.ts';
import { accepted, account, check, intent, position, reasons } from './risk-fixtures.ts';

const SIZE = /exceeds 30 % of equity/;
// Leverage 2 and a loose liquidation minimum keep the size rule the only one in play.
const lim = { liquidationDistanceMinPct: 0 };

describe('position size at max(order price, mark)', () => {
  it('defect 10: a marketable sell limit far below the mark is counted at the mark, not its limit price', () => {
    // 0.09 BTC: 2,700 USDT at the 30,000 limit (27 %) but 5,400 USDT (54 %) at the 60,000 mark it fills at.
    const sell = intent({ side: 'sell', type: 'limit', price: 30_000, quantity: 0.09, leverage: 2 });
    expect(reasons(sell, account(), {}, lim)).toMatch(
      /position notional 5400\.00 USDT exceeds 30 % of equity/,
    );
  });

  it('defect 10: a sell limit below the mark that flips a long into a short counts the new short at the mark', () => {
    const a = account({ positions: [position({ quantity: 0.02 })] });
    const flip = intent({ side: 'sell', type: 'limit', price: 30_000, quantity: 0.11, leverage: 2 });
    expect(reasons(flip, a, {}, lim)).toMatch(/position notional 5400\.00 USDT/);
  });

  it('counts a sell limit resting above the mark at its limit price (where it fills)', () => {
    // 0.045 BTC: 2,700 at the mark, 3,150 at the 70,000 limit.
    const sell = intent({ side: 'sell', type: 'limit', price: 70_000, quantity: 0.045, leverage: 2 });
    expect(reasons(sell, account(), {}, lim)).toMatch(/position notional 3150\.00 USDT/);
    expect(accepted({ ...sell, quantity: 0.042 }, account(), {}, lim)).toBe(true);
  });

  it('counts a buy limit above the mark at its limit and one below the mark at the mark', () => {
    const above = intent({ type: 'limit', price: 70_000, quantity: 0.045, leverage: 2 });
    expect(reasons(above, account(), {}, lim)).toMatch(/position notional 3150\.00 USDT/);
    const below = intent({ type: 'limit', price: 50_000, quantity: 0.055, leverage: 2 });
    expect(reasons(below, account(), {}, lim)).toMatch(/position notional 3300\.00 USDT/);
  });

  it('counts a stop entry at the worse of its trigger and the mark', () => {
    const stopSell = intent({
      side: 'sell',
      type: 'stop_market',
      stopPrice: 40_000,
      quantity: 0.055,
      leverage: 2,
    });
    expect(reasons(stopSell, account(), {}, lim)).toMatch(/position notional 3300\.00 USDT/);
  });

  it('counts an add to a position as the whole resulting position', () => {
    const a = account({ positions: [position({ quantity: 0.04 })] });
    expect(reasons(intent({ quantity: 0.02, leverage: 2 }), a, {}, lim)).toMatch(
      /position notional 3600\.00 USDT/,
    );
    expect(accepted(intent({ quantity: 0.01, leverage: 2 }), a, {}, lim)).toBe(true);
  });

  it('accepts a position of exactly 30 % of equity and refuses one step more', () => {
    expect(accepted(intent({ quantity: 0.05, leverage: 2 }), account(), {}, lim)).toBe(true);
    expect(reasons(intent({ quantity: 0.051, leverage: 2 }), account(), {}, lim)).toMatch(SIZE);
  });

  it('measures the limit against current equity, not wallet balance or start-of-day equity', () => {
    const poorer = account({ equity: 9_600, walletBalance: 20_000, startOfDayEquity: 9_700 });
    expect(reasons(intent({ quantity: 0.05, leverage: 2 }), poorer, {}, lim)).toMatch(
      /exceeds 30 % of equity \(2880\.00 USDT\)/,
    );
  });
});

describe('spot buys', () => {
  const spot = (p = {}) => intent({ market: 'spot', leverage: 1, ...p });

  it('defect 10: a spot buy above 30 % of equity is refused', () => {
    expect(reasons(spot({ quantity: 0.06 }))).toMatch(
      /spot buy notional 3600\.00 USDT exceeds 30 % of equity/,
    );
  });

  it('defect 10: a marketable spot buy limit is counted at the worse of its limit and the price', () => {
    expect(reasons(spot({ type: 'limit', price: 70_000, quantity: 0.045 }))).toMatch(
      /3150\.00 USDT exceeds 30 %/,
    );
    expect(reasons(spot({ type: 'limit', price: 50_000, quantity: 0.055 }))).toMatch(
      /3300\.00 USDT exceeds 30 %/,
    );
  });

  it('lets the funding-arbitrage hedge through: a spot buy the size of an accepted futures short', () => {
    // The strategy's default hedge is 20 % of equity per leg; the largest short the size rule allows is 30 %.
    const short = intent({ side: 'sell', quantity: 0.05, leverage: 2 });
    const buy = spot({ quantity: 0.05 });
    const batch = precheckBatch([short, buy], check());
    expect(batch.rejected).toEqual([]);
    const hedged = account({ positions: [position({ side: 'short', quantity: 0.05 })] });
    expect(accepted(buy, hedged)).toBe(true);
  });

  it('refuses a spot buy while halted or past the daily loss limit, like any entry', () => {
    expect(reasons(spot(), account({ halted: true }))).toMatch(/halted/);
    expect(reasons(spot(), account({ equity: 9_000 }))).toMatch(/daily loss limit/);
  });

  it('lets a spot sell through every limit: it only reduces a holding', () => {
    expect(reasons(spot({ side: 'sell', quantity: 1 }), account({ halted: true, equity: 5_000 }))).toBe('');
  });
});
