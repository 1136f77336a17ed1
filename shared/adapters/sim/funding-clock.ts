// Funding settlement for the simulator: per symbol, a cursor into its recorded funding series, and the
// earliest instant any symbol settles next (so a candle with nothing due costs one comparison).
import type { FundingSeries } from '../../market-data/csv.ts';
import type { Ledger } from './ledger.ts';

export class FundingClock {
  /** Per symbol (in `symbols` order): index of the next unsettled funding record. */
  readonly cursor: number[] = [];
  nextAt = Number.POSITIVE_INFINITY;

  constructor(
    private readonly symbols: readonly string[],
    private readonly fundingOf: (symbol: string) => FundingSeries | undefined,
    startAt: number,
  ) {
    for (const s of symbols) {
      // Only funding strictly after the start instant is settled.
      const f = fundingOf(s);
      let c = 0;
      if (f) while (c < f.time.length && f.time[c]! <= startAt) c++;
      this.cursor.push(c);
    }
    this.nextAt = this.earliest();
  }

  /**
   * Settle every funding due at or before `now` on the ledger's positions, at `priceOf` marks: the
   * simulator's mark price at the settlement instant. Binance, "Introduction to Binance Futures Funding
   * Rates": Funding Amount = Nominal Value of Positions × Funding Rate, where Nominal Value of Positions
   * = Mark Price × Size of a Contract.
   */
  settleDue(now: number, ledger: Ledger, priceOf: (symbol: string) => number): void {
    if (now < this.nextAt) return;
    for (let i = 0; i < this.symbols.length; i++) {
      const symbol = this.symbols[i]!;
      const f = this.fundingOf(symbol);
      if (!f) continue;
      let c = this.cursor[i]!;
      while (c < f.time.length && f.time[c]! <= now) {
        ledger.settleFunding(symbol, f.time[c]!, priceOf(symbol), f.rate[c]!);
        c++;
      }
      this.cursor[i] = c;
    }
    this.nextAt = this.earliest();
  }

  save(): { fundingCursor: number[]; nextFundingAt: number | null } {
    return {
      fundingCursor: [...this.cursor],
      nextFundingAt: Number.isFinite(this.nextAt) ? this.nextAt : null,
    };
  }

  load(s: { fundingCursor: number[]; nextFundingAt: number | null }): void {
    if (s.fundingCursor.length !== this.symbols.length)
      throw new Error('the saved simulator state is for other symbols');
    this.cursor.splice(0, this.cursor.length, ...s.fundingCursor);
    this.nextAt = s.nextFundingAt ?? Number.POSITIVE_INFINITY;
  }

  private earliest(): number {
    let next = Number.POSITIVE_INFINITY;
    for (let i = 0; i < this.symbols.length; i++) {
      const f = this.fundingOf(this.symbols[i]!);
      const c = this.cursor[i]!;
      if (f && c < f.time.length) next = Math.min(next, f.time[c]!);
    }
    return next;
  }
}
