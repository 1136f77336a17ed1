// /futures_open with sl= / tp= / twap= / iceberg= through the real webhook handler on dynalite: a
// bracketed entry is queued with its legs and described in the reply; a sliced one's first slice with
// its stop, the rest stopped by /futures_close; bad options are refused with a clear error and nothing
// is queued; /futures_status shows the bracket the position monitor is watching.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startBotApi } from '../../../infra/local/bot-api.ts';
import { twapPlans } from '../../../shared/app/monitors/slices-monitor.ts';
import { floorToStep, roundToTick } from '../../../shared/domain/precision.ts';
import { startDynamo } from '../../support/dynalite.ts';
import { setupWebhook } from './harness.ts';

let dynamo: Awaited<ReturnType<typeof startDynamo>>;
let api: Awaited<ReturnType<typeof startBotApi>>;
beforeAll(async () => {
  dynamo = await startDynamo('autocoin-telegram-bracket');
  api = await startBotApi();
});
afterAll(async () => {
  await api.stop();
  await dynamo.stop();
});
beforeEach(() => api.clear());

const fmt = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 8 });

describe('/futures_open with a bracket', () => {
  it.each([
    ['sl=abc', /sl must be a price/],
    ['tp=0', /take-profit 1 must be above 0/],
    ['sl=150%', /distance under 100/],
    ['foo=1', /unknown option foo=/],
    ['tp=1%,2%,3%,4%,5%', /at most 4 take-profits/],
    ['sl=1% sl=2%', /sl= given twice/],
    ['sl=99999999', /the stop .* is not below the mark/],
    ['tp=1000', /the take-profit 1,000 is not above the mark/],
    ['tp=2%,2%', /two take-profits at the same price/],
    ['twap=30 sl=1%', /twap= with sl=\/tp= is not supported yet.*Nothing was sent/],
    ['twap=0', /twap must be from 1 to 1440 minutes/],
    ['twap=1', /Too small to slice.*Nothing was sent/],
    ['iceberg=0', /iceberg must be above 0 USDT/],
    ['iceberg=abc', /iceberg must be the visible slice in USDT/],
    ['iceberg=100 twap=5', /twap= and iceberg= together: choose one\. Nothing was sent/],
    ['iceberg=100 sl=1%', /iceberg= with sl=\/tp= is not supported yet.*Nothing was sent/],
    ['iceberg=200', /Too small to slice.*is the whole order.*Nothing was sent/],
    ['iceberg=0.5', /Too small to slice.*visible slice must be at least.*Nothing was sent/],
  ])('refuses %s with a clear error and queues nothing', async (option, error) => {
    const h = await setupWebhook({ dynamo, api });
    const reply = await h.say(`/futures_open long 200 BTCUSDT ${option}`);
    expect(reply).toMatch(error);
    expect(reply).not.toMatch(/Queued/);
    expect(h.memoryQueue.depth).toBe(0);
  });

  it('queues the entry with its stop and take-profits, replies with the bracket, and /futures_status shows it', async () => {
    const h = await setupWebhook({ dynamo, api });
    const mark = await h.exchange.fetchMarkPrice('BTCUSDT');
    const reply = await h.say('/futures_open long 200 BTCUSDT 5 sl=2% tp=3%,1%');
    // Long: stop 2 % under the mark; take-profits 1 % and 3 % over it, nearest first, half each.
    const stop = roundToTick(mark * 0.98, 0.1);
    const tp1 = roundToTick(mark * 1.01, 0.1);
    const tp3 = roundToTick(mark * 1.03, 0.1);
    expect(reply).toContain(
      `with a bracket: stop ${fmt(stop)} · take-profits ${fmt(tp1)} (50 %), ${fmt(tp3)} (50 %) · stop to break-even after the first`,
    );
    expect(h.memoryQueue.depth).toBe(4); // the entry, the stop, two take-profits
    await h.drain();
    const open = await h.exchange.fetchOpenOrders();
    expect(open.map((o) => [o.type, o.stopPrice]).sort()).toEqual(
      [
        ['stop_market', stop],
        ['take_profit_market', tp1],
        ['take_profit_market', tp3],
      ].sort(),
    );
    const status = await h.say('/futures_status');
    expect(status).toMatch(/Bracket<\/b> BTCUSDT long \(telegram, <code>ac-[0-9a-f]{32}<\/code>\): stop /);
  });

  it('twap=: the first slice and its stop are queued now, the rest by the position monitor; /futures_status shows the progress', async () => {
    const h = await setupWebhook({ dynamo, api });
    const reply = await h.say('/futures_open long 600 BTCUSDT twap=5');
    expect(reply).toMatch(
      /Queued TWAP <code>ac-[0-9a-f]{32}<\/code>: long [\d.]+ BTCUSDT .* in \d+ slices of [\d.]+ over 5 min/,
    );
    expect(h.memoryQueue.depth).toBe(2); // slice 1 and its protective stop
    const status = await h.say('/futures_status');
    expect(status).toMatch(
      /TWAP<\/b> BTCUSDT buy \(telegram, <code>ac-[0-9a-f]{32}<\/code>\): 1\/\d+ slices sent .* next at/,
    );
    // Closing stops the rest: the next slice would re-open what the trader closed.
    expect(await h.say('/futures_close BTCUSDT')).toMatch(
      /TWAP <code>ac-[0-9a-f]{32}<\/code> stopped: no more slices/,
    );
    expect(await h.say('/futures_status')).toMatch(
      /TWAP<\/b> BTCUSDT buy .*stopped — stopped by \/futures_close/,
    );
  });

  it("twap=: the parent's full size is refused above the 30 % limit although each slice would fit, and nothing is kept", async () => {
    const h = await setupWebhook({ dynamo, api });
    // Equity 10,000 USDT: 30 % is 3,000 USDT. 5,000 USDT in 5 slices of ~1,000 each: each would fit.
    const reply = await h.say('/futures_open long 5000 BTCUSDT twap=5');
    expect(reply).toMatch(
      /Rejected — nothing was sent:[\s\S]*position notional [\d.]+ USDT exceeds 30 % of equity/,
    );
    expect(h.memoryQueue.depth).toBe(0);
    expect(await h.say('/futures_status')).not.toMatch(/TWAP/);
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
