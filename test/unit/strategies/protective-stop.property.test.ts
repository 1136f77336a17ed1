// Invariant of every strategy, over random markets run through the backtester: no entry without a
// protective reduce-only stop, no position left without one after a tick, and never an intent with a
// NaN, zero or negative quantity or price.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../../shared/backtest/engine.ts';
import { emptySeries } from '../../../shared/domain/candles.ts';
import type { Dataset } from '../../../shared/market-data/dataset.ts';
import { STRATEGIES } from '../../../shared/strategies/registry.ts';
import type { AccountView, Strategy, StrategyOutput } from '../../../shared/strategies/strategy.ts';

/** A random market: regimes of trend and volatility, volume spikes, funding from −0.05 % to 0.1 %. */
function market(seed: number, n: number): Dataset {
  let x = seed >>> 0 || 1;
  const rand = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4_294_967_296;
  };
  const c = emptySeries(n);
  let price = 20_000 + rand() * 80_000;
  let drift = 0;
  let vol = 0.005;
  for (let i = 0; i < n; i++) {
    if (rand() < 0.03) drift = (rand() - 0.5) * 0.006;
    if (rand() < 0.03) vol = 0.0005 + rand() * 0.02;
    const o = price;
    const cl = Math.max(100, o * (1 + drift + (rand() - 0.5) * vol));
    c.time[i] = Date.UTC(2026, 0, 1) + i * 3_600_000;
    c.open[i] = o;
    c.close[i] = cl;
    c.high[i] = Math.max(o, cl) * (1 + rand() * vol);
    c.low[i] = Math.min(o, cl) * (1 - rand() * vol);
    c.volume[i] = 100 * (rand() < 0.05 ? 5 + rand() * 5 : 0.5 + rand());
    price = cl;
  }
  const ft: number[] = [];
  const fr: number[] = [];
  for (let t = c.time[0]!; t <= c.time[n - 1]!; t += 8 * 3_600_000) {
    ft.push(t);
    fr.push(-0.0005 + rand() * 0.0015);
  }
  return {
    symbol: 'BTCUSDT',
    timeframe: '1h',
    candles: c,
    funding: { time: Float64Array.from(ft), rate: Float64Array.from(fr) },
    gaps: [],
  };
}

function checkOutput(out: StrategyOutput<unknown>, account: AccountView): void {
  for (const i of out.intents) {
    expect(Number.isFinite(i.quantity) && i.quantity > 0).toBe(true);
    for (const v of [i.price, i.stopPrice])
      if (v !== undefined) expect(Number.isFinite(v) && v > 0).toBe(true);
  }
  const futures = out.intents.filter((i) => i.market === 'futures');
  for (const entry of futures.filter((i) => i.type === 'market' && !i.reduceOnly)) {
    const protective = futures.find(
      (i) =>
        i.type === 'stop_market' && i.reduceOnly && i.side !== entry.side && i.quantity === entry.quantity,
    );
    expect(protective, `entry ${entry.id} without its stop`).toBeDefined();
  }
  // A position after this tick's intents must have a reduce-only stop on its closing side (already open
  // and not cancelled, or new), unless this tick closes it.
  const pos = account.position;
  if (!pos) return;
  const closeSide = pos.side === 'long' ? 'sell' : 'buy';
  const closes = futures.some((i) => i.type === 'market' && i.reduceOnly && i.side === closeSide);
  const keeps = account.openOrders.some(
    (o) =>
      o.type === 'stop_market' &&
      o.reduceOnly &&
      o.side === closeSide &&
      !out.cancels.includes(o.clientOrderId),
  );
  const adds = futures.some((i) => i.type === 'stop_market' && i.reduceOnly && i.side === closeSide);
  expect(closes || keeps || adds, `position ${pos.side} ${pos.quantity} left without a stop`).toBe(true);
}

describe.each(Object.values(STRATEGIES).map((s) => [s.name, s] as const))('%s', (_name, strategy) => {
  it('never emits an unprotected entry or a bad number, and never leaves a position without a stop', () => {
    let checked = 0;
    let entries = 0;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        const params = strategy.paramsSchema.parse(
          strategy.name === 'funding_arbitrage'
            ? { entryAprPct: 30, exitAprPct: 20, smoothingSettlements: 3, minHoldHours: 8 }
            : {},
        );
        const spy: Strategy<unknown, unknown> = {
          ...strategy,
          evaluate(input) {
            const out = strategy.evaluate(input);
            checkOutput(out, input.account);
            checked++;
            entries += out.intents.filter(
              (i) => !i.reduceOnly && (i.market === 'futures' || i.side === 'buy'),
            ).length;
            return out;
          },
        };
        runBacktest({
          strategy: spy,
          params,
          dataset: market(seed, strategy.lookback(params) + 300),
          initialSpotUsdt: 10_000,
        });
      }),
      { numRuns: 15 },
    );
    expect(checked).toBeGreaterThan(1_000);
    expect(entries, 'the random markets must make the strategy trade').toBeGreaterThan(10);
  });
});
