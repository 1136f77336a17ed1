// Review: /futures_close stops a running TWAP — but a slice the position monitor queued just before it
// is already in the queue. The close (a manual reduce-only market order) travels in the symbol's
// protective group, which the executor handles BEFORE ordinary messages (shared/ports/order-queue.ts
// groupFor/byPriority); the slice is an ordinary entry. So the close runs first and the slice after it:
// the position the trader closed is opened again. A slice of a stopped TWAP must be refused.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startBotApi } from '../../../infra/local/bot-api.ts';
import { MemoryEventBus } from '../../../shared/adapters/memory/event-bus.ts';
import { MemoryMetrics } from '../../../shared/adapters/memory/metrics.ts';
import type { MonitorDeps } from '../../../shared/app/monitors/monitor-deps.ts';
import { sendDueSlices, twapPlans } from '../../../shared/app/monitors/slices-monitor.ts';
import { startDynamo } from '../../support/dynalite.ts';
import { setupWebhook } from '../telegram/harness.ts';

let dynamo: Awaited<ReturnType<typeof startDynamo>>;
let api: Awaited<ReturnType<typeof startBotApi>>;
beforeAll(async () => {
  dynamo = await startDynamo('autocoin-review-twap-close');
  api = await startBotApi();
});
afterAll(async () => {
  await api.stop();
  await dynamo.stop();
});
beforeEach(() => api.clear());

describe('review: /futures_close during a TWAP', () => {
  it('review: a slice queued just before the close does not re-open the closed position', async () => {
    const h = await setupWebhook({ dynamo, api });
    expect(await h.say('/futures_open long 600 BTCUSDT twap=5')).toMatch(/Queued TWAP/);
    await h.drain(); // slice 1 of 5 and its stop
    expect((await h.exchange.fetchPositions())[0]?.quantity).toBeGreaterThan(0);

    // The position monitor's next slot, one interval on: slice 2 is queued.
    const [plan] = await twapPlans(h.realStore, 'BTCUSDT');
    h.advanceClock(plan!.intervalMs);
    const monitor = { ...h.exec, bus: new MemoryEventBus(), metrics: new MemoryMetrics() } as MonitorDeps;
    expect((await sendDueSlices(monitor, h.exec.clock.now())).sent).toHaveLength(1);

    // The trader closes before the executor got to it.
    expect(await h.say('/futures_close BTCUSDT')).toMatch(/Queued:[\s\S]*stopped: no more slices/);
    await h.drain();
    await h.drain();
    expect(await h.exchange.fetchPositions()).toEqual([]);
  });
});
