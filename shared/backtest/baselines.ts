// Baselines a trader would recognise, computed directly from the price series over the same bars as a
// strategy's run (equity after each bar, stamped with the bar's open time, as runBacktest reports it):
// - buy and hold: the whole capital buys the coin once, unlevered (1x, spot), and holds it; it cannot
//   be liquidated. Valued at each bar's close, never sold (no exit fee).
// - funding carry: the plain cash-and-carry at 1x. Half the capital holds the coin on spot, the other
//   half margins a short of the same size; price moves cancel; the short collects funding rate ×
//   position notional at every settlement (Binance: funding = position value × rate, paid by longs to
//   shorts when the rate is positive). No exit fees.
import type { CandleSeries } from '../domain/candles.ts';

export interface BaselineEquity {
  name: string;
  time: Float64Array;
  value: Float64Array;
  fees: number;
  fundingPnl: number;
}

interface Span {
  /** Bars [i0, i1) of `perp` (and of the aligned `spot`, if given). */
  i0: number;
  i1: number;
  initialEquity: number;
  /** Adverse slippage on each entry, percent. */
  slippagePct: number;
}

/** The series' price at bar i; where it is NaN (no spot bar) the last known one, else the fallback's. */
function priceAt(series: Float64Array | undefined, fallback: Float64Array, i: number, last: number): number {
  if (series === undefined) return fallback[i]!;
  const v = series[i]!;
  if (Number.isFinite(v) && v > 0) return v;
  return Number.isFinite(last) && last > 0 ? last : fallback[i]!;
}

/** Unlevered buy and hold of the coin on spot (or on the perp's prices where no spot series exists). */
export function buyAndHoldEquity(
  o: Span & { perp: CandleSeries; spot?: CandleSeries | undefined; spotFee: number },
): BaselineEquity {
  const n = Math.max(0, o.i1 - o.i0);
  const time = o.perp.time.slice(o.i0, o.i0 + n);
  const value = new Float64Array(n);
  if (n === 0) return { name: 'buy and hold (1x spot)', time, value, fees: 0, fundingPnl: 0 };
  const entry = priceAt(o.spot?.open, o.perp.open, o.i0, Number.NaN) * (1 + o.slippagePct / 100);
  // Spend all of it: quantity × price × (1 + fee) = equity.
  const quantity = o.initialEquity / (entry * (1 + o.spotFee));
  let last = Number.NaN;
  for (let j = 0; j < n; j++) {
    last = priceAt(o.spot?.close, o.perp.close, o.i0 + j, last);
    value[j] = quantity * last;
  }
  return { name: 'buy and hold (1x spot)', time, value, fees: quantity * entry * o.spotFee, fundingPnl: 0 };
}

/**
 * Plain funding carry at a constant 1x: the short's notional is kept at half the equity (the other half
 * is the spot leg of the same size), so each settlement adds rate × equity / 2. Prices cancel between
 * the legs; the basis and the cost of rebalancing the legs are left out, so this is the carry itself —
 * the figure BIS working paper 1087 (Schmeling, Schrimpf, Todorov, "Crypto carry") reports as the return
 * of the trade — minus the entry fees and slippage of both legs.
 */
export function fundingCarryEquity(
  o: Span & {
    perp: CandleSeries;
    funding: { time: Float64Array; rate: Float64Array };
    spotFee: number;
    takerFee: number;
  },
): BaselineEquity {
  const n = Math.max(0, o.i1 - o.i0);
  const time = o.perp.time.slice(o.i0, o.i0 + n);
  const value = new Float64Array(n);
  const name = 'funding carry (1x short + spot)';
  if (n === 0) return { name, time, value, fees: 0, fundingPnl: 0 };
  const half = o.initialEquity / 2;
  const fees = half * (o.spotFee + o.takerFee + (2 * o.slippagePct) / 100);
  let equity = o.initialEquity - fees;
  let funding = 0;
  let f = 0;
  // The legs open at the first bar's open, just after any settlement stamped at that instant.
  while (f < o.funding.time.length && o.funding.time[f]! <= time[0]!) f++;
  for (let j = 0; j < n; j++) {
    while (f < o.funding.time.length && o.funding.time[f]! <= time[j]!) {
      const paid = o.funding.rate[f]! * (equity / 2);
      funding += paid;
      equity += paid;
      f++;
    }
    value[j] = equity;
  }
  return { name, time, value, fees, fundingPnl: funding };
}
