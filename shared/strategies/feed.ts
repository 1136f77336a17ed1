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

const fingerprints = new WeakMap<object, string>();

/** A stable fingerprint of the parameters that shape the indicators (cached per params object). */
export function fingerprint<P extends object>(params: P, keys: readonly (keyof P)[]): string {
  let fp = fingerprints.get(params);
  if (fp === undefined) {
    fp = keys.map((k) => `${String(k)}=${JSON.stringify(params[k])}`).join(';');
    fingerprints.set(params, fp);
  }
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
