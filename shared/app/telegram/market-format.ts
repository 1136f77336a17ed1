// Prices and quantities as the symbol's market shows them: tick and step size from the market rules
// (over the read model: the markets view the position monitor writes hourly). A symbol without rules
// (no view yet, a position on a symbol not configured) gets format.ts's fallback precision.
import type { MarketKind } from '../../domain/order.ts';
import type { ExchangeReader, MarketRules, Markets } from '../../ports/exchange.ts';
import { ExchangeError } from '../../ports/exchange-errors.ts';
import { price, quantity } from './format.ts';

/**
 * `market` 'either': a figure of an order whose market is not recorded (a fill event): the price at the
 * finer of the two ticks, the quantity as it is (up to 8 decimals) — a spot hedge's 0.01234 BTC must
 * not show as the futures step's 0.012.
 */
export type FormatMarket = MarketKind | 'either';

export interface MarketFormat {
  price(symbol: string, x: number, market?: FormatMarket): string;
  quantity(symbol: string, x: number, market?: FormatMarket): string;
  /** The symbol's futures tick size, if its rules are known (the chart's price scale). */
  tickSize(symbol: string): number | undefined;
}

export async function marketFormat(exchange: Pick<ExchangeReader, 'loadMarkets'>): Promise<MarketFormat> {
  let markets: Markets = { futures: {}, spot: {} };
  try {
    markets = await exchange.loadMarkets();
  } catch (err) {
    // No rules to read (the markets view not written yet): the figures come from elsewhere, so the
    // reply is still worth sending at the fallback precision. Anything but an exchange error is a bug.
    if (!(err instanceof ExchangeError)) throw err;
  }
  const rules = (symbol: string, market: MarketKind): MarketRules | undefined => {
    const book: Record<string, MarketRules> = markets[market];
    return Object.hasOwn(book, symbol) ? book[symbol] : undefined;
  };
  const tick = (symbol: string, market: FormatMarket) => {
    if (market !== 'either') return rules(symbol, market)?.tickSize;
    const ticks = [rules(symbol, 'futures')?.tickSize, rules(symbol, 'spot')?.tickSize];
    const known = ticks.filter((t): t is number => t !== undefined);
    return known.length > 0 ? Math.min(...known) : undefined;
  };
  return {
    price: (symbol, x, market = 'futures') => price(x, tick(symbol, market)),
    quantity: (symbol, x, market = 'futures') =>
      quantity(x, market === 'either' ? undefined : rules(symbol, market)?.stepSize),
    tickSize: (symbol) => rules(symbol, 'futures')?.tickSize,
  };
}
