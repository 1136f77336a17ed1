// Brackets when the exchange says no: a leg's cancel refused, a break-even stop refused. On the
// simulator through the real executor, queue and dynalite, with the executor's exchange refusing the
// calls chosen. An order of ours the exchange would not cancel stays live — a take-profit of a position
// that is gone can later open one — so the cancel is asked again under a new id (a refused id is never
// executed twice), at a bounded pace and with an alert; an order already gone counts as cancelled; the
// trader's own orders are never touched. A break-even move is done only once its stop is placed: a
// refused one leaves the old stop protecting the position and is tried again, a bounded number of times.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bracketTracks, changeBrackets } from '../../../shared/app/bracket-book.ts';
import { reconcileBrackets } from '../../../shared/app/monitors/brackets-monitor.ts';
import { positionMonitorOnce } from '../../../shared/app/monitors/position-monitor.ts';
import { type BracketInput, bracketLegId } from '../../../shared/domain/bracket.ts';
import type { DomainEvent } from '../../../shared/domain/events.ts';
import {
  bracketStatus,
  drain,
  enterWithBracket,
  refusing,
  stopRows,
  TWO_TAKE_PROFITS,
  tradersStop,
} from '../../support/bracket-bench.ts';
import { startDynamo } from '../../support/dynalite.ts';
import { monitorHarness } from '../../support/monitor-harness.ts';

let dynamo: Awaited<ReturnType<typeof startDynamo>>;
beforeAll(async () => {
  dynamo = await startDynamo('autocoin-bracket-refusals');
});
afterAll(async () => {
  await dynamo.stop();
});

type Harness = Awaited<ReturnType<typeof monitorHarness>>;
// Binance keeps a conditional reduce-only order when the position closes: so does this simulator here.
const KEEP = { cancelReduceOnlyOnClose: false };

const openIds = async (h: Harness) => (await h.deps.exchange.fetchOpenOrders()).map((o) => o.clientOrderId);
const alerts = (h: Harness, kind: string) =>
  h.bus.events.filter(
    (e): e is Extract<DomainEvent, { type: 'RiskAlert' }> => e.type === 'RiskAlert' && e.kind === kind,
  );

/**
 * A long 0.01 BTC at 60,000, stopped out at 57,000: its 63,000 take-profit is left on the book.
 * `meanwhile` runs while the position is open (the trader's own orders).
 */
async function stoppedOut(h: Harness, meanwhile: () => Promise<unknown> = async () => {}) {
  const parent = await enterWithBracket(h, {
    stopPrice: 58_000,
    takeProfits: [{ price: 63_000, fraction: 1 }],
  });
  await meanwhile();
  for (let i = 0; i < 3; i++) h.sim.advance();
  expect(await h.deps.exchange.fetchPositions()).toEqual([]);
  const tp = bracketLegId(parent.id, 'tp:0');
  expect(await openIds(h)).toContain(tp);
  return { parent, tp };
}

describe('a bracket leg whose cancel the exchange refuses', () => {
  it('is asked again under a new id at the next slot, and the orphan goes', async () => {
    const h = await monitorHarness(dynamo, {}, [60_000, 60_000, 57_000, 57_000], KEEP);
    const { tp } = await stoppedOut(h);
    const cancels = refusing(h, { cancels: 1 });
    const t0 = h.deps.clock.now();

    await positionMonitorOnce(h.deps, t0);
    await drain(h);
    expect(await openIds(h)).toEqual([tp]); // refused: still live
    expect(h.bus.events.filter((e) => e.type === 'CancelFailed')).toHaveLength(1);

    h.advanceClock(5_000);
    await positionMonitorOnce(h.deps, t0 + 5_000);
    await drain(h);
    expect(await openIds(h)).toEqual([]);
    expect(cancels).toEqual([tp, tp]); // one refused request, one that went through

    h.advanceClock(5_000);
    const r = await positionMonitorOnce(h.deps, t0 + 10_000);
    expect(await bracketTracks(h.deps.store, 'BTCUSDT')).toEqual([]);
    expect(r.exposure).toMatchObject({ positions: 0, openOrders: 0 }); // the guardian can go back to flat
  });

  it('refused again and again: asked again at the next slot, then once a minute, with a critical alert; the trader’s own order is never touched', async () => {
    const h = await monitorHarness(dynamo, {}, [60_000, 60_000, 57_000, 57_000], KEEP);
    // The trader's own stop on the same symbol, placed by hand (no intent of ours behind it): a
    // close-side reduce-only stop under the bracket's, left on the book when the bracket's stop fills.
    const { tp } = await stoppedOut(h, () => tradersStop(h, 0.01, 55_000));
    const refuse = { cancels: Number.POSITIVE_INFINITY };
    const cancels = refusing(h, refuse);
    const t0 = h.deps.clock.now();
    const slot = async (s: number) => {
      h.advanceClock(t0 + s * 5_000 - h.deps.clock.now());
      const r = await positionMonitorOnce(h.deps, t0 + s * 5_000);
      await drain(h);
      return r;
    };
    // Slots every 5 s for three minutes (0 … 175 s). Attempt 1 goes at the slot after attempt 0 was
    // refused (5 s); after that, one a minute from the last: 65 s, 125 s (185 s is past the window).
    for (let s = 0; s < 36; s++) await slot(s);
    expect(cancels).toEqual([tp, tp, tp, tp]);
    expect(await openIds(h)).toEqual(expect.arrayContaining([tp, 'my-own-stop']));
    // Two refusals in a row: one critical alert for the live orphan (the window holds the repeats).
    const orphan = alerts(h, 'orphan_order');
    expect(orphan).toHaveLength(1);
    expect(orphan[0]).toMatchObject({ level: 'critical', symbol: 'BTCUSDT' });
    expect(orphan[0]!.message).toContain(tp);

    // The exchange accepts again: the next attempt (185 s, slot 37) removes it; the slot after forgets
    // the bracket.
    refuse.cancels = 0;
    for (let s = 36; s <= 38; s++) await slot(s);
    expect(cancels).toEqual([tp, tp, tp, tp, tp]);
    expect(await openIds(h)).toEqual(['my-own-stop']);
    expect(await bracketTracks(h.deps.store, 'BTCUSDT')).toEqual([]);
  });

  it('a slot run again after a crash before its state write sends the same retry (one request reaches the exchange)', async () => {
    const h = await monitorHarness(dynamo, {}, [60_000, 60_000, 57_000, 57_000], KEEP);
    const { tp } = await stoppedOut(h);
    const cancels = refusing(h, { cancels: 1 });
    const t0 = h.deps.clock.now();
    await positionMonitorOnce(h.deps, t0);
    await drain(h); // attempt 0 refused

    const before = await bracketTracks(h.deps.store, 'BTCUSDT');
    const view = async () =>
      [
        await h.deps.exchange.fetchPositions(),
        await h.deps.exchange.fetchOpenOrders(),
        await h.deps.exchange.loadMarkets(),
      ] as const;
    const [positions, orders, markets] = await view();
    const first = await reconcileBrackets(h.deps, positions, orders, markets, t0 + 5_000);
    // The crash: the book write is lost; the next slot runs from the old state.
    await changeBrackets(h.deps.store, 'BTCUSDT', t0 + 5_000, () =>
      Object.fromEntries(before.map((b) => [b.parentId, b])),
    );
    const again = await reconcileBrackets(h.deps, positions, orders, markets, t0 + 10_000);
    expect(first.cancelled).toEqual([tp]);
    expect(again.cancelled).toEqual([tp]);
    await drain(h);
    expect(cancels).toEqual([tp, tp]);
    expect(await openIds(h)).toEqual([]);
  });

  it('a cancel that finds its order already gone (-2011) is done: a stale view listing it sends nothing more', async () => {
    const h = await monitorHarness(dynamo, {}, [60_000, 60_000, 57_000, 57_000], KEEP);
    const { tp } = await stoppedOut(h);
    const cancels = refusing(h, { cancels: 0 });
    const t0 = h.deps.clock.now();
    const stale = await h.deps.exchange.fetchOpenOrders();
    const positions = await h.deps.exchange.fetchPositions();
    const markets = await h.deps.exchange.loadMarkets();
    await reconcileBrackets(h.deps, positions, stale, markets, t0);
    // Gone before the executor gets to it (cancelled elsewhere): Binance answers -2011.
    await h.deps.exchange.cancelOrder('BTCUSDT', tp);
    await drain(h);
    expect(cancels).toEqual([tp]);
    expect(h.bus.events.filter((e) => e.type === 'CancelFailed')).toEqual([]);

    // The next slots still see the old listing (a lagging view): the cancel is done, nothing is sent.
    const again = await reconcileBrackets(h.deps, positions, stale, markets, t0 + 5_000);
    expect(again.cancelled).toEqual([]);
    await drain(h);
    expect(cancels).toEqual([tp]);
    await reconcileBrackets(h.deps, positions, await h.deps.exchange.fetchOpenOrders(), markets, t0 + 10_000);
    expect(await bracketTracks(h.deps.store, 'BTCUSDT')).toEqual([]);
  });
});

describe('a resized stop whose old order the exchange will not cancel', () => {
  it('is asked again once its successor is placed (the new stop never goes)', async () => {
    // Two take-profits, no break-even: the first fills at 62,000 and the stop is resized to 0.005.
    const h = await monitorHarness(dynamo, {}, [60_000, 60_000, 62_000, 62_000]);
    const parent = await enterWithBracket(h, TWO_TAKE_PROFITS);
    for (let i = 0; i < 3; i++) h.sim.advance();
    const cancels = refusing(h, { cancels: 1 });
    const stop0 = bracketLegId(parent.id, 'stop:0');
    const stop1 = bracketLegId(parent.id, 'stop:1');
    const stops = async () =>
      (await h.deps.exchange.fetchOpenOrders())
        .filter((o) => o.type === 'stop_market')
        .map((o) => o.clientOrderId);
    const t0 = h.deps.clock.now();
    await positionMonitorOnce(h.deps, t0);
    await drain(h);
    expect((await stops()).sort()).toEqual([stop0, stop1].sort()); // placed; the old one's cancel refused

    h.advanceClock(5_000);
    await positionMonitorOnce(h.deps, t0 + 5_000);
    await drain(h);
    expect(await stops()).toEqual([stop1]);
    expect(cancels).toEqual([stop0, stop0]);
  });
});

describe('a break-even stop that is refused', () => {
  // 50 % at 61,000, the rest at 64,000, stop to break-even after the first; the third candle (62,000)
  // fills only the first: 0.005 left, the entry (a market buy at 60,000) is where the stop should go.
  const bracket: BracketInput = { ...TWO_TAKE_PROFITS, breakEvenAfterFirst: true };
  const status = bracketStatus;
  const stops = stopRows;

  it('leaves the old stop protecting the position, is not done, and is placed at the next slot', async () => {
    const h = await monitorHarness(dynamo, {}, [60_000, 60_000, 62_000, 62_000]);
    const parent = await enterWithBracket(h, bracket);
    for (let i = 0; i < 3; i++) h.sim.advance();
    const first = bracketLegId(parent.id, 'stop:1');
    refusing(h, { cancels: 0, create: (r) => r.clientOrderId === first });
    const t0 = h.deps.clock.now();

    await positionMonitorOnce(h.deps, t0);
    await drain(h);
    // Refused: the old stop, untouched, still covers the position — and the bracket is not at break-even.
    expect(await stops(h)).toEqual([[bracketLegId(parent.id, 'stop:0'), 0.01, 58_000]]);
    expect(await status(h)).not.toContain('(break-even)');

    h.advanceClock(5_000);
    await positionMonitorOnce(h.deps, t0 + 5_000);
    expect(alerts(h, 'break_even_refused')).toMatchObject([{ level: 'warning', symbol: 'BTCUSDT' }]);
    await drain(h);
    // Asked again under a new id: placed, and only then the old stop cancelled.
    expect(await stops(h)).toEqual([[bracketLegId(parent.id, 'stop:2'), 0.005, 60_000]]);
    expect(await status(h)).not.toContain('(break-even)'); // not done until seen placed

    h.advanceClock(5_000);
    await positionMonitorOnce(h.deps, t0 + 10_000);
    expect(await status(h)).toContain('(break-even)');
    const [track] = await bracketTracks(h.deps.store, 'BTCUSDT');
    expect(track?.breakEvenDone).toBe(true);
  });

  it('refused every time: three tries, then left at the old stop with a critical alert', async () => {
    const h = await monitorHarness(dynamo, {}, [60_000, 60_000, 62_000, 62_000]);
    const parent = await enterWithBracket(h, bracket);
    for (let i = 0; i < 3; i++) h.sim.advance();
    const tried: string[] = [];
    refusing(h, {
      cancels: 0,
      create: (r) => {
        const refuse = r.type === 'stop_market' && r.stopPrice === 60_000;
        if (refuse) tried.push(r.clientOrderId);
        return refuse;
      },
    });
    const t0 = h.deps.clock.now();
    for (let s = 0; s < 8; s++) {
      h.advanceClock(t0 + s * 5_000 - h.deps.clock.now());
      await positionMonitorOnce(h.deps, t0 + s * 5_000);
      await drain(h);
    }
    expect(tried).toEqual([1, 2, 3].map((n) => bracketLegId(parent.id, `stop:${n}`)));
    expect(await stops(h)).toEqual([[bracketLegId(parent.id, 'stop:0'), 0.01, 58_000]]);
    // First refusal: a warning; the third and last: critical (a higher level goes out within the window).
    expect(alerts(h, 'break_even_refused').map((a) => a.level)).toEqual(['warning', 'critical']);
    expect(await status(h)).not.toContain('(break-even)');
  });
});
