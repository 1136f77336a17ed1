// Second review of the position monitor's record-first successor (stop-successor.ts: maintainStop,
// 59b2b0e) and the brackets' adoption of a crashed slot's resize (bracket-adopt.ts, 2ad344d): the
// simulator, dynalite, the in-process queue and the real executor.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { positionMonitorOnce } from '../../../shared/app/monitors/position-monitor.ts';
import { type BracketInput, bracketLegId } from '../../../shared/domain/bracket.ts';
import type { QueueMessage } from '../../../shared/ports/order-queue.ts';
import {
  drain,
  enterWithBracket,
  refusing,
  slotLosingItsBracketWrite,
  stopRows,
  tradersStop,
} from '../../support/bracket-bench.ts';
import { startDynamo } from '../../support/dynalite.ts';
import { longWithTrailingStop, monitorHarness } from '../../support/monitor-harness.ts';

let dynamo: Awaited<ReturnType<typeof startDynamo>>;
beforeAll(async () => {
  dynamo = await startDynamo('autocoin-review2-successor');
});
afterAll(async () => {
  await dynamo.stop();
});

class SendFailed extends Error {}

type Harness = Awaited<ReturnType<typeof monitorHarness>>;

/** A monitor slot now whose first queue send fails (nothing sent after it); returns the slot's time. */
async function slotDiesAtFirstSend(h: Harness): Promise<number> {
  const send = h.deps.queue.send.bind(h.deps.queue);
  let failing = true;
  h.deps.queue.send = async (m: QueueMessage, opts?: { groupId?: string }) => {
    if (failing) throw new SendFailed('queue unavailable');
    await send(m, opts);
  };
  const t0 = h.deps.clock.now();
  await expect(positionMonitorOnce(h.deps, t0)).rejects.toBeInstanceOf(SendFailed);
  failing = false;
  return t0;
}

/** Monitor slots `first` … `last` of 5 s from `t0`, the executor draining the queue after each. */
async function slots(h: Harness, t0: number, last: number, first = 1) {
  for (let s = first; s <= last; s++) {
    h.advanceClock(t0 + s * 5_000 - h.deps.clock.now());
    await positionMonitorOnce(h.deps, t0 + s * 5_000);
    await drain(h);
  }
}

describe('review: a successor recorded but never sent', () => {
  // A long of 0.03 at 60,000 with its stop for 0.03 at 55,000, then an add of 0.01: the position is
  // 0.04 and the stop covers 0.03 of it (0.01 BTC bare). The monitor's slot grows the stop: it records
  // the successor, then its first queue send fails (an SQS error, or the Lambda killed there). Before
  // 59b2b0e nothing was recorded and the next slot (5 s later) grew the stop again; now the recorded
  // successor — that the executor never received — is waited for SUCCESSOR_GIVE_UP_MS (10 min).
  it('a grown stop whose send failed: the whole position is covered again within a minute, not after 10', async () => {
    const h = await monitorHarness(dynamo, {}, [60_000, 60_000]);
    await h.order({ side: 'buy', quantity: 0.03 });
    await h.order({ side: 'sell', type: 'stop_market', quantity: 0.03, stopPrice: 55_000, reduceOnly: true });
    await h.order({ side: 'buy', quantity: 0.01 });
    const t0 = await slotDiesAtFirstSend(h);
    // 12 slots of 5 s: a minute.
    await slots(h, t0, 12);
    const covered = (await stopRows(h)).reduce((sum, r) => sum + (r[1] as number), 0);
    expect(covered).toBeCloseTo(0.04, 9);
  });

  // The long of 0.04 with its 2 % trailing stop at 58,800; the mark at 62,000, where the stop belongs at
  // 60,760. That slot records the successor and dies before its sends. Before the next slot the position
  // is closed (the simulator cancels its reduce-only stop) and a new long of 0.04 opened with a plain
  // stop at 55,000. The recorded successor was made for the old position: it is not sent for the new one.
  it('a recorded successor of a position since closed is not sent for the new one', async () => {
    const h = await monitorHarness(dynamo, {}, [60_000, 62_000, 62_000]);
    await longWithTrailingStop(h);
    h.sim.advance();
    const t0 = await slotDiesAtFirstSend(h);
    await h.order({ side: 'sell', quantity: 0.04, reduceOnly: true });
    h.advanceClock(1_000);
    await h.order({ side: 'buy', quantity: 0.04 });
    await h.order({ side: 'sell', type: 'stop_market', quantity: 0.04, stopPrice: 55_000, reduceOnly: true });
    expect((await stopRows(h)).map((r) => r[2])).toEqual([55_000]);
    await slots(h, t0, 3);
    expect((await stopRows(h)).map((r) => r[2])).toEqual([55_000]);
  });

  // The same crash and reopening, the new position's stop covering 0.03 of its 0.04: the recorded
  // successor, never sent and replacing a stop that is gone, is no reason to leave the new position's
  // 0.01 bare for SUCCESSOR_GIVE_UP_MS — the next slot grows the stop to the whole 0.04.
  it('a recorded successor of a position since closed does not hold the new one’s stop short', async () => {
    const h = await monitorHarness(dynamo, {}, [60_000, 62_000, 62_000]);
    await longWithTrailingStop(h);
    h.sim.advance();
    const t0 = await slotDiesAtFirstSend(h);
    await h.order({ side: 'sell', quantity: 0.04, reduceOnly: true });
    await h.order({ side: 'buy', quantity: 0.04 });
    await h.order({ side: 'sell', type: 'stop_market', quantity: 0.03, stopPrice: 55_000, reduceOnly: true });
    await slots(h, t0, 3);
    expect((await stopRows(h)).map((r) => [r[1], r[2]])).toEqual([[0.04, 55_000]]);
  });

  // The same crash, then an add of 0.005 before the next slot (the position's key changes with its size):
  // the recorded successor still replaces the listed 58,800 stop, then the next slot grows it to the
  // whole 0.045 — the add is not left bare for SUCCESSOR_GIVE_UP_MS.
  it('a recorded successor, then an add: sent again, and the stop grown to the whole position', async () => {
    const h = await monitorHarness(dynamo, {}, [60_000, 62_000, 62_000]);
    await longWithTrailingStop(h);
    h.sim.advance();
    const t0 = await slotDiesAtFirstSend(h);
    expect((await h.order({ side: 'buy', quantity: 0.005 })).outcome.kind).toBe('placed');
    await slots(h, t0, 3);
    expect((await stopRows(h)).map((r) => [r[1], r[2]])).toEqual([[0.045, 60_760]]);
  });
});

describe('review: a SHORT bracket whose resize slot dies after its sends (stops above the price)', () => {
  // Short 0.01 at 60,000: stop 62,000 (above); half at 59,000, half at 56,000; break-even after the first.
  // Candle 3 (58,000) fills the first take-profit: the stop belongs at the entry, 60,000, for the 0.005
  // left — under the old stop, which is further from the mark for a short (a short's tighter stop is the
  // LOWER one), so the old 62,000 stop is the one superseded.
  const shortBracket: BracketInput = {
    stopPrice: 62_000,
    takeProfits: [
      { price: 59_000, fraction: 0.5 },
      { price: 56_000, fraction: 0.5 },
    ],
    breakEvenAfterFirst: true,
  };

  it('the old stop’s cancel refused and the bracket write lost: the 62,000 stop goes, the 60,000 one stays', async () => {
    const h = await monitorHarness(dynamo, {}, [60_000, 60_000, 58_000, 58_000]);
    const parent = await enterWithBracket(h, shortBracket, 'sell');
    for (let i = 0; i < 3; i++) h.sim.advance();
    const cancels = refusing(h, { cancels: 1 });
    const t0 = h.deps.clock.now();
    await slotLosingItsBracketWrite(h, t0);
    await drain(h);
    const stop0 = bracketLegId(parent.id, 'stop:0');
    const stop1 = bracketLegId(parent.id, 'stop:1');
    expect(cancels).toEqual([stop0]);
    expect((await stopRows(h)).map((r) => r[2]).sort()).toEqual([60_000, 62_000]);
    await slots(h, t0, 4);
    expect(await stopRows(h)).toEqual([[stop1, 0.005, 60_000]]);
  });
});

describe('review: the trader’s own stop (placed by hand on Binance, no intent of ours)', () => {
  // A long of 0.01 at 60,000 with our stop for all of it at 55,000; the trader adds a stop of their own
  // for 0.002 at 59,000 on Binance. The position monitor takes the best (highest) close-side stop as
  // the one to move or grow, with no regard to whose it is: the trader's 0.002 is short of the 0.01
  // position, so it queues a 0.01 stop at 59,000 and cancels the trader's order once that is placed —
  // the whole position now stops out at the level the trader chose for a fifth of it.
  it('is neither cancelled nor copied to the whole position by the position monitor', async () => {
    const h = await monitorHarness(dynamo, {}, [60_000, 60_000]);
    await h.order({ side: 'buy', quantity: 0.01 });
    await h.order({ side: 'sell', type: 'stop_market', quantity: 0.01, stopPrice: 55_000, reduceOnly: true });
    await tradersStop(h, 0.002, 59_000);
    const before = await stopRows(h);
    const t0 = h.deps.clock.now();
    await slots(h, t0, 2, 0);
    expect(await stopRows(h)).toEqual(before);
  });

  it('with no stop of ours, a short one of the trader’s is copied to the whole position and left in place', async () => {
    // The long of 0.01 has only the trader's 0.002 stop at 59,000: the monitor lays 0.01 at 59,000 (the
    // position covered, as before) and sends no cancel for the trader's order.
    const h = await monitorHarness(dynamo, {}, [60_000, 60_000]);
    await h.order({ side: 'buy', quantity: 0.01 });
    await tradersStop(h, 0.002, 59_000);
    const cancels = refusing(h, { cancels: 0 });
    const t0 = h.deps.clock.now();
    await slots(h, t0, 2, 0);
    expect(cancels).toEqual([]);
    const rows = await stopRows(h);
    expect(rows.map((r) => [r[1], r[2]]).sort()).toEqual([
      [0.002, 59_000],
      [0.01, 59_000],
    ]);
    expect(rows.find((r) => r[1] === 0.002)?.[0]).toBe('my-own-stop');
    // An add of 0.005 then: the copy (no cancel waits on it) does not hold the stop for
    // SUCCESSOR_GIVE_UP_MS — the next slots grow it to the whole 0.015.
    expect((await h.order({ side: 'buy', quantity: 0.005 })).outcome.kind).toBe('placed');
    await slots(h, t0, 5, 3);
    expect((await stopRows(h)).map((r) => [r[1], r[2]]).sort()).toEqual([
      [0.002, 59_000],
      [0.015, 59_000],
    ]);
  });
});
