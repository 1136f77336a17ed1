// Calendar-period returns of an equity curve (per UTC year and per UTC month), for the per-year tables of
// the README and the reports and for the monthly-returns heat map. A period's return compounds from the
// equity at the end of the previous period (the initial equity for the first one) to the equity at its
// last bar; its drawdown is the deepest fall from a peak reached inside the period (the peak carried in
// from before the period counts, so a period that only continues a fall shows it).

export interface PeriodReturn {
  /** 'YYYY' or 'YYYY-MM' (UTC). */
  period: string;
  /** Open time of the period's first bar and of its last bar (ms UTC). */
  from: number;
  to: number;
  startEquity: number;
  endEquity: number;
  returnPct: number;
  maxDrawdownPct: number;
  bars: number;
}

export type PeriodKind = 'year' | 'month';

function keyOf(ms: number, kind: PeriodKind): string {
  const iso = new Date(ms).toISOString();
  return kind === 'year' ? iso.slice(0, 4) : iso.slice(0, 7);
}

/**
 * Returns per calendar period. `time[i]` is the open time of bar i and `value[i]` the equity after it;
 * `initialEquity` is the equity before the first bar. Bars must be in time order.
 */
export function periodReturns(
  time: ArrayLike<number>,
  value: ArrayLike<number>,
  initialEquity: number,
  kind: PeriodKind,
): PeriodReturn[] {
  if (time.length !== value.length) throw new Error('periodReturns: time and value differ in length');
  const out: PeriodReturn[] = [];
  let start = initialEquity;
  let peak = initialEquity;
  let current: PeriodReturn | undefined;
  for (let i = 0; i < time.length; i++) {
    const t = time[i]!;
    const v = value[i]!;
    const key = keyOf(t, kind);
    if (!current || current.period !== key) {
      if (current) {
        start = current.endEquity;
        out.push(current);
      }
      current = {
        period: key,
        from: t,
        to: t,
        startEquity: start,
        endEquity: v,
        returnPct: 0,
        maxDrawdownPct: 0,
        bars: 0,
      };
    }
    peak = Math.max(peak, v);
    const dd = peak > 0 ? ((peak - v) / peak) * 100 : 0;
    if (dd > current.maxDrawdownPct) current.maxDrawdownPct = dd;
    current.to = t;
    current.endEquity = v;
    current.bars++;
    current.returnPct = current.startEquity > 0 ? (v / current.startEquity - 1) * 100 : 0;
  }
  if (current) out.push(current);
  return out;
}
