// planBracket works on a copy of the track it is given (bracket-plan.ts: copyTrack, Object.assign for
// speed): the copy must be what { ...track } with fresh id arrays was — the same own keys in the same
// order (the position monitor compares tracks by JSON) — and the caller's track untouched.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type BracketTrack, planBracket } from '../../../shared/domain/bracket-plan.ts';

const slot = (track: BracketTrack, position: Parameters<typeof planBracket>[0]['position']) =>
  planBracket({ track, position, open: [], legsSettled: true, stepSize: 0.001, tickSize: 0.1, slotTime: 10 });

const base = {
  parentId: 'ac-entry',
  symbol: 'BTCUSDT',
  strategy: 'telegram',
  side: 'long',
  quantity: 0.01,
  legIds: ['ac-stop'],
  stopIds: ['ac-own'],
  resizes: 0,
  breakEvenAfterFirst: false,
  registeredAt: 0,
} as const;

describe('planBracket’s copy of the track', () => {
  it('has the same keys in the same order, fresh id arrays, and leaves the given track as it was (property)', () => {
    fc.assert(
      fc.property(
        fc.shuffledSubarray(Object.keys(base), { minLength: Object.keys(base).length }),
        fc.option(fc.constant(3), { nil: undefined }),
        (order, openedAt) => {
          const track = Object.fromEntries(
            order.map((k) => [k, base[k as keyof typeof base]]),
          ) as unknown as BracketTrack;
          track.legIds = [...base.legIds];
          track.stopIds = [...base.stopIds];
          if (openedAt !== undefined) track.openedAt = openedAt;
          const before = JSON.stringify(track);
          const pos = { side: 'long' as const, quantity: 0.01, entryPrice: 1, markPrice: 1, openedAt: 3 };
          const t = slot(track, pos).track;
          // Seen alive with nothing shrunk: the same track, openedAt added last when it was new.
          const want = openedAt === undefined ? { ...JSON.parse(before), openedAt: 3 } : JSON.parse(before);
          expect(JSON.stringify(t)).toBe(JSON.stringify(want));
          expect(t.legIds).not.toBe(track.legIds);
          expect(t.stopIds).not.toBe(track.stopIds);
          expect(JSON.stringify(track)).toBe(before);
        },
      ),
    );
  });

  it('a track read with an own __proto__ key keeps it as an own key (as a spread does)', () => {
    const track = JSON.parse(`{"__proto__":{"x":1},${JSON.stringify(base).slice(1)}`) as BracketTrack;
    const t = slot(track, undefined).track;
    expect(Object.hasOwn(t, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(t)).toBe(Object.prototype);
    expect(t.closedAt).toBe(10);
  });
});
