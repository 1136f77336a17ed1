// A symbol's market data for the simulator and backtester: base candles, funding history, and the
// higher timeframes derived from them.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CandleSeries, Timeframe } from '../domain/candles.ts';
import { type FundingSeries, type Gap, parseCandleCsv, parseFundingCsv } from './csv.ts';

export const SHIPPED_DATA_DIR = join(dirname(fileURLToPath(import.meta.url)), 'data');

export interface Dataset {
  symbol: string;
  timeframe: Timeframe;
  candles: CandleSeries;
  funding: FundingSeries;
  gaps: Gap[];
}

/** Load `<dir>/<SYMBOL>-1h.csv` and `<dir>/<SYMBOL>-funding-8h.csv` (the latter optional: no funding). */
export function loadDataset(symbol: string, dir: string = SHIPPED_DATA_DIR): Dataset {
  const candlePath = join(dir, `${symbol}-1h.csv`);
  let text: string;
  try {
    text = readFileSync(candlePath, 'utf8');
  } catch {
    throw new Error(
      `no candles for ${symbol}: ${candlePath} not found (see shared/market-data/data/README.md)`,
    );
  }
  const { series, gaps } = parseCandleCsv(text, '1h', candlePath);
  const fundingPath = join(dir, `${symbol}-funding-8h.csv`);
  let funding: FundingSeries = { time: new Float64Array(0), rate: new Float64Array(0) };
  try {
    funding = parseFundingCsv(readFileSync(fundingPath, 'utf8'), fundingPath);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  return { symbol, timeframe: '1h', candles: series, funding, gaps };
}
