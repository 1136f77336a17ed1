// The backtester on the shipped six years: a strategy sees the mark price and the spot price of the
// real series, its hedge leg fills at the spot candle, a spot order in the 2023-03-24 Binance spot halt
// is refused, and the run's dataNotes say what stood in where.
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runBacktest } from '../../../shared/backtest/engine.ts';
import { summarize } from '../../../shared/backtest/summary.ts';
import { type Dataset, loadDataset } from '../../../shared/market-data/dataset.ts';
import { IntentFactory, type MarketView, type Strategy } from '../../../shared/strategies/strategy.ts';

const at = (s: string) => Date.parse(`${s}:00Z`);
let btc: Dataset;
beforeAll(() => {
  btc = loadDataset('BTCUSDT');
});

/** Buys 0.01 BTC on spot at the given instants and remembers every view it saw. */
function spotBuyer(times: number[], seen: MarketView[]): Strategy<Record<string, never>, undefined> {
  return {
    name: 'spot_buyer',
    description: 'test',
    paramsSchema: z.object({}).strict() as never,
    timeframes: ['1h'],
    lookback: () => 0,
    evaluate({ view }) {
      // The engine reuses one view object across ticks (no per-candle allocation): keep a copy.
      seen.push({ ...view });
      const f = new IntentFactory('spot_buyer', view, { leverage: 1, marginMode: 'isolated' });
      if (times.includes(view.time)) f.add({ market: 'spot', side: 'buy', type: 'market', quantity: 0.01 });
      return { intents: f.intents, cancels: [], state: undefined, notes: [] };
    },
  };
}

describe('backtest on the real mark and spot series', () => {
  // Rows of the shipped files (timestamp,open,high,low,close,volume):
  //   BTCUSDT-spot-1h 1679652000000 (2023-03-24 10:00): 28041.11,28085.06,27941,28039.71,3639.2461
  //   BTCUSDT-1h      1679652000000: 28028.6,28077.8,27925.1,28028.1,22426.177
  //   BTCUSDT-mark-1h 1679652000000: 28031.46891667,28077.8,27937.81663492,28028.16730556,0
  //   BTCUSDT-spot-1h 1679659200000 (12:00): 28080,28080,28080,28080,0 — then no 13:00 bar (the halt).
  it('the hedge leg fills at the spot candle’s open; a spot order in the halt is refused; the view says so', () => {
    const seen: MarketView[] = [];
    const r = runBacktest({
      strategy: spotBuyer([at('2023-03-24T10:00'), at('2023-03-24T13:00')], seen),
      params: {},
      dataset: btc,
      from: at('2023-03-24T00:00'),
      to: at('2023-03-25T00:00'),
      initialSpotUsdt: 1_000,
      slippagePct: 0,
    });
    const ten = seen.find((v) => v.time === at('2023-03-24T10:00'))!;
    expect(ten.markPrice).toBe(28031.46891667);
    expect(ten.spotPrice).toBe(28041.11);
    expect(ten.spotTradable).toBe(true);
    const spotFills = r.fills.filter((f) => f.market === 'spot');
    expect(spotFills).toHaveLength(1);
    expect(spotFills[0]!.time).toBe(at('2023-03-24T10:00'));
    expect(spotFills[0]!.price).toBe(28041.11);

    const thirteen = seen.find((v) => v.time === at('2023-03-24T13:00'))!;
    expect(thirteen.spotTradable).toBe(false);
    expect(thirteen.spotPrice).toBe(28080); // the 12:00 close, not forward-filled into a candle
    expect(r.rejections).toHaveLength(1);
    expect(r.rejections[0]!.reasons.join()).toMatch(/^SpotMarketClosed: /);

    expect(r.dataNotes).toEqual([
      'BTCUSDT perp: last-price candles 2023-03-24 00:00 → 2023-03-24 23:00',
      'BTCUSDT mark: mark-price candles 2023-03-24 00:00 → 2023-03-24 23:00',
      'BTCUSDT spot: spot candles 2023-03-24 00:00 → 2023-03-24 23:00; spot orders refused and spot valued at the last spot close in 1 gap (1 bar): 2023-03-24 13:00 (1)',
      'BTCUSDT spot: 1 spot order refused (no spot price)',
    ]);
    const json = summarize(r, { strategy: 'spot_buyer', symbol: 'BTCUSDT', params: {}, settings: {} });
    expect(json.dataNotes).toEqual(r.dataNotes);
  });

  it('after the mark and spot series end (2026-05-17), the run says the last price stands in and spot is closed', () => {
    const r = runBacktest({
      strategy: spotBuyer([], []),
      params: {},
      dataset: btc,
      from: at('2026-05-17T00:00'),
      to: at('2026-05-18T00:00'),
    });
    expect(r.dataNotes).toContain(
      'BTCUSDT mark: mark-price candles 2026-05-17 00:00 → 2026-05-17 06:00; last price stands in for 2026-05-17 07:00 → 2026-05-17 23:00 (no mark data)',
    );
    expect(r.dataNotes).toContain(
      // The last row of BTCUSDT-spot-1h (2026-05-16 18:00) closes at 78229.81.
      'BTCUSDT spot: no spot data 2026-05-17 00:00 → 2026-05-17 23:00: spot orders refused, spot valued at the last spot close (78229.81)',
    );
  });
});
