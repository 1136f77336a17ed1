// Baselines a trader would recognise, computed directly from the price series over the same bars as a
// strategy's run (equity after each bar, stamped with the bar's open time, as runBacktest reports it):
// - buy and hold: the whole capital buys the coin once, unlevered (1x, spot), and holds it; it cannot
//   be liquidated. Valued at each bar's close, never sold (no exit fee).
// - funding carry: the plain cash-and-carry. Half the capital buys the coin on spot, the other half is
//   the margin of a 1x short of the same quantity on the perpetual, held for the whole span without
//   rebalancing. Price moves cancel between the legs (up to the basis); the short collects the
//   funding rate × position notional at every settlement (Binance: funding = position value × rate,
//   paid by longs to shorts when the rate is positive). No exit fees.
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

/** Plain funding carry: long spot, short perp at 1x, same quantity, held throughout. */
export function fundingCarryEquity(
  o: Span & {
    perp: CandleSeries;
    spot?: CandleSeries | undefined;
    mark?: CandleSeries | undefined;
    funding: { time: Float64Array; rate: Float64Array };
    spotFee: number;
    takerFee: number;
  },
): BaselineEquity {
  const n = Math.max(0, o.i1 - o.i0);
  const time = o.perp.time.slice(o.i0, o.i0 + n);
  const value = new Float64Array(n);
  const name = 'funding carry (1x short perp + spot)';
  if (n === 0) return { name, time, value, fees: 0, fundingPnl: 0 };
  const half = o.initialEquity / 2;
  const spotEntry = priceAt(o.spot?.open, o.perp.open, o.i0, Number.NaN) * (1 + o.slippagePct / 100);
  const quantity = half / (spotEntry * (1 + o.spotFee));
  const perpEntry = o.perp.open[o.i0]! * (1 - o.slippagePct / 100);
  const fees = quantity * spotEntry * o.spotFee + quantity * perpEntry * o.takerFee;
  let margin = half - quantity * perpEntry * o.takerFee;
  let funding = 0;
  let f = 0;
  // The position opens at the first bar's open, just after any settlement stamped at that instant.
  while (f < o.funding.time.length && o.funding.time[f]! <= time[0]!) f++;
  let lastSpot = Number.NaN;
  let lastMark = Number.NaN;
  let lastMarkClose = Number.NaN;
  for (let j = 0; j < n; j++) {
    const i = o.i0 + j;
    const barOpen = time[j]!;
    // Settlements up to this bar's open are paid on the mark price then (the perp's open without marks).
    lastMark = priceAt(o.mark?.open, o.perp.open, i, lastMark);
    while (f < o.funding.time.length && o.funding.time[f]! <= barOpen) {
      const paid = o.funding.rate[f]! * quantity * lastMark;
      funding += paid;
      margin += paid;
      f++;
    }
    lastSpot = priceAt(o.spot?.close, o.perp.close, i, lastSpot);
    // The short's unrealised PnL on the mark price, as the exchange values it.
    lastMarkClose = priceAt(o.mark?.close, o.perp.close, i, lastMarkClose);
    value[j] = quantity * lastSpot + margin + quantity * (perpEntry - lastMarkClose);
  }
  return { name, time, value, fees, fundingPnl: funding };
}
