import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { scheduledStrategy } from '../../../shared/backtest/scheduled-strategy.ts';
import type { Strategy, StrategyInput } from '../../../shared/strategies/strategy.ts';

const seen: { time: number; a: number; state: number | undefined }[] = [];
const inner: Strategy<{ a: number }, number> = {
  name: 'probe',
  description: 'records what it is given',
  paramsSchema: z.object({ a: z.number() }),
  timeframes: ['1h'],
  lookback: (p) => p.a * 10,
  evaluate({ view, params, state }) {
    seen.push({ time: view.time, a: params.a, state });
    return { intents: [], cancels: [], state: (state ?? 0) + 1, notes: [] };
  },
  spotHolding: (s) => s * 2,
};

const input = (time: number, state: number | undefined) =>
  ({ view: { time }, account: {}, params: [], state }) as unknown as StrategyInput<never, number>;

describe('scheduledStrategy', () => {
  const s = scheduledStrategy(inner, [
    { from: 100, params: { a: 1 } },
    { from: 200, params: { a: 3 } },
    { from: 300, params: { a: 2 } },
  ]);

  it('trades each window with its own set, switching exactly at the window start', () => {
    seen.length = 0;
    let state: number | undefined;
    for (const t of [100, 199, 200, 299, 300, 400]) state = s.evaluate({ ...input(t, state) }).state;
    expect(seen.map((x) => [x.time, x.a])).toEqual([
      [100, 1],
      [199, 1],
      [200, 3],
      [299, 3],
      [300, 2],
      [400, 2],
    ]);
  });

  it('carries the strategy state across a switch (state counts ticks 0…5 without reset)', () => {
    expect(seen.map((x) => x.state)).toEqual([undefined, 1, 2, 3, 4, 5]);
  });

  it('warms up for the most demanding set, and keeps state-only members', () => {
    expect(
      s.lookback([
        { from: 100, params: { a: 1 } },
        { from: 200, params: { a: 3 } },
      ]),
    ).toBe(30);
    expect(s.spotHolding?.(4)).toBe(8);
    expect(s.name).toBe('probe');
  });
});
