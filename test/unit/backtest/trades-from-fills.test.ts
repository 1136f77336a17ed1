// Round-trip trades from fills: the entry price is the average cost of what is still held, so a
// partial close followed by an add does not inflate it (the report draws entries at this price).
import { describe, expect, it } from 'vitest';
import type { FillRecord } from '../../../shared/adapters/sim/ledger.ts';
import { tradesFromFills } from '../../../shared/backtest/metrics.ts';

const base = {
  symbol: 'BTCUSDT',
  market: 'futures' as const,
  liquidation: false,
  clientOrderId: 'x',
  fee: 0,
};
const fill = (
  time: number,
  side: 'buy' | 'sell',
  quantity: number,
  price: number,
  realizedPnl = 0,
): FillRecord => ({
  ...base,
  time,
  side,
  quantity,
  price,
  realizedPnl,
});

describe('tradesFromFills entry price', () => {
  it('keeps the average cost of the remaining size after a partial close', () => {
    // Buy 3 @ 100 (cost 300); sell 1 @ 110 closes a third: 2 held at 100 (cost 200); buy 1 @ 130:
    // 3 held at (200 + 130) / 3 = 110; sell 3 @ 120 closes the trade. Exit: (1×110 + 3×120) / 4 = 117.5.
    const [t] = tradesFromFills([
      fill(1, 'buy', 3, 100),
      fill(2, 'sell', 1, 110, 10),
      fill(3, 'buy', 1, 130),
      fill(4, 'sell', 3, 120, 30),
    ]);
    expect(t?.entryPrice).toBeCloseTo(110, 9);
    expect(t?.exitPrice).toBeCloseTo(117.5, 9);
    expect(t?.quantity).toBe(3);
  });
});
