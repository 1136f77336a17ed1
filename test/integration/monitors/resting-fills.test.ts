// Fills of resting orders (a limit that fills later, a stop that triggers) are announced once by the
// position monitor's fill watcher; a liquidation-distance warning is not raised while the position's own
// exchange stop fires well before liquidation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeWatch } from '../../../shared/app/fill-watch.ts';
import { announceRestingFills } from '../../../shared/app/monitors/fill-watch-monitor.ts';
import { positionMonitorOnce } from '../../../shared/app/monitors/position-monitor.ts';
import { describe as describeEvent } from '../../../shared/app/notify.ts';
import { startDynamo } from '../../support/dynalite.ts';
import { monitorHarness } from '../../support/monitor-harness.ts';

let dynamo: Awaited<ReturnType<typeof startDynamo>>;
beforeAll(async () => {
  dynamo = await startDynamo('autocoin-resting-fills');
});
afterAll(async () => {
  await dynamo.stop();
});

const HOUR = 3_600_000;

describe('resting fills', () => {
  it('a grid limit that fills an hour after placement is announced once, with its owner, across re-runs and a racing monitor', async () => {
    const h = await monitorHarness(dynamo, {}, [60_000, 60_000, 58_000, 58_000]);
    const { intent } = await h.order({
      side: 'buy',
      type: 'limit',
      price: 59_000,
      quantity: 0.01,
      strategy: 'grid',
    });
    const fills = () => h.bus.events.filter((e) => e.type === 'OrderFilled');
    expect(fills()).toHaveLength(0); // resting at placement: no fill yet
    await positionMonitorOnce(h.deps, h.deps.clock.now());
    expect(fills()).toHaveLength(0); // still open on the exchange
    // advance() trades the candle the clock stands on: the third one is 58,000, through the 59,000 buy.
    for (let i = 0; i < 3; i++) h.sim.advance();
    const t = h.deps.clock.now();
    // Two fill watchers at once (a redelivered schedule racing the loop), then a full re-run: one message.
    const open = await h.deps.exchange.fetchOpenOrders();
    await Promise.all([announceRestingFills(h.deps, open, t), announceRestingFills(h.deps, open, t)]);
    await positionMonitorOnce(h.deps, t + 5_000);
    expect(fills()).toHaveLength(1);
    const e = fills()[0]!;
    expect(e).toMatchObject({
      intentId: intent.id,
      owner: 'grid',
      quantity: 0.01,
      side: 'buy',
      resting: true,
    });
    expect((await h.deps.store.getOrder(intent.id))?.status).toBe('filled');
  });

  it('a recorded order missing from the watch list (placed before it existed, or its list write lost) is adopted while open and announced when it fills', async () => {
    const h = await monitorHarness(dynamo, {}, [60_000, 60_000, 58_000, 58_000]);
    const { intent } = await h.order({
      side: 'buy',
      type: 'limit',
      price: 59_000,
      quantity: 0.01,
      strategy: 'grid',
    });
    await changeWatch(h.deps.store, 'BTCUSDT', h.deps.clock.now(), () => ({})); // the list forgot it
    await positionMonitorOnce(h.deps, h.deps.clock.now()); // open: adopted from its ORDER# record
    for (let i = 0; i < 3; i++) h.sim.advance();
    await positionMonitorOnce(h.deps, h.deps.clock.now());
    const fills = h.bus.events.filter((e) => e.type === 'OrderFilled');
    expect(fills).toHaveLength(1);
    expect(fills[0]).toMatchObject({ intentId: intent.id, owner: 'grid' });
  });

  it('a stop that triggers later is announced as a stop triggered, once', async () => {
    const h = await monitorHarness(dynamo, {}, [60_000, 60_000, 57_000, 57_000]);
    await h.order({ side: 'buy', quantity: 0.01, strategy: 'grid' });
    await h.order({
      side: 'sell',
      type: 'stop_market',
      stopPrice: 58_000,
      quantity: 0.01,
      reduceOnly: true,
      strategy: 'grid',
    });
    expect(h.bus.events.filter((e) => e.type === 'OrderFilled')).toHaveLength(1); // the entry, at placement
    for (let i = 0; i < 3; i++) h.sim.advance(); // the third candle, 57,000, goes through the 58,000 stop
    await positionMonitorOnce(h.deps, h.deps.clock.now());
    await positionMonitorOnce(h.deps, h.deps.clock.now() + HOUR);
    const fills = h.bus.events.filter((e) => e.type === 'OrderFilled');
    expect(fills).toHaveLength(2);
    expect(fills[1]).toMatchObject({
      orderType: 'stop_market',
      reduceOnly: true,
      owner: 'grid',
      side: 'sell',
    });
    expect(describeEvent(fills[1]!)?.text).toContain('Stop triggered');
  });
});

describe('liquidation-distance warning', () => {
  // 10x long at 60,000: liquidation near 60,000 × (1 − 1/10 + maintenance) ≈ 54,300, ≈ 9.5 % away —
  // inside the default 15 % warning band, outside the 8 % critical one.
  it('is not raised while the position’s exchange stop fires at least LIQUIDATION_DISTANCE_MIN_PCT before liquidation', async () => {
    const h = await monitorHarness(dynamo, {}, [60_000, 60_000, 60_000]);
    await h.order({ side: 'buy', quantity: 0.04, leverage: 10 });
    // 58,800: 2 % below the mark; at that price liquidation is still ≈ 7.7 % away (> 5 %).
    await h.order({ side: 'sell', type: 'stop_market', stopPrice: 58_800, quantity: 0.04, reduceOnly: true });
    const r = await positionMonitorOnce(h.deps, h.deps.clock.now());
    expect(r.alerts).toBe(0);
    expect(h.bus.events.filter((e) => e.type === 'RiskAlert')).toHaveLength(0);
  });

  it('is raised when the stop sits too close to liquidation to protect', async () => {
    const h = await monitorHarness(dynamo, {}, [60_000, 60_000, 60_000]);
    await h.order({ side: 'buy', quantity: 0.04, leverage: 10 });
    const p = h.sim.ledger.positions.get('BTCUSDT')!;
    const liq = h.sim.ledger.liquidationPrice(p, () => 60_000);
    // 1 % above the liquidation price: under the 5 % minimum.
    await h.order({
      side: 'sell',
      type: 'stop_market',
      stopPrice: Math.round(liq * 1.01),
      quantity: 0.04,
      reduceOnly: true,
    });
    await positionMonitorOnce(h.deps, h.deps.clock.now());
    const alerts = h.bus.events.filter((e) => e.type === 'RiskAlert' && e.kind === 'liquidation_distance');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ level: 'warning' });
  });
});
