import { describe, expect, it } from 'vitest';
import { buyAndHold } from '../../../shared/backtest/buy-and-hold.ts';
import { runBacktest } from '../../../shared/backtest/engine.ts';
import { computeMetrics, tradesFromFills } from '../../../shared/backtest/metrics.ts';
import { fundingFee } from '../../../shared/domain/futures-math.ts';
import type { Dataset } from '../../../shared/market-data/dataset.ts';
import { IntentFactory, type Strategy } from '../../../shared/strategies/strategy.ts';
import { candles, funding, HOUR, T0 } from '../../support/candles.ts';

function dataset(rows: Parameters<typeof candles>[0], f: [number, number][] = []): Dataset {
  return { symbol: 'BTCUSDT', timeframe: '1h', candles: candles(rows), funding: funding(f), gaps: [] };
}

describe('runBacktest', () => {
  it('buy-and-hold: equity follows the hand computation (fees, slippage and funding included)', () => {
    const rows = [
      [60_000, 60_000, 60_000, 60_000],
      [60_000, 61_000, 60_000, 61_000],
      [61_000, 62_000, 61_000, 62_000],
    ] as const;
    const r = runBacktest({
      strategy: buyAndHold,
      params: buyAndHold.paramsSchema.parse({ positionPct: 24 }),
      dataset: dataset(rows, [[T0 + 2 * HOUR, 0.001]]),
      slippagePct: 0.1,
    });
    // 24 % of 10,000 at 60,000 → 0.04 BTC bought at 60,060 (0.1 % slippage), taker fee 0.05 %.
    const qty = 0.04;
    const entry = 60_060;
    const fee = qty * entry * 0.0005;
    const paid = fundingFee({ side: 'long', quantity: qty, markPrice: 61_000, fundingRate: 0.001 });
    const final = 10_000 - fee + paid + qty * (62_000 - entry);
    expect(r.metrics.finalEquity).toBeCloseTo(final, 9);
    expect(r.metrics.fees).toBeCloseTo(fee, 12);
    expect(r.metrics.fundingPnl).toBeCloseTo(paid, 12);
    expect(r.metrics.exposurePct).toBe(100);
    expect(r.trades).toHaveLength(1);
    expect(r.trades[0]!.openAtEnd).toBe(true);
  });

  it('passes every intent through the risk check: an oversized entry is rejected with its reason', () => {
    const greedy: Strategy<{ pct: number }, undefined> = {
      name: 'greedy',
      description: 'test',
      paramsSchema: buyAndHold.paramsSchema as never,
      timeframes: ['1h'],
      lookback: () => 0,
      evaluate({ view, account, params }) {
        const f = new IntentFactory('greedy', view, { leverage: 5, marginMode: 'isolated' });
        if (!account.position)
          f.add({
            market: 'futures',
            side: 'buy',
            type: 'market',
            quantity: Number(((account.equity * params.pct) / 100 / view.markPrice).toFixed(3)),
          });
        return { intents: f.intents, cancels: [], state: undefined, notes: [] };
      },
    };
    const r = runBacktest({
      strategy: greedy,
      params: { pct: 50 },
      dataset: dataset([
        [60_000, 60_000, 60_000, 60_000],
        [60_000, 60_000, 60_000, 60_000],
      ]),
    });
    expect(r.fills).toHaveLength(0);
    expect(r.rejections).toHaveLength(2);
    expect(r.rejections[0]!.reasons.join()).toMatch(/exceeds 30 % of equity/);
  });
});

describe('metrics', () => {
  it('max drawdown, return and win rate from a hand-made curve', () => {
    const m = computeMetrics({
      equity: Float64Array.from([110, 99, 120, 90]),
      initialEquity: 100,
      trades: [],
      fees: 0,
      fundingPnl: 0,
      liquidations: 0,
      exposedBars: 2,
      barsPerYear: 8760,
    });
    expect(m.returnPct).toBeCloseTo(-10, 12);
    expect(m.maxDrawdownPct).toBeCloseTo(25, 12); // 120 → 90
    expect(m.exposurePct).toBe(50);
  });

  it('splits fills into round trips, including a flip, net of fees', () => {
    const base = { symbol: 'BTCUSDT', market: 'futures' as const, liquidation: false, clientOrderId: 'x' };
    const trades = tradesFromFills([
      { ...base, time: 1, side: 'buy', quantity: 1, price: 100, fee: 1, realizedPnl: 0 },
      { ...base, time: 2, side: 'sell', quantity: 3, price: 110, fee: 2, realizedPnl: 10 },
      { ...base, time: 3, side: 'buy', quantity: 2, price: 105, fee: 1, realizedPnl: 10 },
    ]);
    expect(trades.map((t) => [t.side, t.netPnl, t.entryPrice, t.exitPrice])).toEqual([
      ['long', 7, 100, 110],
      ['short', 9, 110, 105],
    ]);
  });
});
