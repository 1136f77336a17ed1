// The carry a funding hedge expects and what a round trip costs: the numbers funding_arbitrage enters
// and exits on. Pure; no state beyond the short history of settled rates the strategy keeps.
//
// The rule follows the open implementations that trade this hedge: Hummingbot's v2 funding-rate
// arbitrage enters when the funding profitability net of entry and exit fees clears a minimum
// (`min_funding_rate_profitability`), bbgo's xfunding opens above a high rate and closes under a low one
// with a minimum holding period; both compare an annualised or per-period rate with the trading cost.

/** Binance USD-M settles funding every 8 hours: 3 settlements a day, 1,095 a year. */
export const SETTLEMENTS_PER_YEAR = 3 * 365;
const HOUR_MS = 3_600_000;
const SETTLEMENT_HOURS = 8;

/** The rates the strategy saw settle, newest last, and the predicted rate of the coming settlement. */
export interface FundingHistory {
  /** The settlement the predicted rate belongs to (ms). */
  next: number;
  /** The last predicted rate seen for it: what settles, as the prediction converges by then. */
  predicted: number;
  /** Rates of past settlements, newest last, at most the smoothing window. */
  settled: number[];
}

/**
 * Carries the history one tick forward: when the next funding time moves on, the previous settlement is
 * booked at the last rate predicted for it. A tick that skips settlements (a long outage) books only the
 * last one it knew, which is all it can know. Moves `h` itself forward (no copy per tick: it is the
 * state's own history, and a tick's state is the next tick's); the same view twice changes nothing.
 */
export function advanceHistory(
  h: FundingHistory | undefined,
  view: { nextFundingTime: number; fundingRate: number },
  window: number,
): FundingHistory {
  if (!h) return { next: view.nextFundingTime, predicted: view.fundingRate, settled: [] };
  const settled = h.settled;
  if (view.nextFundingTime > h.next) settled.push(h.predicted);
  while (settled.length > Math.max(0, window - 1)) settled.shift();
  h.next = view.nextFundingTime;
  h.predicted = view.fundingRate;
  return h;
}

/** True once the window holds `window − 1` settled rates besides the predicted one. */
export function historyReady(h: FundingHistory, window: number): boolean {
  return h.settled.length >= window - 1;
}

/** The smoothed rate per settlement: mean of the settled rates in the window and the predicted one. */
export function smoothedRate(h: FundingHistory): number {
  let sum = h.predicted;
  const settled = h.settled;
  for (let i = 0; i < settled.length; i++) sum += settled[i]!;
  return sum / (h.settled.length + 1);
}

/** A rate per 8-h settlement as percent a year (simple, not compounded): 0.0001 → 10.95 %. */
export function annualisedPct(ratePerSettlement: number): number {
  return ratePerSettlement * SETTLEMENTS_PER_YEAR * 100;
}

/**
 * Percent of the hedge notional a round trip costs: a taker fill on the perp and one on spot, each way,
 * plus slippage on all four fills, plus the basis paid at entry. Shorting the perp at a premium over
 * spot earns the premium when it closes (PnL = basis at entry − basis at exit); entering at a discount
 * (perp under spot) pays it, so a negative basis counts as cost and a positive one is not counted
 * (it may not be there at the exit).
 */
export function roundTripCostPct(p: {
  takerFeePct: number;
  spotFeePct: number;
  slippagePct: number;
  basisPct: number;
}): number {
  return 2 * (p.takerFeePct + p.spotFeePct) + 4 * p.slippagePct + Math.max(0, -p.basisPct);
}

/** Percent of notional the smoothed rate earns over `hours` (whole settlements only). */
export function carryOverPct(ratePerSettlement: number, hours: number): number {
  return ratePerSettlement * Math.floor(hours / SETTLEMENT_HOURS) * 100;
}

/** Hours since `from` at `now`. */
export function hoursSince(from: number, now: number): number {
  return (now - from) / HOUR_MS;
}
