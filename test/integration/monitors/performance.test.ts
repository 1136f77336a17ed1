// The performance monitor against dynalite and the simulated exchange: equity snapshots and the figures
// derived from them, per-strategy statistics from realised PnL (each entry once), degradation → one
// StrategyPaused event and a pause the strategy tick honours, and /strategy_resume lifting it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  equityFigures,
  getStrategyPause,
  getStrategyPerformance,
  performanceMonitorOnce,
} from '../../../shared/app/monitors/performance-monitor.ts';
import { strategyTick } from '../../../shared/app/strategy-tick.ts';
import { COMMANDS } from '../../../shared/app/telegram/commands.ts';
import { dispatch } from '../../../shared/app/telegram/registry.ts';
import { riskLimitsFrom } from '../../../shared/domain/risk/limits.ts';
import type { Strategy } from '../../../shared/strategies/strategy.ts';
import { IntentFactory } from '../../../shared/strategies/strategy.ts';
import { HOUR } from '../../support/candles.ts';
import { startDynamo } from '../../support/dynalite.ts';
import { monitorHarness } from '../../support/monitor-harness.ts';

let dynamo: Awaited<ReturnType<typeof startDynamo>>;
beforeAll(async () => {
  dynamo = await startDynamo('autocoin-perf');
});
afterAll(async () => {
  await dynamo.stop();
});

async function setup(prices: number[], env: Record<string, string> = {}) {
  const h = await monitorHarness(dynamo, { DEFAULT_FUTURES_STRATEGY: 'grid', ...env }, prices);
  const order = async (strategy: string, side: 'buy' | 'sell', quantity: number, reduceOnly = false) => {
    const { outcome } = await h.order({ strategy, side, quantity, reduceOnly });
    expect(outcome.kind).toBe('placed');
  };
  return { ...h, order };
}

describe('performance monitor', () => {
  it('equity figures: daily PnL from the start of day, weekly from a week ago, drawdown from the peak', () => {
    const now = Date.UTC(2026, 8, 10, 12);
    const snaps = [
      { time: now - 8 * 24 * HOUR, equity: 9_000, unrealizedPnl: 0, openPositions: 0 }, // older than a week
      { time: now - 6 * 24 * HOUR, equity: 10_000, unrealizedPnl: 0, openPositions: 0 },
      { time: now - 3 * 24 * HOUR, equity: 10_800, unrealizedPnl: 0, openPositions: 1 },
      { time: now, equity: 10_260, unrealizedPnl: 0, openPositions: 1 },
    ];
    const f = equityFigures(snaps, { time: now, equity: 10_260, startOfDayEquity: 10_300 });
    expect(f.dailyPnl).toBe(-40);
    expect(f.weeklyPnl).toBe(260);
    expect(f.peak).toBe(10_800);
    expect(f.drawdownPct).toBeCloseTo(5, 10); // (10,800 − 10,260) / 10,800
  });

  it('snapshots equity, and five losing closes in a row pause the strategy once; entries are then refused, exits pass', async () => {
    // Buy at 60,000, sell at 59,000: five losing round trips for 'grid'.
    const prices = [
      60_000, 59_000, 60_000, 59_000, 60_000, 59_000, 60_000, 59_000, 60_000, 59_000, 60_000, 60_000,
    ];
    const h = await setup(prices);
    for (let i = 0; i < 5; i++) {
      await h.order('grid', 'buy', 0.01);
      h.sim.advance();
      await h.order('grid', 'sell', 0.01, true);
      h.sim.advance();
    }
    const first = await performanceMonitorOnce(h.deps, h.deps.clock.now());
    expect(first.counted).toBe(5);
    expect(first.paused).toEqual(['grid']);
    // Counted once: a second run (and a third, five minutes later) adds nothing and pauses nothing again.
    const second = await performanceMonitorOnce(h.deps, h.deps.clock.now());
    const third = await performanceMonitorOnce(h.deps, h.deps.clock.now() + 5 * 60_000);
    expect([second.counted, third.counted]).toEqual([0, 0]);
    const perf = (await getStrategyPerformance(h.deps.store)).grid!;
    expect(perf).toMatchObject({ trades: 5, wins: 0, losses: 5, lossStreak: 5 });
    expect(perf.realizedPnl).toBeCloseTo(-50, 6); // 5 × 0.01 × −1,000
    const events = h.bus.events.filter((e) => e.type === 'StrategyPaused');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ strategy: 'grid', paused: true, lossStreak: 5 });
    expect((await getStrategyPause(h.deps.store, 'grid'))?.reason).toContain('5 losing trades in a row');
    expect(h.metrics.last('WinRatePct', { strategy: 'grid' })).toBe(0);
    const snaps = await h.deps.store.listEquitySnapshots(0, h.deps.clock.now() + 10 * 60_000);
    expect(snaps.map((s) => s.time)).toEqual([h.deps.clock.now(), h.deps.clock.now() + 5 * 60_000]);

    // The strategy tick refuses the paused strategy's entry but lets its reduce-only exit through.
    await h.order('grid', 'buy', 0.01); // a position to exit
    const probe: Strategy = {
      name: 'grid',
      description: 'probe',
      timeframes: ['1h'],
      paramsSchema: {} as never,
      lookback: () => 2,
      evaluate({ view, account }: Parameters<Strategy['evaluate']>[0]) {
        const f = new IntentFactory('grid', view, { leverage: 5, marginMode: 'isolated' });
        f.add({ market: 'futures', side: 'buy', type: 'market', quantity: 0.01, reason: 'entry' });
        if (account.position) f.closePosition(account.position, 'exit');
        return { intents: f.intents, cancels: [], state: {}, notes: [] };
      },
    } as unknown as Strategy;
    const r = await strategyTick(
      { strategy: probe, params: {}, symbol: 'BTCUSDT', tickTime: h.deps.clock.now() },
      { ...h.deps, limits: riskLimitsFrom(h.deps.config) },
    );
    expect(r.kind).toBe('ticked');
    if (r.kind !== 'ticked') return;
    expect(r.rejected).toHaveLength(1);
    expect(r.rejected[0]!.reasons[0]).toMatch(/^strategy grid is paused/);
    expect(r.enqueued).toHaveLength(1);

    // /strategy_resume lifts it, once.
    const ctx = {
      chatId: 1,
      updateId: 1,
      at: h.deps.clock.now(),
      deps: { ...h.deps, limits: riskLimitsFrom(h.deps.config) },
    };
    const reply = await dispatch(COMMANDS, '/strategy_resume grid', ctx);
    expect(reply?.text).toContain('grid resumed');
    expect(await getStrategyPause(h.deps.store, 'grid')).toBeUndefined();
    expect((await dispatch(COMMANDS, '/strategy_resume grid', ctx))?.text).toContain('not paused');
    expect((await dispatch(COMMANDS, '/strategy_resume nonsense', ctx))?.text).toContain(
      'running strategies: grid',
    );
    expect(h.bus.events.filter((e) => e.type === 'StrategyResumed')).toHaveLength(1);
  });

  it('a win resets the streak; with auto-pause off, degradation is alerted but nothing is paused', async () => {
    const prices = [60_000, 59_000, 60_000, 61_000, 60_000, 59_000, 60_000, 59_000, 60_000];
    const h = await setup(prices, { PERFORMANCE_MAX_LOSS_STREAK: '2', PERFORMANCE_AUTO_PAUSE: 'false' });
    const roundTrip = async () => {
      await h.order('grid', 'buy', 0.01);
      h.sim.advance();
      await h.order('grid', 'sell', 0.01, true);
      h.sim.advance();
    };
    await roundTrip(); // loss
    await roundTrip(); // 60,000 → 61,000: win
    expect((await performanceMonitorOnce(h.deps, h.deps.clock.now())).paused).toEqual([]);
    await roundTrip(); // loss
    await roundTrip(); // loss: two in a row
    const r = await performanceMonitorOnce(h.deps, h.deps.clock.now());
    expect(r.paused).toEqual(['grid']);
    expect(h.bus.events.filter((e) => e.type === 'StrategyPaused')[0]).toMatchObject({ paused: false });
    expect(await getStrategyPause(h.deps.store, 'grid')).toBeUndefined();
    expect((await getStrategyPerformance(h.deps.store)).grid).toMatchObject({
      trades: 4,
      wins: 1,
      lossStreak: 2,
    });
  });
});
