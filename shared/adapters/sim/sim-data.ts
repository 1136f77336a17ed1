// The market data under one simulator: every symbol's series (./series.ts) on one time grid, the clock's
// instants, and what the run must say about its data (./data-notes.ts), including the spot orders it
// refused for want of a spot price.
import { InvalidOrder } from '../../ports/exchange-errors.ts';
import { symbolDataNotes } from './data-notes.ts';
import { type SymbolData, SymbolSeries } from './series.ts';

export class SimData {
  readonly symbols: readonly string[];
  /** Number of candles of the grid. */
  readonly n: number;
  private readonly series: Record<string, SymbolSeries> = {};
  private readonly grid: Float64Array;
  private readonly refusedSpot = new Map<string, number>();

  constructor(
    readonly data: Record<string, SymbolData>,
    spotBasisPct: number,
    /** Facts decided before the simulator (e.g. symbols cut to a common span). */
    private readonly notes: readonly string[] = [],
  ) {
    this.symbols = Object.keys(data);
    const first = data[this.symbols[0]!];
    if (!first) throw new Error('the simulator needs data for at least one symbol');
    this.grid = first.candles.time;
    this.n = this.grid.length;
    for (const s of this.symbols) {
      const t = data[s]!.candles.time;
      if (t.length !== this.n || t[0] !== this.grid[0] || t[this.n - 1] !== this.grid[this.n - 1]) {
        throw new Error(`all symbols must share one candle time grid (${s} differs)`);
      }
      this.series[s] = new SymbolSeries(s, data[s]!, 1 - spotBasisPct / 100);
    }
  }

  of(symbol: string): SymbolSeries {
    const s = this.series[symbol];
    if (!s) throw new InvalidOrder(`Invalid symbol ${symbol}`);
    return s;
  }

  /** Open time of candle k; after the last candle, that candle's close time. */
  timeAt(k: number): number {
    const t = this.grid;
    if (k < this.n) return t[k]!;
    const step = this.n > 1 ? t[this.n - 1]! - t[this.n - 2]! : 3_600_000;
    return t[this.n - 1]! + step;
  }

  refusedSpotOrder(symbol: string): void {
    this.refusedSpot.set(symbol, (this.refusedSpot.get(symbol) ?? 0) + 1);
  }

  /** Notes over the candles [i0, i1). */
  dataNotes(i0: number, i1: number): string[] {
    const out = [...this.notes];
    for (const s of this.symbols)
      out.push(...symbolDataNotes(this.series[s]!, i0, i1, this.refusedSpot.get(s) ?? 0));
    return out;
  }
}
