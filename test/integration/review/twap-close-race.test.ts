// Review: /futures_close stops a running TWAP (stopTwaps, the one implementation the command calls) so
// the next slice cannot re-open what the trader closed. The position monitor's slot reads the plans,
// sends the due slices, then writes its copy of each plan back. A close that lands while the slot is
// under way (between its read and its write) must stay in force: the slot's write must not put back
// the plan as it read it — without the stop — or every later slice is sent as if nothing happened.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drainOnce } from '../../../shared/app/drain-queue.ts';
import {
  sendDueSlices,
  startTwap,
  stopTwaps,
  twapPlans,
} from '../../../shared/app/monitors/slices-monitor.ts';
import { makeIntentId } from '../../../shared/domain/order.ts';
import { sliceId, sliceQuantities, type TwapPlan } from '../../../shared/domain/slicing.ts';
import type { QueueMessage } from '../../../shared/ports/order-queue.ts';
import { startDynamo } from '../../support/dynalite.ts';
import { monitorHarness } from '../../support/monitor-harness.ts';

let dynamo: Awaited<ReturnType<typeof startDynamo>>;
beforeAll(async () => {
  dynamo = await startDynamo('autocoin-review-twap');
});
afterAll(async () => {
  await dynamo.stop();
});

const MINUTE = 60_000;

describe('review: TWAP and /futures_close', () => {
  it('review: a close that lands during a slot keeps the TWAP stopped (the slot does not write it back running)', async () => {
    const h = await monitorHarness(
      dynamo,
      {},
      Array.from({ length: 6 }, () => 60_000),
    );
    const start = h.deps.clock.now();
    const p: TwapPlan = {
      parentId: makeIntentId({ source: 'telegram', symbol: 'BTCUSDT', tickTime: start, sequence: 0 }),
      symbol: 'BTCUSDT',
      strategy: 'telegram',
      side: 'buy',
      leverage: 5,
      marginMode: 'isolated',
      quantities: sliceQuantities(0.03, 3, 0.001), // 0.01 × 3, one a minute
      startAt: start,
      intervalMs: MINUTE,
      sent: 0,
    };
    await startTwap(h.deps.store, p, start);
    expect((await sendDueSlices(h.deps, start)).sent).toEqual([sliceId(p.parentId, 0)]);
    await drainOnce(h.deps.queue, h.exec);

    // Slot 1: while the monitor is sending slice 1, the trader's /futures_close stops the TWAP.
    const queue = h.deps.queue;
    const send = queue.send.bind(queue);
    let closedDuringSlot: string[] = [];
    queue.send = async (m: QueueMessage) => {
      if (m.kind === 'intent' && m.intent.id === sliceId(p.parentId, 1))
        closedDuringSlot = (
          await stopTwaps(h.deps.store, ['BTCUSDT'], h.deps.clock.now(), 'stopped by /futures_close')
        ).map((plan) => plan.parentId);
      return send(m);
    };
    h.advanceClock(MINUTE);
    await sendDueSlices(h.deps, start + MINUTE);
    queue.send = send;
    expect(closedDuringSlot).toEqual([p.parentId]);

    // The close is what the book says after the slot, and slice 2 (due at minute 2) is never sent.
    const [stored] = await twapPlans(h.deps.store, 'BTCUSDT');
    expect(stored?.stopped?.reason).toBe('stopped by /futures_close');
    h.advanceClock(MINUTE);
    expect((await sendDueSlices(h.deps, start + 2 * MINUTE)).sent).toEqual([]);
  });
});
