// A bracket with a break-even move under random refusals (stop creates refused with -2021, cancels
// refused with an error of no known kind), position-monitor slots 5 s or 65 s apart, and the monitor's
// open-order listing sometimes a slot old (taken before the last cancels landed). After every slot
// drained by the executor the position is never bare — its close-side stops cover it — and once the
// exchange accepts again the book settles on one stop covering the position (none, nothing left, when
// it is gone). The simulator, dynalite, the in-process queue and the real executor.
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { positionMonitorOnce } from '../../../shared/app/monitors/position-monitor.ts';
import type { Exchange, OrderRequest } from '../../../shared/ports/exchange.ts';
import { drain, enterWithBracket, refusing, TWO_TAKE_PROFITS } from '../../support/bracket-bench.ts';
import { startDynamo } from '../../support/dynalite.ts';
import { monitorHarness } from '../../support/monitor-harness.ts';

let dynamo: Awaited<ReturnType<typeof startDynamo>>;
beforeAll(async () => {
  dynamo = await startDynamo('autocoin-bracket-refusals-property');
});
afterAll(async () => {
  await dynamo.stop();
});

const Slot = fc.record({
  refuseStops: fc.boolean(),
  refuseCancels: fc.integer({ min: 0, max: 2 }),
  staleOrders: fc.boolean(),
  advance: fc.boolean(),
  gapMs: fc.constantFrom(5_000, 65_000),
});

// Up through the first take-profit (61,000), down under the entry, up through the second (64,000).
const PRICES = [60_000, 60_000, 62_000, 62_500, 63_000, 59_000, 62_000, 61_500, 64_500, 62_000];

it('review: a break-even bracket under refused creates and cancels and lagging listings is never bare, and settles', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(Slot, { minLength: 3, maxLength: 12 }), async (slots) => {
      const h = await monitorHarness(dynamo, {}, [...PRICES, ...Array(20).fill(62_000)], {
        cancelReduceOnlyOnClose: false,
      });
      await enterWithBracket(h, { ...TWO_TAKE_PROFITS, breakEvenAfterFirst: true });
      const refuse = {
        cancels: 0,
        stops: false,
        create: (r: OrderRequest) => r.type === 'stop_market' && refuse.stops,
      };
      refusing(h, refuse);
      const real = h.deps.exchange;
      let stale = false;
      let listed = await real.fetchOpenOrders();
      h.deps.exchange = Object.assign(Object.create(real) as Exchange, {
        // A lagging listing: the one the last fresh read returned.
        fetchOpenOrders: async () => {
          if (!stale) listed = await real.fetchOpenOrders();
          return listed;
        },
      });
      let t = h.deps.clock.now();
      const slot = async (gapMs: number) => {
        t += gapMs;
        h.advanceClock(t - h.deps.clock.now());
        await positionMonitorOnce(h.deps, t);
        await drain(h);
      };
      const book = async () => {
        const [position] = await real.fetchPositions();
        const stops = (await real.fetchOpenOrders()).filter((o) => o.type === 'stop_market');
        return { position, stops, orders: await real.fetchOpenOrders() };
      };
      const history: string[] = [];
      for (const s of slots) {
        if (s.advance) h.sim.advance();
        refuse.stops = s.refuseStops;
        refuse.cancels = s.refuseCancels;
        stale = s.staleOrders;
        await slot(s.gapMs);
        const { position, stops } = await book();
        history.push(
          `${JSON.stringify(s)} → ${position?.quantity ?? 0} held, stops ${stops.map((o) => `${o.quantity}@${o.stopPrice}`).join(' ')}`,
        );
        const cover = stops.reduce((a, o) => a + o.quantity, 0);
        if (position && !(cover >= position.quantity - 1e-9)) expect.fail(`bare:\n${history.join('\n')}`);
      }
      refuse.stops = false;
      refuse.cancels = 0;
      stale = false;
      for (let i = 0; i < 12; i++) await slot(65_000);
      const { position, stops, orders } = await book();
      const settled = position
        ? stops.length === 1 && stops[0]!.quantity >= position.quantity
        : orders.length === 0;
      if (!settled)
        expect.fail(
          `not settled: ${position?.quantity ?? 0} held, ${orders.map((o) => `${o.type} ${o.quantity}@${o.stopPrice}`).join(', ')}\n${history.join('\n')}`,
        );
    }),
    { numRuns: 25, seed: 20261203 },
  );
}, 300_000);
