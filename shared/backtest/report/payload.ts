// The data the report page draws, as one JSON object: candles, equity (the page derives the drawdown),
// baselines, markers and the in-/out-of-sample segments. Long series are delta-coded (encode.ts).
import type { BacktestResult } from '../engine.ts';
import {
  type EncodedTimes,
  type EncodedValues,
  encodeCandles,
  encodeTimes,
  encodeValues,
  priceDecimals,
} from './encode.ts';
import { barAtOrBefore, markersOf, type ReportMarker } from './markers.ts';
import type { BaselineSeries } from './periods-html.ts';

export interface Segment {
  /** ms UTC, inclusive start and end. */
  from: number;
  to: number;
  kind: 'in-sample' | 'out-of-sample';
}

export interface ReportPayload {
  initialEquity: number;
  candles: { time: EncodedTimes } & ReturnType<typeof encodeCandles>;
  equity: { time: EncodedTimes; value: EncodedValues };
  baselines: { name: string; time: EncodedTimes; value: EncodedValues }[];
  markers: ReportMarker[];
  /** Equity-bar indices (inclusive) of each segment, for shading by the chart's logical coordinates. */
  segments: { i0: number; i1: number; kind: Segment['kind'] }[];
}

/** Money in cents. */
const MONEY_DEC = 2;

export function segmentIndices(
  time: ArrayLike<number>,
  segments: readonly Segment[],
): ReportPayload['segments'] {
  if (time.length === 0) return [];
  const out: ReportPayload['segments'] = [];
  for (const s of segments) {
    if (s.to < time[0]! || s.from > time[time.length - 1]!) continue;
    let i0 = barAtOrBefore(time, s.from);
    if (time[i0]! < s.from) i0++;
    const i1 = barAtOrBefore(time, s.to);
    if (i1 >= i0) out.push({ i0, i1, kind: s.kind });
  }
  return out;
}

export function buildPayload(
  r: BacktestResult,
  extra: { segments?: readonly Segment[]; baselines?: readonly BaselineSeries[] },
): ReportPayload {
  const c = r.candles;
  return {
    initialEquity: r.metrics.initialEquity,
    candles: { time: encodeTimes(c.time), ...encodeCandles(c, priceDecimals(c.close)) },
    equity: { time: encodeTimes(r.equity.time), value: encodeValues(r.equity.value, MONEY_DEC) },
    baselines: (extra.baselines ?? []).map((b) => ({
      name: b.name,
      time: encodeTimes(b.time),
      value: encodeValues(b.value, MONEY_DEC),
    })),
    markers: markersOf(r),
    segments: segmentIndices(r.equity.time, extra.segments ?? []),
  };
}
