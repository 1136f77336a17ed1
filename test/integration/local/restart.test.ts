// `npm start -- --persist`: the local runtime dies between the exchange accepting an order and the
// executor writing that down; the restarted runtime recovers the unacknowledged message from the queue
// journal, and the executor reconciles the order with the exchange instead of placing it twice.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startLocalRuntime } from '../../../infra/local/runtime.ts';
import { loadConfig } from '../../../shared/config/env.ts';
import { makeIntentId, OrderIntentSchema } from '../../../shared/domain/order.ts';
import type { Exchange } from '../../../shared/ports/exchange.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const config = loadConfig({ DEFAULT_FUTURES_STRATEGY: 'grid', SYMBOLS: 'BTCUSDT' });

/** The process dies right after the exchange accepted the order `victim` (before anything is written). */
let victim = '';
function dieAfterAcceptance(e: Exchange): Exchange {
  return new Proxy(e, {
    get(target, prop, receiver) {
      if (prop === 'createOrder')
        return async (...a: Parameters<Exchange['createOrder']>) => {
          const order = await target.createOrder(...a);
          if (a[0].clientOrderId === victim) throw new Error('process killed');
          return order;
        };
      const v = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}

describe('restart with --persist', () => {
  it('an order accepted just before the kill is reconciled after the restart, not placed twice', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'autocoin-persist-'));
    const base = { config, from: Date.UTC(2026, 8, 10), hours: 6, telegram: false as const, persistDir: dir };

    const first = await startLocalRuntime({ ...base, wrapExchange: dieAfterAcceptance });
    await first.run(undefined, undefined, 0); // a few hours of the grid, saved as it goes
    const at = first.deps.clock.now();
    const intent = OrderIntentSchema.parse({
      id: makeIntentId({ source: 'restart-test', symbol: 'BTCUSDT', tickTime: at, sequence: 0 }),
      strategy: 'telegram',
      symbol: 'BTCUSDT',
      market: 'futures',
      side: 'buy',
      type: 'market',
      quantity: 0.002,
      leverage: 5,
      marginMode: 'isolated',
      createdAt: at,
    });
    victim = intent.id;
    await first.queue.send({ kind: 'intent', intent });
    await first.drain();
    expect(first.sim.ledger.fills.filter((f) => f.clientOrderId === intent.id)).toHaveLength(1);
    expect((await first.deps.store.getIntent(intent.id))?.status).toBe('IN_FLIGHT');
    const fillsBefore = first.sim.ledger.fills.length;
    await first.kill();

    const second = await startLocalRuntime(base);
    expect(second.resumed).toEqual({ at, recovered: 1 });
    expect(second.sim.ledger.fills).toHaveLength(fillsBefore); // the exchange kept what it accepted
    await second.drain();
    expect((await second.deps.store.getIntent(intent.id))?.status).toBe('DONE');
    expect(second.sim.ledger.fills.filter((f) => f.clientOrderId === intent.id)).toHaveLength(1);
    expect(second.bus.events.some((e) => e.type === 'OrderFilled' && e.intentId === intent.id)).toBe(true);

    // The run goes on from where it was, and a third start has nothing left to recover.
    await second.run();
    await second.stop();
    const third = await startLocalRuntime(base);
    expect(third.resumed?.recovered).toBe(0);
    expect(third.sim.ledger.fills).toEqual(second.sim.ledger.fills);
    await third.stop();
  }, 120_000);
});
