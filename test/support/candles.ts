// Builders for hand-made candle series in tests.
import { type CandleSeries, emptySeries } from '../../shared/domain/candles.ts';
import type { FundingSeries } from '../../shared/market-data/csv.ts';
import type { Dataset } from '../../shared/market-data/dataset.ts';

export const HOUR = 3_600_000;
/** 2026-09-01 00:00 UTC: a funding time (00:00, 08:00, 16:00). */
export const T0 = Date.UTC(2026, 8, 1, 0, 0, 0);

/** Candles from [open, high, low, close] rows, hourly from `start`, volume 100. */
export function candles(
  rows: readonly (readonly [number, number, number, number])[],
  start = T0,
): CandleSeries {
  const s = emptySeries(rows.length);
  rows.forEach(([o, h, l, c], i) => {
    s.time[i] = start + i * HOUR;
    s.open[i] = o;
    s.high[i] = h;
    s.low[i] = l;
    s.close[i] = c;
    s.volume[i] = 100;
  });
  return s;
}

/** `n` flat candles at `price`. */
export function flat(n: number, price: number, start = T0): CandleSeries {
  return candles(
    Array.from({ length: n }, () => [price, price, price, price] as const),
    start,
  );
}

export function funding(entries: readonly (readonly [number, number])[]): FundingSeries {
  return {
    time: Float64Array.from(entries.map((e) => e[0])),
    rate: Float64Array.from(entries.map((e) => e[1])),
  };
}

/** A BTCUSDT 1h dataset of hand-made candle rows (see `candles`), no funding and no gaps. */
export function rowsDataset(rows: readonly (readonly [number, number, number, number])[]): Dataset {
  return { symbol: 'BTCUSDT', timeframe: '1h', candles: candles(rows), funding: funding([]), gaps: [] };
}
