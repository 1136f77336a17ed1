// Multi-year real data for the benchmark and the long agreement tests: the shipped BTCUSDT 1h series
// when it holds years (the data helper ships 2020→2026), else the read-only reference copy of the same
// Binance files on this machine.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type Dataset, loadDataset, SHIPPED_DATA_DIR } from '../../shared/market-data/dataset.ts';

const REFERENCE_DIR = '/work/shared/data';
const YEAR_OF_HOURS = 365 * 24;

export function multiYearDataset(symbol = 'BTCUSDT'): Dataset {
  // Bundled (`npm run bench` runs an esbuild bundle), the module's own path is the bundle's: fall back
  // to the project root, where npm runs scripts.
  const dir = existsSync(SHIPPED_DATA_DIR)
    ? SHIPPED_DATA_DIR
    : join(process.cwd(), 'shared/market-data/data');
  const shipped = loadDataset(symbol, dir);
  if (shipped.candles.time.length >= 2 * YEAR_OF_HOURS || !existsSync(REFERENCE_DIR)) return shipped;
  return loadDataset(symbol, REFERENCE_DIR);
}
