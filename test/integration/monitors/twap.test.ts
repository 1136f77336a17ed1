// Sliced (TWAP and iceberg) entries through the real executor, queue and dynalite: a crash between two
// slices resumes without repeating one, a halt stops the rest, and the parent's full size is what the
// risk check counts from the first slice. An iceberg is the same plan with another "next slice due"
// rule — the next visible slice as soon as the previous one filled, never before.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drainOnce } from '../../../shared/app/drain-queue.ts';
import { executeMessage } from '../../../shared/app/execute-intent.ts';
import {
  changeTwapPlans,
  sendDueSlices,
  startTwap,
  twapPlans,
} from '../../../shared/app/monitors/slices-monitor.ts';
import { makeIntentId } from '../../../shared/domain/order.ts';
import {
  icebergQuantities,
  sliceId,
  sliceIntent,
  sliceQuantities,
  type TwapPlan,
} from '../../../shared/domain/slicing.ts';
import { startDynamo } from '../../support/dynalite.ts';
import { monitorHarness } from '../../support/monitor-harness.ts';
import { intent as riskIntent } from '../../unit/domain/risk-fixtures.ts';

let dynamo: Awaited<ReturnType<typeof startDynamo>>;
beforeAll(async () => {
  dynamo = await startDynamo('autocoin-twap');
});
afterAll(async () => {
  await dynamo.stop();
});

type Harness = Awaited<ReturnType<typeof monitorHarness>>;
const MINUTE = 60_000;
const flat = Array.from({ length: 6 }, () => 60_000);

function plan(h: Harness, total: number, count: number): TwapPlan {
  return {
    parentId: makeIntentId({
      source: 'telegram',
      symbol: 'BTCUSDT',
      tickTime: h.deps.clock.now(),
      sequence: 0,
    }),
    symbol: 'BTCUSDT',
    strategy: 'telegram',
    side: 'buy',
    leverage: 5,
    marginMode: 'isolated',
    quantities: sliceQuantities(total, count, 0.001),
    startAt: h.deps.clock.now(),
    intervalMs: MINUTE,
    sent: 0,
  };
}

async function drain(h: Harness) {
  const outcomes = [];
  for (let i = 0; i < 20; i++) {
    const r = await drainOnce(h.deps.queue, h.exec);
    expect(r.failures).toEqual([]);
    if (r.outcomes.length === 0) return outcomes;
    outcomes.push(...r.outcomes);
  }
  throw new Error('queue never drained');
}

/** The slot at `minutes` after the start: the executor's clock stands there too. */
async function slot(h: Harness, p: TwapPlan, minutes: number) {
  const t = p.startAt + minutes * MINUTE;
  h.advanceClock(t - h.deps.clock.now());
  return sendDueSlices(h.deps, t);
}

const position = async (h: Harness) => (await h.deps.exchange.fetchPositions())[0]?.quantity ?? 0;

describe('TWAP slices', () => {
  it('a crash between two slices (the plan write lost) resumes without repeating a slice', async () => {
    const h = await monitorHarness(dynamo, {}, flat);
    const p = plan(h, 0.03, 3); // 0.01 × 3, one a minute
    expect(await startTwap(h.deps.store, p, p.startAt)).toBe(true);
    expect((await slot(h, p, 0)).sent).toEqual([sliceId(p.parentId, 0)]);
    await drain(h);
    const before = await twapPlans(h.deps.store, 'BTCUSDT');
    expect((await slot(h, p, 1)).sent).toEqual([sliceId(p.parentId, 1)]);
    // The crash: the slot's write of `sent` is lost, so the next slot sends slice 1 again.
    await changeTwapPlans(h.deps.store, 'BTCUSDT', p.startAt, () =>
      Object.fromEntries(before.map((x) => [x.parentId, x])),
    );
    expect((await slot(h, p, 1.1)).sent).toEqual([sliceId(p.parentId, 1)]);
    await drain(h);
    expect(await position(h)).toBeCloseTo(0.02, 9); // two slices, not three
    await slot(h, p, 2);
    await drain(h);
    expect(await position(h)).toBeCloseTo(0.03, 9);
    await slot(h, p, 3); // all sent and executed: the plan is done
    expect(await twapPlans(h.deps.store, 'BTCUSDT')).toEqual([]);
  });

  it('a halt during a TWAP stops the rest, also after a resume', async () => {
    const h = await monitorHarness(dynamo, {}, flat);
    const p = plan(h, 0.03, 3);
    await startTwap(h.deps.store, p, p.startAt);
    await slot(h, p, 0);
    await drain(h);
    const halt = await h.deps.store.getHalt();
    await h.deps.store.setHalt(true, 'emergency', h.deps.clock.now(), halt.version);
    const halted = await slot(h, p, 1);
    expect(halted).toEqual({ sent: [], stopped: [p.parentId] });
    const resumed = await h.deps.store.getHalt();
    await h.deps.store.setHalt(false, 'resumed', h.deps.clock.now(), resumed.version);
    expect((await slot(h, p, 2)).sent).toEqual([]);
    await drain(h);
    expect(await position(h)).toBeCloseTo(0.01, 9); // the first slice only
  });

  it("the parent's full size is refused above the 30 % limit although each slice would fit", async () => {
    // Equity 10,000 USDT: the limit is 3,000 USDT of notional. The parent 0.06 BTC × 60,000 = 3,600
    // is over it; a slice of 0.02 × 60,000 = 1,200 is not.
    const h = await monitorHarness(dynamo, {}, flat);
    const p = plan(h, 0.06, 3);
    const first = sliceIntent(p, 0, p.startAt);
    const out = await executeMessage(JSON.stringify({ kind: 'intent', intent: first }), h.exec);
    expect(out.kind).toBe('rejected');
    expect(out.kind === 'rejected' && out.reasons.join(' ')).toMatch(
      /position notional 3600\.00 USDT exceeds/,
    );
    expect(await position(h)).toBe(0);
    // The same 0.02 as a plain entry fits.
    const alone = await h.order({ side: 'buy', quantity: 0.02 });
    expect(alone.outcome.kind).toBe('placed');
  });

  it('a refused slice stops the plan', async () => {
    const h = await monitorHarness(dynamo, {}, flat);
    const p = plan(h, 0.06, 3);
    await startTwap(h.deps.store, p, p.startAt);
    await slot(h, p, 0);
    await drain(h); // slice 0 refused: the parent is over the limit
    expect(await slot(h, p, 1)).toEqual({ sent: [], stopped: [p.parentId] });
    expect(await position(h)).toBe(0);
  });

  it('after an outage the overdue slices are not fired at once: one a slot, each after the previous executed', async () => {
    const h = await monitorHarness(dynamo, {}, flat);
    const p = plan(h, 0.03, 3);
    await startTwap(h.deps.store, p, p.startAt);
    await slot(h, p, 0);
    await drain(h);
    // No slot ran for 10 minutes: slices 2 and 3 are both overdue.
    expect((await slot(h, p, 10)).sent).toEqual([sliceId(p.parentId, 1)]);
    // Slice 2 still in the queue: the next slot waits for it.
    expect((await slot(h, p, 10.1)).sent).toEqual([]);
    await drain(h);
    expect((await slot(h, p, 10.2)).sent).toEqual([sliceId(p.parentId, 2)]);
    await drain(h);
    expect(await position(h)).toBeCloseTo(0.03, 9);
  });
});

/** An iceberg of `total` BTC in visible slices of `visible`, as /futures_open … iceberg= stores it. */
function icebergPlan(h: Harness, total: number, visible: number): TwapPlan {
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

/** The slot `seconds` after the start (an iceberg's slots are seconds apart). */
const slotAt = (h: Harness, p: TwapPlan, seconds: number) => slot(h, p, seconds / 60);

describe('iceberg slices', () => {
  it('the next visible slice goes in the slot after the previous one filled — not before, not on a timer', async () => {
    const h = await monitorHarness(dynamo, {}, flat);
    // 0.025 in visible slices of 0.01: 0.01, 0.01 and the remainder 0.005 (over the 0.001 minimum).
    const p = icebergPlan(h, 0.025, 0.01);
    expect(p.quantities).toEqual([0.01, 0.01, 0.005]);
    await startTwap(h.deps.store, p, p.startAt);
    expect((await slotAt(h, p, 0)).sent).toEqual([sliceId(p.parentId, 0)]);
    expect((await slotAt(h, p, 5)).sent).toEqual([]); // slice 1 not filled yet: nothing more shows
    await drain(h);
    expect(await position(h)).toBeCloseTo(0.01, 9);
    expect((await slotAt(h, p, 10)).sent).toEqual([sliceId(p.parentId, 1)]); // seconds later, no interval
    await drain(h);
    expect((await slotAt(h, p, 15)).sent).toEqual([sliceId(p.parentId, 2)]);
    await drain(h);
    expect(await position(h)).toBeCloseTo(0.025, 9);
    await slotAt(h, p, 20); // all filled: the plan is done
    expect(await twapPlans(h.deps.store, 'BTCUSDT')).toEqual([]);
  });

  it('a crash between two slices (the plan write lost) resumes without repeating a slice', async () => {
    const h = await monitorHarness(dynamo, {}, flat);
    const p = icebergPlan(h, 0.03, 0.01);
    await startTwap(h.deps.store, p, p.startAt);
    await slotAt(h, p, 0);
    await drain(h);
    const before = await twapPlans(h.deps.store, 'BTCUSDT');
    expect((await slotAt(h, p, 5)).sent).toEqual([sliceId(p.parentId, 1)]);
    await drain(h);
    await changeTwapPlans(h.deps.store, 'BTCUSDT', p.startAt, () =>
      Object.fromEntries(before.map((x) => [x.parentId, x])),
    );
    // The lost write: slice 1 is sent again under the same id — the executor drops it.
    expect((await slotAt(h, p, 10)).sent).toEqual([sliceId(p.parentId, 1)]);
    await drain(h);
    expect(await position(h)).toBeCloseTo(0.02, 9);
  });

  it('a halt stops the rest; so does a refused slice (the parent over the 30 % limit)', async () => {
    const h = await monitorHarness(dynamo, {}, flat);
    const p = icebergPlan(h, 0.03, 0.01);
    await startTwap(h.deps.store, p, p.startAt);
    await slotAt(h, p, 0);
    await drain(h);
    const halt = await h.deps.store.getHalt();
    await h.deps.store.setHalt(true, 'emergency', h.deps.clock.now(), halt.version);
    expect(await slotAt(h, p, 5)).toEqual({ sent: [], stopped: [p.parentId] });
    expect(await position(h)).toBeCloseTo(0.01, 9);

    // Equity 10,000: the cap is 3,000 USDT. The parent 0.06 × 60,000 = 3,600 is over it; a visible
    // slice of 0.01 (600) is not — the first slice is refused as the whole parent, and the plan stops.
    const h2 = await monitorHarness(dynamo, {}, flat);
    const big = icebergPlan(h2, 0.06, 0.01);
    await startTwap(h2.deps.store, big, big.startAt);
    await slotAt(h2, big, 0);
    await drain(h2);
    expect(await slotAt(h2, big, 5)).toEqual({ sent: [], stopped: [big.parentId] });
    expect(await position(h2)).toBe(0);
  });

  it("a live strategy's sliced entry is refused, never placed whole (live slicing is the Telegram forms')", async () => {
    const h = await monitorHarness(dynamo, {}, flat);
    const now = h.deps.clock.now();
    const intent = riskIntent({
      id: makeIntentId({ source: 'sliced_buy', symbol: 'BTCUSDT', tickTime: now, sequence: 0 }),
      createdAt: now,
      sliced: { kind: 'iceberg', visibleQuantity: 0.01 },
    });
    const out = await executeMessage(JSON.stringify({ kind: 'intent', intent }), h.exec);
    expect(out.kind).toBe('rejected');
    expect(out.kind === 'rejected' && out.reasons.join(' ')).toMatch(/sliced entries from a strategy/);
    expect(await position(h)).toBe(0);
  });
});
