// The simulator's margin moves: an isolated position's own wallet grows by what is added and the futures
// wallet's available USDT falls by it (the wallet balance, which includes isolated wallets, does not);
// a transfer moves USDT between the spot and the futures wallet; refusals are named errors.
import { describe, expect, it } from 'vitest';
import { SimulatedExchange } from '../../../shared/adapters/sim/sim-exchange.ts';
import { Simulator } from '../../../shared/adapters/sim/simulator.ts';
import { InsufficientBalance, NoIsolatedPosition } from '../../../shared/ports/exchange-errors.ts';
import { flat } from '../../support/candles.ts';

function world(o: { spotUsdt?: number; marginMode?: 'isolated' | 'cross' } = {}) {
  const sim = new Simulator({
    data: { BTCUSDT: { candles: flat(5, 60_000) } },
    initialWalletUsdt: 10_000,
    initialSpot: { USDT: o.spotUsdt ?? 0 },
    defaultMarginMode: o.marginMode ?? 'isolated',
    defaultLeverage: 5,
  });
  return { sim, ex: new SimulatedExchange(sim), available: () => sim.ledger.available((s) => sim.price(s)) };
}

describe('simulator: add margin', () => {
  it('moves USDT from the available balance into the isolated wallet, booked in the history', async () => {
    const w = world();
    w.sim.createOrder({
      clientOrderId: 'ac-short',
      symbol: 'BTCUSDT',
      market: 'futures',
      side: 'sell',
      type: 'market',
      quantity: 0.04,
    });
    // 0.04 × 60 000 / 5 = 480 margin; fee 0.04 × 60 000 × 0.05 % = 1.20.
    expect(w.available()).toBeCloseTo(10_000 - 480 - 1.2, 9);
    const lpBefore = (await w.ex.fetchPositions())[0]!.liquidationPrice;
    expect(await w.ex.addMargin('BTCUSDT', 120)).toEqual({ symbol: 'BTCUSDT', amount: 120 });
    expect(w.sim.ledger.positions.get('BTCUSDT')!.isolatedMargin).toBeCloseTo(600, 9);
    expect(w.available()).toBeCloseTo(10_000 - 600 - 1.2, 9);
    expect(w.sim.ledger.walletBalance).toBeCloseTo(10_000 - 1.2, 9);
    expect((await w.ex.fetchPositions())[0]!.liquidationPrice).toBeGreaterThan(lpBefore);
    expect(await w.ex.fetchMarginAdjustments('BTCUSDT', 0)).toEqual([
      { symbol: 'BTCUSDT', type: 'add', amount: 120, time: w.sim.now() },
    ]);
  });

  it('refuses with NoIsolatedPosition without a position or on a cross one, InsufficientBalance beyond what is available', async () => {
    const flatBook = world();
    await expect(flatBook.ex.addMargin('BTCUSDT', 10)).rejects.toBeInstanceOf(NoIsolatedPosition);
    const cross = world({ marginMode: 'cross' });
    cross.sim.createOrder({
      clientOrderId: 'ac-long',
      symbol: 'BTCUSDT',
      market: 'futures',
      side: 'buy',
      type: 'market',
      quantity: 0.01,
    });
    await expect(cross.ex.addMargin('BTCUSDT', 10)).rejects.toBeInstanceOf(NoIsolatedPosition);
    const w = world();
    w.sim.createOrder({
      clientOrderId: 'ac-short',
      symbol: 'BTCUSDT',
      market: 'futures',
      side: 'sell',
      type: 'market',
      quantity: 0.04,
    });
    await expect(w.ex.addMargin('BTCUSDT', 9_600)).rejects.toBeInstanceOf(InsufficientBalance);
    expect(w.sim.ledger.marginAdjustments).toEqual([]);
  });
});

describe('simulator: transfer', () => {
  it('moves USDT spot → futures and back; total equity does not change', async () => {
    const w = world({ spotUsdt: 1_000 });
    const t = await w.ex.transfer({ from: 'spot', to: 'futures', amount: 400 });
    expect(t).toMatchObject({
      id: 'sim-transfer-1',
      from: 'spot',
      to: 'futures',
      amount: 400,
      status: 'confirmed',
    });
    expect(w.sim.ledger.spot.get('USDT')).toBe(600);
    expect(w.sim.ledger.walletBalance).toBe(10_400);
    await w.ex.transfer({ from: 'futures', to: 'spot', amount: 100 });
    expect(w.sim.ledger.spot.get('USDT')).toBe(700);
    expect(w.sim.ledger.walletBalance).toBe(10_300);
    expect((await w.ex.fetchTransfers('spot', 'futures', 0)).map((x) => x.id)).toEqual(['sim-transfer-1']);
    expect((await w.ex.fetchTransfers('futures', 'spot', 0)).map((x) => x.id)).toEqual(['sim-transfer-2']);
  });

  it('refuses with InsufficientBalance beyond the source wallet (futures: what is available, not what backs a position)', async () => {
    const w = world({ spotUsdt: 100 });
    await expect(w.ex.transfer({ from: 'spot', to: 'futures', amount: 100.01 })).rejects.toBeInstanceOf(
      InsufficientBalance,
    );
    w.sim.createOrder({
      clientOrderId: 'ac-short',
      symbol: 'BTCUSDT',
      market: 'futures',
      side: 'sell',
      type: 'market',
      quantity: 0.04,
    });
    // Available 9 518.80 of a 9 998.80 wallet: the 480 in the isolated wallet cannot leave.
    await expect(w.ex.transfer({ from: 'futures', to: 'spot', amount: 9_600 })).rejects.toBeInstanceOf(
      InsufficientBalance,
    );
    expect(w.sim.ledger.transfers).toEqual([]);
    expect(w.sim.ledger.spot.get('USDT')).toBe(100);
  });

  it('a saved state carries the margin history (a restart can still reconcile)', async () => {
    const w = world({ spotUsdt: 500 });
    await w.ex.transfer({ from: 'spot', to: 'futures', amount: 50 });
    const restored = world({ spotUsdt: 500 });
    restored.sim.loadState(JSON.parse(JSON.stringify(w.sim.saveState())));
    expect(await restored.ex.fetchTransfers('spot', 'futures', 0)).toHaveLength(1);
    expect(restored.sim.ledger.spot.get('USDT')).toBe(450);
  });
});
