import { describe, expect, it } from 'vitest';
import { addSpan, parseSpan, walkForwardWindows } from '../../../shared/backtest/walk-forward-windows.ts';

const d = (s: string) => Date.parse(`${s}Z`);
const iso = (t: number) => new Date(t).toISOString().slice(0, 16);

describe('parseSpan', () => {
  it.each([
    ['6m', { count: 6, unit: 'm' }],
    ['2w', { count: 2, unit: 'w' }],
    ['30d', { count: 30, unit: 'd' }],
  ])('%s', (text, span) => expect(parseSpan(text)).toEqual(span));

  it.each(['0m', '6', 'm', '6y', '-1m', '1.5m'])('refuses %s', (text) =>
    expect(parseSpan(text)).toBeUndefined(),
  );
});

describe('addSpan', () => {
  it('adds calendar months in UTC (Jan 1 + 1m = Feb 1, + 2m = Mar 1 across a 29-day February)', () => {
    expect(iso(addSpan(d('2020-01-01T00:00'), { count: 1, unit: 'm' }))).toBe('2020-02-01T00:00');
    expect(iso(addSpan(d('2020-01-01T00:00'), { count: 1, unit: 'm' }, 2))).toBe('2020-03-01T00:00');
    expect(iso(addSpan(d('2020-01-01T00:00'), { count: 2, unit: 'w' }))).toBe('2020-01-15T00:00');
  });
});

describe('walkForwardWindows', () => {
  it('6m in-sample, 1m out-of-sample: month-aligned, rolling by one month, the last window cut at the data end', () => {
    const w = walkForwardWindows(
      d('2020-01-06T05:00'),
      d('2020-10-15T00:00'),
      { count: 6, unit: 'm' },
      { count: 1, unit: 'm' },
    );
    expect(w.map((x) => [iso(x.isFrom), iso(x.oosFrom), iso(x.oosTo)])).toEqual([
      ['2020-02-01T00:00', '2020-08-01T00:00', '2020-09-01T00:00'],
      ['2020-03-01T00:00', '2020-09-01T00:00', '2020-10-01T00:00'],
      ['2020-04-01T00:00', '2020-10-01T00:00', '2020-10-15T00:00'],
    ]);
  });

  it('out-of-sample windows tile the span: each starts where the previous ended', () => {
    const w = walkForwardWindows(
      d('2020-01-01T00:00'),
      d('2023-01-01T00:00'),
      { count: 3, unit: 'm' },
      { count: 2, unit: 'm' },
    );
    for (let i = 1; i < w.length; i++) expect(w[i]!.oosFrom).toBe(w[i - 1]!.oosTo);
    expect(w[0]!.oosFrom).toBe(d('2020-04-01T00:00'));
    expect(w.at(-1)!.oosTo).toBe(d('2023-01-01T00:00'));
  });

  it('day spans start at the next UTC midnight', () => {
    const w = walkForwardWindows(
      d('2026-09-05T03:00'),
      d('2026-09-30T00:00'),
      { count: 7, unit: 'd' },
      { count: 7, unit: 'd' },
    );
    expect(w.map((x) => iso(x.oosFrom))).toEqual([
      '2026-09-13T00:00',
      '2026-09-20T00:00',
      '2026-09-27T00:00',
    ]);
    expect(iso(w.at(-1)!.oosTo)).toBe('2026-09-30T00:00');
  });

  it('none when the span is shorter than one in-sample window', () => {
    expect(
      walkForwardWindows(
        d('2020-01-01T00:00'),
        d('2020-06-01T00:00'),
        { count: 6, unit: 'm' },
        { count: 1, unit: 'm' },
      ),
    ).toEqual([]);
  });
});
