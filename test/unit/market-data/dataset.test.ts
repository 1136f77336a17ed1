import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { MarketDataError } from '../../../shared/market-data/csv.ts';
import {
  commonSpan,
  coverageOf,
  type Dataset,
  loadDataset,
  sliceDataset,
} from '../../../shared/market-data/dataset.ts';

const H = 3_600_000;
const at = (s: string) => Date.parse(`${s}:00Z`);
const HEADER = 'timestamp,open,high,low,close,volume';

// Figures from the reference's README (../shared/data/README.md, "Files" and "Spot gaps"), counted
// there by its validate_csv.py, not by this loader.
let btc: Dataset;
let eth: Dataset;
beforeAll(() => {
  btc = loadDataset('BTCUSDT');
  eth = loadDataset('ETHUSDT');
});

describe('the shipped data (.csv.gz)', () => {
  it('BTCUSDT perp: 59,160 hourly bars 2020-01-01 00:00 → 2026-09-30 23:00 without gaps, funding every 8 h', () => {
    expect(btc.files?.perp.path).toMatch(/BTCUSDT-1h\.csv\.gz$/);
    expect(btc.candles.time.length).toBe(59_160);
    expect(btc.candles.time[0]).toBe(at('2020-01-01T00:00'));
    expect(btc.candles.time.at(-1)).toBe(at('2026-09-30T23:00'));
    expect(btc.gaps).toEqual([]);
    expect(btc.funding.time.length).toBe(7_395);
  });

  it('the spot files have 15 gaps, 32 bars in all, the first after 2020-02-09 01:00 (1 bar) and the last after 2023-03-24 12:00', () => {
    for (const ds of [btc, eth]) {
      const gaps = ds.files!.spot!.gaps;
      expect(ds.files!.spot!.rows).toBe(55_835);
      expect(gaps).toHaveLength(15);
      expect(gaps.reduce((s, g) => s + g.missing, 0)).toBe(32);
      expect(gaps[0]).toEqual({ after: at('2020-02-09T01:00'), missing: 1 });
      expect(gaps[1]).toEqual({ after: at('2020-02-19T11:00'), missing: 5 });
      expect(gaps.at(-1)).toEqual({ after: at('2023-03-24T12:00'), missing: 1 });
    }
  });

  it('mark and spot sit on the perp grid by timestamp, NaN where a bar is missing (never forward-filled)', () => {
    const k = btc.candles.time.indexOf(at('2020-02-09T02:00'));
    expect(btc.spot!.time[k]).toBe(at('2020-02-09T02:00'));
    expect(btc.spot!.close[k]).toBeNaN();
    expect(btc.spot!.open[k]).toBeNaN();
    expect(Number.isFinite(btc.spot!.close[k - 1]!)).toBe(true);
    expect(Number.isFinite(btc.spot!.open[k + 1]!)).toBe(true);
    // The first row of BTCUSDT-mark-1h.csv: 1577836800000,7195.36581933,7195.36581933,7175.82766909,7176.60076074.
    expect([btc.mark!.open[0], btc.mark!.low[0], btc.mark!.close[0]]).toEqual([
      7195.36581933, 7175.82766909, 7176.60076074,
    ]);
    // Mark ends 2026-05-17 06:00: every later perp bar has none.
    const end = btc.candles.time.indexOf(at('2026-05-17T06:00'));
    expect(Number.isFinite(btc.mark!.close[end]!)).toBe(true);
    expect(btc.mark!.close[end + 1]).toBeNaN();
    expect(btc.mark!.close[btc.candles.time.length - 1]).toBeNaN();
  });

  it('coverage says where each series stops: BTC mark missing from 2026-05-17 07:00 to the end, spot with its 15 gaps', () => {
    const [perp, mark, spot, funding] = coverageOf(btc);
    expect(perp!.text).toBe('perp 1h: 2020-01-01 00:00 → 2026-09-30 23:00 (59160 bars)');
    // 2026-05-17 07:00 → 2026-09-30 23:00 is 59,160 − 55,879 = 3,281 bars.
    expect(mark!.text).toBe(
      'mark 1h: 2020-01-01 00:00 → 2026-05-17 06:00; missing from 2026-05-17 07:00 to the end (3281 bars)',
    );
    expect(spot!.missing.filter((r) => !r.atEnd)).toHaveLength(15);
    expect(spot!.text).toMatch(
      /^spot 1h: 2020-01-01 00:00 → 2026-05-16 18:00; 15 gaps \(32 bars\): 2020-02-09 02:00 \(1\), 2020-02-19 12:00 \(5\),/,
    );
    // Spot ends 2026-05-16 18:00: 59,160 − 55,835 − 32 = 3,293 bars to the end.
    expect(spot!.text).toMatch(/missing from 2026-05-16 19:00 to the end \(3293 bars\)$/);
    expect(funding!.missing).toEqual([]);
  });
});

describe('sliceDataset', () => {
  it('cuts every aligned series to [from, to) at the same bars, as views', () => {
    const m = sliceDataset(btc, at('2021-03-06T00:00'), at('2021-03-07T00:00'));
    expect(m.candles.time.length).toBe(24);
    expect(m.spot!.time[0]).toBe(at('2021-03-06T00:00'));
    // The 2021-03-06 gap: last bar before it 01:00, one missing → 02:00 is NaN.
    expect(m.spot!.close[2]).toBeNaN();
    expect(m.mark!.close[2]).toBe(btc.mark!.close[btc.candles.time.indexOf(at('2021-03-06T02:00'))]);
    expect(m.candles.time.buffer).toBe(btc.candles.time.buffer);
  });
});

describe('commonSpan', () => {
  it('trims BTC (perp to 2026-09-30) and ETH (perp to 2026-05-17 07:00) to one grid and says so', () => {
    const { datasets, note } = commonSpan([btc, eth]);
    for (const d of datasets) {
      expect(d.candles.time.length).toBe(55_880);
      expect(d.candles.time.at(-1)).toBe(at('2026-05-17T07:00'));
    }
    expect(note).toMatch(/common span 2020-01-01 00:00 → 2026-05-17 07:00/);
    expect(note).toMatch(/BTCUSDT 2020-01-01 00:00 → 2026-09-30 23:00/);
  });
});

describe('loader files', () => {
  it('reads a gzipped CSV and still names a bad row by its line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'acf-gz-'));
    writeFileSync(join(dir, 'XUSDT-1h.csv.gz'), gzipSync(`${HEADER}\n0,1,2,1,1,5\n${H},1,0.5,1,1,5\n`));
    try {
      loadDataset('XUSDT', dir);
      throw new Error('expected a MarketDataError');
    } catch (err) {
      expect(err).toBeInstanceOf(MarketDataError);
      expect((err as MarketDataError).problems.join('\n')).toMatch(/line 3: high\/low inconsistent/);
    }
  });

  it('a plain .csv is read, optional series may be absent, and a spot gap is reported', () => {
    const dir = mkdtempSync(join(tmpdir(), 'acf-csv-'));
    const rows = (ts: number[]) => ts.map((t) => `${t * H},1,2,1,1,5`).join('\n');
    writeFileSync(join(dir, 'XUSDT-1h.csv'), `${HEADER}\n${rows([0, 1, 2, 3])}\n`);
    writeFileSync(join(dir, 'XUSDT-spot-1h.csv.gz'), gzipSync(`${HEADER}\n${rows([0, 2, 3])}\n`));
    const ds = loadDataset('XUSDT', dir);
    expect(ds.mark).toBeUndefined();
    expect(ds.funding.time.length).toBe(0);
    expect(ds.files!.spot!.gaps).toEqual([{ after: 0, missing: 1 }]);
    expect(Array.from(ds.spot!.close)).toEqual([1, Number.NaN, 1, 1]);
  });
});
