// The daily summary on dynalite, the simulator and the real executor: one DailySummary for the day that
// ended, sent by the performance monitor's first run after midnight UTC, exactly once — a second run
// sends nothing, a crash between the day's marker and the publish loses the message (never doubles it),
// a missed midnight sends the day late, marked late — and `/notify daily off` silences it for one chat.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { performanceMonitorOnce } from '../../../shared/app/monitors/performance-monitor.ts';
import { type NotifyDeps, notify } from '../../../shared/app/notify.ts';
import { COMMANDS } from '../../../shared/app/telegram/commands.ts';
import { dispatch } from '../../../shared/app/telegram/registry.ts';
import type { DomainEvent } from '../../../shared/domain/events.ts';
import { riskLimitsFrom } from '../../../shared/domain/risk/limits.ts';
import type { StateStore, StrategyStateRecord } from '../../../shared/ports/state-store.ts';
import { startDynamo } from '../../support/dynalite.ts';
import { monitorHarness } from '../../support/monitor-harness.ts';

let dynamo: Awaited<ReturnType<typeof startDynamo>>;
beforeAll(async () => {
  dynamo = await startDynamo('autocoin-daily');
});
afterAll(async () => {
  await dynamo.stop();
});

type Harness = Awaited<ReturnType<typeof monitorHarness>>;
const summaries = (h: Harness) =>
  h.bus.events.filter((e): e is Extract<DomainEvent, { type: 'DailySummary' }> => e.type === 'DailySummary');
const advance = (h: Harness, hours: number) => {
  for (let i = 0; i < hours; i++) h.sim.advance();
};

/** The process dying right after a write: the write stands, nothing after it runs. */
class Crashed extends Error {
  override readonly name = 'Crashed';
}

// Hourly candles from 2026-09-01 00:00 UTC: 60,000 at 00:00, 59,000 from 01:00, 58,000 from 12:00.
const PRICES = [60_000, ...Array(11).fill(59_000), ...Array(40).fill(58_000)];

describe('daily summary', () => {
  it('sent once after midnight with the day’s figures; a second run that day sends nothing; /notify daily off silences one chat', async () => {
    // Worked example (market orders, taker 0.05 %, no slippage, no funding in these candles; wallet 10,000):
    //   00:00 buy 0.01 at 60,000 (fee 0.30); 01:00 sell 0.01 reduce-only at 59,000: realised −10, fee 0.295;
    //   then sell 0.01 at 59,000 (fee 0.295) — a short left open. At midnight the mark is 58,000: the
    //   short's unrealised PnL is 0.01 × (59,000 − 58,000) = +10.
    //   Equity: start 10,000 (snapshot at 00:00); end 10,000 − 10 − 0.89 + 10 = 9,999.11; change −0.89,
    //   −0.0089 % → "−0.01 %". Fees 0.30 + 0.295 + 0.295 = 0.89. Grid's net −10 − 0.89 + 0 = −10.89.
    const h = await monitorHarness(dynamo, { DEFAULT_FUTURES_STRATEGY: 'grid' }, PRICES);
    const first = await performanceMonitorOnce(h.deps, h.deps.clock.now());
    expect(first.daily).toEqual([]); // no day before the first snapshot is summarised
    await h.order({ strategy: 'grid', side: 'buy', quantity: 0.01 });
    advance(h, 1);
    await h.order({ strategy: 'grid', side: 'sell', quantity: 0.01, reduceOnly: true });
    await h.order({ strategy: 'grid', side: 'sell', quantity: 0.01 });
    await performanceMonitorOnce(h.deps, h.deps.clock.now()); // 01:00, mid-day: nothing
    advance(h, 23);
    const midnight = h.deps.clock.now();
    expect(new Date(midnight).toISOString()).toBe('2026-09-02T00:00:00.000Z');

    expect((await performanceMonitorOnce(h.deps, midnight)).daily).toEqual(['2026-09-01']);
    expect((await performanceMonitorOnce(h.deps, midnight + 300_000)).daily).toEqual([]);
    expect((await performanceMonitorOnce(h.deps, midnight)).daily).toEqual([]); // the same slot again
    const sent = summaries(h);
    expect(sent).toHaveLength(1);
    const s = sent[0]!;
    expect(s).toMatchObject({ day: '2026-09-01', late: false, equityStart: 10_000, funding: 0 });
    expect(s.equityEnd).toBeCloseTo(9_999.11, 9);
    expect(s.realizedPnl).toBeCloseTo(-10, 9);
    expect(s.fees).toBeCloseTo(0.89, 9);
    expect(s.owners.map((o) => o.owner)).toEqual(['grid']);
    expect(s.positions).toEqual([{ symbol: 'BTCUSDT', side: 'short', quantity: 0.01, unrealizedPnl: 10 }]);

    // Two chats; chat 1 turns the summary off with /notify.
    const ctx = {
      chatId: 1,
      updateId: 1,
      at: midnight,
      deps: { ...h.deps, limits: riskLimitsFrom(h.deps.config) },
    };
    expect((await dispatch(COMMANDS, '/notify daily off', ctx))!.text).toMatch(/daily<\/b> off/);
    const out: { chat: number; text: string }[] = [];
    const notifyDeps: NotifyDeps = {
      store: h.deps.store,
      clock: h.deps.clock,
      send: async () => {},
      chats: [1, 2],
      sendTo: async (chat, text) => void out.push({ chat, text }),
    };
    expect(await notify(s, notifyDeps)).toBe('sent');
    expect(out).toEqual([
      {
        chat: 2,
        text: '📊 Daily summary 2026-09-01: equity 9,999.11 (−0.89, −0.01 %), realised −10.00, fees −0.89, funding +0.00; grid −10.89; open: BTCUSDT short 0.01 (+10.00)',
      },
    ]);
  });

  it('a crash between the day’s marker and the publish loses that day’s message — the next run does not send it again', async () => {
    const h = await monitorHarness(dynamo, {}, PRICES);
    await performanceMonitorOnce(h.deps, h.deps.clock.now());
    advance(h, 24);
    const real = h.deps.store;
    const crashing: StateStore = Object.create(real);
    crashing.putStrategyState = async (r: StrategyStateRecord) => {
      await real.putStrategyState(r);
      if (r.strategy === 'daily-summary') throw new Crashed();
    };
    await expect(performanceMonitorOnce({ ...h.deps, store: crashing }, h.deps.clock.now())).rejects.toThrow(
      Crashed,
    );
    // At-most-once, as the fill watcher's claim: the day is marked, so the restart sends nothing.
    expect((await performanceMonitorOnce(h.deps, h.deps.clock.now() + 300_000)).daily).toEqual([]);
    expect(summaries(h)).toHaveLength(0);
  });

  it('midnights missed entirely: each ended day is sent once by the next run, marked late', async () => {
    const h = await monitorHarness(dynamo, {}, PRICES);
    await performanceMonitorOnce(h.deps, h.deps.clock.now()); // 2026-09-01 00:00
    advance(h, 50); // 2026-09-03 02:00: two midnights without a run
    expect((await performanceMonitorOnce(h.deps, h.deps.clock.now())).daily).toEqual([
      '2026-09-01',
      '2026-09-02',
    ]);
    expect((await performanceMonitorOnce(h.deps, h.deps.clock.now() + 300_000)).daily).toEqual([]);
    expect(summaries(h).map((e) => [e.day, e.late, e.equityStart, e.equityEnd])).toEqual([
      ['2026-09-01', true, 10_000, 10_000],
      ['2026-09-02', true, 10_000, 10_000],
    ]);
  });
});
