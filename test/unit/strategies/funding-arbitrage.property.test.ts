// Invariant of funding_arbitrage over random markets run through the backtester, with the account and
// the spot market randomly starved (wallets empty, spot halted) so that every path runs: after any tick,
// neither leg stands alone. A short that stays open has a hedge with spot coins booked or being bought;
// a hedge that stays has its short; coins of ours without a hedge are being sold (while spot trades);
// a shrinking short always shrinks the spot leg by the same quantity in the same tick.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../../shared/backtest/engine.ts';
import { emptySeries } from '../../../shared/domain/candles.ts';
import type { Dataset } from '../../../shared/market-data/dataset.ts';
import {
  type FundingArbitrageParams,
  type FundingArbitrageState,
  fundingArbitrage,
} from '../../../shared/strategies/funding-arbitrage.ts';
import { sellableSpot } from '../../../shared/strategies/spot-holding.ts';
import type { Strategy } from '../../../shared/strategies/strategy.ts';

function rng(seed: number) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4_294_967_296;
  };
}

/** Trending regimes strong enough to bring a 2x–5x short near liquidation; funding −0.05 %…0.2 %. */
function market(seed: number, n: number): Dataset {
  const rand = rng(seed);
  const c = emptySeries(n);
  let price = 20_000 + rand() * 60_000;
  let drift = 0;
  for (let i = 0; i < n; i++) {
    if (rand() < 0.04) drift = (rand() - 0.35) * 0.02;
    const o = price;
    const cl = Math.max(100, o * (1 + drift + (rand() - 0.5) * 0.01));
    c.time[i] = Date.UTC(2026, 0, 1) + i * 3_600_000;
    c.open[i] = o;
    c.close[i] = cl;
    c.high[i] = Math.max(o, cl) * (1 + rand() * 0.005);
    c.low[i] = Math.min(o, cl) * (1 - rand() * 0.005);
    c.volume[i] = 100;
    price = cl;
  }
  const ft: number[] = [];
  const fr: number[] = [];
  let level = 0.0005;
  for (let t = c.time[0]!; t <= c.time[n - 1]!; t += 8 * 3_600_000) {
    if (rand() < 0.1) level = -0.0005 + rand() * 0.0025;
    ft.push(t);
    fr.push(level + (rand() - 0.5) * 0.0002);
  }
  return {
    symbol: 'BTCUSDT',
    timeframe: '1h',
    candles: c,
    funding: { time: Float64Array.from(ft), rate: Float64Array.from(fr) },
    gaps: [],
  };
}

describe('funding_arbitrage: no tick leaves one leg of the hedge alone', () => {
  it('over random markets, starved wallets and spot halts', () => {
    let ticks = 0;
    const seen = { entries: 0, exits: 0, rebalances: 0, marginCalls: 0, halts: 0 };
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.integer({ min: 1, max: 5 }),
        (seed, leverage) => {
          const rand = rng(seed ^ 0x5bd1e995);
          const params: FundingArbitrageParams = fundingArbitrage.paramsSchema.parse({
            leverage,
            entryAprPct: 20,
            exitAprPct: 5,
            smoothingSettlements: 3,
            minHoldHours: 8,
          });
          let halted = false;
          const spy: Strategy<FundingArbitrageParams, FundingArbitrageState> = {
            ...fundingArbitrage,
            evaluate(input) {
              if (rand() < 0.05) halted = !halted;
              const dry = rand() < 0.3;
              const view = { ...input.view, spotTradable: !halted };
              const real = input.account;
              const account = dry
                ? { ...real, position: real.position, availableBalance: 0, spotUsdt: 0 }
                : { ...real, position: real.position, availableBalance: real.availableBalance };
              const out = fundingArbitrage.evaluate({ ...input, view, account });
              ticks++;
              if (halted) seen.halts++;
              if (out.marginActions?.length) seen.marginCalls++;
              const pos = account.position?.side === 'short' ? account.position : undefined;
              const closes = out.intents.some(
                (i) =>
                  i.market === 'futures' &&
                  i.type === 'market' &&
                  i.reduceOnly &&
                  i.quantity >= (pos?.quantity ?? 0),
              );
              const enters = out.intents.some(
                (i) => i.market === 'futures' && i.side === 'sell' && !i.reduceOnly,
              );
              if (enters) seen.entries++;
              if (pos && closes) seen.exits++;
              const spot = out.state.spot ?? { quantity: 0 };
              const at = new Date(view.time).toISOString();
              if (pos && !closes) {
                expect(out.state.hedge, `${at}: a short stays without a hedge`).toBeDefined();
                expect(
                  spot.quantity > 0 || spot.pending?.side === 'buy',
                  `${at}: a short stays without spot`,
                ).toBe(true);
              }
              // A hedge whose short is gone (or never came: an entry refused by the risk check) holds no
              // coins of ours, unless a spot order is still settling or spot cannot trade to sell them.
              if (out.state.hedge && !enters && !(pos && !closes) && !spot.pending && !halted)
                expect(
                  sellableSpot(spot, account.spotBase, view),
                  `${at}: spot coins stay without a short`,
                ).toBe(0);
              if (!out.state.hedge && !halted && sellableSpot(spot, account.spotBase, view) > 0)
                expect(spot.pending?.side, `${at}: our coins stay without a hedge`).toBe('sell');
              const shrink = out.intents.filter(
                (i) =>
                  i.market === 'futures' &&
                  i.type === 'market' &&
                  i.reduceOnly &&
                  i.quantity < (pos?.quantity ?? 0),
              );
              for (const s of shrink) {
                seen.rebalances++;
                expect(
                  out.intents.some(
                    (i) => i.market === 'spot' && i.side === 'sell' && i.quantity === s.quantity,
                  ),
                  `${at}: the short shrank by ${s.quantity} and the spot leg did not`,
                ).toBe(true);
                expect(halted, `${at}: a leg shrank while spot was halted`).toBe(false);
              }
              for (const i of out.intents.filter((x) => x.market === 'spot' && x.side === 'sell'))
                expect(i.quantity, `${at}: sold more than the coins booked as ours`).toBeLessThanOrEqual(
                  spot.quantity,
                );
              return out;
            },
          };
          runBacktest({ strategy: spy, params, dataset: market(seed, 600), initialSpotUsdt: 10_000 });
        },
      ),
      { numRuns: 20 },
    );
    expect(ticks).toBeGreaterThan(10_000);
    // The random markets must exercise every rule this property is about.
    expect(seen.entries).toBeGreaterThan(10);
    expect(seen.exits).toBeGreaterThan(5);
    expect(seen.rebalances).toBeGreaterThan(3);
    expect(seen.marginCalls).toBeGreaterThan(10);
    expect(seen.halts).toBeGreaterThan(100);
  });
});
