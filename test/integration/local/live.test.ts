// The live local runtime's scheduler (what `npm start -- --exchange binance-testnet` runs) on a fake
// wall clock, with the simulated exchange standing in for Binance (the Binance adapter has its own
// contract tests): the entries of the schedule table fire at their minute, a monitor's one-minute
// invocation runs its inner loop, the same function never runs twice at once, and the executor drains.
import { afterEach, describe, expect, it } from 'vitest';
import { startLiveRuntime } from '../../../infra/local/live.ts';
import { SimulatedExchange } from '../../../shared/adapters/sim/sim-exchange.ts';
import { Simulator } from '../../../shared/adapters/sim/simulator.ts';
import { loadConfig } from '../../../shared/config/env.ts';
import { monthDataset } from '../../support/month-data.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
let live: Awaited<ReturnType<typeof startLiveRuntime>> | undefined;
afterEach(async () => {
  await live?.stop();
  live = undefined;
});

async function setup() {
  const ds = monthDataset();
  const sim = new Simulator({
    data: { BTCUSDT: { candles: ds.candles, funding: ds.funding } },
    startIndex: 400,
  });
  let now = sim.now(); // an hour boundary
  live = await startLiveRuntime({
    config: loadConfig({ DEFAULT_FUTURES_STRATEGY: 'grid', SYMBOLS: 'BTCUSDT' }),
    exchange: new SimulatedExchange(sim),
    clock: { now: () => now },
    sleep: async (ms) => {
      now += ms;
    },
    telegram: { infoFile: false },
    onError: (fn, err) => {
      throw new Error(`${fn}: ${String(err)}`);
    },
  });
  return { sim, live, hour: sim.now() };
}

const count = (l: NonNullable<typeof live>, fn: string) =>
  l.metrics.points.filter((p) => p.name === 'Heartbeat' && p.dimensions.function === fn).length;

describe('live runtime scheduler', () => {
  it('at the hour: every table entry fires; monitors run their inner loop; orders reach the exchange', async () => {
    const { live: l, hour } = await setup();
    l.fireMinute(hour);
    l.fireMinute(hour); // a duplicate invocation while the first runs: not started twice
    await l.idle();
    expect(l.bus.events.filter((e) => e.type === 'StrategyTicked')).toHaveLength(1);
    // Inner loops share the one fake clock, so a loop may skip slots another's sleep moved past (the
    // loop's own timing is tested with its own clock in test/unit/app/loop.test.ts); at most one
    // invocation's worth each, though the minute was fired twice.
    // One heartbeat per guardian invocation: the scheduled one, plus the executor's wake-ups after the
    // grid's entries (each launched only when no guardian is running).
    expect(count(l, 'guardian')).toBeGreaterThanOrEqual(1);
    expect(count(l, 'funding-monitor')).toBe(1);
    expect(count(l, 'performance-monitor')).toBe(1);
    expect(l.bus.events.some((e) => e.type === 'OrderPlaced')).toBe(true); // the grid's orders, executed
    expect(await l.deps.store.getView('account')).toBeDefined(); // the read model for the webhook
  });

  it('a minute that is not the hour: only the one-minute monitors fire', async () => {
    const { live: l, hour } = await setup();
    l.fireMinute(hour + 7 * 60_000);
    await l.idle();
    expect(l.bus.events.filter((e) => e.type === 'StrategyTicked')).toHaveLength(0);
    expect(count(l, 'guardian')).toBeGreaterThanOrEqual(1);
    expect(count(l, 'funding-monitor')).toBe(0);
    expect(count(l, 'performance-monitor')).toBe(0); // every 5 minutes: not at minute 7
  });
});
