// The monitors against dynalite and the simulated exchange, on a controlled clock.
import { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EmfMetrics } from '../../../shared/adapters/aws/emf-metrics.ts';
import { MemoryOrderQueue } from '../../../shared/adapters/memory/order-queue.ts';
import { SimulatedExchange } from '../../../shared/adapters/sim/sim-exchange.ts';
import { Simulator } from '../../../shared/adapters/sim/simulator.ts';
import { drainOnce } from '../../../shared/app/drain-queue.ts';
import { executeMessage } from '../../../shared/app/execute-intent.ts';
import { makeGuardianHandler } from '../../../shared/app/monitors/guardian-handler.ts';
import { makeMonitorHandler } from '../../../shared/app/monitors/monitor-handler.ts';
import { type MonitorDeps, positionMonitorOnce } from '../../../shared/app/monitors/position-monitor.ts';
import { riskMonitorOnce } from '../../../shared/app/monitors/risk-monitor.ts';
import { loadConfig } from '../../../shared/config/env.ts';
import { makeIntentId } from '../../../shared/domain/order.ts';
import type { Exchange } from '../../../shared/ports/exchange.ts';
import { ExchangeUnavailable } from '../../../shared/ports/exchange-errors.ts';
import { candles } from '../../support/candles.ts';
import { startDynamo } from '../../support/dynalite.ts';
import { longWithTrailingStop, monitorHarness } from '../../support/monitor-harness.ts';

let dynamo: Awaited<ReturnType<typeof startDynamo>>;
beforeAll(async () => {
  dynamo = await startDynamo('autocoin-monitors');
});
afterAll(async () => {
  await dynamo.stop();
});

function setup(
  env: Record<string, string> = {},
  prices: number[] = [60_000, 60_000, 60_000, 49_000, 49_000],
) {
  return monitorHarness(dynamo, env, prices);
}

describe('position-monitor', () => {
  it('a position whose exchange stop was cancelled gets it back within one loop, and only once', async () => {
    const h = await setup();
    await h.order({ side: 'buy', quantity: 0.04 });
    const { intent: stop } = await h.order({
      side: 'sell',
      type: 'stop_market',
      quantity: 0.04,
      stopPrice: 55_000,
      reduceOnly: true,
    });
    h.sim.cancelOrder('BTCUSDT', stop.id); // cancelled by hand on the exchange
    const first = await positionMonitorOnce(h.deps, h.deps.clock.now());
    const second = await positionMonitorOnce(h.deps, h.deps.clock.now() + 5_000); // before the executor ran
    expect(first.restored).toEqual(['BTCUSDT']);
    expect(second.restored).toEqual([]);
    expect((h.deps.queue as MemoryOrderQueue).depth).toBe(1);
    await drainOnce(h.deps.queue, h.exec);
    const stops = h.sim.openOrders('BTCUSDT').filter((o) => o.type === 'stop_market' && o.reduceOnly);
    expect(stops).toHaveLength(1);
    const p = h.sim.ledger.positions.get('BTCUSDT')!;
    // Halfway between the mark and the liquidation price: protects before liquidation can happen.
    expect(stops[0]!.stopPrice!).toBeLessThan(60_000);
    expect(stops[0]!.stopPrice!).toBeGreaterThan(h.sim.ledger.liquidationPrice(p, () => 60_000));
    expect((await positionMonitorOnce(h.deps, h.deps.clock.now() + 10_000)).restored).toEqual([]);
  });

  it('crossing the liquidation-distance threshold emits one event per cooldown window, and again when it escalates', async () => {
    const h = await setup({
      LIQUIDATION_DISTANCE_WARN_PCT: '50',
      LIQUIDATION_DISTANCE_CRITICAL_PCT: '10',
      LIQUIDATION_DISTANCE_MIN_PCT: '5',
    });
    await h.order({ side: 'buy', quantity: 0.04 });
    await h.order({ side: 'sell', type: 'stop_market', quantity: 0.04, stopPrice: 50_000, reduceOnly: true });
    for (let i = 0; i < 5; i++) await positionMonitorOnce(h.deps, h.deps.clock.now() + i * 5_000);
    const alerts = () =>
      h.bus.events.filter((e) => e.type === 'RiskAlert' && e.kind === 'liquidation_distance');
    expect(alerts()).toHaveLength(1);
    expect(alerts()[0]).toMatchObject({ level: 'warning', symbol: 'BTCUSDT' });
    h.advanceClock(16 * 60_000);
    await positionMonitorOnce(h.deps, h.deps.clock.now());
    expect(alerts()).toHaveLength(2);
    expect(h.metrics.last('LiquidationDistancePct', { symbol: 'BTCUSDT' })).toBeCloseTo(19.6, 0);
  });
});

describe('position-monitor: trailing stops', () => {
  const stopsOf = (h: Awaited<ReturnType<typeof setup>>) =>
    h.sim.openOrders('BTCUSDT').filter((o) => o.type === 'stop_market' && o.reduceOnly);
  /** Hour by hour: the monitor's loop, then the executor; the one stop's price after each. */
  async function followPrices(h: Awaited<ReturnType<typeof setup>>, hours: number) {
    const seen: number[] = [];
    const trailed: boolean[] = [];
    for (let i = 0; i < hours; i++) {
      h.sim.advance();
      const r = await positionMonitorOnce(h.deps, h.deps.clock.now());
      await drainOnce(h.deps.queue, h.exec);
      const stops = stopsOf(h);
      expect(stops).toHaveLength(1); // the old stop is cancelled once its successor is placed
      seen.push(stops[0]!.stopPrice!);
      trailed.push(r.trailed.length > 0);
    }
    return { seen, trailed };
  }

  it('a trailing stop ratchets up with the price and never down, one order at a time', async () => {
    const prices = [60_000, 61_000, 62_000, 61_500, 61_000, 63_000, 63_000];
    const h = await setup({}, prices);
    await longWithTrailingStop(h);
    const { seen, trailed } = await followPrices(h, prices.length - 2);
    // 2 % under each new high; held where it was while the price fell back.
    expect(seen).toEqual([59_780, 60_760, 60_760, 60_760, 61_740]);
    expect(trailed).toEqual([true, true, false, false, true]);
    expect(h.sim.ledger.positions.get('BTCUSDT')!.quantity).toBe(0.04);
  });

  it('a short’s trailing stop only moves down', async () => {
    const prices = [60_000, 59_000, 60_000, 58_000, 58_000];
    const h = await setup({}, prices);
    await h.order({ side: 'sell', quantity: 0.04 });
    await h.order({
      side: 'buy',
      type: 'stop_market',
      quantity: 0.04,
      stopPrice: 61_800,
      reduceOnly: true,
      trailingStopPct: 3,
    });
    expect((await followPrices(h, prices.length - 2)).seen).toEqual([60_770, 60_770, 59_740]);
  });

  it('a stop without trailingStopPct is left where it is', async () => {
    const h = await setup({}, [60_000, 65_000, 66_000, 66_000]);
    await h.order({ side: 'buy', quantity: 0.04 });
    await h.order({ side: 'sell', type: 'stop_market', quantity: 0.04, stopPrice: 58_800, reduceOnly: true });
    h.sim.advance();
    expect((await positionMonitorOnce(h.deps, h.deps.clock.now())).trailed).toEqual([]);
    expect((h.deps.queue as MemoryOrderQueue).depth).toBe(0);
  });

  it('the old stop stays when its replacement was not placed: the position is never left bare', async () => {
    const h = await setup();
    await h.order({ side: 'buy', quantity: 0.04 });
    const { intent: old } = await h.order({
      side: 'sell',
      type: 'stop_market',
      quantity: 0.04,
      stopPrice: 58_800,
      reduceOnly: true,
    });
    // A replacement the exchange refuses (a sell stop above the market would trigger at once).
    const { outcome } = await h.order({
      side: 'sell',
      type: 'stop_market',
      quantity: 0.04,
      stopPrice: 70_000,
      reduceOnly: true,
    });
    expect(outcome.kind).toBe('rejected');
    const cancel = {
      kind: 'cancel',
      id: makeIntentId({ source: 'test-cancel', symbol: 'BTCUSDT', tickTime: 0, sequence: 0 }),
      source: 'test',
      symbol: 'BTCUSDT',
      clientOrderId: old.id,
      createdAt: h.deps.clock.now(),
      onlyIfPlaced: outcome.id,
    };
    const r = await executeMessage(JSON.stringify(cancel), h.exec);
    expect(r).toMatchObject({ kind: 'rejected' });
    expect(stopsOf(h).map((o) => o.clientOrderId)).toEqual([old.id]);
  });
});

describe('risk-monitor', () => {
  it('the daily loss limit halts; new entries are then rejected while reduce-only still works', async () => {
    const h = await setup();
    await h.order({ side: 'buy', quantity: 0.05 }); // 3,000 USDT at 60,000 (30 % of equity)
    await riskMonitorOnce(h.deps, h.deps.clock.now()); // start of day recorded at 10,000
    for (let i = 0; i < 3; i++) h.sim.advance(); // the price falls to 49,000: −550 USDT, −5.5 %
    const r = await riskMonitorOnce(h.deps, h.deps.clock.now());
    expect(r.halted).toBe(true);
    expect(h.bus.events.filter((e) => e.type === 'Halted')).toHaveLength(1);
    expect((await h.deps.store.getHalt()).reason).toMatch(/daily loss limit reached: -5\.\d+ %/);
    expect((await h.order({ side: 'buy', quantity: 0.002 })).outcome).toMatchObject({
      kind: 'rejected',
      reasons: [expect.stringMatching(/halted/)],
    });
    expect((await h.order({ side: 'sell', quantity: 0.05, reduceOnly: true })).outcome.kind).toBe('placed');
    expect(h.sim.ledger.positions.size).toBe(0);
    expect((await riskMonitorOnce(h.deps, h.deps.clock.now())).halted).toBe(false); // already halted: no second event
    expect(h.bus.events.filter((e) => e.type === 'Halted')).toHaveLength(1);
  });

  it('a margin-ratio spike queues reduce-only de-risking of the largest-risk position', async () => {
    const h = await setup();
    await h.order({ side: 'buy', quantity: 0.05 });
    // The thresholds drop under the ratio the open position already carries: a spike, as seen by the monitor.
    // 0.05 BTC at 60,000: maintenance 12 USDT on 10,000 equity = 0.12 %.
    const spiked = loadConfig({ MARGIN_RATIO_WARN_PCT: '0.05', MARGIN_RATIO_CRITICAL_PCT: '0.1' });
    const r = await riskMonitorOnce({ ...h.deps, config: spiked }, h.deps.clock.now());
    expect(r.deRisked).toEqual(['BTCUSDT']);
    const [m] = await h.deps.queue.receive(1);
    expect(JSON.parse(m!.body).intent).toMatchObject({
      side: 'sell',
      type: 'market',
      reduceOnly: true,
      quantity: 0.025,
      strategy: 'risk-monitor',
    });
    expect(h.bus.events.find((e) => e.type === 'RiskAlert' && e.kind === 'margin_ratio')).toMatchObject({
      level: 'critical',
    });
  });

  it('repeated exchange failures halt trading', async () => {
    const h = await setup();
    const down: Exchange = Object.assign(Object.create(h.deps.exchange) as Exchange, {
      fetchBalances: async () => {
        throw new ExchangeUnavailable('502');
      },
    });
    const d = { ...h.deps, exchange: down };
    expect((await riskMonitorOnce(d, 1)).halted).toBe(false);
    expect((await riskMonitorOnce(d, 2)).halted).toBe(false);
    expect((await riskMonitorOnce(d, 3)).halted).toBe(true);
    expect((await h.deps.store.getHalt()).reason).toMatch(/3 consecutive exchange failures/);
  });
});

describe('metrics as Embedded Metric Format', () => {
  it('the guardian writes one valid EMF document per invocation, with only the catalog metrics as metrics', async () => {
    const h = await setup();
    await h.order({ side: 'buy', quantity: 0.04 });
    const lines: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      const deps = { ...h.deps, metrics: new EmfMetrics('guardian') };
      await makeGuardianHandler(async () => deps)(
        { time: new Date(h.deps.clock.now()).toISOString(), once: true },
        {} as never,
      );
    } finally {
      spy.mockRestore();
    }
    const json = lines
      .flatMap((l) => l.split('\n'))
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l));
    const docs = json.filter((d) => d._aws);
    expect(docs).toHaveLength(1);
    const [d] = docs;
    expect(d._aws.CloudWatchMetrics[0].Namespace).toBe('AutoCoinFutures');
    expect(d._aws.CloudWatchMetrics[0].Dimensions).toEqual([['service']]);
    for (const m of d._aws.CloudWatchMetrics[0].Metrics) expect(typeof d[m.Name]).toBe('number');
    const names = d._aws.CloudWatchMetrics[0].Metrics.map((m: { Name: string }) => m.Name).sort();
    expect(names).toEqual(['DailyPnlPct', 'Equity', 'Heartbeat', 'LiquidationDistancePct', 'MarginRatioPct']);
    // The rest is logged in the same document: per-symbol values and figures no alarm reads.
    expect(typeof d['LiquidationDistancePct.BTCUSDT']).toBe('number');
    expect(typeof d['UnrealizedPnl.BTCUSDT']).toBe('number');
    expect(d.OpenPositions).toBe(1);
    expect(json.some((l) => /No application metrics/.test(l.message ?? ''))).toBe(false);
  });

  it('a function with no catalog metric writes its values as one log line, no EMF and no warning', () => {
    const lines: string[] = [];
    const m = new EmfMetrics('performance-monitor', (l) => lines.push(l));
    m.add('WinRatePct', 50, 'Percent', { strategy: 'grid' });
    m.add('Heartbeat', 1, 'Count', { function: 'performance-monitor' });
    m.flush();
    m.flush(); // nothing added since: nothing written
    expect(lines).toHaveLength(1);
    const d = JSON.parse(lines[0]!);
    expect(d._aws).toBeUndefined();
    expect(d).toMatchObject({
      service: 'performance-monitor',
      'WinRatePct.grid': 50,
      'Heartbeat.performance-monitor': 1,
    });
  });

  it('a one-minute monitor invocation logs its loop latency and skipped slots in one JSON line', async () => {
    const h = await setup();
    // A fake clock: each iteration takes 700 ms of it; the invocation starts 12 s late (two slots missed).
    let now = Date.parse('2026-09-01T00:00:12.000Z');
    const deps = { ...h.deps, clock: { now: () => now }, metrics: new EmfMetrics('funding-monitor') };
    const lines: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    let r: { iterations: number; skippedSlots: number };
    try {
      const handler = makeMonitorHandler(
        () => 5,
        async () => {
          now += 700;
        },
        async () => deps,
        {
          name: 'funding-monitor',
          logger: new Logger({ serviceName: 'funding-monitor' }),
          sleep: async (ms) => {
            now += ms;
          },
        },
      );
      r = await handler({ time: '2026-09-01T00:00:00Z' }, {} as never);
    } finally {
      spy.mockRestore();
    }
    expect(r).toEqual({ iterations: 10, skippedSlots: 2 }); // slots 10 s … 55 s; 0 s and 5 s were past
    const json = lines
      .flatMap((l) => l.split('\n'))
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l));
    expect(json.filter((d) => d._aws)).toEqual([]); // latency is not a metric ($0.30 a month, no alarm reads it)
    const log = json.find((d) => d.message === 'funding-monitor ran');
    expect(log).toMatchObject({
      level: 'INFO',
      service: 'funding-monitor',
      iterations: 10,
      skippedSlots: 2,
      longestIterationMs: 700,
    });
  });
});

describe('funding-monitor', () => {
  it('records today’s funding from the settlements, publishes each once, caches rates, alerts on extremes', async () => {
    const { fundingMonitorOnce } = await import('../../../shared/app/monitors/funding-monitor.ts');
    const { funding } = await import('../../support/candles.ts');
    const { T0: t0, HOUR } = await import('../../support/candles.ts');
    const rows = Array.from({ length: 20 }, () => [60_000, 60_000, 60_000, 60_000] as const);
    const sim = new Simulator({
      data: {
        BTCUSDT: {
          candles: candles(rows, t0),
          funding: funding([
            [t0 + 8 * HOUR, 0.0001],
            [t0 + 16 * HOUR, 0.002],
            [t0 + 24 * HOUR, 0.0001],
          ]),
        },
      },
    });
    const h = await setup();
    const clock = { now: () => sim.now() };
    const deps: MonitorDeps = {
      ...h.deps,
      exchange: new SimulatedExchange(sim),
      clock,
      queue: new MemoryOrderQueue({ clock }),
    };
    sim.createOrder({
      clientOrderId: 'long',
      symbol: 'BTCUSDT',
      market: 'futures',
      side: 'buy',
      type: 'market',
      quantity: 0.05,
    });
    for (let i = 0; i < 17; i++) sim.advance(); // through 08:00 and 16:00
    const r = await fundingMonitorOnce(deps, clock.now());
    const paid = -(0.05 * 60_000 * 0.0001) - 0.05 * 60_000 * 0.002;
    expect(r.settled).toBe(2);
    expect(r.todayTotal).toBeCloseTo(paid, 9);
    expect(h.bus.events.filter((e) => e.type === 'FundingSettled')).toHaveLength(2);
    expect((await fundingMonitorOnce(deps, clock.now() + 1)).settled).toBe(0); // a re-run publishes nothing twice
    expect(h.bus.events.filter((e) => e.type === 'FundingSettled')).toHaveLength(2);
    expect(h.metrics.last('FundingPnlToday')).toBeCloseTo(paid, 9);
    const state = (await h.deps.store.getStrategyState('funding-monitor', 'account'))?.state as {
      rates: Record<string, { nextFundingTime: number }>;
    };
    expect(state.rates.BTCUSDT?.nextFundingTime).toBe(t0 + 24 * HOUR);
  });

  it('alerts once when the predicted rate is extreme', async () => {
    const { fundingMonitorOnce } = await import('../../../shared/app/monitors/funding-monitor.ts');
    const { funding, HOUR, T0: t0 } = await import('../../support/candles.ts');
    const sim = new Simulator({
      data: {
        BTCUSDT: {
          candles: candles(
            Array.from({ length: 5 }, () => [60_000, 60_000, 60_000, 60_000] as const),
            t0,
          ),
          funding: funding([[t0 + 8 * HOUR, 0.0025]]),
        },
      },
    });
    const h = await setup();
    const deps: MonitorDeps = {
      ...h.deps,
      exchange: new SimulatedExchange(sim),
      clock: { now: () => sim.now() },
    };
    await fundingMonitorOnce(deps, sim.now());
    await fundingMonitorOnce(deps, sim.now() + 60_000);
    const alerts = h.bus.events.filter((e) => e.type === 'RiskAlert' && e.kind === 'funding_rate');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ symbol: 'BTCUSDT', value: 0.25, threshold: 0.1 });
  });
});
