import { describe, expect, it } from 'vitest';
import { monthlyCost } from '../../infra/cost.ts';

describe('cost model', () => {
  it('bills a 5 s monitor for its whole minute: 43,200 invocations × 59 s × 0.25 GB at the arm64 price', () => {
    const c = monthlyCost({ symbols: 1, strategies: 1, ordersPerDay: 20, commandsPerDay: 20 });
    const row = c.rows.find((r) => r.item.startsWith('Lambda position-monitor'))!;
    expect(row.usd).toBeCloseTo(43_200 * 59 * 0.25 * 0.0000133334 + 43_200 * 0.2e-6, 6);
    // What dominates: the custom metrics (35 at $0.30) and the two sub-minute loops.
    expect(c.rows.slice(0, 3).map((r) => r.item.split(' ').slice(0, 2).join(' '))).toEqual([
      'CloudWatch custom',
      'Lambda position-monitor',
      'Lambda risk-monitor',
    ]);
  });

  it('grows with the assigned symbols through the hourly ticks (one tick per symbol, not strategies × symbols)', () => {
    const small = monthlyCost({ symbols: 1, strategies: 1, ordersPerDay: 20, commandsPerDay: 20 });
    // Four strategies on four symbols: four ticks an hour (was 3 symbols × 4 strategies = 12).
    const large = monthlyCost({ symbols: 4, strategies: 4, ordersPerDay: 80, commandsPerDay: 20 });
    const tick = (c: typeof small) => c.rows.find((r) => r.item.startsWith('Lambda strategy-tick'))!.usd;
    expect(tick(large) / tick(small)).toBeCloseTo(4, 6);
    expect(large.total).toBeGreaterThan(small.total);
  });

  it('a fixed egress IP costs a NAT gateway and a public IPv4 address for every hour of the month', () => {
    const plain = monthlyCost({ symbols: 1, strategies: 1, ordersPerDay: 20, commandsPerDay: 20 });
    const nat = monthlyCost({
      symbols: 1,
      strategies: 1,
      ordersPerDay: 20,
      commandsPerDay: 20,
      executorEgress: 'nat',
    });
    expect(nat.total - plain.total).toBeCloseTo(720 * 0.045 + 0.045 + 720 * 0.005, 6);
    expect(plain.rows.some((r) => r.item.startsWith('NAT'))).toBe(false);
  });
});
