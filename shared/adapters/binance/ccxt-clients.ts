// The ccxt clients behind the Binance adapter, as ccxt does not give them: a spot client that loads
// only the configured symbols' markets (and survives a symbol spot does not list), and a market load
// that a transient failure does not poison for the life of the process.
import ccxt from 'ccxt';

/**
 * ccxt's spot client that loads only these symbols' markets: every market load (ccxt's own, before
 * fetchBalance or an order, included) asks GET /api/v3/exchangeInfo with `symbols=["BTCUSDT",…]`
 * (Binance spot API, General endpoints → Exchange information); ccxt's fetchMarkets passes its params
 * to that request. Parsing all ~3,300 spot markets was most of the guardian's memory
 * (test/bench/lambda-memory.ts). USD-M's exchangeInfo takes no filter (~550 markets, loaded whole).
 * Binance refuses the whole request (-1121 "Invalid symbol.", ccxt BadSymbol) when one symbol has no
 * spot market of that name — a futures contract such as 1000PEPEUSDT (1,000 PEPE; spot lists
 * PEPEUSDT) — so on that refusal each symbol is asked alone, the ones spot does not list are dropped
 * for good (this client's later loads ask for the rest only), and the others load.
 */
export function spotForSymbols(ids: readonly string[]) {
  let listed = [...ids];
  return class extends ccxt.binance {
    override async fetchMarkets(params = {}) {
      const load = (symbols: readonly string[]) =>
        super.fetchMarkets(this.extend({ symbols: JSON.stringify(symbols) }, params));
      if (listed.length === 0) return [];
      try {
        return await load(listed);
      } catch (err) {
        if (!(err instanceof ccxt.BadSymbol)) throw err;
      }
      const found: string[] = [];
      const markets = [];
      for (const id of listed) {
        try {
          markets.push(...(await load([id])));
          found.push(id);
        } catch (err) {
          if (!(err instanceof ccxt.BadSymbol)) throw err;
        }
      }
      listed = found;
      return markets;
    }
  };
}

/**
 * ccxt keeps the promise of its first market load (`marketsLoading`) and hands it back on every later
 * load — a rejected one too (ccxt base Exchange.loadMarkets): one timeout on a cold start would fail
 * every call of a warm container until it is recycled. Forget a failed load so the next call asks again.
 */
export function forgetFailedMarketLoads(ex: InstanceType<typeof ccxt.Exchange>) {
  const load = ex.loadMarkets.bind(ex);
  ex.loadMarkets = async (reload?: boolean, params?: object) => {
    try {
      return await load(reload, params);
    } catch (err) {
      (ex as { marketsLoading?: unknown }).marketsLoading = undefined;
      throw err;
    }
  };
}
