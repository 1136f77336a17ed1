import { describe, expect, it } from 'vitest';
import { SimulatedExchange } from '../../../shared/adapters/sim/sim-exchange.ts';
import { Simulator } from '../../../shared/adapters/sim/simulator.ts';
import { liquidationPriceWithBrackets } from '../../../shared/domain/futures-math.ts';
import { leverageBracketsFor } from '../../../shared/domain/leverage-brackets.ts';
import { OrderNotFound } from '../../../shared/ports/exchange-errors.ts';
import { candles, funding, HOUR, T0 } from '../../support/candles.ts';

const rows = Array.from({ length: 12 }, (_, i) => [100 + i, 101 + i, 99 + i, 100.5 + i] as const);

function exchange(startIndex: number) {
  const sim = new Simulator({
    data: {
      BTCUSDT: {
        candles: candles(rows.map(([o, h, l, c]) => [o * 600, h * 600, l * 600, c * 600] as const)),
        funding: funding([[T0 + 8 * HOUR, 0.0003]]),
      },
    },
    startIndex,
    defaultLeverage: 10,
  });
  return { sim, ex: new SimulatedExchange(sim) };
}

describe('SimulatedExchange (the Exchange port over the simulator)', () => {
  it('returns only closed candles: no look-ahead at the clock', async () => {
    const { ex } = exchange(5);
    const c = await ex.fetchCandles('BTCUSDT', '1h', 100);
    expect(c.time.length).toBe(5);
    expect(c.time[4]).toBe(T0 + 4 * HOUR);
    const four = await ex.fetchCandles('BTCUSDT', '4h', 100);
    expect(Array.from(four.time)).toEqual([T0]);
    expect((await ex.fetchCandles('BTCUSDT', '1h', 2)).time.length).toBe(2);
  });

  it('reports the next funding rate and time, the mark price and balances', async () => {
    const { ex } = exchange(2);
    const f = await ex.fetchFundingRate('BTCUSDT');
    expect(f.fundingRate).toBe(0.0003);
    expect(f.nextFundingTime).toBe(T0 + 8 * HOUR);
    expect(await ex.fetchMarkPrice('BTCUSDT')).toBe(102 * 600);
    expect((await ex.fetchBalances()).futures.equity).toBe(10_000);
  });

  it('creates, finds by clientOrderId and reports positions with the futures-math liquidation price', async () => {
    const { ex } = exchange(1);
    await ex.createOrder({
      clientOrderId: 'o-1',
      symbol: 'BTCUSDT',
      market: 'futures',
      side: 'buy',
      type: 'market',
      quantity: 0.1,
    });
    expect((await ex.fetchOrderByClientId('BTCUSDT', 'o-1')).status).toBe('filled');
    await expect(ex.fetchOrderByClientId('BTCUSDT', 'nope')).rejects.toBeInstanceOf(OrderNotFound);
    const [p] = await ex.fetchPositions();
    expect(p?.side).toBe('long');
    const expected = liquidationPriceWithBrackets({
      side: 'long',
      marginMode: 'isolated',
      entryPrice: 101 * 600,
      quantity: 0.1,
      walletBalance: (0.1 * 101 * 600) / 10,
      brackets: leverageBracketsFor('BTCUSDT'),
    });
    expect(p?.liquidationPrice).toBeCloseTo(expected, 9);
  });
});
