// /futures_open … iceberg=<visible usdt> through the real webhook handler on dynalite: the first visible
// slice and its protective stop are queued, /futures_status shows the progress, /futures_close stops the
// rest; the parent's full size is what the risk check counts; bad options are refused, nothing queued.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startBotApi } from '../../../infra/local/bot-api.ts';
import { twapPlans } from '../../../shared/app/monitors/slices-monitor.ts';
import { floorToStep } from '../../../shared/domain/precision.ts';
import { startDynamo } from '../../support/dynalite.ts';
import { setupWebhook } from './harness.ts';

let dynamo: Awaited<ReturnType<typeof startDynamo>>;
let api: Awaited<ReturnType<typeof startBotApi>>;
beforeAll(async () => {
  dynamo = await startDynamo('autocoin-telegram-iceberg');
  api = await startBotApi();
});
afterAll(async () => {
  await api.stop();
  await dynamo.stop();
});
beforeEach(() => api.clear());

describe('/futures_open with iceberg=', () => {
  it.each([
    ['iceberg=0', /iceberg must be above 0 USDT/],
    ['iceberg=abc', /iceberg must be the visible slice in USDT/],
    ['iceberg=100 twap=5', /twap= and iceberg= together: choose one\. Nothing was sent/],
    ['iceberg=100 sl=1%', /iceberg= with sl=\/tp= is not supported yet.*Nothing was sent/],
    ['iceberg=600', /Too small to slice.*is the whole order.*Nothing was sent/],
    ['iceberg=0.5', /Too small to slice.*visible slice must be at least.*Nothing was sent/],
  ])('refuses %s with a clear error and queues nothing', async (option, error) => {
    const h = await setupWebhook({ dynamo, api });
    const reply = await h.say(`/futures_open long 600 BTCUSDT ${option}`);
    expect(reply).toMatch(error);
    expect(reply).not.toMatch(/Queued/);
    expect(h.memoryQueue.depth).toBe(0);
    expect(await twapPlans(h.deps.store, 'BTCUSDT')).toEqual([]);
  });

  it('queues the first visible slice and its stop; /futures_status shows the progress; /futures_close stops the rest', async () => {
    const h = await setupWebhook({ dynamo, api });
    const mark = await h.exchange.fetchMarkPrice('BTCUSDT');
    const reply = await h.say('/futures_open long 600 BTCUSDT iceberg=200');
    // 600 USDT in visible slices of 200 USDT: three slices of floor(200 / mark) to the 0.001 step.
    const visible = floorToStep(200 / mark, 0.001);
    expect(reply).toMatch(
      new RegExp(
        `Queued Iceberg <code>ac-[0-9a-f]{32}</code>: long [\\d.]+ BTCUSDT .* in \\d+ slices of ${visible} visible`,
      ),
    );
    expect(h.memoryQueue.depth).toBe(2); // slice 1 and its protective stop
    const [plan] = await twapPlans(h.deps.store, 'BTCUSDT');
    expect(plan?.kind).toBe('iceberg');
    expect(plan?.quantities[0]).toBe(visible);
    expect(plan?.sent).toBe(1);
    expect(await h.say('/futures_status')).toMatch(
      /Iceberg<\/b> BTCUSDT buy \(telegram, <code>ac-[0-9a-f]{32}<\/code>\): 1\/\d+ slices sent .* next when slice 1 has filled/,
    );
    expect(await h.say('/futures_close BTCUSDT')).toMatch(
      /Iceberg <code>ac-[0-9a-f]{32}<\/code> stopped: no more slices/,
    );
    expect(await h.say('/futures_status')).toMatch(
      /Iceberg<\/b> BTCUSDT buy .*stopped — stopped by \/futures_close/,
    );
  });

  it("the parent's full size is refused above the 30 % limit although each visible slice would fit", async () => {
    const h = await setupWebhook({ dynamo, api });
    // Equity 10,000 USDT: 30 % is 3,000 USDT. 5,000 USDT in visible slices of 500 USDT: each would fit.
    const reply = await h.say('/futures_open long 5000 BTCUSDT iceberg=500');
    expect(reply).toMatch(
      /Rejected — nothing was sent:[\s\S]*position notional [\d.]+ USDT exceeds 30 % of equity/,
    );
    expect(h.memoryQueue.depth).toBe(0);
    expect(await twapPlans(h.deps.store, 'BTCUSDT')).toEqual([]);
  });
});
