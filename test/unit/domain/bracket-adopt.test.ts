// adoptPlacedResize (bracket-adopt.ts): a successor stop placed by a slot whose bracket write was lost is
// taken into the record, and only the bracket's own stops it supersedes are cancelled.
import { describe, expect, it } from 'vitest';
import { bracketLegId } from '../../../shared/domain/bracket.ts';
import { adoptPlacedResize } from '../../../shared/domain/bracket-adopt.ts';
import type { BracketTrack, PlanOrder } from '../../../shared/domain/bracket-plan.ts';

const stop0 = bracketLegId('ac-entry', 'stop:0');
const stop1 = bracketLegId('ac-entry', 'stop:1');
const track: BracketTrack = {
  parentId: 'ac-entry',
  symbol: 'BTCUSDT',
  strategy: 'telegram',
  side: 'long',
  quantity: 0.01,
  openedAt: 1,
  legIds: [stop0, 'ac-tp0', 'ac-tp1'],
  stopIds: [],
  resizes: 0,
  breakEvenAfterFirst: true,
  registeredAt: 0,
};
const stop = (clientOrderId: string, quantity: number, stopPrice: number): PlanOrder => ({
  clientOrderId,
  type: 'stop_market',
  side: 'sell',
  reduceOnly: true,
  quantity,
  stopPrice,
});
// Half the entry left after the first take-profit; the entry at 60,000.
const position = { side: 'long' as const, quantity: 0.005, entryPrice: 60_000 };
const adopt = (open: PlanOrder[], p: typeof position | null = position, t = track) =>
  adoptPlacedResize({ track: t, position: p ?? undefined, open, stepSize: 0.001, tickSize: 0.1 });

describe('adoptPlacedResize', () => {
  it('no successor on the book: the same track, nothing to cancel', () => {
    const out = adopt([stop(stop0, 0.01, 58_000)]);
    expect(out.track).toBe(track);
    expect(out.superseded).toEqual([]);
  });

  it('the break-even successor placed: counted as resize 1, the old stop under it superseded, break-even seen', () => {
    const out = adopt([stop(stop0, 0.01, 58_000), stop(stop1, 0.005, 60_000)]);
    expect(out.successor).toBe(stop1);
    expect(out.superseded).toEqual([stop0]);
    expect(out.track).toMatchObject({ resizes: 1, breakEvenDone: true, breakEvenPlaced: true });
    expect(out.track.legIds).toEqual([...track.legIds, stop1]);
    expect(track.legIds).toHaveLength(3); // the given track untouched
  });

  it('never an order not of the bracket, nor a stop above the successor', () => {
    // 'ac-trader' is not in the track's ids (the monitor lists only orders of ours; the plan alone
    // would not know it either); 'ac-trail' is known but protects more (59,000 over 58,500).
    const t = { ...track, breakEvenAfterFirst: false, stopIds: ['ac-trail'] };
    const out = adopt(
      [stop('ac-trader', 0.01, 57_000), stop('ac-trail', 0.01, 59_000), stop(stop1, 0.005, 58_500)],
      position,
      t,
    );
    expect(out.superseded).toEqual([]);
    expect(out.track.breakEvenPlaced).toBeUndefined();
  });

  it('a successor smaller than the position now supersedes nothing (the old stop keeps covering)', () => {
    // The position grew to 0.008 since: the 0.005 successor leaves 0.003 to the old stop.
    const out = adopt([stop(stop0, 0.01, 58_000), stop(stop1, 0.005, 60_000)], {
      ...position,
      quantity: 0.008,
    });
    expect(out.track.resizes).toBe(1);
    expect(out.superseded).toEqual([]);
  });

  it('the position gone: taken into the legs (the plan cancels them all), nothing superseded', () => {
    const out = adopt([stop(stop0, 0.01, 58_000), stop(stop1, 0.005, 60_000)], null);
    expect(out.track.legIds).toContain(stop1);
    expect(out.superseded).toEqual([]);
  });

  it('a successor already in the record is not taken twice', () => {
    const t = { ...track, legIds: [...track.legIds, stop1] };
    expect(adopt([stop(stop1, 0.005, 60_000)], position, t).track).toBe(t);
  });
});
