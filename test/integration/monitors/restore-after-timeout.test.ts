// Found by the adversarial review of issue 12's fixes: a restore whose create timed out once (not
// placed) sat at the head of its symbol's protective group while the executor's 30-s resend rule
// waited, and the monitor's re-issued restores, in the same group, could not overtake it — the position
// had no stop for ~36 s although the exchange answered again at once. A protective stop is now resent
// right after a lookup miss (a duplicate reduce-only stop is harmless; the monitor removes the spare).
import { expect, it } from 'vitest';
import { MemoryMetrics } from '../../../shared/adapters/memory/metrics.ts';
import { executeMessage } from '../../../shared/app/execute-intent.ts';
import { type MonitorDeps, positionMonitorOnce } from '../../../shared/app/monitors/position-monitor.ts';
import { loadConfig } from '../../../shared/config/env.ts';
import { ExchangeUnavailable } from '../../../shared/ports/exchange-errors.ts';
import { T0 } from '../../support/candles.ts';
import { fakeClock } from '../../support/lambda-sqs.ts';
import { bench, intent } from '../../support/queue-bench.ts';

it('defect 5 (review): one timed-out restore create does not keep the position bare for more than two loops', async () => {
  const clock = fakeClock(T0);
  let failNext = false;
  const h = bench(clock, (id) => {
    if (failNext && id.startsWith('ac-')) {
      failNext = false;
      throw new ExchangeUnavailable('RequestTimeout (10000 ms)');
    }
  });
  await executeMessage(
    JSON.stringify({
      kind: 'intent',
      intent: intent({ strategy: 'grid', symbol: 'BTCUSDT', side: 'buy' }, 0),
    }),
    h.deps,
  );
  const deps: MonitorDeps = {
    exchange: h.exchange,
    store: h.deps.store,
    queue: h.queue,
    bus: h.deps.bus,
    clock,
    metrics: new MemoryMetrics(),
    config: loadConfig({}),
  };
  const hasStop = async () =>
    (await h.exchange.fetchOpenOrders('BTCUSDT')).some((o) => o.type === 'stop_market' && o.reduceOnly);
  expect(await hasStop()).toBe(false);
  const start = clock.now();
  failNext = true; // the first restore's create times out once; the exchange is fine afterwards
  let protectedAt: number | undefined;
  while (clock.now() - start < 120_000) {
    const loopAt = clock.now();
    await positionMonitorOnce(deps, loopAt);
    while (clock.now() < loopAt + 5_000) await h.source.poll();
    if (await hasStop()) {
      protectedAt = clock.now() - start;
      break;
    }
  }
  for (let i = 0; i < 12; i++) {
    const at = clock.now();
    await positionMonitorOnce(deps, at);
    while (clock.now() < at + 5_000) await h.source.poll();
  }
  const stops = (await h.exchange.fetchOpenOrders('BTCUSDT')).filter((o) => o.type === 'stop_market');
  console.log({ protectedAt, stopsAfterMinute: stops.length, depth: h.queue.depth });
  expect(protectedAt).toBeDefined();
  expect(
    protectedAt!,
    'bare for longer than two monitor loops after the exchange answered',
  ).toBeLessThanOrEqual(10_000);
});
