// Candles as columns of typed arrays: compact, cache-friendly, and sliceable without copying.
import { z } from 'zod';

export const TimeframeSchema = z.enum(['1h', '4h', '1d', '15m']);
export type Timeframe = z.infer<typeof TimeframeSchema>;

export const TIMEFRAME_MS: Record<Timeframe, number> = {
  '15m': 15 * 60_000,
  '1h': 3_600_000,
  '4h': 4 * 3_600_000,
  '1d': 24 * 3_600_000,
};

/** Column-oriented candles; `time` is the open time in ms (UTC). Length is `time.length`. */
export interface CandleSeries {
  readonly time: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
}

/** The first `end` candles of a series, as views (no copy): what a strategy may see at one instant. */
export function candleWindow(s: CandleSeries, end: number): CandleSeries {
  return {
    time: s.time.subarray(0, end),
    open: s.open.subarray(0, end),
    high: s.high.subarray(0, end),
    low: s.low.subarray(0, end),
    close: s.close.subarray(0, end),
    volume: s.volume.subarray(0, end),
  };
}

export function emptySeries(n: number): CandleSeries {
  return {
    time: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
  };
}

/** A contiguous sub-range [from, to) as views. */
export function sliceSeries(s: CandleSeries, from: number, to: number): CandleSeries {
  return {
    time: s.time.subarray(from, to),
    open: s.open.subarray(from, to),
    high: s.high.subarray(from, to),
    low: s.low.subarray(from, to),
    close: s.close.subarray(from, to),
    volume: s.volume.subarray(from, to),
  };
}

/**
 * The first `end` candles of a series, moved forward in place: the backtester keeps one per timeframe
 * and sets `end` each tick instead of slicing six columns per candle. Columns are cut (as views, no
 * copy) only when read; streaming strategies read the source by index (seriesSource, seriesLength) and
 * cut nothing. Valid for the tick it is handed to: the next tick moves it.
 */
export class CandleWindow implements CandleSeries {
  constructor(
    readonly source: CandleSeries,
    public end: number,
  ) {}
  get time(): Float64Array {
    return this.source.time.subarray(0, this.end);
  }
  get open(): Float64Array {
    return this.source.open.subarray(0, this.end);
  }
  get high(): Float64Array {
    return this.source.high.subarray(0, this.end);
  }
  get low(): Float64Array {
    return this.source.low.subarray(0, this.end);
  }
  get close(): Float64Array {
    return this.source.close.subarray(0, this.end);
  }
  get volume(): Float64Array {
    return this.source.volume.subarray(0, this.end);
  }
}

/** The columns to index into: a window's source, or the series itself. */
export function seriesSource(s: CandleSeries): CandleSeries {
  return s instanceof CandleWindow ? s.source : s;
}

/** How many candles the series holds (a window's `end`). */
export function seriesLength(s: CandleSeries): number {
  return s instanceof CandleWindow ? s.end : s.time.length;
}
