// The guardian (position and risk monitors in one function) against dynalite and the simulated exchange,
// on a fake clock its sleeps move: it watches as closely as the risk requires (issue 17).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExecutorDeps } from '../../../shared/app/executor/deps.ts';
import { makeGuardianHandler } from '../../../shared/app/monitors/guardian-handler.ts';
import type { MonitorDeps } from '../../../shared/app/monitors/monitor-deps.ts';
import { loadConfig } from '../../../shared/config/env.ts';
import type { Exchange } from '../../../shared/ports/exchange.ts';
import { ExchangeUnavailable } from '../../../shared/ports/exchange-errors.ts';
import { startDynamo } from '../../support/dynalite.ts';
import { monitorHarness } from '../../support/monitor-harness.ts';

let dynamo: Awaited<ReturnType<typeof startDynamo>>;
beforeAll(async () => {
  dynamo = await startDynamo('autocoin-guardian');
});
afterAll(async () => {
  await dynamo.stop();
});

const iso = (t: number) => new Date(t).toISOString();

async function setup(env: Record<string, string> = {}) {
  const h = await monitorHarness(dynamo, env, [60_000, 60_000, 60_000]);
  const sleeps: number[] = [];
  const guardian = (deps: MonitorDeps = h.deps) =>
    makeGuardianHandler(async () => deps, {
      sleep: async (ms) => {
        sleeps.push(ms);
        h.advanceClock(ms);
      },
    });
  /** Count of each step's runs: the risk step adds EffectiveLeverage, the per-slot steps OpenPositions. */
  const steps = () => ({
    risk: h.metrics.points.filter((p) => p.name === 'EffectiveLeverage').length,
    positions: h.metrics.points.filter((p) => p.name === 'OpenPositions').length,
  });
  // The simulator's clock is on the hour: a scheduled minute starts now.
  return { ...h, guardian, sleeps, steps, minute: h.deps.clock.now() };
}

describe('guardian cadence', () => {
  it('flat account (no position, no order, no hedge leg): one check per invocation, no sleeping', async () => {
    const g = await setup();
    const r = await g.guardian()({ time: iso(g.minute) }, {} as never);
    expect(r).toMatchObject({ checks: 1, starts: [g.minute], exposed: false });
    expect(g.sleeps).toEqual([]);
    expect(g.steps()).toEqual({ risk: 1, positions: 1 });
    // One heartbeat for the invocation.
    expect(g.metrics.points.filter((p) => p.name === 'Heartbeat')).toEqual([
      expect.objectContaining({ dimensions: { function: 'guardian' } }),
    ]);
  });

  it('exposed: the per-slot steps every 5 s and the risk step every 30 s, ending before the next minute', async () => {
    const g = await setup();
    await g.order({ side: 'buy', quantity: 0.01 }); // 600 USDT at 5x: liquidation ~20 % away (> 15 % warning)
    const r = await g.guardian()({ time: iso(g.minute) }, {} as never);
    // 60 s / 5 s = 12 slots: 0, 5, …, 55 s; the next minute's invocation starts at 60 s.
    expect(r.starts).toEqual(Array.from({ length: 12 }, (_, i) => g.minute + i * 5_000));
    expect(r.exposed).toBe(true);
    expect(g.steps()).toEqual({ risk: 2, positions: 12 }); // risk at 0 s and 30 s
    expect(g.deps.clock.now()).toBeLessThan(g.minute + 60_000);
  });

  it('a resting entry order alone counts as exposed', async () => {
    const g = await setup();
    await g.order({ side: 'buy', type: 'limit', price: 50_000, quantity: 0.01 });
    const r = await g.guardian()({ time: iso(g.minute) }, {} as never);
    expect(r.checks).toBe(12);
  });

  it('under the liquidation warning distance: every 2 s, with the risk step each time', async () => {
    // The warning distance raised over the position's ~20 %: the position is "in danger".
    const g = await setup({ LIQUIDATION_DISTANCE_WARN_PCT: '50' });
    await g.order({ side: 'buy', quantity: 0.01 });
    const r = await g.guardian()({ time: iso(g.minute) }, {} as never);
    // Slot 0 at 5 s cadence finds the danger; from then 2 s: 0, 2, 4, …, 58 s → 30 checks.
    expect(r.starts).toEqual(Array.from({ length: 30 }, (_, i) => g.minute + i * 2_000));
    expect(g.steps()).toEqual({ risk: 30, positions: 30 });
  });

  it("the executor's wake-up after an entry starts the fast loop within one slot, not at the next minute", async () => {
    const g = await setup();
    const handler = g.guardian();
    expect((await handler({ time: iso(g.minute) }, {} as never)).checks).toBe(1); // flat at :00
    const wakes: number[] = [];
    (g.exec as ExecutorDeps).wakeGuardian = async (at) => {
      wakes.push(at);
    };
    g.advanceClock(20_000);
    await g.order({ side: 'buy', quantity: 0.01 }); // an entry at :20
    expect(wakes).toEqual([g.minute + 20_000]);
    // The stop that protects it (reduce-only) does not wake it again.
    await g.order({ side: 'sell', type: 'stop_market', stopPrice: 55_000, quantity: 0.01, reduceOnly: true });
    expect(wakes).toHaveLength(1);
    // The rule delivers the wake-up as an event at its time; the loop starts at once and runs to :55.
    const r = await handler({ time: iso(wakes[0]!), wake: true }, {} as never);
    expect(r.starts[0]! - wakes[0]!).toBeLessThan(5_000);
    expect(r.starts).toEqual(Array.from({ length: 8 }, (_, i) => g.minute + 20_000 + i * 5_000));
  });
});

describe('guardian: what the two monitors did still happens, each step on its own', () => {
  it('a failing position step does not stop the risk step (which halts after repeated failures)', async () => {
    const g = await setup();
    await g.order({ side: 'buy', quantity: 0.01 });
    let down = false;
    const exchange: Exchange = Object.assign(Object.create(g.deps.exchange) as Exchange, {
      fetchOpenOrders: async () => {
        throw new ExchangeUnavailable('502');
      },
      fetchBalances: async (...a: []) => {
        if (down) throw new ExchangeUnavailable('502');
        return g.deps.exchange.fetchBalances(...a);
      },
    });
    const handler = g.guardian({ ...g.deps, exchange });
    // The per-slot steps fail at :00 and are retired for the minute; the risk step runs at :00 and :30.
    await expect(handler({ time: iso(g.minute) }, {} as never)).rejects.toBeInstanceOf(ExchangeUnavailable);
    expect(g.steps().risk).toBe(2);
    expect(g.metrics.points.some((p) => p.name === 'Heartbeat')).toBe(false); // a failing guardian is silent
    // The exchange down for the risk step too: three failed risk checks halt trading (:00, :30 of the
    // next minute, :00 of the one after).
    down = true;
    g.advanceClock(60_000 - (g.deps.clock.now() - g.minute));
    await expect(handler({ time: iso(g.minute + 60_000) }, {} as never)).rejects.toThrow();
    g.advanceClock(g.minute + 120_000 - g.deps.clock.now());
    await expect(handler({ time: iso(g.minute + 120_000) }, {} as never)).rejects.toThrow();
    expect((await g.deps.store.getHalt()).reason).toMatch(/3 consecutive exchange failures/);
  });

  it('local replay (`once`): one check with both steps', async () => {
    const g = await setup();
    await g.order({ side: 'buy', quantity: 0.01 });
    const r = await g.guardian()({ time: iso(g.minute), once: true }, {} as never);
    expect(r.checks).toBe(1);
    expect(g.steps()).toEqual({ risk: 1, positions: 1 });
  });
});

// Config sanity for the danger test: the raised warning distance is accepted.
loadConfig({ LIQUIDATION_DISTANCE_WARN_PCT: '50' });
