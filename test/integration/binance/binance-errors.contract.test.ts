// The Binance adapter's error mapping, table-driven over recorded Binance error bodies
// (test/fixtures/binance/errors.json, from Binance's USD-M "Error Codes" page): real ccxt, loopback HTTP.
import { createServer } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BinanceExchange } from '../../../shared/adapters/binance/binance-exchange.ts';
import {
  ExchangeError,
  ExchangeUnavailable,
  OrderNotFound,
  type RateLimited,
} from '../../../shared/ports/exchange-errors.ts';
import {
  type BinanceStub,
  FAKE_CREDENTIALS,
  recorded,
  type StubAnswer,
  startBinanceStub,
  stubbedExchange,
} from '../../support/binance-stub.ts';

const NOW = Date.UTC(2026, 8, 15, 12, 30);
interface ErrorRow extends StubAnswer {
  op: 'create' | 'cancel';
  status: number;
  expect: string;
  retryAfterMs?: number;
}
const rows = recorded<ErrorRow[]>('errors.json').map((r) => ({
  ...r,
  code: typeof r.body === 'object' ? (r.body as { code: number }).code : 'no code',
}));

let stub: BinanceStub;
let ex: BinanceExchange;
beforeAll(async () => {
  stub = await startBinanceStub(() => NOW);
  ex = stubbedExchange(stub, () => NOW);
  await ex.loadMarkets();
});
afterEach(() => stub.clearReplays());
afterAll(async () => {
  await stub.stop();
});

describe('Binance error codes → the port error classes', () => {
  it.each(rows)('defect 13: $op answered HTTP $status, code $code → $expect', async (row) => {
    let err: unknown;
    if (row.op === 'create') {
      stub.answerNext('/fapi/v1/order', row);
      err = await ex
        .createOrder({
          clientOrderId: 'ac-fake-err',
          symbol: 'BTCUSDT',
          market: 'futures',
          side: 'buy',
          type: 'market',
          quantity: 0.01,
        })
        .catch((e: unknown) => e);
    } else {
      // A cancel tries the plain book, then (only on "unknown order") the algo book: both answer alike.
      stub.answerNext('/fapi/v1/order', row);
      stub.answerNext('/fapi/v1/algoOrder', row);
      err = await ex.cancelOrder('BTCUSDT', 'ac-fake-err').catch((e: unknown) => e);
    }
    expect(err).toBeInstanceOf(ExchangeError);
    expect((err as Error).name).toBe(row.expect);
    // Only "unknown order" / "order does not exist" say an order is gone; nothing else may.
    if (row.expect !== 'OrderNotFound') expect(err).not.toBeInstanceOf(OrderNotFound);
    if (row.retryAfterMs !== undefined) expect((err as RateLimited).retryAfterMs).toBe(row.retryAfterMs);
    expect((err as Error).message).not.toContain(FAKE_CREDENTIALS.secret);
  });

  it('defect 13: a request that times out is retryable (ExchangeUnavailable), never a rejection', async () => {
    const silent = createServer(() => {}); // accepts, never answers
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    const { port } = silent.address() as { port: number };
    const slow = new BinanceExchange({
      ...FAKE_CREDENTIALS,
      symbols: ['BTCUSDT'],
      apiOrigin: `http://127.0.0.1:${port}`,
      timeoutMs: 100,
    });
    const err = await slow.fetchMarkPrice('BTCUSDT').catch((e: unknown) => e);
    silent.closeAllConnections();
    await new Promise<void>((r) => silent.close(() => r()));
    expect(err).toBeInstanceOf(ExchangeUnavailable);
    expect((err as ExchangeError).retryable).toBe(true);
  });
});
