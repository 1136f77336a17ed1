// Review: a monitor slot fetches the account (positions, open orders) first and reads the bracket book
// after. An entry that fills in between — the executor registers its bracket right after the fill — is
// in the book but not in the slot's positions: the slot took that for "the position is gone", marked
// the bracket closed for good, and every later slot cancelled its legs as they came: the live position
// lost its stop and take-profit. A bracket never yet seen with its position, registered after the
// slot's view was taken, is not closed by that view.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bracketTracks } from '../../../shared/app/bracket-book.ts';
import { drainOnce } from '../../../shared/app/drain-queue.ts';
import { executeMessage } from '../../../shared/app/execute-intent.ts';
import { reconcileBrackets } from '../../../shared/app/monitors/brackets-monitor.ts';
import { bracketLegId, bracketLegs } from '../../../shared/domain/bracket.ts';
import { startDynamo } from '../../support/dynalite.ts';
import { monitorHarness } from '../../support/monitor-harness.ts';
import { bracketedEntry } from './bracket-entry.ts';

let dynamo: Awaited<ReturnType<typeof startDynamo>>;
beforeAll(async () => {
  dynamo = await startDynamo('autocoin-review-view-before-fill');
});
afterAll(async () => {
  await dynamo.stop();
});

describe('review: a bracket registered while a slot runs', () => {
  it('review: a slot whose view predates the fill does not close the bracket (its stop stays)', async () => {
    const h = await monitorHarness(dynamo, {}, [60_000, 60_000, 60_000], { cancelReduceOnlyOnClose: false });
    const ex = h.deps.exchange;
    // The slot at T: its view of the account is taken — flat.
    const slot = h.deps.clock.now();
    const view = await Promise.all([ex.fetchPositions(), ex.fetchOpenOrders(), ex.loadMarkets()]);
    expect(view[0]).toEqual([]);

    // 200 ms later the executor fills a bracketed entry (registering its bracket); its legs are queued
    // behind it.
    h.advanceClock(200);
    const parent = bracketedEntry(h, 0.01, {
      stopPrice: 58_000,
      takeProfits: [{ price: 63_000, fraction: 1 }],
    });
    const run = (intent: unknown) => executeMessage(JSON.stringify({ kind: 'intent', intent }), h.exec);
    expect((await run(parent)).kind).toBe('placed');

    // The slot goes on with its (older) view; then the legs are placed; then the next slot, fresh view.
    await reconcileBrackets(h.deps, view[0], view[1], view[2], slot);
    for (const leg of bracketLegs(parent, 0.001)) expect((await run(leg)).kind).toBe('placed');
    h.advanceClock(5_000);
    const [positions, orders, markets] = await Promise.all([
      ex.fetchPositions(),
      ex.fetchOpenOrders(),
      ex.loadMarkets(),
    ]);
    await reconcileBrackets(h.deps, positions, orders, markets, slot + 5_000);
    for (let i = 0; i < 20; i++) if ((await drainOnce(h.deps.queue, h.exec)).outcomes.length === 0) break;

    const open = (await ex.fetchOpenOrders()).map((o) => o.clientOrderId).sort();
    expect(open).toEqual([bracketLegId(parent.id, 'stop:0'), bracketLegId(parent.id, 'tp:0')].sort());
    const tracks = await bracketTracks(h.deps.store, 'BTCUSDT');
    expect(tracks.map((t) => [t.parentId, t.closedAt])).toEqual([[parent.id, undefined]]);
  });
});
