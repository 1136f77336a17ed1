// Iceberg entries through the real executor, queue and dynalite: the same plan as a TWAP with another
// "next slice due" rule — the next visible slice as soon as the previous one filled, never before.
// A crash between two slices resumes without repeating one; a halt or a refused slice stops the rest.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drainOnce } from '../../../shared/app/drain-queue.ts';
import { executeMessage } from '../../../shared/app/execute-intent.ts';
import {
  changeTwapPlans,
  sendDueSlices,
  startTwap,
  twapPlans,
} from '../../../shared/app/monitors/slices-monitor.ts';
import { makeIntentId, OrderIntentSchema } from '../../../shared/domain/order.ts';
import { icebergQuantities, sliceId, type TwapPlan } from '../../../shared/domain/slicing.ts';
import { startDynamo } from '../../support/dynalite.ts';
import { monitorHarness } from '../../support/monitor-harness.ts';

let dynamo: Awaited<ReturnType<typeof startDynamo>>;
beforeAll(async () => {
  dynamo = await startDynamo('autocoin-iceberg');
});
afterAll(async () => {
  await dynamo.stop();
});

type Harness = Awaited<ReturnType<typeof monitorHarness>>;
const SECOND = 1_000;
const flat = Array.from({ length: 6 }, () => 60_000);

/** An iceberg of `total` BTC in visible slices of `visible`, as /futures_open … iceberg= stores it. */
function plan(h: Harness, total: number, visible: number): TwapPlan {
  const now = h.deps.clock.now();
  return {
    kind: 'iceberg',
    parentId: makeIntentId({ source: 'telegram', symbol: 'BTCUSDT', tickTime: now, sequence: 0 }),
    symbol: 'BTCUSDT',
    strategy: 'telegram',
    side: 'buy',
    leverage: 5,
    marginMode: 'isolated',
    quantities: icebergQuantities(total, visible, 0.001, 0.001),
    startAt: now,
    intervalMs: 0,
    sent: 0,
  };
}

async function drain(h: Harness) {
  for (let i = 0; i < 20; i++) {
    const r = await drainOnce(h.deps.queue, h.exec);
    expect(r.failures).toEqual([]);
    if (r.outcomes.length === 0) return;
  }
  throw new Error('queue never drained');
}

/** The slot `seconds` after the start: the executor's clock stands there too. */
async function slot(h: Harness, p: TwapPlan, seconds: number) {
  const t = p.startAt + seconds * SECOND;
  h.advanceClock(t - h.deps.clock.now());
  return sendDueSlices(h.deps, t);
}

const position = async (h: Harness) => (await h.deps.exchange.fetchPositions())[0]?.quantity ?? 0;

describe('iceberg slices', () => {
  it('the next visible slice goes in the slot after the previous one filled — not before, not on a timer', async () => {
    const h = await monitorHarness(dynamo, {}, flat);
    // 0.025 in visible slices of 0.01: 0.01, 0.01 and the remainder 0.005 (over the 0.001 minimum).
    const p = plan(h, 0.025, 0.01);
    expect(p.quantities).toEqual([0.01, 0.01, 0.005]);
    await startTwap(h.deps.store, p, p.startAt);
    expect((await slot(h, p, 0)).sent).toEqual([sliceId(p.parentId, 0)]);
    expect((await slot(h, p, 5)).sent).toEqual([]); // slice 1 not filled yet: nothing more shows
    await drain(h);
    expect(await position(h)).toBeCloseTo(0.01, 9);
    expect((await slot(h, p, 10)).sent).toEqual([sliceId(p.parentId, 1)]); // seconds later, no interval
    await drain(h);
    expect((await slot(h, p, 15)).sent).toEqual([sliceId(p.parentId, 2)]);
    await drain(h);
    expect(await position(h)).toBeCloseTo(0.025, 9);
    await slot(h, p, 20); // all filled: the plan is done
    expect(await twapPlans(h.deps.store, 'BTCUSDT')).toEqual([]);
  });

  it('a crash between two slices (the plan write lost) resumes without repeating a slice', async () => {
    const h = await monitorHarness(dynamo, {}, flat);
    const p = plan(h, 0.03, 0.01);
    await startTwap(h.deps.store, p, p.startAt);
    await slot(h, p, 0);
    await drain(h);
    const before = await twapPlans(h.deps.store, 'BTCUSDT');
    expect((await slot(h, p, 5)).sent).toEqual([sliceId(p.parentId, 1)]);
    await drain(h);
    await changeTwapPlans(h.deps.store, 'BTCUSDT', p.startAt, () =>
      Object.fromEntries(before.map((x) => [x.parentId, x])),
    );
    // The lost write: slice 1 is sent again under the same id — the executor drops it.
    expect((await slot(h, p, 10)).sent).toEqual([sliceId(p.parentId, 1)]);
    await drain(h);
    expect(await position(h)).toBeCloseTo(0.02, 9);
  });

  it('a halt stops the rest; so does a refused slice (the parent over the 30 % limit)', async () => {
    const h = await monitorHarness(dynamo, {}, flat);
    const p = plan(h, 0.03, 0.01);
    await startTwap(h.deps.store, p, p.startAt);
    await slot(h, p, 0);
    await drain(h);
    const halt = await h.deps.store.getHalt();
    await h.deps.store.setHalt(true, 'emergency', h.deps.clock.now(), halt.version);
    expect(await slot(h, p, 5)).toEqual({ sent: [], stopped: [p.parentId] });
    expect(await position(h)).toBeCloseTo(0.01, 9);

    // Equity 10,000: the cap is 3,000 USDT. The parent 0.06 × 60,000 = 3,600 is over it; a visible
    // slice of 0.01 (600) is not — the first slice is refused as the whole parent, and the plan stops.
    const h2 = await monitorHarness(dynamo, {}, flat);
    const big = plan(h2, 0.06, 0.01);
    await startTwap(h2.deps.store, big, big.startAt);
    await slot(h2, big, 0);
    await drain(h2);
    expect(await slot(h2, big, 5)).toEqual({ sent: [], stopped: [big.parentId] });
    expect(await position(h2)).toBe(0);
  });

  it("a live strategy's sliced entry is refused, never placed whole (live slicing is the Telegram forms')", async () => {
    const h = await monitorHarness(dynamo, {}, flat);
    const intent = OrderIntentSchema.parse({
      id: makeIntentId({
        source: 'sliced_buy',
        symbol: 'BTCUSDT',
        tickTime: h.deps.clock.now(),
        sequence: 0,
      }),
      strategy: 'sliced_buy',
      symbol: 'BTCUSDT',
      market: 'futures',
      side: 'buy',
      type: 'market',
      quantity: 0.02,
      leverage: 5,
      marginMode: 'isolated',
      createdAt: h.deps.clock.now(),
      sliced: { kind: 'iceberg', visibleQuantity: 0.01 },
    });
    const out = await executeMessage(JSON.stringify({ kind: 'intent', intent }), h.exec);
    expect(out.kind).toBe('rejected');
    expect(out.kind === 'rejected' && out.reasons.join(' ')).toMatch(/sliced entries from a strategy/);
    expect(await position(h)).toBe(0);
  });
});
