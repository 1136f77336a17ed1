import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  fundingFee,
  liquidationPrice,
  liquidationPriceWithBrackets,
  maintenanceMargin,
  unrealizedPnl,
} from '../../../shared/domain/futures-math.ts';
import { leverageBracketsFor } from '../../../shared/domain/leverage-brackets.ts';

const price = fc.double({ min: 0.01, max: 200_000, noNaN: true, noDefaultInfinity: true });
const qty = fc.double({ min: 0.001, max: 1_000, noNaN: true, noDefaultInfinity: true });
const rate = fc.double({ min: -0.03, max: 0.03, noNaN: true, noDefaultInfinity: true });
const side = fc.constantFrom('long' as const, 'short' as const);
// Binance's tiers keep the maintenance rate under the initial rate 1/leverage (a position is never
// opened already liquidatable); leverage here is ≤ 20, so rates stay under 1/20.
const mmr = fc.double({ min: 0.001, max: 0.04, noNaN: true, noDefaultInfinity: true });

describe('futures math invariants', () => {
  it('PnL is antisymmetric in side', () => {
    fc.assert(
      fc.property(price, price, qty, (entryPrice, markPrice, quantity) => {
        const long = unrealizedPnl({ side: 'long', entryPrice, markPrice, quantity });
        const short = unrealizedPnl({ side: 'short', entryPrice, markPrice, quantity });
        expect(long + short).toBeCloseTo(0, 6);
      }),
    );
  });

  it('funding is zero-sum between a long and a short of equal size', () => {
    fc.assert(
      fc.property(qty, price, rate, (quantity, markPrice, fundingRate) => {
        const long = fundingFee({ side: 'long', quantity, markPrice, fundingRate });
        const short = fundingFee({ side: 'short', quantity, markPrice, fundingRate });
        expect(long + short).toBe(0);
        if (fundingRate > 1e-12) expect(long).toBeLessThan(0);
      }),
    );
  });

  it("an isolated long's liquidation price is below entry and rises with leverage", () => {
    fc.assert(
      fc.property(price, qty, mmr, fc.integer({ min: 1, max: 19 }), (entryPrice, quantity, m, lev) => {
        const at = (leverage: number) =>
          liquidationPrice({
            side: 'long',
            marginMode: 'isolated',
            entryPrice,
            quantity,
            walletBalance: (entryPrice * quantity) / leverage,
            maintMarginRatio: m,
            maintAmount: 0,
          });
        const low = at(lev);
        const high = at(lev + 1);
        expect(low).toBeLessThan(entryPrice);
        expect(high).toBeLessThan(entryPrice);
        expect(high).toBeGreaterThan(low);
      }),
    );
  });

  it("an isolated short's liquidation price is above entry and falls with leverage", () => {
    fc.assert(
      fc.property(price, qty, mmr, fc.integer({ min: 1, max: 19 }), (entryPrice, quantity, m, lev) => {
        const at = (leverage: number) =>
          liquidationPrice({
            side: 'short',
            marginMode: 'isolated',
            entryPrice,
            quantity,
            walletBalance: (entryPrice * quantity) / leverage,
            maintMarginRatio: m,
            maintAmount: 0,
          });
        expect(at(lev)).toBeGreaterThan(entryPrice);
        expect(at(lev + 1)).toBeLessThan(at(lev));
      }),
    );
  });

  it('at the cross liquidation price, margin balance equals maintenance margin (the definition)', () => {
    fc.assert(
      fc.property(
        side,
        price,
        qty,
        mmr,
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        fc.double({ min: 0, max: 1e4, noNaN: true }),
        fc.double({ min: -1e4, max: 1e4, noNaN: true }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        (s, entryPrice, quantity, m, wallet, otherMm, otherUpnl, cum) => {
          const p = {
            side: s,
            marginMode: 'cross' as const,
            entryPrice,
            quantity,
            walletBalance: wallet,
            otherMaintenanceMargin: otherMm,
            otherUnrealizedPnl: otherUpnl,
            maintMarginRatio: m,
            maintAmount: cum,
          };
          const lp = liquidationPrice(p);
          fc.pre(lp > 0);
          const sign = s === 'long' ? 1 : -1;
          const marginBalance = wallet + otherUpnl + sign * (lp - entryPrice) * quantity;
          const maintenance = otherMm + lp * quantity * m - cum;
          const scale = Math.max(1, Math.abs(wallet), entryPrice * quantity);
          expect(Math.abs(marginBalance - maintenance) / scale).toBeLessThan(1e-9);
        },
      ),
    );
  });

  it('with brackets, the liquidation price satisfies the definition in its own tier', () => {
    const brackets = leverageBracketsFor('BTCUSDT');
    fc.assert(
      fc.property(
        side,
        fc.double({ min: 1_000, max: 150_000, noNaN: true }),
        fc.double({ min: 0.001, max: 200, noNaN: true }),
        fc.integer({ min: 1, max: 20 }),
        (s, entryPrice, quantity, leverage) => {
          fc.pre(entryPrice * quantity < 200_000_000);
          const walletBalance = (entryPrice * quantity) / leverage;
          const lp = liquidationPriceWithBrackets({
            side: s,
            marginMode: 'isolated',
            entryPrice,
            quantity,
            walletBalance,
            brackets,
          });
          fc.pre(lp > 0 && lp * quantity < 1_800_000_000);
          const sign = s === 'long' ? 1 : -1;
          const marginBalance = walletBalance + sign * (lp - entryPrice) * quantity;
          const mm = maintenanceMargin({ notional: lp * quantity, brackets });
          expect(Math.abs(marginBalance - mm) / (entryPrice * quantity)).toBeLessThan(1e-9);
        },
      ),
    );
  });
});
