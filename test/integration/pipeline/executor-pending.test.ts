// Orders whose outcome the executor does not know at once: a market order acknowledged but not yet
// filled (Binance's ACK answer), and a create that timed out while the exchange's lookup lags.
import { describe, expect, it } from 'vitest';
import { RetryLater } from '../../../shared/app/execute-intent.ts';
import type { FuturesOrder } from '../../../shared/domain/order.ts';
import { ExchangeUnavailable, OrderNotFound, RateLimited } from '../../../shared/ports/exchange-errors.ts';
import { executorHarness } from './executor-harness.ts';

/** What Binance's default ACK response says of a market order: NEW, nothing executed yet. */
function ack(o: FuturesOrder): FuturesOrder {
  const { averagePrice: _avg, ...rest } = o;
  return { ...rest, status: 'new', filledQuantity: 0, fee: 0 };
}

/** The exchange answers market orders with ACK; the first `pending.lookups` fetches still say NEW. */
function ackingExchange(h: ReturnType<typeof executorHarness>) {
  const pending = { lookups: 0, misses: 0 };
  const { createOrder, fetchOrderByClientId } = h.fx.exchange;
  h.fx.exchange.createOrder = async (r) => {
    const o = await createOrder(r);
    return r.type === 'market' ? ack(o) : o;
  };
  h.fx.exchange.fetchOrderByClientId = async (symbol, id, market) => {
    if (pending.misses > 0) {
      pending.misses--;
      throw new OrderNotFound('{"code":-2013,"msg":"Order does not exist."}');
    }
    const o = await fetchOrderByClientId(symbol, id, market);
    if (pending.lookups > 0) {
      pending.lookups--;
      return ack(o);
    }
    return o;
  };
  return pending;
}

describe('defect 16: a market order answered NEW with nothing executed', () => {
  it('defect 16: is fetched until filled, then published as filled with its position', async () => {
    const h = executorHarness();
    const pending = ackingExchange(h);
    pending.lookups = 2;
    const out = await h.place({ quantity: 0.01 });
    expect(out).toMatchObject({ kind: 'placed', order: { status: 'filled', filledQuantity: 0.01 } });
    expect(h.waits.length).toBeGreaterThanOrEqual(2);
    expect(h.events('OrderPlaced')).toEqual([]);
    expect(h.events('OrderFilled')).toEqual([expect.objectContaining({ quantity: 0.01, price: 60_000 })]);
    expect(h.events('PositionOpened')).toEqual([expect.objectContaining({ side: 'long', quantity: 0.01 })]);
    expect((await h.deps.store.getIntent(out.id))?.orderStatus).toBe('filled');
  });

  it('defect 16: still NEW after the bounded fetches: retryable, never DONE as new; the redelivery publishes the fill', async () => {
    const h = executorHarness();
    const pending = ackingExchange(h);
    pending.lookups = 1_000;
    const intent = h.intent({ quantity: 0.01 });
    await expect(h.run({ kind: 'intent', intent })).rejects.toBeInstanceOf(RetryLater);
    expect((await h.deps.store.getIntent(intent.id))?.status).toBe('IN_FLIGHT');
    expect(h.events('OrderFilled')).toEqual([]);
    expect(h.events('OrderPlaced')).toEqual([]);

    pending.lookups = 0; // the exchange reports the fill now
    h.clock.t += 10_000;
    expect(await h.run({ kind: 'intent', intent })).toMatchObject({
      kind: 'reconciled',
      order: { status: 'filled' },
    });
    expect(h.events('OrderFilled')).toHaveLength(1);
    expect(h.events('PositionOpened')).toEqual([expect.objectContaining({ side: 'long', quantity: 0.01 })]);
    expect(h.fx.creates.get(intent.id)).toBe(1);
  });

  it('defect 16: an acknowledged order is never created again, however long its lookup misses', async () => {
    const h = executorHarness();
    const pending = ackingExchange(h);
    pending.misses = 1_000;
    const intent = h.intent({ quantity: 0.01 });
    await expect(h.run({ kind: 'intent', intent })).rejects.toBeInstanceOf(RetryLater);
    for (let i = 0; i < 3; i++) {
      h.clock.t += 120_000;
      await expect(h.run({ kind: 'intent', intent })).rejects.toBeInstanceOf(RetryLater);
    }
    expect(h.fx.creates.get(intent.id)).toBe(1);
    pending.misses = 0;
    expect((await h.run({ kind: 'intent', intent })).kind).toBe('reconciled');
  });
});

describe('verify: exactly once when the lookup after a timeout misses the order', () => {
  it('a create that timed out after the exchange accepted it is not sent again while the lookup lags', async () => {
    const h = executorHarness();
    h.fx.after.push(() => {
      throw new ExchangeUnavailable('request timed out');
    });
    let misses = 3; // eventual consistency: the order is there, the lookup does not see it yet
    const { fetchOrderByClientId } = h.fx.exchange;
    h.fx.exchange.fetchOrderByClientId = async (...a) => {
      if (misses-- > 0) throw new OrderNotFound('{"code":-2013,"msg":"Order does not exist."}');
      return fetchOrderByClientId(...a);
    };
    const intent = h.intent({ quantity: 0.01 });
    await expect(h.run({ kind: 'intent', intent })).rejects.toBeInstanceOf(RetryLater);
    for (const step of [5_000, 5_000, 5_000]) {
      h.clock.t += step;
      const err = await h.run({ kind: 'intent', intent }).catch((e: unknown) => e);
      expect(h.fx.creates.get(intent.id)).toBe(1);
      expect(err).toBeInstanceOf(RetryLater);
      expect((err as RetryLater).retryAfterMs).toBeGreaterThan(0);
    }
    h.clock.t += 20_000;
    expect((await h.run({ kind: 'intent', intent })).kind).toBe('reconciled');
    expect(h.fx.creates.get(intent.id)).toBe(1);
    expect(h.sim.ledger.positions.get('BTCUSDT')?.quantity).toBeCloseTo(0.01, 12);
  });

  it('a create that never reached the exchange is re-submitted once the lookups have missed for the minimum age', async () => {
    const h = executorHarness();
    h.fx.before.push(() => {
      throw new ExchangeUnavailable('502 Bad Gateway');
    });
    const intent = h.intent({ quantity: 0.01 });
    await expect(h.run({ kind: 'intent', intent })).rejects.toBeInstanceOf(RetryLater);
    h.clock.t += 5_000;
    await expect(h.run({ kind: 'intent', intent })).rejects.toBeInstanceOf(RetryLater);
    expect(h.fx.creates.size).toBe(0);
    h.clock.t += 30_000;
    expect((await h.run({ kind: 'intent', intent })).kind).toBe('placed');
    expect(h.fx.creates.get(intent.id)).toBe(1);
  });

  it('a rate-limited create was refused before the exchange acted: the next delivery sends it at once', async () => {
    const h = executorHarness();
    h.fx.before.push(() => {
      throw new RateLimited('429 Too Many Requests', 1_000);
    });
    const intent = h.intent({ quantity: 0.01 });
    const err = await h.run({ kind: 'intent', intent }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryLater);
    expect((err as RetryLater).retryAfterMs).toBe(1_000);
    h.clock.t += 1_000;
    expect((await h.run({ kind: 'intent', intent })).kind).toBe('placed');
  });
});
