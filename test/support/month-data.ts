// The month of BTCUSDT the project shipped before the six years (2026-08-30 13:00 → 2026-09-30 23:00,
// 755 hourly candles, and the whole funding history), for the tests and tools written against it:
// cut from the shipped data, with no mark or spot series (none exists for that month: the simulator's
// stated stand-ins — last price as the mark, perp × (1 − basis) as spot — apply, as they did then).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Dataset, loadDataset, sliceDataset } from '../../shared/market-data/dataset.ts';

/** First and end (exclusive) open time of the month. */
export const MONTH_FROM = Date.UTC(2026, 7, 30, 13);
export const MONTH_TO = Date.UTC(2026, 9, 1, 0);
export const MONTH_BARS = 755;

let cached: Dataset | undefined;

/** BTCUSDT perp candles of the month and the full funding history (loaded once per process). */
export function monthDataset(): Dataset {
  if (!cached) {
    const { mark: _m, spot: _s, ...rest } = sliceDataset(loadDataset('BTCUSDT'), MONTH_FROM, MONTH_TO);
    cached = rest;
  }
  return cached;
}

/**
 * A folder with the month as `BTCUSDT-1h.csv` and `BTCUSDT-funding-8h.csv`, for `--data <dir>` and
 * the local runtime's `dataDir` (tools that load by folder).
 */
export function monthDataDir(): string {
  const ds = monthDataset();
  const dir = mkdtempSync(join(tmpdir(), 'acf-month-'));
  mkdirSync(dir, { recursive: true });
  const c = ds.candles;
  const rows = ['timestamp,open,high,low,close,volume'];
  for (let i = 0; i < c.time.length; i++)
    rows.push(`${c.time[i]},${c.open[i]},${c.high[i]},${c.low[i]},${c.close[i]},${c.volume[i]}`);
  writeFileSync(join(dir, 'BTCUSDT-1h.csv'), `${rows.join('\n')}\n`);
  const f = ds.funding;
  const frows = ['timestamp,fundingRate'];
  for (let i = 0; i < f.time.length; i++) frows.push(`${f.time[i]},${f.rate[i]}`);
  writeFileSync(join(dir, 'BTCUSDT-funding-8h.csv'), `${frows.join('\n')}\n`);
  return dir;
}
