// Cancel requests: only an exchange that says the order is gone makes a cancel DONE.
import { describe, expect, it } from 'vitest';
import { AuthenticationFailed, InvalidOrder, OrderNotFound } from '../../../shared/ports/exchange-errors.ts';
import { T0 } from '../../support/candles.ts';
import { executorHarness } from './executor-harness.ts';

async function withRestingLimit() {
  const h = executorHarness();
  const limit = h.intent({ type: 'limit', price: 59_000 });
  expect((await h.run({ kind: 'intent', intent: limit })).kind).toBe('placed');
  const cancel = (id: string) =>
    h.run({
      kind: 'cancel',
      id,
      source: 'test',
      symbol: 'BTCUSDT',
      market: 'futures',
      clientOrderId: limit.id,
      createdAt: T0,
    });
  return { h, limit, cancel };
}

describe('cancel', () => {
  it('defect 7: a cancel refused for lack of permission is a failure, alerted, not DONE', async () => {
    const { h, limit, cancel } = await withRestingLimit();
    h.fx.exchange.cancelOrder = async () => {
      throw new AuthenticationFailed(
        '{"code":-2015,"msg":"Invalid API-key, IP, or permissions for action."}',
      );
    };
    const out = await cancel('cancel-refused');
    expect(out.kind).toBe('rejected');
    const record = await h.deps.store.getIntent('cancel-refused');
    expect(record?.status).toBe('REJECTED');
    expect(record?.reasons.join()).toMatch(/AuthenticationFailed/);
    expect(h.events('OrderCancelled')).toEqual([]);
    expect(h.events('CancelFailed')).toEqual([
      expect.objectContaining({ intentId: 'cancel-refused', clientOrderId: limit.id, symbol: 'BTCUSDT' }),
    ]);
    expect(h.sim.openOrders('BTCUSDT').map((o) => o.clientOrderId)).toEqual([limit.id]);
  });

  it('defect 7: an unknown error on cancel is recorded and alerted, and the message is retried', async () => {
    const { h, cancel } = await withRestingLimit();
    h.fx.exchange.cancelOrder = async () => {
      throw new TypeError("Cannot read properties of undefined (reading 'status')");
    };
    await expect(cancel('cancel-unknown')).rejects.toThrow(TypeError);
    const record = await h.deps.store.getIntent('cancel-unknown');
    expect(record?.status).not.toBe('DONE');
    expect(record?.reasons.join()).toMatch(/TypeError/);
    expect(h.events('OrderCancelled')).toEqual([]);
    expect(h.events('CancelFailed')).toHaveLength(1);
  });

  it('defect 7: an error on cancel counts as cancelled when a fetch shows the order in a terminal status', async () => {
    const { h, cancel } = await withRestingLimit();
    const inner = h.fx.exchange.cancelOrder;
    h.fx.exchange.cancelOrder = async (symbol, id, market) => {
      await inner(symbol, id, market); // it went through, but the answer was an error
      throw new InvalidOrder('unexpected response');
    };
    expect((await cancel('cancel-went-through')).kind).toBe('cancelled');
    expect((await h.deps.store.getIntent('cancel-went-through'))?.status).toBe('DONE');
    expect(h.events('OrderCancelled')).toHaveLength(1);
    expect(h.events('CancelFailed')).toEqual([]);
  });

  it('defect 7: "unknown order" (-2011) means the order is no longer open: DONE', async () => {
    const { h, cancel } = await withRestingLimit();
    h.fx.exchange.cancelOrder = async () => {
      throw new OrderNotFound('{"code":-2011,"msg":"Unknown order sent."}');
    };
    expect((await cancel('cancel-unknown-order')).kind).toBe('cancelled');
    expect((await h.deps.store.getIntent('cancel-unknown-order'))?.status).toBe('DONE');
  });
});
