import { describe, expect, it } from 'vitest';
import { halfMarginStop } from '../../../shared/app/telegram/manual-stop.ts';

describe("a manual entry's protective stop: where half the position's margin would be lost", () => {
  it('long 10x at 60,000: margin is 10 % of notional, half of it is a 5 % fall → 57,000', () => {
    expect(halfMarginStop(60_000, 'long', 10, 0.1)).toBe(57_000);
  });
  it('short 5x at 2,000.123: half the margin is a 10 % rise → 2,200.1353, rounded to the 0.01 tick', () => {
    expect(halfMarginStop(2_000.123, 'short', 5, 0.01)).toBe(2_200.14);
  });
});
