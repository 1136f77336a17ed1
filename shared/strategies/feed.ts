// Feeding a strategy's streaming indicators: the candles closed since the state's last candle, whatever
// their number (one per tick in a backtest; after a missed live tick, several), or — on a cold start (no
// state, another parameter set, or a gap the view's candles do not cover) — the look-back window.
import { type CandleSeries, seriesLength, seriesSource } from '../domain/candles.ts';
import type { FuturesOrder } from '../domain/order.ts';

/** What every indicator state carries to know where it stands. */
export interface FeedMark {
  /** Fingerprint of the parameters the indicators were built with. */
  fp: string;
  /** Open time of the last candle fed. */
  t: number;
}

/**
 * The index of the first candle of `s` not yet fed to indicators that last saw the candle opening at
 * `lastTime`; -1 when `s` does not reach back to that candle (a gap): the caller warms up afresh.
 */
export function firstUnfed(s: CandleSeries, lastTime: number): number {
  const time = seriesSource(s).time;
  let i = seriesLength(s);
  while (i > 0 && time[i - 1]! > lastTime) i--;
  return i > 0 && time[i - 1] === lastTime ? i : -1;
}

/**
 * The one feeding loop of a strategy's indicator state `S`: the candles of `c` closed since `ind.t`, or
 * — on a cold start (no state, other parameters, a gap) — the last `window(p)` candles into a state made
 * by `init`; `step` folds candle `j` of the series' source into it. Undefined while `c` is missing or
 * shorter than the window. `init` and `step` are module functions of the strategy, so a tick allocates
 * nothing here.
 */
export function feedIndicators<S extends FeedMark, P extends object>(
  ind: S | undefined,
  c: CandleSeries | undefined,
  p: P,
  keys: readonly (keyof P)[],
  window: (p: P) => number,
  init: (p: P, fp: string) => S,
  step: (s: S, src: CandleSeries, j: number, p: P) => void,
): S | undefined {
  if (!c) return undefined;
  const fp = fingerprint(p, keys);
  const end = seriesLength(c);
  let from = ind && ind.fp === fp ? firstUnfed(c, ind.t) : -1;
  let s = ind;
  if (from < 0 || !s) {
    const w = window(p);
    if (end < w) return undefined;
    from = end - w;
    s = init(p, fp);
  }
  const src = seriesSource(c);
  for (let j = from; j < end; j++) {
    step(s, src, j, p);
    s.t = src.time[j]!;
  }
  return s;
}

const fingerprints = new WeakMap<object, string>();
/** The last answer, checked before the WeakMap: a backtest asks for the same params every tick. */
let lastParams: object | undefined;
let lastFp = '';

/** A stable fingerprint of the parameters that shape the indicators (cached per params object). */
export function fingerprint<P extends object>(params: P, keys: readonly (keyof P)[]): string {
  if (params === lastParams) return lastFp;
  let fp = fingerprints.get(params);
  if (fp === undefined) {
    fp = keys.map((k) => `${String(k)}=${JSON.stringify(params[k])}`).join(';');
    fingerprints.set(params, fp);
  }
  lastParams = params;
  lastFp = fp;
  return fp;
}

/**
 * The empty list a quiet tick returns (no intents, cancels or notes) without allocating one; frozen, so
 * a caller that tried to add to it would fail loudly rather than share the addition.
 */
export const NONE: never[] = Object.freeze([]) as unknown as never[];

/**
 * Whether the order with this client id is among `open` (a symbol's open orders): a scan, no set built
 * per tick — a strategy holds a handful of orders per symbol.
 */
export function isOpen(open: readonly FuturesOrder[], clientOrderId: string): boolean {
  for (let i = 0; i < open.length; i++) if (open[i]!.clientOrderId === clientOrderId) return true;
  return false;
}
