// funding_arbitrage's quiet tick: a hedge held with both legs in place, no carry exit due, the
// last-resort stop where it belongs and the short far from liquidation. Most of a hedge's ticks are
// this one; answered here without building the intents, notes and closures the acting paths need.
// Each test below is the acting path's own (funding-arbitrage.ts), asked in the same terms: when any
// fails, the full evaluate decides, so a quiet answer is only ever the one it would give (no orders,
// no cancels, no notes, the same hedge and coins).

import { isOpen } from './feed.ts';
import { annualisedPct, type FundingHistory, hoursSince, smoothedRate } from './funding-carry.ts';
import { lastResortStop, shortLiquidationDistancePct } from './funding-margin.ts';
import type { FundingArbitrageParams, FundingArbitrageState } from './funding-params.ts';
import { sellableSpot, spotShort } from './spot-holding.ts';
import type { AccountView, MarketView } from './strategy.ts';

export function quietHedge(
  state: FundingArbitrageState,
  funding: FundingHistory,
  view: MarketView,
  account: AccountView,
  p: FundingArbitrageParams,
): boolean {
  const { hedge, spot } = state;
  // A spot order in flight is settled (or waited for) by the full path.
  if (!hedge || !spot || spot.pending) return false;
  // Both legs there: the short, and every coin booked as ours.
  const short = account.position;
  if (short?.side !== 'short') return false;
  const spotBase = account.spotBase;
  if (sellableSpot(spot, spotBase, view) === 0 || spotShort(spot, spotBase)) return false;
  // No carry exit due.
  if (
    view.spotTradable !== false &&
    hoursSince(hedge.enteredAt ?? view.time, view.time) >= p.minHoldHours &&
    annualisedPct(smoothedRate(funding)) < p.exitAprPct
  )
    return false;
  // The last-resort stop open and where it belongs.
  const liq = short.liquidationPrice;
  if (liq > 0) {
    const current = hedge.stopPrice ?? 0;
    const stopPrice = lastResortStop(view, liq, p.stopBeforeLiquidationPct);
    if (stopPrice > current * 1.01 || current >= liq || !isOpen(account.openOrders, hedge.stopId))
      return false;
  }
  // No margin call.
  return !(shortLiquidationDistancePct(view.markPrice, liq) < p.marginCallPct);
}
