// Second review of the position monitor's record-first successor (stop-successor.ts: maintainStop,
// 59b2b0e) and the brackets' adoption of a crashed slot's resize (bracket-adopt.ts, 2ad344d): the
// simulator, dynalite, the in-process queue and the real executor.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { positionMonitorOnce } from '../../../shared/app/monitors/position-monitor.ts';
import type { QueueMessage } from '../../../shared/ports/order-queue.ts';
import { drain, stopRows } from '../../support/bracket-bench.ts';
import { startDynamo } from '../../support/dynalite.ts';
import { monitorHarness } from '../../support/monitor-harness.ts';

let dynamo: Awaited<ReturnType<typeof startDynamo>>;
beforeAll(async () => {
  dynamo = await startDynamo('autocoin-review2-successor');
});
afterAll(async () => {
  await dynamo.stop();
});

class SendFailed extends Error {}

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
    const send = h.deps.queue.send.bind(h.deps.queue);
    let failing = true;
    h.deps.queue.send = async (m: QueueMessage, opts?: { groupId?: string }) => {
      if (failing) throw new SendFailed('queue unavailable');
      await send(m, opts);
    };
    const t0 = h.deps.clock.now();
    await expect(positionMonitorOnce(h.deps, t0)).rejects.toBeInstanceOf(SendFailed);
    failing = false;
    // 12 slots of 5 s: a minute.
    for (let s = 1; s <= 12; s++) {
      h.advanceClock(t0 + s * 5_000 - h.deps.clock.now());
      await positionMonitorOnce(h.deps, t0 + s * 5_000);
      await drain(h);
    }
    const covered = (await stopRows(h)).reduce((sum, r) => sum + (r[1] as number), 0);
    expect(covered).toBeCloseTo(0.04, 9);
  });
});
