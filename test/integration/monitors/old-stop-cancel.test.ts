// A moved stop's old order whose cancel the exchange refuses (the position monitor's trailing and grown
// stops: new stop first, the old one's cancel once it is placed). The refused cancel kept its id, so the
// old stop stayed beside its successor and trailing waited ten minutes for a cancel that never came. It
// is asked again under a new id, with an alert from the second refusal. The simulator, dynalite, the
// in-process queue and the real executor.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { positionMonitorOnce } from '../../../shared/app/monitors/position-monitor.ts';
import { drain, refusing } from '../../support/bracket-bench.ts';
import { startDynamo } from '../../support/dynalite.ts';
import { longWithTrailingStop, monitorHarness } from '../../support/monitor-harness.ts';

let dynamo: Awaited<ReturnType<typeof startDynamo>>;
beforeAll(async () => {
  dynamo = await startDynamo('autocoin-old-stop-cancel');
});
afterAll(async () => {
  await dynamo.stop();
});

type Harness = Awaited<ReturnType<typeof monitorHarness>>;
const stopPrices = (h: Harness) =>
  h.sim
    .openOrders('BTCUSDT')
    .filter((o) => o.type === 'stop_market')
    .map((o) => o.stopPrice)
    .sort();

describe('a trailed stop whose old order the exchange will not cancel', () => {
  it('is asked again under a new id — at the next slot, then a minute later — with an alert at the second refusal', async () => {
    const h = await monitorHarness(dynamo, {}, [60_000, 62_000, 62_000]);
    await longWithTrailingStop(h);
    h.sim.advance(); // 62,000: the stop belongs 2 % under, at 60,760
    const cancels = refusing(h, { cancels: 2 });
    const t0 = h.deps.clock.now();
    const slot = async (s: number) => {
      h.advanceClock(t0 + s * 5_000 - h.deps.clock.now());
      await positionMonitorOnce(h.deps, t0 + s * 5_000);
      await drain(h);
    };
    const alerts = () => h.bus.events.filter((e) => e.type === 'RiskAlert');

    await slot(0);
    expect(stopPrices(h)).toEqual([58_800, 60_760]); // the successor placed, the old one's cancel refused
    await slot(1); // asked again at once: refused a second time
    expect(cancels).toHaveLength(2);
    // Then one request a minute after the last (5 s): at 65 s, slot 13. Meanwhile the stop is not trailed
    // again (its successor is still waiting for the old one to go) and one alert goes out.
    for (let s = 2; s <= 12; s++) await slot(s);
    expect(cancels).toHaveLength(2);
    expect(stopPrices(h)).toEqual([58_800, 60_760]);
    expect(alerts()).toMatchObject([{ kind: 'orphan_order', level: 'warning', symbol: 'BTCUSDT' }]);
    await slot(13);
    expect(cancels).toHaveLength(3);
    expect(new Set(cancels).size).toBe(1); // always the old stop
    expect(stopPrices(h)).toEqual([60_760]);
  });
});
