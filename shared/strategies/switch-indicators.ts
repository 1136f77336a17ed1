// long_short_switch's indicators as plain data (./streaming.ts), fed one closed candle at a time: 1h
// momentum (RSI) and volume, and a fast and a slow EMA per trend timeframe, each fed from its own
// closed candles.
import { type CandleSeries, seriesLength, seriesSource } from '../domain/candles.ts';
import { type FeedMark, fingerprint, firstUnfed } from './feed.ts';
import type { LongShortSwitchParams } from './long-short-switch.ts';
import type { MarketView } from './strategy.ts';
import {
  type Ema,
  emaValue,
  newEma,
  newRsi,
  newSma,
  type Rsi,
  type Sma,
  smaValue,
  updateEma,
  updateRsi,
  updateSma,
} from './streaming.ts';

export type Trend = 'up' | 'down' | 'none';

/** Fast and slow EMA of one trend timeframe's closes. */
interface TrendFrame {
  t: number;
  fast: Ema;
  slow: Ema;
}

/** The switch's indicators as plain data (./streaming.ts): 1h momentum and volume, EMAs per timeframe. */
export interface SwitchIndicators extends FeedMark {
  rsi: Rsi;
  volume: Sma;
  /** Average volume of the `volumePeriod` 1h candles before the last one; null until known. */
  volumeBefore: number | null;
  frames: Partial<Record<'1h' | '4h' | '1d', TrendFrame>>;
}

const INDICATOR_PARAMS = ['timeframes', 'fastEma', 'slowEma', 'rsiPeriod', 'volumePeriod'] as const;

/**
 * Feeds a trend timeframe's closes since its last one; a cold start (or a gap) takes the last
 * slowEma × 3 closes, as the batch EMAs did over their window. The EMA seed's weight after that window
 * is (1 − 2/(slowEma + 1))^(3·slowEma) ≈ e^−6 ≈ 0.25 % of the seed's distance from the long-run value
 * (the fast EMA's far less), and it keeps shrinking by that factor every 3·slowEma candles.
 */
function feedFrame(f: TrendFrame | undefined, c: CandleSeries | undefined, p: LongShortSwitchParams) {
  if (!c) return undefined;
  const end = seriesLength(c);
  let from = f ? firstUnfed(c, f.t) : -1;
  let s = f;
  if (from < 0 || !s) {
    if (end < p.slowEma * 3) return undefined;
    from = end - p.slowEma * 3;
    s = { t: 0, fast: newEma(p.fastEma), slow: newEma(p.slowEma) };
  }
  const src = seriesSource(c);
  for (let j = from; j < end; j++) {
    updateEma(s.fast, src.close[j]!);
    updateEma(s.slow, src.close[j]!);
    s.t = src.time[j]!;
  }
  return s;
}

/**
 * Brings every indicator up to the view's last closed candles. 1h momentum and volume warm up from
 * the look-back window on a cold start (RSI: Wilder seed weight (1 − 1/rsiPeriod)^(window − rsiPeriod),
 * negligible at the defaults' 313 candles; volume average: exact).
 */
export function feedSwitch(
  ind: SwitchIndicators | undefined,
  view: MarketView,
  p: LongShortSwitchParams,
  window: number,
): SwitchIndicators | undefined {
  const c = view.candles['1h'];
  if (!c) return undefined;
  const fp = fingerprint(p, INDICATOR_PARAMS);
  let s = ind && ind.fp === fp ? ind : undefined;
  const end = seriesLength(c);
  let from = s ? firstUnfed(c, s.t) : -1;
  if (from < 0 || !s) {
    from = Math.max(0, end - window);
    s = {
      fp,
      t: 0,
      rsi: newRsi(p.rsiPeriod),
      volume: newSma(p.volumePeriod),
      volumeBefore: null,
      frames: {},
    };
  }
  const src = seriesSource(c);
  for (let j = from; j < end; j++) {
    updateRsi(s.rsi, src.close[j]!);
    const before = smaValue(s.volume);
    s.volumeBefore = Number.isNaN(before) ? null : before;
    updateSma(s.volume, src.volume[j]!);
    s.t = src.time[j]!;
  }
  for (let i = 0; i < p.timeframes.length; i++) {
    const tf = p.timeframes[i]!;
    const frame = feedFrame(s.frames[tf], view.candles[tf], p);
    if (frame) s.frames[tf] = frame;
    else delete s.frames[tf];
  }
  return s;
}

export function trendOf(ind: SwitchIndicators | undefined, p: LongShortSwitchParams): Trend {
  if (!ind) return 'none';
  let up = 0;
  let down = 0;
  for (let i = 0; i < p.timeframes.length; i++) {
    const f = ind.frames[p.timeframes[i]!];
    if (!f) return 'none';
    const fast = emaValue(f.fast);
    const slow = emaValue(f.slow);
    if (fast > slow) up++;
    else if (fast < slow) down++;
  }
  return up === p.timeframes.length ? 'up' : down === p.timeframes.length ? 'down' : 'none';
}
