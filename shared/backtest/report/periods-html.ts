// The calendar tables of the report: the monthly-returns heat map (a row per year, a cell per month,
// green for a gain and red for a loss, deeper for a larger move) and the per-year table with the
// baselines beside the strategy. All figures come from periodReturns (shared/backtest/periods.ts).
import { type PeriodReturn, periodReturns } from '../periods.ts';
import { escapeHtml, signedPct } from './html.ts';

export interface BaselineSeries {
  name: string;
  time: ArrayLike<number>;
  value: ArrayLike<number>;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function signClass(v: number): 'pos' | 'neg' | 'zero' {
  const r = Number(v.toFixed(2));
  return r > 0 ? 'pos' : r < 0 ? 'neg' : 'zero';
}

/** Background for a return: alpha grows with |v| relative to the largest |v| of the table. */
function shade(v: number, maxAbs: number): string {
  const a = maxAbs > 0 ? 0.12 + 0.68 * Math.min(1, Math.abs(v) / maxAbs) : 0.12;
  const cls = signClass(v);
  if (cls === 'zero') return 'background:rgba(148,163,184,0.15)';
  return cls === 'pos'
    ? `background:rgba(22,163,74,${a.toFixed(2)})`
    : `background:rgba(220,38,38,${a.toFixed(2)})`;
}

function cell(p: PeriodReturn, maxAbs: number, cls: string): string {
  return `<td class="${cls} ${signClass(p.returnPct)}" data-period="${p.period}" data-ret="${p.returnPct}" style="${shade(p.returnPct, maxAbs)}" title="${p.period}: ${escapeHtml(signedPct(p.returnPct))}, max drawdown ${p.maxDrawdownPct.toFixed(2)} %">${escapeHtml(signedPct(p.returnPct))}</td>`;
}

export function monthlyHeatMap(months: PeriodReturn[], years: PeriodReturn[]): string {
  if (months.length === 0) return '<p>No bars.</p>';
  const maxAbs = Math.max(...months.map((m) => Math.abs(m.returnPct)));
  const maxAbsYear = Math.max(...years.map((y) => Math.abs(y.returnPct)));
  const byKey = new Map(months.map((m) => [m.period, m]));
  const rows = years.map((y) => {
    const cells = MONTHS.map((_, i) => {
      const m = byKey.get(`${y.period}-${String(i + 1).padStart(2, '0')}`);
      return m ? cell(m, maxAbs, 'm') : '<td class="none"></td>';
    }).join('');
    return `<tr><th>${y.period}</th>${cells}${cell(y, maxAbsYear, 'y')}</tr>`;
  });
  return `<table id="heatmap" class="heat"><thead><tr><th></th>${MONTHS.map((m) => `<th>${m}</th>`).join('')}<th>Year</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

export function yearTable(
  years: PeriodReturn[],
  baselines: { name: string; years: PeriodReturn[] }[],
): string {
  const head = `<tr><th>Year</th><th>Return</th><th>Max drawdown</th><th>Start equity</th><th>End equity</th><th>Bars</th>${baselines.map((b) => `<th>${escapeHtml(b.name)}</th>`).join('')}</tr>`;
  const rows = years.map((y) => {
    const base = baselines
      .map((b) => {
        const p = b.years.find((x) => x.period === y.period);
        return `<td class="baseline">${p ? escapeHtml(signedPct(p.returnPct)) : '–'}</td>`;
      })
      .join('');
    return `<tr data-period="${y.period}"><th>${y.period}</th><td class="ret ${signClass(y.returnPct)}">${escapeHtml(signedPct(y.returnPct))}</td><td class="dd">${y.maxDrawdownPct.toFixed(2)} %</td><td>${y.startEquity.toFixed(2)}</td><td>${y.endEquity.toFixed(2)}</td><td>${y.bars}</td>${base}</tr>`;
  });
  return `<table id="years"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table>`;
}

/** Per-year returns of a baseline that starts from the same capital as the strategy. */
export function baselineYears(b: BaselineSeries, initialEquity: number): PeriodReturn[] {
  return periodReturns(b.time, b.value, initialEquity, 'year');
}
