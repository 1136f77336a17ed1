// funding_arbitrage answers a quiet tick (a hedge held, nothing to do) without its full decision
// (shared/strategies/funding-quiet.ts). That shortcut may only ever give the full decision's answer: on
// every tick of six years of real BTCUSDT and ETHUSDT, at leverages from the default 2x to 10x (where
// the short's liquidation price comes within the margin-call distance, so margin moves, stop moves and
// rebalances happen), the strategy's answer is held to the full decision's on a copy of the same state, flat ticks and held ones alike.
import { describe, expect, it } from 'vitest';
import { actOnFunding, fundingArbitrage } from '../../../shared/strategies/funding-arbitrage.ts';
import { advanceHistory } from '../../../shared/strategies/funding-carry.ts';
import { multiYearDataset } from '../../bench/data.ts';
import { flat, HOUR, T0 } from '../../support/candles.ts';
import { accountWith, viewAt } from '../../support/strategy-harness.ts';
import { holdQuietToFull, newTally } from './quiet-agreement.ts';

describe('funding_arbitrage: a quiet tick answers as the full decision would', () => {
  for (const symbol of ['BTCUSDT', 'ETHUSDT'])
    it(`${symbol}, six years, 2x / 5x / 10x`, () => {
      const dataset = multiYearDataset(symbol);
      const seen = newTally();
      for (const leverage of [2, 5, 10]) {
        const params = fundingArbitrage.paramsSchema.parse({ leverage });
        holdQuietToFull(fundingArbitrage, params, dataset, seen, (input) =>
          actOnFunding(input, advanceHistory(input.state?.funding, input.view, params.smoothingSettlements)),
        );
      }
      // Not vacuous: most ticks are quiet, and the acting ones include entries, exits and margin moves.
      expect(seen.quiet).toBeGreaterThan(10_000);
      expect(seen.acting).toBeGreaterThan(100);
      expect(seen.intents).toBeGreaterThan(50);
      expect(seen.marginMoves).toBeGreaterThan(0);
    });
});

describe('funding_arbitrage: ticks that look quiet but are not', () => {
  it('coins of ours left without a hedge, carry too low to enter: they are sold (no quiet tick)', () => {
    // Flat, no short, funding 0 (no carry): a flat tick with nothing to enter — but 0.05 BTC booked
    // as ours and held in the wallet; at 60,000 that is 3,000 USDT, over the spot minimum, so sold.
    const params = fundingArbitrage.paramsSchema.parse({});
    const funding = { next: T0 + 8 * HOUR, predicted: 0, settled: Array.from({ length: 8 }, () => 0) };
    const out = fundingArbitrage.evaluate({
      view: viewAt(flat(200, 60_000), 5, { fundingRate: 0 }),
      account: accountWith({ spotBase: 0.05 }),
      params,
      state: { spot: { quantity: 0.05 }, funding },
    });
    expect(out.intents).toMatchObject([{ market: 'spot', side: 'sell', type: 'market', quantity: 0.05 }]);
    expect(out.notes).toEqual(['selling 0.05 spot left from an earlier hedge']);
  });
});
