import { describe, expect, it } from 'vitest';
import { runInnerLoop } from '../../../shared/app/loop.ts';

/** A fake clock whose sleep advances time; bodies can take time too. */
function fake(start: number) {
  let t = start;
  return {
    clock: { now: () => t },
    sleep: async (ms: number) => {
      t += ms;
    },
    spend: (ms: number) => {
      t += ms;
    },
  };
}

describe('runInnerLoop (5 s inside a one-minute invocation)', () => {
  it('runs 12 iterations on the 5 s grid and ends before the next minute', async () => {
    const f = fake(60_000);
    const r = await runInnerLoop({ scheduledAt: 60_000, periodMs: 60_000, intervalMs: 5_000 }, f, async () =>
      f.spend(200),
    );
    expect(r.iterations).toBe(12);
    expect(r.starts).toEqual(Array.from({ length: 12 }, (_, i) => 60_000 + i * 5_000));
    expect(f.clock.now()).toBeLessThan(120_000);
  });

  it('never overlaps the next invocation, even when iterations run long', async () => {
    const f = fake(0);
    const r = await runInnerLoop({ scheduledAt: 0, periodMs: 60_000, intervalMs: 5_000 }, f, async () =>
      f.spend(7_000),
    );
    expect(f.clock.now()).toBeLessThanOrEqual(60_000);
    expect(r.starts.at(-1)!).toBeLessThan(59_000);
    for (let i = 1; i < r.starts.length; i++)
      expect(r.starts[i]! - r.starts[i - 1]!).toBeGreaterThanOrEqual(5_000);
  });

  it('a late start catches up by running now, not by running every missed slot', async () => {
    const f = fake(60_000 + 23_500); // the invocation started 23.5 s late
    const r = await runInnerLoop(
      { scheduledAt: 60_000, periodMs: 60_000, intervalMs: 5_000 },
      f,
      async () => {},
    );
    expect(r.skippedSlots).toBe(4);
    expect(r.starts[0]).toBe(83_500);
    expect(r.iterations).toBe(8); // 83.5 s, then 85, 90 … 115 s
  });

  it('a 30 s loop runs twice a minute', async () => {
    const f = fake(0);
    expect(
      (await runInnerLoop({ scheduledAt: 0, periodMs: 60_000, intervalMs: 30_000 }, f, async () => {}))
        .iterations,
    ).toBe(2);
  });
});
