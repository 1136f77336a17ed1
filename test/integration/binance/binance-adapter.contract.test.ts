// Contract tests of the Binance adapter: real ccxt, real HTTP on loopback, a stand-in server answering
// with Binance's documented response shapes. Checks what goes over the wire and how answers map back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BinanceExchange, redact } from '../../../shared/adapters/binance/binance-exchange.ts';
import {
  DuplicateClientOrderId,
  ExchangeUnavailable,
  InsufficientMargin,
  InvalidOrder,
  OrderNotFound,
  RateLimited,
} from '../../../shared/ports/exchange-errors.ts';
import { type BinanceStub, startBinanceStub } from '../../support/binance-stub.ts';

const KEY = 'fake-api-key-for-loopback-tests';
const SECRET = 'fake-secret-for-loopback-tests';
const NOW = Date.UTC(2026, 8, 15, 12, 30);

let stub: BinanceStub;
let ex: BinanceExchange;
beforeAll(async () => {
  stub = await startBinanceStub(() => NOW);
  ex = new BinanceExchange({
    apiKey: KEY,
    secret: SECRET,
    symbols: ['BTCUSDT'],
    apiOrigin: stub.origin,
    clock: { now: () => NOW },
  });
});
afterAll(async () => {
  await stub.stop();
});

const last = (path: string) => [...stub.requests].reverse().find((r) => r.path === path)!;

describe('Binance adapter (ccxt) against a loopback Binance', () => {
  it('loads tick, step, min notional and the leverage brackets (signed request, key in the header)', async () => {
    const m = await ex.loadMarkets();
    expect(m.futures.BTCUSDT).toMatchObject({
      tickSize: 0.1,
      stepSize: 0.001,
      minQuantity: 0.001,
      minNotional: 100,
    });
    expect(m.spot.BTCUSDT).toMatchObject({ tickSize: 0.01, stepSize: 0.00001, minNotional: 5 });
    expect(m.futures.BTCUSDT!.brackets[1]).toMatchObject({
      notionalFloor: 50_000,
      notionalCap: 600_000,
      maintMarginRatio: 0.005,
      maintAmount: 50,
      maxLeverage: 100,
    });
    const bracket = last('/fapi/v1/leverageBracket');
    expect(bracket.params.signature).toMatch(/^[0-9a-f]{64}$/);
    expect(bracket.params.timestamp).toBeDefined();
    expect(bracket.headers['x-mbx-apikey']).toBe(KEY);
    expect(last('/fapi/v1/exchangeInfo').params.signature).toBeUndefined();
  });

  it('a market order sends newClientOrderId = intent id and the quantity floored to the step', async () => {
    const o = await ex.createOrder({
      clientOrderId: 'ac-mkt-1',
      symbol: 'BTCUSDT',
      market: 'futures',
      side: 'buy',
      type: 'market',
      quantity: 0.0129,
    });
    const r = last('/fapi/v1/order');
    expect(r.method).toBe('POST');
    expect(r.params).toMatchObject({
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'MARKET',
      quantity: '0.012',
      newClientOrderId: 'ac-mkt-1',
    });
    expect(r.params.reduceOnly).toBeUndefined();
    expect(o).toMatchObject({
      clientOrderId: 'ac-mkt-1',
      status: 'filled',
      filledQuantity: 0.012,
      averagePrice: 60012.3,
      type: 'market',
    });
  });

  it('a reduce-only STOP_MARKET goes to the algo-order service with clientAlgoId and a tick-rounded trigger', async () => {
    const o = await ex.createOrder({
      clientOrderId: 'ac-stop-1',
      symbol: 'BTCUSDT',
      market: 'futures',
      side: 'sell',
      type: 'stop_market',
      quantity: 0.012,
      stopPrice: 58_000.04,
      reduceOnly: true,
    });
    const r = last('/fapi/v1/algoOrder');
    expect(r.params).toMatchObject({
      algoType: 'CONDITIONAL',
      type: 'STOP_MARKET',
      side: 'SELL',
      quantity: '0.012',
      triggerPrice: '58000',
      reduceOnly: 'true',
      clientAlgoId: 'ac-stop-1',
    });
    expect(o).toMatchObject({
      clientOrderId: 'ac-stop-1',
      type: 'stop_market',
      status: 'new',
      stopPrice: 58_000,
      reduceOnly: true,
    });
  });

  it('finds orders by client id in either book, and says OrderNotFound for an unknown one', async () => {
    expect((await ex.fetchOrderByClientId('BTCUSDT', 'ac-mkt-1')).status).toBe('filled');
    expect(last('/fapi/v1/order').params.origClientOrderId).toBe('ac-mkt-1');
    expect((await ex.fetchOrderByClientId('BTCUSDT', 'ac-stop-1')).type).toBe('stop_market');
    expect(last('/fapi/v1/algoOrder').params.clientAlgoId).toBe('ac-stop-1');
    await expect(ex.fetchOrderByClientId('BTCUSDT', 'ac-never')).rejects.toBeInstanceOf(OrderNotFound);
  });

  it('a reused clientOrderId is a DuplicateClientOrderId', async () => {
    await expect(
      ex.createOrder({
        clientOrderId: 'ac-mkt-1',
        symbol: 'BTCUSDT',
        market: 'futures',
        side: 'buy',
        type: 'market',
        quantity: 0.012,
      }),
    ).rejects.toBeInstanceOf(DuplicateClientOrderId);
  });

  it.each([
    [400, -2019, 'Margin is insufficient.', InsufficientMargin],
    [400, -1111, 'Precision is over the maximum defined for this asset.', InvalidOrder],
    [429, -1003, 'Too many requests; current limit is 2400 requests per minute.', RateLimited],
    [503, -1001, 'Internal error; unable to process your request. Please try again.', ExchangeUnavailable],
  ])('HTTP %i / code %i maps to the port error class', async (status, code, msg, cls) => {
    stub.failNext('/fapi/v1/order', status, code, msg);
    await expect(
      ex.createOrder({
        clientOrderId: `ac-err${code}`,
        symbol: 'BTCUSDT',
        market: 'futures',
        side: 'buy',
        type: 'market',
        quantity: 0.01,
      }),
    ).rejects.toBeInstanceOf(cls);
  });

  it('maps balances, positions, funding and closed candles', async () => {
    expect(await ex.fetchBalances()).toEqual({
      futures: { walletBalance: 10_000, unrealizedPnl: -12.5, equity: 9_987.5, availableBalance: 9_500 },
      spot: { BTC: 0.01, USDT: 5_000 },
    });
    const [p] = await ex.fetchPositions();
    expect(p).toMatchObject({
      symbol: 'BTCUSDT',
      side: 'short',
      quantity: 0.01,
      entryPrice: 61_000,
      markPrice: 60_010.5,
      marginMode: 'isolated',
      isolatedMargin: 122,
      liquidationPrice: 72_000.1,
    });
    const f = await ex.fetchFundingRate('BTCUSDT');
    expect(f).toMatchObject({
      fundingRate: 0.00012,
      markPrice: 60_010.5,
      nextFundingTime: Date.UTC(2026, 8, 15, 16),
    });
    const c = await ex.fetchCandles('BTCUSDT', '1h', 3);
    // The stub's last kline is the hour still forming (12:00–13:00 at 12:30): it must be dropped.
    expect(Array.from(c.time)).toEqual([
      Date.UTC(2026, 8, 15, 9),
      Date.UTC(2026, 8, 15, 10),
      Date.UTC(2026, 8, 15, 11),
    ]);
    const payments = await ex.fetchFundingPayments(Date.UTC(2026, 8, 15));
    expect(payments).toEqual([
      { symbol: 'BTCUSDT', time: Date.UTC(2026, 8, 15, 8, 0, 0, 4), amount: -0.360126 },
      { symbol: 'BTCUSDT', time: Date.UTC(2026, 8, 15, 16, 0, 0, 3), amount: 0.120042 },
    ]);
    expect(last('/fapi/v1/income').params).toMatchObject({
      incomeType: 'FUNDING_FEE',
      startTime: String(Date.UTC(2026, 8, 15)),
    });
    expect(await ex.fetchRealizedPnl(Date.UTC(2026, 8, 15))).toEqual([
      { id: '9689322401', symbol: 'BTCUSDT', time: Date.UTC(2026, 8, 15, 9, 12, 3, 120), amount: -12.5 },
      { id: '9689322402', symbol: 'ETHUSDT', time: Date.UTC(2026, 8, 15, 11, 40, 0, 8), amount: 30.12 },
    ]);
    expect(last('/fapi/v1/income').params).toMatchObject({
      incomeType: 'REALIZED_PNL',
      startTime: String(Date.UTC(2026, 8, 15)),
    });
    // Commissions (the per-owner fee books): COMMISSION income rows, the fee as a negative income.
    expect(await ex.fetchCommissions(Date.UTC(2026, 8, 15))).toEqual([
      { id: '9689322410', symbol: 'BTCUSDT', time: Date.UTC(2026, 8, 15, 9, 12, 3, 120), amount: -0.05 },
    ]);
    expect(last('/fapi/v1/income').params).toMatchObject({
      incomeType: 'COMMISSION',
      startTime: String(Date.UTC(2026, 8, 15)),
    });
    expect(await ex.setLeverage('BTCUSDT', 7)).toBe(7);
    await expect(ex.setMarginMode('BTCUSDT', 'isolated')).resolves.toBeUndefined(); // -4046: already isolated
  });

  it('never sends or reports the secret; error texts are redacted', async () => {
    for (const r of stub.requests) {
      expect(JSON.stringify(r)).not.toContain(SECRET);
    }
    stub.failNext('/fapi/v1/order', 400, -2019, 'Margin is insufficient.');
    const err = await ex
      .createOrder({
        clientOrderId: 'ac-red',
        symbol: 'BTCUSDT',
        market: 'futures',
        side: 'buy',
        type: 'market',
        quantity: 0.01,
      })
      .catch((e: Error) => e);
    expect(String((err as Error).message)).not.toContain(SECRET);
    expect(String((err as Error).message)).not.toContain(KEY);
    expect(redact(`GET /x?a=1&signature=abcdef0123 key ${KEY}`, [KEY])).toBe(
      'GET /x?a=1&signature=[redacted] key [redacted]',
    );
  });
});
