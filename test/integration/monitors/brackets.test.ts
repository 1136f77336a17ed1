// Brackets (OCO) on the simulator through the real executor, queue and dynalite: one side fills, and
// within ONE position-monitor slot the other side is cancelled (or the stop resized), exactly once, and
// the position is never without a stop while it exists.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bracketTracks, changeBrackets } from '../../../shared/app/bracket-book.ts';
import { reconcileBrackets } from '../../../shared/app/monitors/brackets-monitor.ts';
import { positionMonitorOnce } from '../../../shared/app/monitors/position-monitor.ts';
import { bracketLegId } from '../../../shared/domain/bracket.ts';
import { drain, enterWithBracket, TWO_TAKE_PROFITS } from '../../support/bracket-bench.ts';
import { startDynamo } from '../../support/dynalite.ts';
import { monitorHarness } from '../../support/monitor-harness.ts';

let dynamo: Awaited<ReturnType<typeof startDynamo>>;
beforeAll(async () => {
  dynamo = await startDynamo('autocoin-brackets');
});
afterAll(async () => {
  await dynamo.stop();
});

const KEEP = { cancelReduceOnlyOnClose: false };
type Harness = Awaited<ReturnType<typeof monitorHarness>>;

const openIds = async (h: Harness) => (await h.deps.exchange.fetchOpenOrders()).map((o) => o.clientOrderId);

describe('brackets (OCO) in the position monitor', () => {
  it('the stop fills: the take-profit is cancelled within one monitor slot, and the bracket is forgotten', async () => {
    // 60,000 → 60,000 → 57,000: the third candle trades through the 58,000 stop.
    // Binance keeps a conditional reduce-only order when the position closes: so does this simulator.
    const h = await monitorHarness(dynamo, {}, [60_000, 60_000, 57_000, 57_000], KEEP);
    const parent = await enterWithBracket(h, {
      stopPrice: 58_000,
      takeProfits: [{ price: 63_000, fraction: 1 }],
    });
    const tp = bracketLegId(parent.id, 'tp:0');
    expect(await openIds(h)).toEqual(expect.arrayContaining([bracketLegId(parent.id, 'stop:0'), tp]));
    for (let i = 0; i < 3; i++) h.sim.advance();
    expect(await h.deps.exchange.fetchPositions()).toEqual([]); // stopped out
    expect(await openIds(h)).toEqual([tp]); // the orphan: a take-profit of a position that is gone

    await positionMonitorOnce(h.deps, h.deps.clock.now()); // ONE slot
    await drain(h);
    expect(await openIds(h)).toEqual([]);
    expect((await h.deps.exchange.fetchOrderByClientId('BTCUSDT', tp, 'futures')).status).toBe('canceled');
    await positionMonitorOnce(h.deps, h.deps.clock.now() + 5_000);
    expect(await bracketTracks(h.deps.store, 'BTCUSDT')).toEqual([]);
  });

  it('the take-profit fills: the stop is cancelled within one monitor slot', async () => {
    const h = await monitorHarness(dynamo, {}, [60_000, 60_000, 63_000, 63_000], KEEP);
    const parent = await enterWithBracket(h, {
      stopPrice: 58_000,
      takeProfits: [{ price: 62_000, fraction: 1 }],
    });
    const stop = bracketLegId(parent.id, 'stop:0');
    for (let i = 0; i < 3; i++) h.sim.advance();
    expect(await h.deps.exchange.fetchPositions()).toEqual([]);
    expect(await openIds(h)).toEqual([stop]);

    await positionMonitorOnce(h.deps, h.deps.clock.now());
    await drain(h);
    expect(await openIds(h)).toEqual([]);
    expect((await h.deps.exchange.fetchOrderByClientId('BTCUSDT', stop, 'futures')).status).toBe('canceled');
  });

  it('a partial take-profit resizes the stop to the rest, moved to break-even, placing the new stop before cancelling the old', async () => {
    // 50 % at 61,000, the rest at 64,000; the third candle (62,000) fills only the first.
    const h = await monitorHarness(dynamo, {}, [60_000, 60_000, 62_000, 62_000]);
    const parent = await enterWithBracket(h, { ...TWO_TAKE_PROFITS, breakEvenAfterFirst: true });
    for (let i = 0; i < 3; i++) h.sim.advance();
    const [pos] = await h.deps.exchange.fetchPositions();
    expect(pos?.quantity).toBeCloseTo(0.005, 9); // 0.01 − 50 %
    const stopsNow = async () =>
      (await h.deps.exchange.fetchOpenOrders()).filter((o) => o.type === 'stop_market');

    await positionMonitorOnce(h.deps, h.deps.clock.now());
    // After every message the executor runs, the position still has a stop.
    await drain(h, async () => {
      expect((await stopsNow()).length).toBeGreaterThan(0);
    });
    const stops = await stopsNow();
    expect(stops).toHaveLength(1);
    expect(stops[0]).toMatchObject({
      clientOrderId: bracketLegId(parent.id, 'stop:1'),
      quantity: 0.005,
      // Break-even: the entry, a market buy at the 60,000 open with no slippage configured.
      stopPrice: 60_000,
    });
    const tp2 = (await h.deps.exchange.fetchOpenOrders()).find(
      (o) => o.clientOrderId === bracketLegId(parent.id, 'tp:1'),
    );
    expect(tp2?.quantity).toBeCloseTo(0.005, 9); // the second take-profit is left as it was
  });

  it('a slot that runs again after a crash before its state write queues nothing new (same ids)', async () => {
    const h = await monitorHarness(dynamo, {}, [60_000, 60_000, 62_000, 62_000]);
    const parent = await enterWithBracket(h, TWO_TAKE_PROFITS);
    for (let i = 0; i < 3; i++) h.sim.advance();
    const before = await bracketTracks(h.deps.store, 'BTCUSDT');
    const positions = await h.deps.exchange.fetchPositions();
    const orders = await h.deps.exchange.fetchOpenOrders();
    const markets = await h.deps.exchange.loadMarkets();
    const t = h.deps.clock.now();
    const first = await reconcileBrackets(h.deps, positions, orders, markets, t);
    // The crash: the book write is lost, the slot runs again from the old state.
    await changeBrackets(h.deps.store, 'BTCUSDT', t, () =>
      Object.fromEntries(before.map((b) => [b.parentId, b])),
    );
    const again = await reconcileBrackets(h.deps, positions, orders, markets, t + 5_000);
    expect(first.resized).toEqual(['BTCUSDT']);
    expect(again.resized).toEqual(['BTCUSDT']);
    await drain(h);
    const stops = (await h.deps.exchange.fetchOpenOrders()).filter((o) => o.type === 'stop_market');
    expect(stops.map((s) => [s.clientOrderId, s.quantity])).toEqual([
      [bracketLegId(parent.id, 'stop:1'), 0.005],
    ]);
  });
});
