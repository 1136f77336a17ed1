// The sliced-entry plan's pure parts: how an iceberg cuts its parent, and the one slot decision the
// live driver and the backtester share (stepSlicePlan).
import { describe, expect, it } from 'vitest';
import {
  icebergQuantities,
  SlicingInvalid,
  stepSlicePlan,
  type TwapPlan,
} from '../../../shared/domain/slicing.ts';

const NO_HALT = { halted: false, reason: '' };
const plan = (over: Partial<TwapPlan> = {}): TwapPlan => ({
  kind: 'iceberg',
  parentId: 'ac-parent',
  symbol: 'BTCUSDT',
  strategy: 'telegram',
  side: 'buy',
  leverage: 5,
  marginMode: 'isolated',
  quantities: [0.01, 0.01, 0.01],
  startAt: 1_000,
  intervalMs: 0,
  sent: 1,
  ...over,
});

describe('icebergQuantities', () => {
  it('a remainder under the minimum joins the last slice; at or over it, its own slice', () => {
    // 0.0305 / 0.01 at step 0.0001: three full slices and 0.0005 — under a 0.001 minimum: 0.0105 last.
    expect(icebergQuantities(0.0305, 0.01, 0.0001, 0.001)).toEqual([0.01, 0.01, 0.0105]);
    expect(icebergQuantities(0.032, 0.01, 0.001, 0.001)).toEqual([0.01, 0.01, 0.01, 0.002]);
  });

  it('refuses what cannot be cut: under the minimum, the whole order, more than 100 slices', () => {
    expect(() => icebergQuantities(0.03, 0.0005, 0.0001, 0.001)).toThrow(SlicingInvalid);
    expect(() => icebergQuantities(0.01, 0.01, 0.001, 0.001)).toThrow(/is the whole order/);
    // 100 full slices and a 0.0005 remainder over the 0.0001 minimum would be 101.
    expect(() => icebergQuantities(0.1005, 0.001, 0.0001, 0.0001)).toThrow(/more than 100 slices/);
  });
});

describe('stepSlicePlan', () => {
  it('an iceberg waits while its last slice is on its way, then sends the next at once', () => {
    expect(stepSlicePlan(plan(), 'queued', NO_HALT, 2_000)).toMatchObject({ send: [], finished: false });
    const next = stepSlicePlan(plan(), 'done', NO_HALT, 1_001);
    expect(next.send).toEqual([1]);
    expect(next.plan.sent).toBe(2);
  });

  it('a TWAP sends only when the slice is due; one a slot however late', () => {
    const twap = plan({ kind: undefined, intervalMs: 60_000 });
    expect(stepSlicePlan(twap, 'done', NO_HALT, 60_999).send).toEqual([]);
    expect(stepSlicePlan(twap, 'done', NO_HALT, 61_000).send).toEqual([1]);
    expect(stepSlicePlan(twap, 'done', NO_HALT, 10 * 60_000).send).toEqual([1]);
  });

  it('a halt or a refused slice stops it; finished once nothing is on its way', () => {
    const halted = stepSlicePlan(plan(), 'done', { halted: true, reason: 'x' }, 2_000);
    expect(halted).toMatchObject({ send: [], finished: true, plan: { stopped: { reason: 'halted: x' } } });
    expect(stepSlicePlan(plan(), 'refused', NO_HALT, 2_000)).toMatchObject({ send: [], finished: true });
    expect(stepSlicePlan(plan({ sent: 3 }), 'queued', NO_HALT, 2_000).finished).toBe(false);
    expect(stepSlicePlan(plan({ sent: 3 }), 'done', NO_HALT, 2_000).finished).toBe(true);
  });
});
