// Which markets the adapter loads (issue 17: the guardian's memory was ccxt parsing all ~3,300 spot
// markets): USD-M's exchangeInfo once, spot's only for the configured symbols, and a spot coin whose
// market is not loaded (the trader's own ETH while the bot trades BTC) still valued at its price.
import { describe, expect, it } from 'vitest';
import { totalEquity } from '../../../shared/app/account-snapshot.ts';
import { InvalidOrder } from '../../../shared/ports/exchange-errors.ts';
import { stubbedExchange } from '../../support/binance-stub.ts';
import { useBinanceStub } from '../../support/binance-stub-hooks.ts';

const NOW = Date.UTC(2026, 8, 15, 12, 30);
const stub = useBinanceStub(() => NOW);

const exchange = (symbols: string[]) => stubbedExchange(stub, () => NOW, symbols);
const exchangeInfoRequests = () =>
  stub.requests.filter((r) => r.path.endsWith('/exchangeInfo') || r.path.includes('margin/'));

describe('markets loaded by the Binance adapter', () => {
  it('asks spot exchangeInfo for the configured symbols only, USD-M once, nothing else', async () => {
    const bracket = {
      bracket: 1,
      initialLeverage: 125,
      notionalCap: 50_000,
      notionalFloor: 0,
      maintMarginRatio: 0.004,
      cum: 0,
    };
    stub.replay('GET /fapi/v1/leverageBracket', {
      body: ['BTCUSDT', 'ETHUSDT'].map((symbol) => ({ symbol, notionalCoef: 1, brackets: [bracket] })),
    });
    const m = await exchange(['BTCUSDT', 'ETHUSDT']).loadMarkets();
    expect(exchangeInfoRequests().map((r) => [r.path, r.params])).toEqual([
      ['/fapi/v1/exchangeInfo', {}],
      ['/api/v3/exchangeInfo', { symbols: '["BTCUSDT","ETHUSDT"]' }],
    ]);
    // The executor's order rules for every spot symbol it trades are there.
    expect(Object.keys(m.spot).sort()).toEqual(['BTCUSDT', 'ETHUSDT']);
    expect(m.spot.ETHUSDT).toMatchObject({ symbol: 'ETHUSDT', market: 'spot', tickSize: 0.01 });
  });

  it('values a spot coin whose market is not loaded at its own USDT price', async () => {
    // The bot trades BTCUSDT; the trader also holds 2 ETH and 0.5 BNB on spot.
    stub.replay('GET /api/v3/account', {
      body: {
        balances: [
          { asset: 'BTC', free: '0.01000000', locked: '0.00000000' },
          { asset: 'ETH', free: '1.50000000', locked: '0.50000000' },
          { asset: 'BNB', free: '0.50000000', locked: '0.00000000' },
          { asset: 'USDT', free: '5000.00000000', locked: '0.00000000' },
        ],
      },
    });
    const last: Record<string, string> = { BTCUSDT: '59990.00', ETHUSDT: '3000.00', BNBUSDT: '600.00' };
    stub.replay('GET /api/v3/ticker/24hr', (p) =>
      last[p.symbol!] ? { body: { symbol: p.symbol, lastPrice: last[p.symbol!] } } : undefined,
    );
    const warnings: string[] = [];
    const e = await totalEquity(exchange(['BTCUSDT']), (w) => warnings.push(w));
    // Futures equity 10,000 − 12.50 = 9,987.50 (stub account); spot 0.01 × 59,990 = 599.90,
    // 2 × 3,000 = 6,000, 0.5 × 600 = 300, 5,000 USDT → 9,987.50 + 11,899.90 = 21,887.40.
    expect(e.unpriced).toEqual([]);
    expect(warnings).toEqual([]);
    expect(e.total).toBeCloseTo(21_887.4, 6);
    expect(exchangeInfoRequests().find((r) => r.path === '/api/v3/exchangeInfo')?.params).toEqual({
      symbols: '["BTCUSDT"]',
    });
  });

  it('names a coin Binance has no USDT market for as unpriced, and a failing price call throws', async () => {
    stub.replay('GET /api/v3/account', {
      body: {
        balances: [
          { asset: 'XYZ', free: '7.00000000', locked: '0.00000000' },
          { asset: 'USDT', free: '5000.00000000', locked: '0.00000000' },
        ],
      },
    });
    stub.replay('GET /api/v3/ticker/24hr', (p) =>
      p.symbol === 'XYZUSDT' ? { status: 400, body: { code: -1121, msg: 'Invalid symbol.' } } : undefined,
    );
    const ex = exchange(['BTCUSDT']);
    const warnings: string[] = [];
    const e = await totalEquity(ex, (w) => warnings.push(w));
    expect(e.unpriced).toEqual(['XYZ']);
    expect(e.total).toBeCloseTo(9_987.5 + 5_000, 6);
    expect(warnings[0]).toContain('XYZ');
    // A transient failure (Binance 503) must not value the coin at 0: the read throws.
    stub.replay('GET /api/v3/ticker/24hr', (p) =>
      p.symbol === 'XYZUSDT'
        ? { status: 503, body: { code: -1001, msg: 'Service unavailable.' } }
        : undefined,
    );
    await expect(totalEquity(ex)).rejects.toMatchObject({ retryable: true });
  });

  it('refuses a spot price symbol that is not <ASSET>USDT before any request', async () => {
    await expect(exchange(['BTCUSDT']).fetchSpotPrice('btc/usdt')).rejects.toBeInstanceOf(InvalidOrder);
    expect(stub.requests).toEqual([]);
  });
});
