// Multi-year real data for the benchmark and the long agreement tests: the shipped BTCUSDT 1h series
// when it holds years (the data helper ships 2020→2026), else the read-only reference copy of the same
// Binance files on this machine.
import { existsSync } from 'node:fs';
import { type Dataset, loadDataset } from '../../shared/market-data/dataset.ts';

const REFERENCE_DIR = '/work/shared/data';
const YEAR_OF_HOURS = 365 * 24;

export function multiYearDataset(symbol = 'BTCUSDT'): Dataset {
  const shipped = loadDataset(symbol);
  if (shipped.candles.time.length >= 2 * YEAR_OF_HOURS || !existsSync(REFERENCE_DIR)) return shipped;
  return loadDataset(symbol, REFERENCE_DIR);
}
