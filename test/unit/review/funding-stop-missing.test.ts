import { describe, expect, it } from 'vitest';
import { fundingArbitrage } from '../../../shared/strategies/funding-arbitrage.ts';
import { flat, HOUR, T0 } from '../../support/candles.ts';
import { accountWith, positionOf, viewAt } from '../../support/strategy-harness.ts';

const params = fundingArbitrage.paramsSchema.parse({});
const c = flat(200, 60_000);
const history = { next: T0 + 8 * HOUR, predicted: 0.0005, settled: Array.from({ length: 8 }, () => 0.0005) };

describe('review: funding_arbitrage re-places a last-resort stop that is no longer on the exchange', () => {
  it('review: a hedge whose stop was refused or expired is left without its last-resort stop', () => {
    // The hedge booked stop-1 at 86,330 (3 % under the 89,000 liquidation price), but the exchange
    // lists no open order: the stop was refused at entry (or expired/cancelled by hand). The liquidation
    // price has not moved, so the 1 % "moved up" rule never fires; the short must still get a stop.
    const out = fundingArbitrage.evaluate({
      view: viewAt(c, 10, { fundingRate: 0.0005 }),
      account: accountWith({
        position: positionOf({
          side: 'short',
          quantity: 0.033,
          entryPrice: 60_000,
          liquidationPrice: 89_000,
        }),
        spotBase: 0.033,
        openOrders: [],
      }),
      params,
      state: {
        hedge: { quantity: 0.033, entryBasisPct: 0, stopId: 'stop-1', stopPrice: 86_330, enteredAt: T0 },
        spot: { quantity: 0.033 },
        funding: history,
      },
    });
    const stops = out.intents.filter((i) => i.type === 'stop_market');
    // 89,000 × 0.97 = 86,330.
    expect(stops).toEqual([
      expect.objectContaining({ side: 'buy', reduceOnly: true, quantity: 0.033, stopPrice: 86_330 }),
    ]);
    expect(out.state.hedge?.stopId).toBe(stops[0]!.id);
  });
});
