// The position monitor's trailed stop when its slot dies part-way through its sends (the review of the
// brackets' crash-after-sends gap found the same pattern here): the old stop's cancel is asked again
// only from the monitor's record, so the record of the successor is written before anything is sent
// (stop-successor.ts: maintainStop). The simulator, dynalite, the in-process queue and the real executor.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { positionMonitorOnce } from '../../../shared/app/monitors/position-monitor.ts';
import type { QueueMessage } from '../../../shared/ports/order-queue.ts';
import { drain, refusing } from '../../support/bracket-bench.ts';
import { startDynamo } from '../../support/dynalite.ts';
import { longWithTrailingStop, monitorHarness } from '../../support/monitor-harness.ts';

let dynamo: Awaited<ReturnType<typeof startDynamo>>;
beforeAll(async () => {
  dynamo = await startDynamo('autocoin-stop-successor-crash');
});
afterAll(async () => {
  await dynamo.stop();
});

class Crash extends Error {}

/**
 * A long of 0.04 at 60,000 with a 2 % trailing stop at 58,800; the mark then 62,000, where the stop
 * belongs 2 % under: 62,000 × 0.98 = 60,760. The first monitor slot dies at `dies` (the queue throws:
 * before the successor's send, between the sends, or right after the cancel was handed over), the
 * executor drains what was sent, and the monitor then runs `slots` more slots `every` ms apart.
 */
async function trailedStopAfterCrash(o: {
  dies: 'before-sends' | 'between-sends' | 'after-sends';
  refusedCancels: number;
  slots: number;
  every: number;
}) {
  const h = await monitorHarness(dynamo, {}, [60_000, 62_000, 62_000]);
  await longWithTrailingStop(h);
  h.sim.advance();
  const cancels = refusing(h, { cancels: o.refusedCancels });
  const send = h.deps.queue.send.bind(h.deps.queue);
  let dead = true;
  h.deps.queue.send = async (m: QueueMessage, opts?: { groupId?: string }) => {
    if (dead && o.dies === 'before-sends') throw new Crash('died before the sends');
    if (dead && o.dies === 'between-sends' && m.kind === 'cancel') throw new Crash('died between the sends');
    await send(m, opts);
    if (dead && o.dies === 'after-sends' && m.kind === 'cancel') throw new Crash('died after the sends');
  };
  const t0 = h.deps.clock.now();
  await expect(positionMonitorOnce(h.deps, t0)).rejects.toBeInstanceOf(Crash);
  dead = false;
  await drain(h);
  const stopPrices = () =>
    h.sim
      .openOrders('BTCUSDT')
      .filter((x) => x.type === 'stop_market')
      .map((x) => x.stopPrice)
      .sort();
  const afterCrash = stopPrices();
  for (let s = 1; s <= o.slots; s++) {
    h.advanceClock(t0 + s * o.every - h.deps.clock.now());
    await positionMonitorOnce(h.deps, t0 + s * o.every);
    await drain(h);
  }
  return { afterCrash, stops: stopPrices(), cancels };
}

describe('a trailed stop whose slot dies part-way through its sends', () => {
  it('died right after the sends, the old stop’s cancel refused: the old stop is asked again and goes', async () => {
    const r = await trailedStopAfterCrash({ dies: 'after-sends', refusedCancels: 1, slots: 3, every: 5_000 });
    expect(r.afterCrash).toEqual([58_800, 60_760]); // the successor placed, the cancel refused
    expect(r.stops).toEqual([60_760]);
    expect(r.cancels).toHaveLength(2); // the refused request, then one more
  });

  it('died between the sends (the cancel never queued): asked after a minute, and the old stop goes', async () => {
    // A request never seen executed is asked again after CANCEL_RETRY_MS (60 s): 13 slots of 5 s.
    const r = await trailedStopAfterCrash({
      dies: 'between-sends',
      refusedCancels: 0,
      slots: 13,
      every: 5_000,
    });
    expect(r.afterCrash).toEqual([58_800, 60_760]);
    expect(r.stops).toEqual([60_760]);
    expect(r.cancels).toHaveLength(1);
  });

  it('died before the sends: the old stop stays until the recorded successor, sent again, is placed', async () => {
    // Nothing was sent; the recorded successor, unseen by the executor, is sent again under its own ids
    // at the next slot (sendAgainIfUnseen), never as a second one: one stop at 60,760.
    const r = await trailedStopAfterCrash({
      dies: 'before-sends',
      refusedCancels: 0,
      slots: 12,
      every: 60_000,
    });
    expect(r.afterCrash).toEqual([58_800]);
    expect(r.stops).toEqual([60_760]);
  });
});
