// The Binance adapter (real ccxt, real HTTP on loopback) against RECORDED Binance response bodies
// (test/fixtures/binance, sources in its README): open orders, order replies, algo cancels, positions.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BinanceExchange } from '../../../shared/adapters/binance/binance-exchange.ts';
import { type BinanceStub, recorded, startBinanceStub, stubbedExchange } from '../../support/binance-stub.ts';

const NOW = Date.UTC(2026, 8, 15, 12, 30);
type Row = Record<string, unknown> & { symbol: string };

let stub: BinanceStub;
let ex: BinanceExchange;
beforeAll(async () => {
  stub = await startBinanceStub(() => NOW);
  ex = stubbedExchange(stub, () => NOW);
});
afterEach(() => stub.clearReplays());
afterAll(async () => {
  await stub.stop();
});

const last = (path: string) => [...stub.requests].reverse().find((r) => r.path === path)!;
/** Binance's open-order endpoints: a symbol's orders, or every symbol's without one (weight 40). */
const bySymbol = (file: string) => (p: Record<string, string>) => ({
  body: recorded<Row[]>(file).filter((o) => !p.symbol || o.symbol === p.symbol),
});

describe('Binance adapter against recorded Binance responses', () => {
  it('defect 15: open orders without a symbol are listed per symbol of interest (configured + positions), plain and algo', async () => {
    stub.replay('GET /fapi/v3/positionRisk', { body: recorded('fapi-v3-positionRisk.json') });
    stub.replay('GET /fapi/v1/openOrders', bySymbol('fapi-v1-openOrders.json'));
    stub.replay('GET /fapi/v1/openAlgoOrders', bySymbol('fapi-v1-openAlgoOrders.json'));
    const from = stub.requests.length;
    const orders = await ex.fetchOpenOrders();
    expect(orders.map((o) => `${o.symbol} ${o.clientOrderId} ${o.type}`).sort()).toEqual([
      'BTCUSDT ac-fake-grid-btc-1 limit',
      'BTCUSDT ac-fake-stop-btc stop_market',
      'ETHUSDT web_fake_manual_eth_1 limit',
      'ETHUSDT web_fake_stoplimit_eth stop_limit',
    ]);
    expect(orders.find((o) => o.clientOrderId === 'ac-fake-stop-btc')).toMatchObject({
      side: 'sell',
      quantity: 1.2,
      stopPrice: 57_000,
      reduceOnly: true,
      status: 'new',
    });
    // ETHUSDT is not configured: it is asked for because the account holds a position in it. Every
    // open-order request names its symbol (weight 1), never the symbol-less form (weight 40).
    const asked = stub.requests
      .slice(from)
      .filter((r) => r.path === '/fapi/v1/openOrders' || r.path === '/fapi/v1/openAlgoOrders');
    expect(asked.map((r) => `${r.path} ${r.params.symbol}`).sort()).toEqual([
      '/fapi/v1/openAlgoOrders BTCUSDT',
      '/fapi/v1/openAlgoOrders ETHUSDT',
      '/fapi/v1/openOrders BTCUSDT',
      '/fapi/v1/openOrders ETHUSDT',
    ]);
  });

  it('defect 15: spot open orders come from the spot client, per configured symbol', async () => {
    stub.replay('GET /api/v3/openOrders', bySymbol('api-v3-openOrders.json'));
    const all = await ex.fetchOpenOrders(undefined, 'spot');
    expect(last('/api/v3/openOrders').params.symbol).toBe('BTCUSDT');
    const one = await ex.fetchOpenOrders('BTCUSDT', 'spot');
    for (const orders of [all, one])
      expect(orders).toEqual([
        expect.objectContaining({
          clientOrderId: 'ac-fake-spot-1',
          market: 'spot',
          type: 'limit',
          side: 'buy',
          price: 55_000,
          quantity: 0.001,
          status: 'new',
        }),
      ]);
  });

  it('defect 16: a USD-M order asks for newOrderRespType=RESULT, so a market order comes back with its fill', async () => {
    // Binance answers ACK (status NEW, executedQty 0) unless RESULT is asked for.
    stub.replay('POST /fapi/v1/order', (p) => ({
      body: recorded(
        p.newOrderRespType === 'RESULT'
          ? 'fapi-v1-order.market-result.json'
          : 'fapi-v1-order.market-ack.json',
      ),
    }));
    const o = await ex.createOrder({
      clientOrderId: 'ac-fake-mkt-ack',
      symbol: 'BTCUSDT',
      market: 'futures',
      side: 'buy',
      type: 'market',
      quantity: 0.01,
    });
    expect(last('/fapi/v1/order').params.newOrderRespType).toBe('RESULT');
    expect(o).toMatchObject({ status: 'filled', filledQuantity: 0.01, averagePrice: 60_012.3 });
  });

  it('defect 16: a market order answered NEW with executedQty 0 is reported as such (new, nothing filled)', async () => {
    stub.replay('POST /fapi/v1/order', { body: recorded('fapi-v1-order.market-ack.json') });
    const o = await ex.createOrder({
      clientOrderId: 'ac-fake-mkt-ack',
      symbol: 'BTCUSDT',
      market: 'futures',
      side: 'buy',
      type: 'market',
      quantity: 0.01,
    });
    expect(o).toMatchObject({
      clientOrderId: 'ac-fake-mkt-ack',
      exchangeOrderId: '22542179',
      status: 'new',
      type: 'market',
      quantity: 0.01,
      filledQuantity: 0,
    });
    expect(o.averagePrice).toBeUndefined();
  });

  it('defect 16: a spot market order asks for FULL; a buy reports its commission in the coin bought', async () => {
    stub.replay('POST /api/v3/order', { body: recorded('api-v3-order.market-full.json') });
    const o = await ex.createOrder({
      clientOrderId: 'ac-fake-spot-buy',
      symbol: 'BTCUSDT',
      market: 'spot',
      side: 'buy',
      type: 'market',
      quantity: 0.01,
    });
    expect(last('/api/v3/order').params).toMatchObject({ newOrderRespType: 'FULL', type: 'MARKET' });
    expect(o).toMatchObject({ status: 'filled', filledQuantity: 0.01, averagePrice: 60_000 });
    expect(o.commission).toEqual({ asset: 'BTC', amount: 0.00001 });
    expect(o.fee).toBeCloseTo(0.6, 9); // 0.00001 BTC valued at the fill price
  });

  it("defect 17: cancelling an algo order reports Binance's own record of it, cancelled — no invented fields", async () => {
    stub.replay('DELETE /fapi/v1/order', { status: 400, body: { code: -2011, msg: 'Unknown order sent.' } });
    stub.replay('DELETE /fapi/v1/algoOrder', { body: recorded('fapi-v1-algoOrder.DELETE.json') });
    stub.replay('GET /fapi/v1/algoOrder', { body: recorded('fapi-v1-algoOrder.GET-canceled.json') });
    const o = await ex.cancelOrder('BTCUSDT', 'ac-fake-stop-btc');
    expect(last('/fapi/v1/algoOrder').params.clientAlgoId).toBe('ac-fake-stop-btc');
    expect(o).toMatchObject({
      clientOrderId: 'ac-fake-stop-btc',
      exchangeOrderId: '2148627',
      status: 'canceled',
      type: 'stop_market',
      side: 'sell',
      quantity: 1.2,
      stopPrice: 57_000,
      reduceOnly: true,
    });
  });

  it('defect 17: a cancel Binance confirmed is reported cancelled even if the re-read still shows it open', async () => {
    stub.replay('DELETE /fapi/v1/order', { status: 400, body: { code: -2011, msg: 'Unknown order sent.' } });
    stub.replay('DELETE /fapi/v1/algoOrder', { body: recorded('fapi-v1-algoOrder.DELETE.json') });
    const open = recorded<Row[]>('fapi-v1-openAlgoOrders.json')[0];
    stub.replay('GET /fapi/v1/algoOrder', { body: open });
    const o = await ex.cancelOrder('BTCUSDT', 'ac-fake-stop-btc');
    expect(o).toMatchObject({ status: 'canceled', type: 'stop_market', quantity: 1.2, side: 'sell' });
  });

  it('defect 17: a hand-placed STOP (stop-limit) algo order is reported as stop_limit with its limit price', async () => {
    const stopLimit = recorded<Row[]>('fapi-v1-openAlgoOrders.json')[1];
    stub.replay('GET /fapi/v1/algoOrder', { body: stopLimit });
    const o = await ex.fetchOrderByClientId('ETHUSDT', 'web_fake_stoplimit_eth');
    expect(o).toMatchObject({
      type: 'stop_limit',
      price: 2_710,
      stopPrice: 2_700,
      side: 'buy',
      quantity: 0.5,
      reduceOnly: true,
    });
  });

  it("defect 18: a position's maintenance margin is Binance's maintMargin (notional × rate − cum), not ccxt's notional × rate", async () => {
    stub.replay('GET /fapi/v3/positionRisk', { body: recorded('fapi-v3-positionRisk.json') });
    const positions = await ex.fetchPositions();
    expect(positions.map((p) => p.symbol)).toEqual(['BTCUSDT']);
    const [btc] = positions;
    // The recorded position: 1.2 BTC at mark 60 010.5 = 72 012.6 USDT notional, in bracket 2 of the
    // leverage brackets (50 000–600 000 USDT: rate 0.5 %, maintenance amount cum 50). Binance's formula
    // gives the recorded maintMargin; ccxt's rate × notional overstates it by cum.
    const notional = 1.2 * 60_010.5;
    expect(notional * 0.005 - 50).toBeCloseTo(310.063, 6);
    expect(btc!.maintenanceMargin).toBeCloseTo(310.063, 6);
    expect(btc).toMatchObject({ side: 'long', quantity: 1.2, marginMode: 'cross', markPrice: 60_010.5 });
  });
});
