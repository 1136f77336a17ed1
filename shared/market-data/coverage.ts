// What a series covers of the perpetual's time grid: where it starts and ends, the perp bars it has no
// bar for (gaps inside, or "missing from X to the end"), told as facts. What a simulator does about a
// missing bar is said where it does it (shared/adapters/sim/data-notes.ts).
import type { CandleSeries } from '../domain/candles.ts';
import type { FundingSeries } from './csv.ts';

export interface MissingRun {
  /** Open times of the first and last missing bar (inclusive). */
  from: number;
  to: number;
  bars: number;
  /** The run reaches the first / last bar of the span: the series starts late / stops early. */
  atStart: boolean;
  atEnd: boolean;
}

export interface SeriesCoverage {
  series: 'perp' | 'mark' | 'spot' | 'funding';
  /** Open times of the first and last bar present in the span; undefined when it has none. */
  first?: number;
  last?: number;
  /** Perp bars of the span without a bar of this series, as runs. */
  missing: MissingRun[];
  text: string;
}

/** `2026-05-17 06:00` (UTC). */
export function utcMinute(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

/**
 * Runs of grid bars in [i0, i1) where `series` (aligned to the grid: NaN where it has no bar) is
 * missing. `series` undefined: the whole span is one run.
 */
export function missingRuns(
  grid: Float64Array,
  series: CandleSeries | undefined,
  i0 = 0,
  i1 = grid.length,
): MissingRun[] {
  const runs: MissingRun[] = [];
  let k = i0;
  while (k < i1) {
    if (series && !Number.isNaN(series.close[k]!)) {
      k++;
      continue;
    }
    const start = k;
    while (k < i1 && (!series || Number.isNaN(series.close[k]!))) k++;
    runs.push({
      from: grid[start]!,
      to: grid[k - 1]!,
      bars: k - start,
      atStart: start === i0,
      atEnd: k === i1,
    });
  }
  return runs;
}

/** "15 gaps (32 bars): 2020-02-09 02:00 (1), …" for runs inside the span (at most `show` listed). */
export function describeGaps(runs: readonly MissingRun[], show = 20): string {
  const bars = runs.reduce((s, r) => s + r.bars, 0);
  const listed = runs.slice(0, show).map((r) => `${utcMinute(r.from)} (${r.bars})`);
  const more = runs.length > show ? `, … and ${runs.length - show} more` : '';
  return `${runs.length} gap${runs.length === 1 ? '' : 's'} (${bars} bar${bars === 1 ? '' : 's'}): ${listed.join(', ')}${more}`;
}

/** Coverage of a mark or spot series aligned to the perp grid, over the grid's bars [i0, i1). */
export function candleCoverage(
  kind: 'mark' | 'spot',
  grid: Float64Array,
  series: CandleSeries | undefined,
  i0 = 0,
  i1 = grid.length,
): SeriesCoverage {
  const missing = missingRuns(grid, series, i0, i1);
  let first: number | undefined;
  let last: number | undefined;
  if (series) {
    for (let k = i0; k < i1 && first === undefined; k++)
      if (!Number.isNaN(series.close[k]!)) first = grid[k]!;
    for (let k = i1 - 1; k >= i0 && last === undefined; k--)
      if (!Number.isNaN(series.close[k]!)) last = grid[k]!;
  }
  const label = `${kind} 1h`;
  if (first === undefined || last === undefined) {
    return { series: kind, missing, text: `${label}: no data${series ? ' in this span' : ''}` };
  }
  const parts = [`${label}: ${utcMinute(first)} → ${utcMinute(last)}`];
  const head = missing.find((r) => r.atStart);
  const tail = missing.find((r) => r.atEnd);
  const inside = missing.filter((r) => !r.atStart && !r.atEnd);
  if (head) parts.push(`missing from the start to ${utcMinute(head.to)} (${head.bars} bars)`);
  if (inside.length > 0) parts.push(describeGaps(inside));
  if (tail) parts.push(`missing from ${utcMinute(tail.from)} to the end (${tail.bars} bars)`);
  return { series: kind, first, last, missing, text: parts.join('; ') };
}

/** Coverage of the perp grid itself: its span and the holes in it (bars absent from the file). */
export function perpCoverage(grid: Float64Array, stepMs: number, i0 = 0, i1 = grid.length): SeriesCoverage {
  if (i1 <= i0) return { series: 'perp', missing: [], text: 'perp 1h: no data' };
  const missing: MissingRun[] = [];
  for (let k = i0 + 1; k < i1; k++) {
    const bars = (grid[k]! - grid[k - 1]!) / stepMs - 1;
    if (bars > 0)
      missing.push({
        from: grid[k - 1]! + stepMs,
        to: grid[k]! - stepMs,
        bars,
        atStart: false,
        atEnd: false,
      });
  }
  const first = grid[i0]!;
  const last = grid[i1 - 1]!;
  const text = `perp 1h: ${utcMinute(first)} → ${utcMinute(last)} (${i1 - i0} bars)${missing.length > 0 ? `; ${describeGaps(missing)}` : ''}`;
  return { series: 'perp', first, last, missing, text };
}

/**
 * Coverage of funding settlements over the perp span [grid[i0], grid[i1-1] + step): settlements are
 * every 8 h; a run without any after the last one, or none at all, is reported.
 */
export function fundingCoverage(
  grid: Float64Array,
  funding: FundingSeries | undefined,
  stepMs: number,
  i0 = 0,
  i1 = grid.length,
): SeriesCoverage {
  const spanFrom = grid[i0]!;
  const spanTo = grid[i1 - 1]! + stepMs;
  let first: number | undefined;
  let last: number | undefined;
  let count = 0;
  if (funding) {
    for (let i = 0; i < funding.time.length; i++) {
      const t = funding.time[i]!;
      if (t < spanFrom || t >= spanTo) continue;
      first ??= t;
      last = t;
      count++;
    }
  }
  if (first === undefined || last === undefined) {
    return {
      series: 'funding',
      missing: [{ from: spanFrom, to: spanTo, bars: i1 - i0, atStart: true, atEnd: true }],
      text: 'funding 8h: no settlements in this span',
    };
  }
  const EIGHT_H = 8 * 3_600_000;
  const missing: MissingRun[] = [];
  if (spanTo - last > EIGHT_H) {
    missing.push({
      from: last + EIGHT_H,
      to: spanTo - stepMs,
      bars: Math.round((spanTo - last - EIGHT_H) / stepMs),
      atStart: false,
      atEnd: true,
    });
  }
  const tail = missing[0] ? `; none from ${utcMinute(missing[0].from)} to the end` : '';
  return {
    series: 'funding',
    first,
    last,
    missing,
    text: `funding 8h: ${count} settlements ${utcMinute(first)} → ${utcMinute(last)}${tail}`,
  };
}
