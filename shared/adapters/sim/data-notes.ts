// What a simulation ran on, in sentences for its summary: per symbol, the span of each series, and
// every place where something stood in for a missing one (./series.ts decides what stands in). A run
// never substitutes silently.
import { TIMEFRAME_MS } from '../../domain/candles.ts';
import {
  candleCoverage,
  describeGaps,
  fundingCoverage,
  type MissingRun,
  missingRuns,
  perpCoverage,
  utcMinute,
} from '../../market-data/coverage.ts';
import type { SymbolSeries } from './series.ts';

const span = (r: MissingRun) => `${utcMinute(r.from)} → ${utcMinute(r.to)}`;

/**
 * The notes of one series and span, made once (a coverage pass over every bar, a tenth of a quiet
 * backtest's time) and copied out: a sweep asks for the same span under every parameter set. The series
 * it reads never change once a simulator is built on them.
 */
const madeNotes = new WeakMap<SymbolSeries['data'], Map<string, readonly string[]>>();

/** Notes for the bars [i0, i1) of one symbol; `refusedSpot` = spot orders refused for want of a price. */
export function symbolDataNotes(s: SymbolSeries, i0: number, i1: number, refusedSpot: number): string[] {
  const key = `${s.symbol}|${s.spotFactor}|${i0}|${i1}|${refusedSpot}`;
  let made = madeNotes.get(s.data);
  const notes = made?.get(key);
  if (notes) return [...notes];
  const fresh = notesOf(s, i0, i1, refusedSpot);
  if (!made) {
    made = new Map();
    madeNotes.set(s.data, made);
  }
  if (made.size < 256) made.set(key, Object.freeze([...fresh]));
  return fresh;
}

function notesOf(s: SymbolSeries, i0: number, i1: number, refusedSpot: number): string[] {
  if (i1 <= i0) return [];
  const { symbol, data } = s;
  const grid = data.candles.time;
  const step = TIMEFRAME_MS['1h'];
  const notes: string[] = [];

  const perp = perpCoverage(grid, step, i0, i1);
  notes.push(
    `${symbol} perp: last-price candles ${utcMinute(perp.first!)} → ${utcMinute(perp.last!)}` +
      (perp.missing.length > 0 ? `; ${describeGaps(perp.missing)} absent, stepped over` : ''),
  );

  if (!data.mark) {
    notes.push(
      `${symbol} mark: no mark-price data: the last-price candles stand in for the mark (unrealised PnL, margin, liquidation, funding)`,
    );
  } else {
    const mark = candleCoverage('mark', grid, data.mark, i0, i1);
    const standIn = mark.missing.map((r) => `${span(r)}${r.atEnd || r.atStart ? '' : ` (${r.bars} h)`}`);
    notes.push(
      mark.first === undefined
        ? `${symbol} mark: no mark-price data ${utcMinute(grid[i0]!)} → ${utcMinute(grid[i1 - 1]!)}: the last price stands in`
        : `${symbol} mark: mark-price candles ${utcMinute(mark.first)} → ${utcMinute(mark.last!)}` +
            (standIn.length > 0 ? `; last price stands in for ${standIn.join(', ')} (no mark data)` : ''),
    );
  }

  if (!data.spot) {
    const pct = (1 - s.spotFactor) * 100;
    notes.push(
      `${symbol} spot: no spot data: perp price × (1 − ${Number(pct.toPrecision(10))} %) stands in for the spot leg (fills and value)`,
    );
  } else {
    const runs = missingRuns(grid, data.spot, i0, i1);
    const inside = runs.filter((r) => !r.atStart && !r.atEnd);
    const head = runs.find((r) => r.atStart);
    const tail = runs.find((r) => r.atEnd);
    const cov = candleCoverage('spot', grid, data.spot, i0, i1);
    const parts: string[] = [
      cov.first === undefined
        ? `${symbol} spot: no spot data ${utcMinute(grid[i0]!)} → ${utcMinute(grid[i1 - 1]!)}: spot orders refused, ${data.spotCloseBefore !== undefined ? `spot valued at the last spot close (${data.spotCloseBefore})` : 'perp price stands in as its value'}`
        : `${symbol} spot: spot candles ${utcMinute(cov.first)} → ${utcMinute(cov.last!)}`,
    ];
    if (cov.first !== undefined) {
      if (head)
        parts.push(`no spot data ${span(head)}: spot orders refused, perp price stands in as its value`);
      if (inside.length > 0)
        parts.push(`spot orders refused and spot valued at the last spot close in ${describeGaps(inside)}`);
      if (tail)
        parts.push(`no spot data ${span(tail)}: spot orders refused, spot valued at the last spot close`);
    }
    notes.push(parts.join('; '));
  }
  if (refusedSpot > 0)
    notes.push(
      `${symbol} spot: ${refusedSpot} spot order${refusedSpot === 1 ? '' : 's'} refused (no spot price)`,
    );

  const funding = fundingCoverage(grid, data.funding, step, i0, i1);
  if (funding.first === undefined)
    notes.push(`${symbol} funding: no funding history in this span: none charged`);
  else if (funding.missing[0])
    notes.push(
      `${symbol} funding: settlements to ${utcMinute(funding.last!)}; none charged from ${utcMinute(funding.missing[0].from)} (no funding data)`,
    );
  return notes;
}
