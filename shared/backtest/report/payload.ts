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
import { barAtOrBefore, MARKER_KINDS, type MarkerKind, markersOf } from './markers.ts';
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
  /** [candle time s, kind index into MARKER_KINDS, price]: compact, there can be tens of thousands. */
  markers: [number, number, number][];
  markerKinds: readonly MarkerKind[];
  /** Open times (s) of each segment's first and last equity bar. */
  segments: { from: number; to: number; kind: Segment['kind'] }[];
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
    if (i1 >= i0) out.push({ from: time[i0]! / 1000, to: time[i1]! / 1000, kind: s.kind });
  }
  return out;
}

export function buildPayload(
  r: BacktestResult,
  extra: { segments?: readonly Segment[]; baselines?: readonly BaselineSeries[] },
): ReportPayload {
  const c = r.candles;
  const dec = priceDecimals(c.close);
  return {
    initialEquity: r.metrics.initialEquity,
    candles: { time: encodeTimes(c.time), ...encodeCandles(c, dec) },
    equity: { time: encodeTimes(r.equity.time), value: encodeValues(r.equity.value, MONEY_DEC) },
    baselines: (extra.baselines ?? []).map((b) => ({
      name: b.name,
      time: encodeTimes(b.time),
      value: encodeValues(b.value, MONEY_DEC),
    })),
    markers: markersOf(r).map((m) => [m.time, MARKER_KINDS.indexOf(m.kind), Number(m.price.toFixed(dec))]),
    markerKinds: MARKER_KINDS,
    segments: segmentIndices(r.equity.time, extra.segments ?? []),
  };
}
