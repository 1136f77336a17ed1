// Issue 12, defect 14: the daily-loss baseline is the equity at 00:00 UTC, from the performance
// monitor's equity snapshots — not whatever the day's first reader happens to see.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MemoryStateStore } from '../../../shared/adapters/memory/state-store.ts';
import { loadAccountSnapshot } from '../../../shared/app/account-snapshot.ts';
import { riskMonitorOnce } from '../../../shared/app/monitors/risk-monitor.ts';
import { START_OF_DAY_WINDOW_MS, startOfDayEquity } from '../../../shared/app/start-of-day.ts';
import { HOUR, T0 } from '../../support/candles.ts';
import { startDynamo } from '../../support/dynalite.ts';
import { monitorHarness } from '../../support/monitor-harness.ts';

let dynamo: Awaited<ReturnType<typeof startDynamo>>;
beforeAll(async () => {
  dynamo = await startDynamo('autocoin-start-of-day');
});
afterAll(async () => {
  await dynamo.stop();
});

const MIN = 60_000;
const TTL = T0 + 40 * 24 * HOUR;

describe('defect 14: start-of-day equity is the equity at 00:00 UTC', () => {
  it('defect 14: a first read at 03:00 after a 5.5 % fall since midnight still measures from midnight, and halts', async () => {
    // T0 is 00:00 UTC. The performance monitor saw 10,000 before midnight (every 5 minutes).
    const h = await monitorHarness(dynamo, {}, [60_000, 55_000, 49_000, 49_000, 49_000]);
    for (const [t, equity] of [
      [T0 - 10 * MIN, 10_010],
      [T0 - 5 * MIN, 10_000],
      [T0 + 2 * HOUR, 9_470], // after midnight: not the baseline
    ] as const)
      await h.deps.store.putEquitySnapshot({ time: t, equity, unrealizedPnl: 0, openPositions: 0 }, TTL);
    h.sim.createOrder({
      clientOrderId: 'long-at-midnight',
      symbol: 'BTCUSDT',
      market: 'futures',
      side: 'buy',
      type: 'market',
      quantity: 0.05,
    });
    for (let i = 0; i < 3; i++) h.sim.advance(); // 03:00, 49,000: −550 USDT since midnight
    expect(await h.deps.store.getDay('2026-09-01')).toBeUndefined(); // nobody has read the day yet

    const { snapshot } = await loadAccountSnapshot(h.deps);
    expect(snapshot.equity).toBeLessThan(9_460);
    expect(snapshot.startOfDayEquity).toBe(10_000);
    const r = await riskMonitorOnce(h.deps, h.deps.clock.now());
    expect(r.halted).toBe(true);
    expect((await h.deps.store.getHalt()).reason).toMatch(/daily loss limit reached: -5\.\d+ %/);
  });

  it('defect 14: with no snapshot before midnight, the first one after it (within the window) is the baseline', async () => {
    const store = new MemoryStateStore();
    await store.putEquitySnapshot({
      time: T0 - 3 * HOUR,
      equity: 12_000,
      unrealizedPnl: 0,
      openPositions: 0,
    });
    await store.putEquitySnapshot({ time: T0 + 4 * MIN, equity: 9_990, unrealizedPnl: 0, openPositions: 0 });
    await store.putEquitySnapshot({ time: T0 + 9 * MIN, equity: 9_900, unrealizedPnl: 0, openPositions: 0 });
    expect(await startOfDayEquity({ store }, '2026-09-01', { now: T0 + 3 * HOUR, equity: 9_000 })).toEqual({
      equity: 9_990,
      source: 'snapshot_after_midnight',
      at: T0 + 4 * MIN,
    });
  });

  it('defect 14: with no snapshot near midnight, the current equity is the baseline (and says so)', async () => {
    const store = new MemoryStateStore();
    await store.putEquitySnapshot({
      time: T0 - START_OF_DAY_WINDOW_MS - MIN,
      equity: 12_000,
      unrealizedPnl: 0,
      openPositions: 0,
    });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      expect(await startOfDayEquity({ store }, '2026-09-01', { now: T0 + 3 * HOUR, equity: 9_000 })).toEqual({
        equity: 9_000,
        source: 'current',
        at: T0 + 3 * HOUR,
      });
      expect(JSON.parse(String(warn.mock.calls[0]?.[0]))).toMatchObject({
        level: 'WARN',
        date: '2026-09-01',
      });
    } finally {
      warn.mockRestore();
    }
  });

  it('defect 14: a snapshot exactly at 00:00 is the baseline; one a minute later is not preferred', async () => {
    const store = new MemoryStateStore();
    await store.putEquitySnapshot({ time: T0, equity: 10_500, unrealizedPnl: 0, openPositions: 0 });
    await store.putEquitySnapshot({ time: T0 + MIN, equity: 10_400, unrealizedPnl: 0, openPositions: 0 });
    expect(await startOfDayEquity({ store }, '2026-09-01', { now: T0 + MIN, equity: 10_400 })).toMatchObject({
      equity: 10_500,
      source: 'snapshot_at_midnight',
    });
  });
});
