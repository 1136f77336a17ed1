// Review: the port's isolatedMargin is "the position's own wallet" (shared/domain/position.ts), which
// Binance reports as positionRisk.isolatedWallet. Binance's isolatedMargin is that wallet plus the
// unrealised PnL (ccxt's own sample in binance.js parsePositionRisk: isolatedWallet 0.00268058 +
// unRealizedProfit 0.00006413 = isolatedMargin 0.00274471), and ccxt's `collateral` is that field.
// funding_arbitrage's margin plan (LP = (WB + cum + q·entry) / (q·mmr + q), WB the wallet) and the risk
// check's cross wallet (walletBalance − isolated wallets) need the wallet, not wallet + uPnL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BinanceExchange } from '../../../shared/adapters/binance/binance-exchange.ts';
import { type BinanceStub, startBinanceStub, stubbedExchange } from '../../support/binance-stub.ts';

const NOW = Date.UTC(2026, 8, 15, 12, 30);
let stub: BinanceStub;
let ex: BinanceExchange;
beforeAll(async () => {
  stub = await startBinanceStub(() => NOW);
  ex = stubbedExchange(stub, () => NOW);
});
afterAll(async () => {
  await stub.stop();
});

describe('review: isolated margin read from Binance', () => {
  it('review: an isolated position reports its wallet plus unrealised PnL as its own wallet', async () => {
    // The stub's short: isolatedWallet 122.0, unRealizedProfit 9.895 → Binance's isolatedMargin 131.895.
    const [p] = await ex.fetchPositions();
    expect(p!.isolatedMargin).toBe(122);
  });
});
