import { describe, expect, it } from 'vitest';
import {
  MarketDataError,
  parseCandleCsv,
  parseFundingCsv,
  resample,
} from '../../../shared/market-data/csv.ts';
import { MONTH_BARS, monthDataset } from '../../support/month-data.ts';

const HEADER = 'timestamp,open,high,low,close,volume';
const H = 3_600_000;

function problems(text: string): string[] {
  try {
    parseCandleCsv(text, '1h', 'test.csv');
  } catch (err) {
    expect(err).toBeInstanceOf(MarketDataError);
    return [...(err as MarketDataError).problems];
  }
  throw new Error('expected a MarketDataError');
}

describe('candle CSV loader', () => {
  it('the month the tests use (cut from the shipped data): 755 hourly candles, no gaps, funding every 8 h snapped to the hour', () => {
    const ds = monthDataset();
    expect(ds.candles.time.length).toBe(MONTH_BARS);
    // The month's first row as shipped before: 1788094800000,78750.10,78939.90,78550.00,78817.70,5245.471.
    expect(ds.candles.time[0]).toBe(1788094800000);
    expect([ds.candles.open[0], ds.candles.high[0], ds.candles.close[0]]).toEqual([
      78750.1, 78939.9, 78817.7,
    ]);
    expect(ds.gaps).toEqual([]);
    expect(ds.funding.time.length).toBe(7395);
    for (let i = 1; i < ds.funding.time.length; i++) expect(ds.funding.time[i]! % H).toBe(0);
  });

  it('reports gaps with their size instead of hiding them', () => {
    const r = parseCandleCsv(`${HEADER}\n0,1,2,1,1,5\n${H},1,2,1,1,5\n${4 * H},1,2,1,1,5\n`, '1h', 'g.csv');
    expect(r.gaps).toEqual([{ after: H, missing: 2 }]);
  });

  it.each([
    ['a wrong header', 'time,o,h,l,c,v\n0,1,1,1,1,1', /header/],
    ['a NaN price', `${HEADER}\n0,1,NaN,1,1,1`, /high must be a price/],
    ['a negative price', `${HEADER}\n0,-1,1,-1,1,1`, /open must be a price/],
    ['a high below the close', `${HEADER}\n0,1,1.5,1,2,1`, /inconsistent/],
    ['a negative volume', `${HEADER}\n0,1,1,1,1,-3`, /volume/],
    ['a timestamp going back', `${HEADER}\n${H},1,1,1,1,1\n0,1,1,1,1,1`, /not after the previous/],
    ['a timestamp off the grid', `${HEADER}\n1000,1,1,1,1,1`, /not on the 1h grid/],
    ['a short row', `${HEADER}\n0,1,1,1`, /expected 6 columns/],
  ])('rejects %s with its line', (_name, text, pattern) => {
    expect(problems(text).join('\n')).toMatch(pattern);
  });

  it('rejects a funding rate that is not a sane fraction', () => {
    expect(() => parseFundingCsv('timestamp,fundingRate\n0,0.5\n', 'f.csv')).toThrow(/fraction/);
  });
});

describe('resample', () => {
  it('builds 4h candles aligned to 00/04/08 UTC from complete 1h buckets only', () => {
    // 9 hourly candles from 02:00: the 00–04 bucket is incomplete (dropped), 04–08 complete, 08–12 incomplete.
    const rows = Array.from(
      { length: 9 },
      (_, i) => `${(2 + i) * H},${10 + i},${20 + i},${5 + i},${11 + i},${i + 1}`,
    );
    const { series } = parseCandleCsv(`${HEADER}\n${rows.join('\n')}`, '1h', 'r.csv');
    const four = resample(series, '1h', '4h');
    expect(Array.from(four.time)).toEqual([4 * H]);
    // 04..07 are rows 2..5: open 12, high max(22..25)=25, low min(7..10)=7, close 16, volume 3+4+5+6.
    expect([four.open[0], four.high[0], four.low[0], four.close[0], four.volume[0]]).toEqual([
      12, 25, 7, 16, 18,
    ]);
  });
});
