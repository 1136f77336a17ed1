import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { guardianSeconds } from '../../infra/cost/quantities.ts';
import { monthlyCost, type Scenario, scenarios } from '../../infra/cost.ts';
import { loadConfig } from '../../shared/config/env.ts';

const [DEFAULT, ALL_MONTH] = scenarios() as [Scenario, Scenario];
const config = loadConfig({});

describe('cost model', () => {
  it('the default deployment costs at most $5.00 a month at list prices', async () => {
    expect(DEFAULT.name).toMatch(/^default/);
    expect(DEFAULT).toMatchObject({ ticks: 1, ordersPerDay: 20, exposedFraction: 0.25 });
    expect((await monthlyCost(DEFAULT)).monthlyUsd).toBeLessThanOrEqual(5);
    // A position open all month costs more (the guardian loops all month): $9.63 at 160 MB (README).
    expect((await monthlyCost(ALL_MONTH)).monthlyUsd).toBeGreaterThan(
      (await monthlyCost(DEFAULT)).monthlyUsd,
    );
  });

  it('bills the guardian from its own loop: one 1 s check when flat, 12 checks ending at 56 s when exposed', async () => {
    expect(await guardianSeconds(config, { exposed: false })).toEqual({ seconds: 1, checks: 1 });
    // Slots at 0, 5, …, 55 s, each check 1 s: the 12th ends at 56 s; a 13th at 60 s would pass the
    // 59 s bound (a second before the next minute's invocation).
    expect(await guardianSeconds(config, { exposed: true })).toEqual({ seconds: 56, checks: 12 });
    const c = await monthlyCost(DEFAULT);
    const row = c.items.find((i) => i.item.startsWith('Lambda guardian, exposed'))!;
    // A quarter of 43,200 minutes, 56 s each at 160 MB (0.15625 GB), arm64 $0.0000133334 per GB-s, $0.20 per million.
    expect(row.usd).toBeCloseTo(10_800 * 56 * 0.15625 * 0.0000133334 + 10_800 * 0.2e-6, 6);
    const flat = c.items.find((i) => i.item.startsWith('Lambda guardian, flat'))!;
    expect(flat.usd).toBeCloseTo(32_400 * 1 * 0.15625 * 0.0000133334 + 32_400 * 0.2e-6, 6);
  });

  it('bills the catalog metrics by the hours they are sent', async () => {
    const c = await monthlyCost(DEFAULT);
    const row = c.items.find((i) => i.item.startsWith('CloudWatch custom metrics'))!;
    // Heartbeat always (1); equity, daily PnL, margin ratio and liquidation distance a quarter of the
    // month (4 × 0.25); OrdersRejected in 2 hours a day of 24 (2/24): 2.0833 metric-months at $0.30.
    expect(row.usd).toBeCloseTo((1 + 1 + 2 / 24) * 0.3, 6);
    expect(row.usdFreeTier).toBe(0); // 10 metrics free
  });

  it('the free-tier column is never above the list price, and the Lambda lines are free for the default', async () => {
    const c = await monthlyCost(DEFAULT);
    expect(c.monthlyUsdFreeTier).toBeLessThan(c.monthlyUsd);
    for (const i of c.items) expect(i.usdFreeTier).toBeLessThanOrEqual(i.usd + 1e-12);
    for (const i of c.items.filter((x) => x.item.startsWith('Lambda'))) expect(i.usdFreeTier).toBe(0);
  });

  it('grows with the assigned symbols through the hourly ticks (one tick per symbol, not strategies × symbols)', async () => {
    const small = await monthlyCost(DEFAULT);
    const large = await monthlyCost({ ...DEFAULT, ticks: 4 });
    const tick = (c: typeof small) => c.items.find((r) => r.item.startsWith('Lambda strategy-tick'))!.usd;
    expect(tick(large) / tick(small)).toBeCloseTo(4, 6);
  });

  it('a fixed egress IP: a NAT gateway or a NAT instance, and the public IPv4 address, every hour of the month', async () => {
    const plain = (await monthlyCost(DEFAULT)).monthlyUsd;
    const gateway = (await monthlyCost({ ...DEFAULT, egress: 'nat-gateway' })).monthlyUsd;
    const instance = (await monthlyCost({ ...DEFAULT, egress: 'nat-instance' })).monthlyUsd;
    // 720 h at $0.062 plus 1 GB at $0.062, and 720 h of IPv4 at $0.005 (Tokyo list prices).
    expect(gateway - plain).toBeCloseTo(720 * 0.062 + 0.062 + 720 * 0.005, 6);
    // t4g.nano 720 h at $0.0054, 8 GB gp3 at $0.096, the same IPv4 address.
    expect(instance - plain).toBeCloseTo(720 * 0.0054 + 8 * 0.096 + 720 * 0.005, 6);
  });

  it('`npm run cost -- --json` prints { scenarios: [{ name, monthlyUsd, monthlyUsdFreeTier, items }] }, the default first', () => {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const out = execFileSync('npx', ['tsx', 'infra/cost.ts', '--json'], { cwd: root, encoding: 'utf8' });
    const parsed = JSON.parse(out) as { scenarios: Record<string, unknown>[] };
    expect(parsed.scenarios.length).toBeGreaterThanOrEqual(5);
    for (const s of parsed.scenarios)
      expect(Object.keys(s).sort()).toEqual(['items', 'monthlyUsd', 'monthlyUsdFreeTier', 'name']);
    expect(parsed.scenarios[0]!.name).toBe(DEFAULT.name);
    expect(parsed.scenarios.map((s) => s.name)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/NAT gateway/),
        expect.stringMatching(/NAT instance/),
        expect.stringMatching(/no spot leg/),
      ]),
    );
  }, 60_000);
});
