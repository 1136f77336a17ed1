// The executor's final checks: halt for spot sells, valuation of odd spot assets, the leverage cap.
import { describe, expect, it, vi } from 'vitest';
import { totalEquity } from '../../../shared/app/account-snapshot.ts';
import { OrderIntentSchema } from '../../../shared/domain/order.ts';
import { executorHarness } from './executor-harness.ts';

describe('executor checks', () => {
  it('defect 3: a spot sell is refused while halted, like a futures entry', async () => {
    const h = executorHarness({ initialSpot: { USDT: 0, BTC: 0.01 } });
    await h.deps.store.setHalt(true, 'daily loss limit', h.clock.now(), 0);
    const out = await h.place({ market: 'spot', side: 'sell', quantity: 0.001 });
    expect(out).toMatchObject({ kind: 'rejected', reasons: [expect.stringMatching(/halted/)] });
    expect(h.fx.creates.size).toBe(0);
    expect(h.sim.ledger.spot.get('BTC')).toBe(0.01);
  });

  it('defect 4: an asset with no USDT market is valued at 0 with a warning and blocks nothing', async () => {
    const h = executorHarness({ initialSpot: { USDT: 100, XYZ: 3, LDUSDT: 20 } });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const equity = await totalEquity(h.fx.exchange);
      // XYZ has no XYZUSDT market: 0. LDUSDT (Simple Earn) is priced as the asset it holds: 1:1.
      expect(equity.total).toBeCloseTo(10_000 + 100 + 20, 6);
      expect(equity.unpriced).toEqual(['XYZ']);
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/XYZ/));
      expect((await h.place({ quantity: 0.01 })).kind).toBe('placed');
      expect(
        (await h.place({ side: 'sell', type: 'stop_market', stopPrice: 55_000, reduceOnly: true })).kind,
      ).toBe('placed');
    } finally {
      warn.mockRestore();
    }
  });

  it('defect 8: an opposite-side order no larger than the position, above the 20x cap, never changes the leverage', async () => {
    const h = executorHarness();
    expect((await h.place({ quantity: 0.01, leverage: 5 })).kind).toBe('placed');
    const setLeverage = vi.spyOn(h.fx.exchange, 'setLeverage');
    const out = await h.place({ side: 'sell', quantity: 0.005, leverage: 50 });
    expect(out.kind).toBe('rejected');
    expect(setLeverage).not.toHaveBeenCalled();
    expect(h.sim.leverageOf('BTCUSDT')).toBe(5);
    expect(h.sim.ledger.positions.get('BTCUSDT')?.quantity).toBeCloseTo(0.01, 12);
  });

  it('defect 8: a reducing order above the configured limit does not touch the leverage either', async () => {
    const h = executorHarness();
    h.deps.limits = { ...h.deps.limits, maxLeverage: 10 };
    expect((await h.place({ quantity: 0.01, leverage: 5 })).kind).toBe('placed');
    const setLeverage = vi.spyOn(h.fx.exchange, 'setLeverage');
    // Whether the risk rules reject it (leverage outside 1–10x) or let it reduce the position, the
    // position's 5x stays: leverage is set only for an order that opens or adds exposure.
    await h.place({ side: 'sell', quantity: 0.005, leverage: 15 });
    expect(setLeverage).not.toHaveBeenCalled();
    expect(h.sim.leverageOf('BTCUSDT')).toBe(5);
  });

  it('defect 8: the intent schema caps leverage at 20 for orders that use it', () => {
    const base = {
      id: 'ac-schema',
      strategy: 'test',
      symbol: 'BTCUSDT',
      market: 'futures',
      side: 'buy',
      type: 'market',
      quantity: 0.01,
      marginMode: 'isolated',
      createdAt: 0,
    } as const;
    expect(OrderIntentSchema.safeParse({ ...base, leverage: 20 }).success).toBe(true);
    expect(OrderIntentSchema.safeParse({ ...base, leverage: 21 }).success).toBe(false);
    expect(OrderIntentSchema.safeParse({ ...base, market: 'spot', leverage: 21 }).success).toBe(false);
    // A reduce-only order never sets leverage; it must still parse for a position opened by hand at 50x.
    expect(OrderIntentSchema.safeParse({ ...base, leverage: 50, reduceOnly: true }).success).toBe(true);
  });
});
