// Per-strategy books live: the performance monitor books realised PnL, fees and funding to the owner
// of each symbol, and /futures_status and /pnl show each book's contribution and exposure. On dynalite,
// the simulator and the real executor.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getOwnerBooks, performanceMonitorOnce } from '../../../shared/app/monitors/performance-monitor.ts';
import { COMMANDS } from '../../../shared/app/telegram/commands.ts';
import { dispatch } from '../../../shared/app/telegram/registry.ts';
import { riskLimitsFrom } from '../../../shared/domain/risk/limits.ts';
import { startDynamo } from '../../support/dynalite.ts';
import { monitorHarness } from '../../support/monitor-harness.ts';

let dynamo: Awaited<ReturnType<typeof startDynamo>>;
beforeAll(async () => {
  dynamo = await startDynamo('autocoin-owner-books');
});
afterAll(async () => {
  await dynamo.stop();
});

describe('per-strategy books', () => {
  it('grid’s round trip on its BTCUSDT: realised −10, fees 0.595, booked to grid and shown by /futures_status and /pnl', async () => {
    // Worked example: buy 0.01 at 60,000, sell 0.01 at 59,000, market orders (taker 0.05 %, no slippage):
    // realised 0.01 × (59,000 − 60,000) = −10; fees 0.01 × 60,000 × 0.0005 + 0.01 × 59,000 × 0.0005
    // = 0.30 + 0.295 = 0.595; contribution −10.595. A second entry is left open: exposure 0.01 × 59,000.
    const h = await monitorHarness(dynamo, { DEFAULT_FUTURES_STRATEGY: 'grid' }, [60_000, 59_000, 59_000]);
    await h.order({ strategy: 'grid', side: 'buy', quantity: 0.01 });
    h.sim.advance();
    await h.order({ strategy: 'grid', side: 'sell', quantity: 0.01, reduceOnly: true });
    await performanceMonitorOnce(h.deps, h.deps.clock.now());
    const books = await getOwnerBooks(h.deps.store);
    expect(Object.keys(books)).toEqual(['grid']);
    expect(books.grid!.realizedPnl).toBeCloseTo(-10, 9);
    expect(books.grid!.fees).toBeCloseTo(0.595, 9);
    // Counted once: the next run adds nothing.
    await performanceMonitorOnce(h.deps, h.deps.clock.now() + 300_000);
    expect((await getOwnerBooks(h.deps.store)).grid!.fees).toBeCloseTo(0.595, 9);

    await h.order({ strategy: 'grid', side: 'buy', quantity: 0.01 });
    const ctx = {
      chatId: 1,
      updateId: 1,
      at: h.deps.clock.now(),
      deps: { ...h.deps, limits: riskLimitsFrom(h.deps.config) },
    };
    const status = (await dispatch(COMMANDS, '/futures_status', ctx))!.text;
    expect(status).toMatch(
      /<b>grid<\/b> \(BTCUSDT\): −10\.60 USDT — realised −10\.00 USDT, fees −0\.60 USDT, funding \+0\.00 USDT, unrealised \+0\.00 USDT; exposure 590\.00 USDT/,
    );
    const pnl = (await dispatch(COMMANDS, '/pnl', ctx))!.text;
    expect(pnl).toMatch(/By strategy[\s\S]*<b>grid<\/b> \(BTCUSDT\)/);
  });
});
