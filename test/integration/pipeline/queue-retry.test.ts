// Defect 2 (issue 12): how a failing message is retried, handed back and dead-lettered, with the stack's
// settings (test/support/queue-bench.ts): in-invocation back-off honouring retry-after, hand-back in
// seconds, minutes of outage without dead-lettering, unknown outcomes out of their group at once.
import { describe, expect, it } from 'vitest';
import { MAX_RECEIVE_COUNT } from '../../../infra/aws/constructs/queue.ts';
import { MemoryEventBus } from '../../../shared/adapters/memory/event-bus.ts';
import { ExchangeUnavailable, RateLimited } from '../../../shared/ports/exchange-errors.ts';
import { T0 } from '../../support/candles.ts';
import { fakeClock } from '../../support/lambda-sqs.ts';
import { bench, intent, status } from '../../support/queue-bench.ts';

describe('defect 2: retries, hand-backs and the dead-letter queue (stack settings)', () => {
  it('defect 2: a rate limit is retried inside the invocation after its retry-after', async () => {
    const clock = fakeClock(T0);
    const entry = intent({ strategy: 'grid', symbol: 'BTCUSDT', side: 'buy' }, 1);
    let limited = 2;
    const h = bench(clock, (id) => {
      if (id === entry.id && limited-- > 0) throw new RateLimited('429 Too Many Requests', 2_000);
    });
    await h.queue.send({ kind: 'intent', intent: entry });
    expect(await h.source.poll()).toBe(1);
    expect(await status(h, entry.id)).toBe('DONE');
    expect(h.queue.depth).toBe(0);
    expect(h.waits).toEqual([2_000, 2_000]);
  });

  it('defect 2: a retry-after longer than the budget hands the message back for that long', async () => {
    const clock = fakeClock(T0);
    const entry = intent({ strategy: 'grid', symbol: 'BTCUSDT', side: 'buy' }, 1);
    let limited = 1;
    const h = bench(clock, (id) => {
      if (id === entry.id && limited-- > 0) throw new RateLimited('429 Too Many Requests', 20_000);
    });
    await h.queue.send({ kind: 'intent', intent: entry });
    const took = await h.until(async () => (await status(h, entry.id)) === 'DONE', 5 * 60_000);
    expect(h.waits).toEqual([]); // not hammered inside the invocation
    expect(took).toBeGreaterThanOrEqual(20_000);
    expect(took).toBeLessThan(25_000);
  });

  it('defect 2: an exchange outage of 4 minutes does not dead-letter an order in flight', async () => {
    const clock = fakeClock(T0);
    const entry = intent({ strategy: 'grid', symbol: 'BTCUSDT', side: 'buy' }, 1);
    let downUntil = 0;
    const h = bench(clock, undefined, () => clock.now() < downUntil);
    const create = h.exchange.createOrder;
    h.exchange.createOrder = async (r) => {
      const order = await create(r);
      // Accepted, then the exchange goes dark for four minutes: the answer is lost.
      if (downUntil === 0) {
        downUntil = clock.now() + 4 * 60_000;
        throw new ExchangeUnavailable('request timed out');
      }
      return order;
    };
    await h.queue.send({ kind: 'intent', intent: entry });
    const took = await h.until(async () => (await status(h, entry.id)) === 'DONE', 30 * 60_000);
    expect(took).toBeGreaterThanOrEqual(4 * 60_000);
    expect(took).toBeLessThan(5 * 60_000); // hand-backs are capped at 30 s
    expect(h.sim.orderByClientId('BTCUSDT', entry.id).status).toBe('filled');
    expect(h.queue.deadLetters).toEqual([]);
    expect(h.queue.depth).toBe(0);
  });

  it('defect 2: an order of unknown outcome goes to the dead-letter queue and frees its group', async () => {
    const clock = fakeClock(T0);
    const stuck = intent({ strategy: 'grid', symbol: 'ETHUSDT', side: 'buy' }, 1);
    const next = intent({ strategy: 'grid', symbol: 'BTCUSDT', side: 'buy' }, 2);
    const h = bench(clock, (id) => {
      if (id === stuck.id) throw new ExchangeUnavailable('503 Service Unavailable');
    });
    await h.queue.send({ kind: 'intent', intent: stuck });
    await h.queue.send({ kind: 'intent', intent: next });
    const took = await h.until(async () => (await status(h, stuck.id)) === 'UNKNOWN', 60 * 60_000);
    expect(took).toBeDefined();
    expect(took).toBeGreaterThan(5 * 60_000); // minutes of trying first
    // Moved by the executor at once (not by SQS's redrive after MAX_RECEIVE_COUNT deliveries) …
    expect(h.queue.deadLetters).toHaveLength(1);
    expect(h.queue.deadLetters[0]!.reason).toMatch(/^OrderOutcomeUnknown/);
    expect(h.queue.deadLetters[0]!.receiveCount).toBeLessThan(MAX_RECEIVE_COUNT);
    // … so the order behind it in the same group goes within seconds.
    const after = await h.until(async () => (await status(h, next.id)) === 'DONE', 60_000);
    expect(after).toBeLessThanOrEqual(2_000);
    expect(
      h.deps.bus instanceof MemoryEventBus && h.deps.bus.events.some((e) => e.type === 'OrderOutcomeUnknown'),
    ).toBe(true);
  });
});
