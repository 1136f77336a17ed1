// Issue 12's position-monitor defects, each as the scenario that found it: the real simulator, dynalite,
// the in-process FIFO queue (with its dead-letter redrive) and the real executor, on a controlled clock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MemoryOrderQueue } from '../../../shared/adapters/memory/order-queue.ts';
import { drainOnce } from '../../../shared/app/drain-queue.ts';
import { positionMonitorOnce } from '../../../shared/app/monitors/position-monitor.ts';
import type { Exchange } from '../../../shared/ports/exchange.ts';
import { startDynamo } from '../../support/dynalite.ts';
import { longWithTrailingStop, monitorHarness } from '../../support/monitor-harness.ts';

let dynamo: Awaited<ReturnType<typeof startDynamo>>;
beforeAll(async () => {
  dynamo = await startDynamo('autocoin-monitors-hardening');
});
afterAll(async () => {
  await dynamo.stop();
});

type Harness = Awaited<ReturnType<typeof monitorHarness>>;
const LOOP_MS = 5_000;
const stopsOf = (h: Harness) =>
  h.sim.openOrders('BTCUSDT').filter((o) => o.type === 'stop_market' && o.reduceOnly);
const depth = (h: Harness) => (h.deps.queue as MemoryOrderQueue).depth;
const messages = async (h: Harness) =>
  (await h.deps.queue.receive(100, 0)).map((m) => JSON.parse(m.body) as Record<string, unknown>);

describe('defect 1: while halted the position monitor cancels resting entry orders', () => {
  it('defect 1: grid buy limits (and a spot buy) resting at a halt are cancelled once each; the dip opens nothing', async () => {
    const h = await monitorHarness(dynamo, {}, [60_000, 60_000, 57_000, 57_000], {
      initialSpot: { USDT: 5_000 },
    });
    const limits = [];
    for (const price of [59_000, 58_500, 58_000])
      limits.push(
        (await h.order({ side: 'buy', type: 'limit', price, quantity: 0.01, strategy: 'grid' })).intent,
      );
    h.sim.createOrder({
      clientOrderId: 'spot-buy-by-hand',
      symbol: 'BTCUSDT',
      market: 'spot',
      side: 'buy',
      type: 'limit',
      price: 58_000,
      quantity: 0.01,
    });
    expect(h.sim.openOrders('BTCUSDT')).toHaveLength(4);
    await h.deps.store.setHalt(true, 'emergency close', h.deps.clock.now(), 0);

    const t = h.deps.clock.now();
    await positionMonitorOnce(h.deps, t);
    await positionMonitorOnce(h.deps, t + LOOP_MS); // no second cancel per order: no storm
    await positionMonitorOnce(h.deps, t + 2 * LOOP_MS);
    expect(depth(h)).toBe(4);
    const drained = await drainOnce(h.deps.queue, h.exec);
    expect(drained.outcomes.map((o) => o.kind)).toEqual(['cancelled', 'cancelled', 'cancelled', 'cancelled']);
    expect(h.sim.openOrders('BTCUSDT')).toEqual([]);
    await positionMonitorOnce(h.deps, t + 3 * LOOP_MS);
    expect(depth(h)).toBe(0);

    h.sim.advance();
    h.sim.advance(); // the dip to 57,000 would have filled every limit
    expect(h.sim.ledger.positions.size).toBe(0);
    expect(h.sim.ledger.spot.get('BTC') ?? 0).toBe(0);
  });

  it('defect 1: not halted, nothing is cancelled; halted, reduce-only stops stay', async () => {
    const h = await monitorHarness(dynamo, {}, [60_000, 60_000]);
    await h.order({ side: 'buy', type: 'limit', price: 59_000, quantity: 0.01 });
    await positionMonitorOnce(h.deps, h.deps.clock.now());
    expect(depth(h)).toBe(0);
    await h.order({ side: 'buy', quantity: 0.02 });
    await h.order({ side: 'sell', type: 'stop_market', stopPrice: 55_000, quantity: 0.02, reduceOnly: true });
    await h.deps.store.setHalt(true, 'daily loss limit', h.deps.clock.now(), 0);
    await positionMonitorOnce(h.deps, h.deps.clock.now());
    const queued = await messages(h);
    expect(queued).toHaveLength(1); // the limit only; the stop stays
    expect(queued[0]).toMatchObject({ kind: 'cancel', source: 'position-monitor' });
  });
});

/** The executor killed by its timeout while the exchange hangs: no code of ours runs after the kill. */
class LambdaTimedOut extends Error {
  override readonly name = 'LambdaTimedOut';
}

describe('defect 5: a restore that dead-lettered while IN_FLIGHT is re-issued', () => {
  it('defect 5: a stuck restore is re-issued under a new id within one loop of the exchange answering, and the alert repeats', async () => {
    const h = await monitorHarness(dynamo, {}, [60_000, 60_000, 60_000]);
    await h.order({ side: 'buy', quantity: 0.04 });
    const { intent: stop } = await h.order({
      side: 'sell',
      type: 'stop_market',
      quantity: 0.04,
      stopPrice: 55_000,
      reduceOnly: true,
    });
    h.sim.cancelOrder('BTCUSDT', stop.id);
    const t0 = h.deps.clock.now();
    expect((await positionMonitorOnce(h.deps, t0)).restored).toEqual(['BTCUSDT']);
    const [first] = await messages(h).then((m) => m.map((x) => (x.intent as { id: string }).id));

    // The exchange hangs: every delivery of the restore is killed mid-call, five times, then dead-letters.
    let hanging = true;
    const hang = <T>(f: () => Promise<T>) => (hanging ? Promise.reject(new LambdaTimedOut('hung')) : f());
    const inner = h.deps.exchange;
    const flaky: Exchange = Object.assign(Object.create(inner) as Exchange, {
      createOrder: (r: Parameters<Exchange['createOrder']>[0]) => hang(() => inner.createOrder(r)),
      fetchOrderByClientId: (...a: Parameters<Exchange['fetchOrderByClientId']>) =>
        hang(() => inner.fetchOrderByClientId(...a)),
    });
    const queue = h.deps.queue as MemoryOrderQueue;
    for (let i = 0; i < 6; i++) {
      await drainOnce(queue, { ...h.exec, exchange: flaky }, { visibilityTimeoutS: 5 });
      h.advanceClock(5_000);
    }
    expect(queue.deadLetters).toHaveLength(1);
    expect((await h.deps.store.getIntent(first!))?.status).toBe('IN_FLIGHT');

    hanging = false; // the exchange answers again: within one loop the position has a stop queued again
    const r = await positionMonitorOnce(h.deps, h.deps.clock.now());
    expect(r.restored).toEqual(['BTCUSDT']);
    const reissued = (await messages(h)).map((m) => (m.intent as { id: string } | undefined)?.id);
    expect(reissued).not.toContain(first);
    expect(reissued.filter(Boolean)).toHaveLength(1);
    const alerts = h.bus.events.filter((e) => e.type === 'RiskAlert' && e.kind === 'stop_missing');
    expect(alerts).toHaveLength(2);
    expect(alerts[1]).toMatchObject({ level: 'critical' });

    h.advanceClock(1_000); // the receive above hid the messages for 0 s
    await drainOnce(queue, h.exec);
    expect(stopsOf(h)).toHaveLength(1);
    expect(stopsOf(h)[0]!.quantity).toBe(0.04);
  });

  it('defect 5: a restore still inside its bound is waited for, not doubled', async () => {
    const h = await monitorHarness(dynamo, {}, [60_000, 60_000]);
    await h.order({ side: 'buy', quantity: 0.04 });
    const t0 = h.deps.clock.now();
    expect((await positionMonitorOnce(h.deps, t0)).restored).toEqual(['BTCUSDT']);
    expect((await positionMonitorOnce(h.deps, t0 + LOOP_MS)).restored).toEqual([]);
    expect(depth(h)).toBe(1);
  });
});

describe('defect 9: at most one trailing successor pending per stop', () => {
  it('defect 9: three loops before the queue drains leave one stop, and trailing resumes once it is placed', async () => {
    const h = await monitorHarness(dynamo, {}, [60_000, 62_000, 63_000, 63_000]);
    await longWithTrailingStop(h);
    h.sim.advance(); // 62,000: the stop belongs at 60,760
    const t = h.deps.clock.now();
    const trailed = [];
    for (let i = 0; i < 3; i++) trailed.push((await positionMonitorOnce(h.deps, t + i * LOOP_MS)).trailed);
    expect(trailed).toEqual([['BTCUSDT'], [], []]);
    expect(depth(h)).toBe(2); // one successor and the old stop's conditional cancel
    await drainOnce(h.deps.queue, h.exec);
    expect(stopsOf(h).map((o) => [o.stopPrice, o.quantity])).toEqual([[60_760, 0.04]]);

    h.sim.advance(); // 63,000: the placed successor trails on
    expect((await positionMonitorOnce(h.deps, h.deps.clock.now())).trailed).toEqual(['BTCUSDT']);
    await drainOnce(h.deps.queue, h.exec);
    expect(stopsOf(h).map((o) => o.stopPrice)).toEqual([61_740]);
  });

  it('defect 9: a refused successor releases the stop: the next loop trails it again', async () => {
    const h = await monitorHarness(dynamo, {}, [60_000, 62_000, 62_000]);
    await longWithTrailingStop(h);
    h.sim.advance();
    const t = h.deps.clock.now();
    await positionMonitorOnce(h.deps, t);
    // The exchange refuses the successor (Binance's reduce-only rejection); its conditional cancel is
    // refused with it, so the old stop stays.
    const refusing: Exchange = Object.assign(Object.create(h.deps.exchange) as Exchange, {
      createOrder: async () => {
        const { InvalidOrder } = await import('../../../shared/ports/exchange-errors.ts');
        throw new InvalidOrder('ReduceOnly Order is rejected.');
      },
    });
    const r = await drainOnce(h.deps.queue, { ...h.exec, exchange: refusing });
    expect(r.outcomes.map((o) => o.kind)).toEqual(['rejected', 'rejected']);
    expect(stopsOf(h).map((o) => o.stopPrice)).toEqual([58_800]); // the old stop stays
    expect((await positionMonitorOnce(h.deps, t + LOOP_MS)).trailed).toEqual(['BTCUSDT']);
    await drainOnce(h.deps.queue, h.exec);
    expect(stopsOf(h).map((o) => o.stopPrice)).toEqual([60_760]);
  });
  it('defect 9: a successor placed while the old stop’s cancel still waits in the queue is not derived again', async () => {
    const h = await monitorHarness(dynamo, {}, [60_000, 60_000]);
    await h.order({ side: 'buy', quantity: 0.03 });
    await h.order({ side: 'sell', type: 'stop_market', quantity: 0.03, stopPrice: 55_000, reduceOnly: true });
    await h.order({ side: 'buy', quantity: 0.01 });
    const t = h.deps.clock.now();
    await positionMonitorOnce(h.deps, t); // successor for the whole 0.04, then the old stop's cancel
    await drainOnce(h.deps.queue, h.exec, { max: 1 }); // the executor placed the successor only
    expect(stopsOf(h)).toHaveLength(2);
    const r = await positionMonitorOnce(h.deps, t + LOOP_MS);
    expect([r.resized, r.trailed, depth(h)]).toEqual([[], [], 1]);
    await drainOnce(h.deps.queue, h.exec);
    expect(stopsOf(h).map((o) => [o.stopPrice, o.quantity])).toEqual([[55_000, 0.04]]);
  });
});

describe('verify: the stop covers the whole position after adds', () => {
  it('verify: adding to a position with a stop → one loop → the stop covers the full quantity', async () => {
    const h = await monitorHarness(dynamo, {}, [60_000, 60_000]);
    await h.order({ side: 'buy', quantity: 0.03 });
    await h.order({ side: 'sell', type: 'stop_market', quantity: 0.03, stopPrice: 55_000, reduceOnly: true });
    expect((await h.order({ side: 'buy', quantity: 0.01 })).outcome.kind).toBe('placed'); // an add
    const r = await positionMonitorOnce(h.deps, h.deps.clock.now());
    await drainOnce(h.deps.queue, h.exec);
    expect(stopsOf(h).map((o) => [o.stopPrice, o.quantity])).toEqual([[55_000, 0.04]]);
    expect(r.resized).toEqual(['BTCUSDT']);
    await positionMonitorOnce(h.deps, h.deps.clock.now() + LOOP_MS);
    expect(depth(h)).toBe(0);
  });

  it('verify: when the strategy then lays its own full stop as close, the monitor’s copy is cancelled', async () => {
    const h = await monitorHarness(dynamo, {}, [60_000, 60_000]);
    await h.order({ side: 'buy', quantity: 0.03, strategy: 'grid' });
    const stop = { side: 'sell', type: 'stop_market', stopPrice: 55_000, reduceOnly: true } as const;
    await h.order({ ...stop, quantity: 0.03, strategy: 'grid' });
    await h.order({ side: 'buy', quantity: 0.01, strategy: 'grid' });
    await positionMonitorOnce(h.deps, h.deps.clock.now());
    await drainOnce(h.deps.queue, h.exec); // the monitor's full-size stop replaced the grid's
    const { intent: gridStop } = await h.order({ ...stop, quantity: 0.04, strategy: 'grid' }); // grid's next tick
    expect(stopsOf(h)).toHaveLength(2);
    await positionMonitorOnce(h.deps, h.deps.clock.now() + LOOP_MS);
    await positionMonitorOnce(h.deps, h.deps.clock.now() + 2 * LOOP_MS);
    await drainOnce(h.deps.queue, h.exec);
    expect(stopsOf(h).map((o) => o.clientOrderId)).toEqual([gridStop.id]);
    expect(depth(h)).toBe(0);
  });
});
