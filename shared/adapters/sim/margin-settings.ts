// Per-symbol leverage and margin mode of the simulated futures account, with Binance's refusals:
// leverage above the position's bracket maximum; a margin-mode change with a position or open orders.
import type { LeverageBracket } from '../../domain/market.ts';
import type { MarginMode } from '../../domain/primitives.ts';
import { InvalidOrder } from '../../ports/exchange-errors.ts';

export class MarginSettings {
  readonly leverage = new Map<string, number>();
  readonly marginMode = new Map<string, MarginMode>();

  constructor(symbols: readonly string[], defaultLeverage: number, defaultMode: MarginMode) {
    for (const s of symbols) {
      this.leverage.set(s, defaultLeverage);
      this.marginMode.set(s, defaultMode);
    }
  }

  /** Binance: the leverage must be allowed by the bracket of the position's current notional. */
  setLeverage(
    symbol: string,
    leverage: number,
    positionNotional: number,
    brackets: readonly LeverageBracket[],
  ): number {
    if (!Number.isInteger(leverage) || leverage < 1)
      throw new InvalidOrder(`Leverage ${leverage} is not valid`);
    const allowed = brackets.find((b) => positionNotional < b.notionalCap)?.maxLeverage ?? 1;
    if (leverage > allowed)
      throw new InvalidOrder(`Leverage ${leverage} is above the bracket maximum ${allowed}`);
    this.leverage.set(symbol, leverage);
    return leverage;
  }

  setMarginMode(symbol: string, mode: MarginMode, busy: boolean): void {
    if (this.marginMode.get(symbol) === mode) return;
    if (busy) {
      throw new InvalidOrder('Margin type cannot be changed if there exists position or open orders');
    }
    this.marginMode.set(symbol, mode);
  }

  save(): { leverage: [string, number][]; marginMode: [string, MarginMode][] } {
    return { leverage: [...this.leverage], marginMode: [...this.marginMode] };
  }

  load(s: { leverage: [string, number][]; marginMode: [string, MarginMode][] }): void {
    this.leverage.clear();
    for (const [k, v] of s.leverage) this.leverage.set(k, v);
    this.marginMode.clear();
    for (const [k, v] of s.marginMode) this.marginMode.set(k, v);
  }
}
