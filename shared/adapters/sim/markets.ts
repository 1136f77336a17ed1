// Trading rules the simulator enforces, as Binance publishes them in exchangeInfo (USD-M and spot).
// Values for BTCUSDT/ETHUSDT are Binance's filters; other symbols get conservative generic rules.
import { leverageBracketsFor } from '../../domain/leverage-brackets.ts';
import type { FuturesMarket, MarketRules, Markets } from '../../ports/exchange.ts';

const FUTURES_FILTERS: Record<
  string,
  { tickSize: number; stepSize: number; minQuantity: number; minNotional: number }
> = {
  // USD-M exchangeInfo: PRICE_FILTER tickSize, LOT_SIZE stepSize/minQty, MIN_NOTIONAL notional.
  BTCUSDT: { tickSize: 0.1, stepSize: 0.001, minQuantity: 0.001, minNotional: 100 },
  ETHUSDT: { tickSize: 0.01, stepSize: 0.001, minQuantity: 0.001, minNotional: 20 },
};
const SPOT_FILTERS: Record<
  string,
  { tickSize: number; stepSize: number; minQuantity: number; minNotional: number }
> = {
  // Spot exchangeInfo: PRICE_FILTER, LOT_SIZE, NOTIONAL minNotional.
  BTCUSDT: { tickSize: 0.01, stepSize: 0.00001, minQuantity: 0.00001, minNotional: 5 },
  ETHUSDT: { tickSize: 0.01, stepSize: 0.0001, minQuantity: 0.0001, minNotional: 5 },
};
const GENERIC = { tickSize: 0.0001, stepSize: 0.1, minQuantity: 0.1, minNotional: 5 };

export function defaultMarkets(symbols: readonly string[]): Markets {
  const futures: Record<string, FuturesMarket> = {};
  const spot: Record<string, MarketRules> = {};
  for (const symbol of symbols) {
    futures[symbol] = {
      symbol,
      market: 'futures',
      ...(FUTURES_FILTERS[symbol] ?? GENERIC),
      brackets: leverageBracketsFor(symbol),
    };
    spot[symbol] = { symbol, market: 'spot', ...(SPOT_FILTERS[symbol] ?? GENERIC) };
  }
  return { futures, spot };
}

/**
 * USD-M PERCENT_PRICE filter (exchangeInfo: multiplierUp / multiplierDown, multiplierDecimal 4): a BUY
 * limit price must be ≤ mark × up, a SELL limit price ≥ mark × down. BTCUSDT and ETHUSDT publish
 * 1.0500 / 0.9500; many smaller perpetuals 1.1500 / 0.8500, the generic rule here.
 */
export interface PercentPriceBand {
  multiplierUp: number;
  multiplierDown: number;
}
const PERCENT_PRICE: Record<string, PercentPriceBand> = {
  BTCUSDT: { multiplierUp: 1.05, multiplierDown: 0.95 },
  ETHUSDT: { multiplierUp: 1.05, multiplierDown: 0.95 },
};
const GENERIC_PERCENT_PRICE: PercentPriceBand = { multiplierUp: 1.15, multiplierDown: 0.85 };

export function percentPriceBand(symbol: string): PercentPriceBand {
  return PERCENT_PRICE[symbol] ?? GENERIC_PERCENT_PRICE;
}
