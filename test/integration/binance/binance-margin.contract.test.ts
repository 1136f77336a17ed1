// Margin moves on the Binance adapter (real ccxt, real HTTP on loopback): what goes on the wire for an
// isolated-margin add and a universal transfer, how their histories (recorded Binance bodies, sources
// in test/fixtures/binance/README.md) are read, how their errors map, and the executor reconciling a
// lost answer from the history through the real adapter.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BinanceExchange } from '../../../shared/adapters/binance/binance-exchange.ts';
import { MemoryEventBus } from '../../../shared/adapters/memory/event-bus.ts';
import { MemoryStateStore } from '../../../shared/adapters/memory/state-store.ts';
import { type ExecutorDeps, executeMessage, RetryLater } from '../../../shared/app/execute-intent.ts';
import { makeIntentId } from '../../../shared/domain/order.ts';
import { DEFAULT_RISK_LIMITS } from '../../../shared/domain/risk/limits.ts';
import {
  ExchangeUnavailable,
  InsufficientBalance,
  InvalidOrder,
  NoIsolatedPosition,
} from '../../../shared/ports/exchange-errors.ts';
import { type BinanceStub, recorded, startBinanceStub, stubbedExchange } from '../../support/binance-stub.ts';

let now = Date.UTC(2026, 8, 15, 12, 30);
let stub: BinanceStub;
let ex: BinanceExchange;
beforeAll(async () => {
  stub = await startBinanceStub(() => now);
  ex = stubbedExchange(stub, () => now);
});
afterEach(() => stub.clearReplays());
afterAll(async () => {
  await stub.stop();
});

const last = (method: string, path: string) =>
  [...stub.requests].reverse().find((r) => r.method === method && r.path === path)!;

describe('Binance adapter: add isolated margin', () => {
  it('POST /fapi/v1/positionMargin type 1 with the symbol and the USDT amount, signed; the booked amount back', async () => {
    stub.replay('POST /fapi/v1/positionMargin', { body: recorded('fapi-v1-positionMargin.POST.json') });
    const r = await ex.addMargin('BTCUSDT', 100);
    const req = last('POST', '/fapi/v1/positionMargin');
    expect(req.params).toMatchObject({ symbol: 'BTCUSDT', type: '1', amount: '100' });
    expect(req.params.signature).toMatch(/^[0-9a-f]{64}$/);
    expect(r).toEqual({ symbol: 'BTCUSDT', amount: 100 });
  });

  it('reads the history from the recorded body: user adjustments only (a TRADE entry is not ours), since → startTime', async () => {
    stub.replay('GET /fapi/v1/positionMargin/history', {
      body: recorded('fapi-v1-positionMargin-history.json'),
    });
    const since = Date.UTC(2026, 8, 15, 10);
    const rows = await ex.fetchMarginAdjustments('BTCUSDT', since);
    expect(last('GET', '/fapi/v1/positionMargin/history').params).toMatchObject({
      symbol: 'BTCUSDT',
      type: '1',
      startTime: String(since),
    });
    expect(rows).toEqual([
      { symbol: 'BTCUSDT', type: 'add', amount: 23.36332311, time: 1789470000120 },
      { symbol: 'BTCUSDT', type: 'add', amount: 100, time: 1789470120425 },
    ]);
  });

  it('maps Binance refusals: -4054 / -4049 no isolated position, -4050 insufficient, 5xx unknown', async () => {
    const path = '/fapi/v1/positionMargin';
    stub.failNext(path, 400, -4054, 'Cannot add position margin: position is 0.');
    await expect(ex.addMargin('BTCUSDT', 10)).rejects.toBeInstanceOf(NoIsolatedPosition);
    stub.failNext(path, 400, -4049, 'Add margin only support for isolated position.');
    await expect(ex.addMargin('BTCUSDT', 10)).rejects.toBeInstanceOf(NoIsolatedPosition);
    stub.failNext(path, 400, -4050, 'Cross balance insufficient.');
    await expect(ex.addMargin('BTCUSDT', 10)).rejects.toBeInstanceOf(InsufficientBalance);
    stub.answerNext(path, { status: 503, body: 'Service Unavailable' });
    const err = await ex.addMargin('BTCUSDT', 10).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExchangeUnavailable);
    expect((err as ExchangeUnavailable).retryable).toBe(true);
  });

  it('an amount the contract precision would cut is refused before anything is sent', async () => {
    const from = stub.requests.length;
    await expect(ex.addMargin('BTCUSDT', 12.3456)).rejects.toBeInstanceOf(InvalidOrder);
    expect(stub.requests.slice(from).some((r) => r.path === '/fapi/v1/positionMargin')).toBe(false);
  });
});

describe('Binance adapter: universal transfer', () => {
  it('POST /sapi/v1/asset/transfer MAIN_UMFUTURE / UMFUTURE_MAIN in USDT; the tranId is the id', async () => {
    stub.replay('POST /sapi/v1/asset/transfer', { body: recorded('sapi-v1-asset-transfer.POST.json') });
    const t = await ex.transfer({ from: 'spot', to: 'futures', amount: 250.5 });
    expect(last('POST', '/sapi/v1/asset/transfer').params).toMatchObject({
      type: 'MAIN_UMFUTURE',
      asset: 'USDT',
      amount: '250.5',
    });
    expect(t).toEqual({
      id: '13526853623',
      from: 'spot',
      to: 'futures',
      amount: 250.5,
      status: 'confirmed',
      time: now,
    });
    await ex.transfer({ from: 'futures', to: 'spot', amount: 10 });
    expect(last('POST', '/sapi/v1/asset/transfer').params.type).toBe('UMFUTURE_MAIN');
  });

  it('reads the transfer history from the recorded body, with CONFIRMED / FAILED / PENDING', async () => {
    stub.replay('GET /sapi/v1/asset/transfer', { body: recorded('sapi-v1-asset-transfer.GET.json') });
    const since = Date.UTC(2026, 8, 15, 10);
    const rows = await ex.fetchTransfers('spot', 'futures', since);
    expect(last('GET', '/sapi/v1/asset/transfer').params).toMatchObject({
      type: 'MAIN_UMFUTURE',
      startTime: String(since),
      size: '100',
    });
    expect(rows.map((r) => [r.id, r.amount, r.status])).toEqual([
      ['11415955596', 1, 'confirmed'],
      ['11366865406', 2, 'failed'],
      ['11366865407', 250, 'pending'],
    ]);
  });

  it('maps -5013 (insufficient balance) to InsufficientBalance', async () => {
    stub.failNext('/sapi/v1/asset/transfer', 400, -5013, 'Asset transfer failed: insufficient balance');
    await expect(ex.transfer({ from: 'spot', to: 'futures', amount: 10 })).rejects.toBeInstanceOf(
      InsufficientBalance,
    );
  });
});

describe('executor on the Binance adapter: a transfer whose answer was lost', () => {
  it('is found in the transfer history on redelivery and never sent twice', async () => {
    const deps: ExecutorDeps = {
      store: new MemoryStateStore(),
      exchange: ex,
      bus: new MemoryEventBus(),
      clock: { now: () => now },
      limits: DEFAULT_RISK_LIMITS,
    };
    const message = {
      kind: 'transfer',
      id: makeIntentId({ source: 'funding_arbitrage:margin', symbol: 'BTCUSDT', tickTime: now, sequence: 0 }),
      source: 'funding_arbitrage',
      symbol: 'BTCUSDT',
      from: 'spot',
      to: 'futures',
      amount: 75,
      reason: 'fund the short leg',
      createdAt: now,
    };
    // Binance books the transfer, but the answer never arrives (a 503 after the fact).
    stub.replay('POST /sapi/v1/asset/transfer', (params) => {
      stub.transfers.push({
        asset: params.asset,
        amount: params.amount,
        type: params.type,
        status: 'CONFIRMED',
        tranId: 555_000_111,
        timestamp: now,
      });
      return { status: 503, body: 'Service Unavailable' };
    });
    await expect(executeMessage(JSON.stringify(message), deps)).rejects.toBeInstanceOf(RetryLater);
    stub.clearReplays();
    now += 5_000;
    const posts = () =>
      stub.requests.filter((r) => r.method === 'POST' && r.path === '/sapi/v1/asset/transfer');
    const before = posts().length;
    expect(await executeMessage(JSON.stringify(message), deps)).toEqual({
      kind: 'margin_moved',
      id: message.id,
      reconciled: true,
    });
    expect(posts().length).toBe(before);
    expect((await deps.store.getIntent(message.id))?.exchangeRef).toBe('555000111');
  });
});
