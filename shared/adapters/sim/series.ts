// One symbol's price series for the simulator, and the prices each instant offers: the last price (the
// perp's candles: fills, stops, targets), the mark (mark-price candles: unrealised PnL, margin,
// liquidation, funding) and spot (spot candles: the hedge leg). Mark and spot come aligned to the perp's
// grid with NaN where they have no bar; what stands in then is decided here, once, and stated by
// ./data-notes.ts: the last price for a missing mark; for missing spot, no trading and the last spot
// close as its value. Without any spot series, perp × (1 − spotBasisPct/100) stands in for spot.
import type { CandleSeries } from '../../domain/candles.ts';
import type { FundingSeries } from '../../market-data/csv.ts';
import type { CandleBar } from './triggers.ts';

export interface SymbolData {
  /** The perpetual's last-price candles: the time grid. */
  candles: CandleSeries;
  funding?: FundingSeries;
  /** Mark-price candles on the same grid (NaN where none). Absent: the last price is the mark. */
  mark?: CandleSeries;
  /** Spot candles on the same grid (NaN where none). Absent: perp × (1 − spotBasisPct/100). */
  spot?: CandleSeries;
  /** The last spot close before the first bar (the value of spot until a spot bar comes), if any. */
  spotCloseBefore?: number;
}

const has = (s: CandleSeries | undefined, k: number) => s !== undefined && !Number.isNaN(s.open[k]!);

export class SymbolSeries {
  readonly n: number;
  /** Price offered at instant k (the open of candle k; k = n: the last close). */
  private readonly markNow: Float64Array;
  private readonly spotNow: Float64Array;
  private readonly spotOpen: Uint8Array;

  constructor(
    readonly symbol: string,
    readonly data: SymbolData,
    readonly spotFactor: number,
  ) {
    const c = data.candles;
    const n = c.time.length;
    this.n = n;
    for (const [name, s] of [
      ['mark', data.mark],
      ['spot', data.spot],
    ] as const) {
      if (s && (s.time.length !== n || s.time[0] !== c.time[0] || s.time[n - 1] !== c.time[n - 1]))
        throw new Error(`${symbol}: the ${name} candles must be aligned to the perp's time grid`);
    }
    const prices = pricesOf(data, spotFactor);
    this.markNow = prices.markNow;
    this.spotNow = prices.spotNow;
    this.spotOpen = prices.spotOpen;
  }

  lastAt(k: number): number {
    const c = this.data.candles;
    return k < this.n ? c.open[k]! : c.close[this.n - 1]!;
  }

  markAt(k: number): number {
    return this.markNow[Math.min(k, this.n)]!;
  }

  spotAt(k: number): number {
    return this.spotNow[Math.min(k, this.n)]!;
  }

  /** Spot has a market at instant k (a spot candle opens then, or there is no spot series at all). */
  spotTradableAt(k: number): boolean {
    if (k >= this.n) return !this.data.spot;
    return this.spotOpen[k] === 1;
  }

  // The bars below are scratch objects, one per kind, refilled on each call (no allocation per
  // candle): a caller reads them before asking for the next candle's (the simulator's advance does).
  private readonly lastScratch: CandleBar = { open: 0, high: 0, low: 0, close: 0 };
  private readonly markScratch: CandleBar = { open: 0, high: 0, low: 0, close: 0 };
  private readonly spotScratch: CandleBar = { open: 0, high: 0, low: 0, close: 0 };

  lastBar(k: number): CandleBar {
    return bar(this.lastScratch, this.data.candles, k, 1);
  }

  /** The mark candle k, or the last-price candle standing in where there is none. */
  markBar(k: number): CandleBar {
    return has(this.data.mark, k) ? bar(this.markScratch, this.data.mark!, k, 1) : this.lastBar(k);
  }

  /** The spot candle k; the perp stand-in without a spot series; undefined in a spot gap. */
  spotBar(k: number): CandleBar | undefined {
    if (!this.data.spot) return bar(this.spotScratch, this.data.candles, k, this.spotFactor);
    return has(this.data.spot, k) ? bar(this.spotScratch, this.data.spot, k, 1) : undefined;
  }
}

function bar(into: CandleBar, s: CandleSeries, k: number, f: number): CandleBar {
  into.open = s.open[k]! * f;
  into.high = s.high[k]! * f;
  into.low = s.low[k]! * f;
  into.close = s.close[k]! * f;
  return into;
}

/** The prices each instant offers, per series and spot factor: read-only once made. */
interface InstantPrices {
  markNow: Float64Array;
  spotNow: Float64Array;
  spotOpen: Uint8Array;
}

/**
 * Made once per series object and spot factor and shared by every simulator on it: a sweep runs the same
 * data under many parameter sets, and this O(n) pass was a fifth of a quiet backtest's time. The arrays
 * are never written after they are made (SymbolSeries keeps them private and only reads them).
 */
const madePrices = new WeakMap<SymbolData, Map<number, InstantPrices>>();

function pricesOf(data: SymbolData, spotFactor: number): InstantPrices {
  let byFactor = madePrices.get(data);
  const made = byFactor?.get(spotFactor);
  if (made) return made;
  const c = data.candles;
  const n = c.time.length;
  const markNow = new Float64Array(n + 1);
  const spotNow = new Float64Array(n + 1);
  const spotOpen = new Uint8Array(n + 1);
  const { mark, spot } = data;
  let lastSpotClose = data.spotCloseBefore ?? Number.NaN;
  for (let k = 0; k <= n; k++) {
    const last = k < n ? c.open[k]! : c.close[n - 1]!;
    const m = k < n ? mark?.open[k] : mark?.close[n - 1];
    markNow[k] = m !== undefined && !Number.isNaN(m) ? m : last;
    if (!spot) {
      spotNow[k] = last * spotFactor;
      spotOpen[k] = 1;
      continue;
    }
    const s = k < n ? spot.open[k]! : spot.close[n - 1]!;
    if (!Number.isNaN(s)) {
      spotNow[k] = s;
      spotOpen[k] = k < n ? 1 : 0;
    } else {
      // No spot bar now: the last spot close known (a price, not a market), or — before the spot
      // series begins — the perp stand-in, so spot holdings are never valued at NaN.
      spotNow[k] = Number.isNaN(lastSpotClose) ? last * spotFactor : lastSpotClose;
      spotOpen[k] = 0;
    }
    if (k < n && !Number.isNaN(spot.close[k]!)) lastSpotClose = spot.close[k]!;
  }
  const prices = { markNow, spotNow, spotOpen };
  if (!byFactor) {
    byFactor = new Map();
    madePrices.set(data, byFactor);
  }
  byFactor.set(spotFactor, prices);
  return prices;
}
