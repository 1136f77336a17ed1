// Found by the adversarial review of issue 12's fixes (defect 2): an exchange that does not answer
// (every call runs into the adapter's 10-s timeout) during an emergency — one executor invocation with
// close_all, the monitors' restores on two symbols and a strategy entry. The handler hands failed
// records back after the batch; a batch that outlived the 60-s function timeout was killed before any
// hand-back, and every record (close_all included) waited the queue's 360-s visibility timeout. A
// record is now not started with less than RECORD_START_RESERVE_MS left: it is handed back unstarted.
import { expect, it } from 'vitest';
import { makeIntentId } from '../../../shared/domain/order.ts';
import { ExchangeUnavailable } from '../../../shared/ports/exchange-errors.ts';
import { T0 } from '../../support/candles.ts';
import { fakeClock } from '../../support/lambda-sqs.ts';
import { bench, EXECUTOR_TIMEOUT, intent } from '../../support/queue-bench.ts';

it('defect 2 (review): one invocation with close_all + protective + entry under exchange timeouts ends inside the function timeout', async () => {
  const clock = fakeClock(T0);
  let hanging = false;
  const h = bench(clock);
  const ex = h.exchange as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
  for (const k of [
    'fetchPositions',
    'fetchBalances',
    'fetchOpenOrders',
    'fetchMarkPrice',
    'fetchSpotPrice',
    'createOrder',
    'fetchOrderByClientId',
    'cancelOrder',
  ]) {
    const real = ex[k]!.bind(h.exchange);
    ex[k] = async (...a: unknown[]) => {
      if (hanging) {
        clock.advance(10_000); // ccxt timeout of the Binance adapter (timeoutMs default 10 000)
        throw new ExchangeUnavailable('RequestTimeout: request timed out (10000 ms)');
      }
      return real(...a);
    };
  }
  const closeAll = {
    kind: 'close_all' as const,
    id: makeIntentId({ source: 'telegram-emergency', symbol: 'ALL', tickTime: T0, sequence: 1 }),
    source: 'telegram',
    reason: 'emergency close',
    createdAt: T0,
  };
  await h.queue.send(closeAll);
  for (const [i, symbol] of ['BTCUSDT', 'ETHUSDT'].entries())
    await h.queue.send({
      kind: 'intent',
      intent: intent(
        {
          strategy: 'position-monitor',
          symbol,
          side: 'sell',
          type: 'stop_market',
          stopPrice: 1_000,
          reduceOnly: true,
        },
        10 + i,
      ),
    });
  await h.queue.send({
    kind: 'intent',
    intent: intent({ strategy: 'grid', symbol: 'BTCUSDT', side: 'buy' }, 20),
  });
  const handedBack: number[] = [];
  const change = h.queue.changeVisibility.bind(h.queue);
  h.queue.changeVisibility = async (r, s) => {
    handedBack.push(clock.now() - start);
    return change(r, s);
  };
  hanging = true;
  const start = clock.now();
  await h.source.poll();
  const took = clock.now() - start;
  expect(took, 'the handler outlived the Lambda timeout: no hand-back ever happens').toBeLessThan(
    EXECUTOR_TIMEOUT.toMilliseconds(),
  );
  // Every failed record was handed back (in seconds), and close_all — first in the batch — was tried.
  expect(handedBack.length).toBe(4);
  for (const t of handedBack) expect(t).toBeLessThan(EXECUTOR_TIMEOUT.toMilliseconds());
});
