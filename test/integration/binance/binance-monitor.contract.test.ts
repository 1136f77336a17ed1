// The position monitor on the Binance adapter (real ccxt, loopback HTTP, recorded Binance responses):
// the production pairing that the hand-written stub never exercised (issue 12, defect 15).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryEventBus } from '../../../shared/adapters/memory/event-bus.ts';
import { MemoryMetrics } from '../../../shared/adapters/memory/metrics.ts';
import { MemoryOrderQueue } from '../../../shared/adapters/memory/order-queue.ts';
import { MemoryStateStore } from '../../../shared/adapters/memory/state-store.ts';
import { type MonitorDeps, positionMonitorOnce } from '../../../shared/app/monitors/position-monitor.ts';
import { loadConfig } from '../../../shared/config/env.ts';
import { type BinanceStub, recorded, startBinanceStub, stubbedExchange } from '../../support/binance-stub.ts';

const NOW = Date.UTC(2026, 8, 15, 12, 30);
const clock = { now: () => NOW };
type Row = Record<string, unknown> & { symbol: string };

let stub: BinanceStub;
beforeAll(async () => {
  stub = await startBinanceStub(() => NOW);
});
afterAll(async () => {
  await stub.stop();
});

function deps(): MonitorDeps & { queue: MemoryOrderQueue } {
  return {
    exchange: stubbedExchange(stub, clock.now),
    store: new MemoryStateStore(),
    queue: new MemoryOrderQueue({ clock }),
    bus: new MemoryEventBus(),
    clock,
    metrics: new MemoryMetrics(),
    config: loadConfig({}),
  };
}

const serve = (algo: Row[]) => {
  stub.clearReplays();
  stub.replay('GET /fapi/v3/positionRisk', { body: recorded('fapi-v3-positionRisk.json') });
  stub.replay('GET /fapi/v1/openOrders', (p) => ({
    body: recorded<Row[]>('fapi-v1-openOrders.json').filter((o) => !p.symbol || o.symbol === p.symbol),
  }));
  stub.replay('GET /fapi/v1/openAlgoOrders', (p) => ({
    body: algo.filter((o) => !p.symbol || o.symbol === p.symbol),
  }));
};

describe('position monitor on the Binance adapter', () => {
  it('defect 15: sees the exchange stop of a Binance position and restores nothing', async () => {
    serve(recorded<Row[]>('fapi-v1-openAlgoOrders.json'));
    const d = deps();
    const r = await positionMonitorOnce(d, NOW);
    expect(r.restored).toEqual([]);
  });

  it('defect 15: restores the stop of a Binance position that has none', async () => {
    serve([]);
    const d = deps();
    const r = await positionMonitorOnce(d, NOW);
    expect(r.restored).toEqual(['BTCUSDT']);
    const [m] = await d.queue.receive(1);
    expect(JSON.parse(m!.body)).toMatchObject({
      kind: 'intent',
      intent: { symbol: 'BTCUSDT', side: 'sell', type: 'stop_market', quantity: 1.2, reduceOnly: true },
    });
  });
});
