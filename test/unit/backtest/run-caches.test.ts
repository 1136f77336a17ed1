// A sweep runs one dataset span under many parameter sets, so the engine and the simulator make the
// span's per-instant prices and data notes once and reuse them (shared/backtest/engine.ts simData,
// shared/adapters/sim/series.ts pricesOf, data-notes.ts). What must hold: a run on a reused span is the
// run a fresh dataset gives, a dataset whose series were replaced is not served the old ones, and a
// caller editing a result's notes does not edit the next run's.
import { describe, expect, it } from 'vitest';
import { buyAndHold } from '../../../shared/backtest/buy-and-hold.ts';
import { type BacktestResult, runBacktest } from '../../../shared/backtest/engine.ts';
import type { Dataset } from '../../../shared/market-data/dataset.ts';
import { candles, funding, HOUR, T0 } from '../../support/candles.ts';

/** 48 hourly candles rising 100 → 147, one funding settlement at 08:00 of +0.01 %. */
function dataset(markOffset?: number): Dataset {
  const rows = Array.from({ length: 48 }, (_, i) => [100 + i, 101 + i, 99 + i, 100 + i] as const);
  const ds: Dataset = {
    symbol: 'BTCUSDT',
    timeframe: '1h',
    candles: candles(rows),
    funding: funding([[T0 + 8 * HOUR, 0.0001]]),
    gaps: [],
  };
  if (markOffset !== undefined)
    ds.mark = candles(rows.map((r) => r.map((p) => p + markOffset) as unknown as typeof r));
  return ds;
}

const run = (ds: Dataset, from?: number) =>
  runBacktest({
    strategy: buyAndHold,
    params: buyAndHold.paramsSchema.parse({}),
    dataset: ds,
    ...(from !== undefined ? { from } : {}),
  });

/** What a run decided and valued, without the views it shares with its dataset. */
const outcome = (r: BacktestResult) => ({
  fills: r.fills,
  equity: [...r.equity.value],
  metrics: r.metrics,
  dataNotes: r.dataNotes,
});

describe('a span reused across runs', () => {
  it('gives the run a fresh copy of the same data gives, again and again', () => {
    const ds = dataset(0.5);
    const first = outcome(run(ds));
    expect(outcome(run(ds))).toEqual(first);
    expect(outcome(run(ds))).toEqual(outcome(run(dataset(0.5))));
    // Another span of the same dataset is its own: the later start has fewer bars.
    expect(run(ds, T0 + 24 * HOUR).equity.value.length).toBe(24);
    expect(outcome(run(ds))).toEqual(first);
  });

  it('serves no stale series when the dataset object is given other ones', () => {
    const ds = dataset();
    const withoutMark = outcome(run(ds));
    // Unrealised PnL follows the mark: a mark 5 above the last price values the long higher.
    ds.mark = dataset(5).mark!;
    const withMark = outcome(run(ds));
    expect(withMark).toEqual(outcome(run(dataset(5))));
    expect(withMark.equity.at(-1)!).toBeGreaterThan(withoutMark.equity.at(-1)!);
    expect(withMark.dataNotes.join('\n')).toContain('mark-price candles');
    expect(withoutMark.dataNotes.join('\n')).toContain('no mark-price data');
  });

  it("keeps a caller's edit of one result's notes out of the next result", () => {
    const ds = dataset(0.5);
    const notes = run(ds).dataNotes;
    const copy = [...notes];
    notes.length = 0;
    notes.push('edited by the caller');
    expect(run(ds).dataNotes).toEqual(copy);
  });
});
