// Binance's published leverage brackets, shipped with the product so the simulator, the risk engine and
// the backtester work offline. The live system refreshes them from the exchange (Exchange port).
// Data: ./data/binance-leverage-brackets.json — see its "source" field and ./data/README.md.
import { z } from 'zod';
import raw from './data/binance-leverage-brackets.json' with { type: 'json' };
import { FuturesMathInputError, maxLeverageForNotional } from './futures-math.ts';
import { type LeverageBracket, LeverageBracketTableSchema } from './market.ts';

const FileSchema = z.object({
  source: z.string().min(1),
  symbols: z.record(z.string(), LeverageBracketTableSchema),
});

// Validated once at import: a corrupt data file fails loudly at start-up, not mid-trade.
const table = FileSchema.parse(raw).symbols;

export const BRACKET_SYMBOLS: readonly string[] = Object.keys(table);

/** The shipped brackets for `symbol`; throws a clear error for a symbol we have no tiers for. */
export function leverageBracketsFor(symbol: string): readonly LeverageBracket[] {
  const rows = table[symbol];
  if (!rows) {
    throw new FuturesMathInputError(
      `no leverage brackets shipped for ${symbol}; known: ${BRACKET_SYMBOLS.join(', ')}`,
    );
  }
  return rows;
}

/** Leverage actually allowed: the requested one, capped by the product limit and by the tier's max. */
export function allowedLeverage(p: {
  requested: number;
  productMax: number;
  notional: number;
  brackets: readonly LeverageBracket[];
}): number {
  return Math.min(p.requested, p.productMax, maxLeverageForNotional(p.notional, p.brackets));
}
