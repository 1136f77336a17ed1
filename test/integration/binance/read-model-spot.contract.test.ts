// The account read model with the trader's real spot wallet: dust no USDT market prices, a Simple Earn
// balance (LD<ASSET>). The position monitor used to fail the whole view on either, and /futures_status
// and the dashboard then showed the account as unavailable. Binance through the loopback stub, the
// in-memory store, the webhook's reader over the view.
import { describe, expect, it } from 'vitest';
import { MemoryStateStore } from '../../../shared/adapters/memory/state-store.ts';
import { accountPanel } from '../../../shared/app/dashboard/account-risk.ts';
import { AccountViewSchema, writeAccountView } from '../../../shared/app/read-model.ts';
import { futuresStatus } from '../../../shared/app/telegram/info-commands.ts';
import { loadConfig } from '../../../shared/config/env.ts';
import { stubbedExchange } from '../../support/binance-stub.ts';
import { useBinanceStub } from '../../support/binance-stub-hooks.ts';
import { readModelDeps } from '../../support/read-model-deps.ts';

const NOW = Date.UTC(2026, 8, 15, 12, 30);
const config = loadConfig({ SYMBOLS: 'BTCUSDT' });
const stub = useBinanceStub(() => NOW);

/** The trader's spot wallet: BTC, BTC in Simple Earn (LDBTC), delisted dust (XYZ), USDT. */
function wallet(xyzTicker: { status: number; code: number; msg: string }) {
  stub.replay('GET /api/v3/account', {
    body: {
      balances: [
        { asset: 'BTC', free: '0.01000000', locked: '0.00000000' },
        { asset: 'LDBTC', free: '0.02000000', locked: '0.00000000' },
        { asset: 'XYZ', free: '7.00000000', locked: '0.00000000' },
        { asset: 'USDT', free: '5000.00000000', locked: '0.00000000' },
      ],
    },
  });
  stub.replay('GET /api/v3/ticker/24hr', (p) => {
    if (p.symbol === 'BTCUSDT') return { body: { symbol: 'BTCUSDT', lastPrice: '59990.00' } };
    // Binance lists no LDBTCUSDT (an Earn balance, not a coin) and no longer lists XYZUSDT.
    if (p.symbol === 'LDBTCUSDT') return { status: 400, body: { code: -1121, msg: 'Invalid symbol.' } };
    if (p.symbol === 'XYZUSDT')
      return { status: xyzTicker.status, body: { code: xyzTicker.code, msg: xyzTicker.msg } };
    return undefined;
  });
}
const DELISTED = { status: 400, code: -1121, msg: 'Invalid symbol.' };

const readerDeps = (store: MemoryStateStore) => readModelDeps(NOW, config, store);

describe('the account view with coins no USDT market prices', () => {
  it('is written: LDBTC priced as BTC, XYZ named unpriced', async () => {
    wallet(DELISTED);
    const store = new MemoryStateStore();
    await writeAccountView({ exchange: stubbedExchange(stub, () => NOW), store, config }, NOW);
    const view = AccountViewSchema.parse(await store.getView('account'));
    expect(view.spotPrices).toEqual({ BTCUSDT: 59_990 });
    expect(view.unpricedSpot).toEqual(['XYZ']);
  });

  it('/futures_status and the dashboard show the equity with XYZ named and counted as 0', async () => {
    wallet(DELISTED);
    const store = new MemoryStateStore();
    await writeAccountView({ exchange: stubbedExchange(stub, () => NOW), store, config }, NOW);
    const deps = readerDeps(store);
    // Futures: wallet 10,000 − 12.50 unrealised = 9,987.50 (stub account). Spot: BTC 0.01 × 59,990 =
    // 599.90; LDBTC 0.02 × 59,990 = 1,199.80; XYZ 0; USDT 5,000 → 9,987.50 + 6,799.70 = 16,787.20.
    const reply = await futuresStatus.run({ deps, chatId: 1, userId: 1, updateId: 1, at: NOW, args: {} });
    expect(reply.text).toContain('<b>Equity</b> 16,787.20 USDT');
    expect(reply.text).toContain('<b>Unpriced spot coins</b> 7 XYZ — no USDT market prices them');
    const panel = await accountPanel(deps);
    expect(panel.equity).toBe('16,787.20 USDT');
    expect(panel.unpricedSpot).toBe('7 XYZ');
  });

  it('a wallet every coin of which is priced names none', async () => {
    stub.replay('GET /api/v3/ticker/24hr', (p) =>
      p.symbol === 'BTCUSDT' ? { body: { symbol: 'BTCUSDT', lastPrice: '59990.00' } } : undefined,
    );
    const store = new MemoryStateStore();
    await writeAccountView({ exchange: stubbedExchange(stub, () => NOW), store, config }, NOW);
    const deps = readerDeps(store);
    const reply = await futuresStatus.run({ deps, chatId: 1, userId: 1, updateId: 1, at: NOW, args: {} });
    expect(reply.text).not.toContain('Unpriced');
    expect((await accountPanel(deps)).unpricedSpot).toBe('');
  });

  it('a transient price failure fails the write: the last view stands, XYZ is not valued at 0', async () => {
    wallet(DELISTED);
    const store = new MemoryStateStore();
    const exchange = stubbedExchange(stub, () => NOW);
    await writeAccountView({ exchange, store, config }, NOW - 5_000);
    wallet({ status: 503, code: -1001, msg: 'Internal error; unable to process your request.' });
    await expect(writeAccountView({ exchange, store, config }, NOW)).rejects.toMatchObject({
      retryable: true,
    });
    expect(AccountViewSchema.parse(await store.getView('account')).at).toBe(NOW - 5_000);
  });
});
