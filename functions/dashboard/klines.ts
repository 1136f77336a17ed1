// The trade chart's candles in AWS: Binance USD-M's public klines endpoint (market data, no key, weight
// 1–2; https://developers.binance.com/docs/derivatives/usds-margined-futures/market-data/rest-api/Kline-Candlestick-Data).
// A plain fetch rather than ccxt: the dashboard bundle, like the webhook's, carries no exchange client.
import { z } from 'zod';
import type { CandleSeries } from '../../shared/domain/candles.ts';

const KlinesSchema = z.array(
  z.tuple([z.number(), z.string(), z.string(), z.string(), z.string(), z.string()]).rest(z.unknown()),
);

export function publicKlines(base = 'https://fapi.binance.com', timeoutMs = 3_000) {
  return async (symbol: string, limit: number): Promise<CandleSeries> => {
    const url = `${base}/fapi/v1/klines?symbol=${encodeURIComponent(symbol)}&interval=1h&limit=${limit}`;
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) throw new Error(`klines ${symbol}: HTTP ${res.status}`);
    const rows = KlinesSchema.parse(await res.json());
    const col = (i: number) => Float64Array.from(rows, (r) => Number(r[i]));
    return { time: col(0), open: col(1), high: col(2), low: col(3), close: col(4), volume: col(5) };
  };
}
