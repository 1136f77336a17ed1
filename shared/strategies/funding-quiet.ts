// funding_arbitrage's quiet tick, answered without the full decision's intent factory, id set, closures,
// notes and state copies: flat with nothing to enter (no coins of ours, no stray short, the carry not
// there), or a hedge held with both legs in place, no carry exit due, the last-resort stop where it
// belongs and the short far from liquidation. Most ticks are one of the two. Each test below is the
// full decision's own (funding-arbitrage.ts, actOnFunding), asked in the same terms: when any fails,
// the full decision decides, so a quiet answer is only ever the one it would give (no orders, no
// cancels, no notes, the same hedge and coins). test/unit/strategies/funding-quiet.test.ts holds the
// two to each other on every tick of six years.
import { isOpen } from './feed.ts';
import {
  annualisedPct,
  type FundingHistory,
  historyReady,
  hoursSince,
  smoothedRate,
} from './funding-carry.ts';
import { lastResortStop, shortLiquidationDistancePct } from './funding-margin.ts';
import type { FundingArbitrageParams, FundingArbitrageState } from './funding-params.ts';
import { type SpotHolding, sellableSpot, spotShort } from './spot-holding.ts';
import type { AccountView, MarketView } from './strategy.ts';

/** True when this tick has nothing to do (see above); the caller then returns the state as it is. */
export function quietTick(
  state: FundingArbitrageState,
  funding: FundingHistory,
  view: MarketView,
  account: AccountView,
  p: FundingArbitrageParams,
): boolean {
  const { hedge, spot } = state;
  // A spot order in flight is settled (or waited for) by the full decision.
  if (!spot || spot.pending) return false;
  if (hedge) return quietHedge(hedge, spot, funding, view, account, p);
  // Flat. Coins of ours to unwind, or a stray short to flatten: the full decision acts.
  if (sellableSpot(spot, account.spotBase, view) > 0) return false;
  const pos = account.position;
  if (pos?.side === 'short') return false;
  // Nothing to enter: a position of another kind, spot not trading, too little history, no carry.
  return (
    pos !== undefined ||
    view.spotTradable === false ||
    !historyReady(funding, p.smoothingSettlements) ||
    !(view.fundingRate > 0) ||
    annualisedPct(smoothedRate(funding)) < p.entryAprPct
  );
}

function quietHedge(
  hedge: NonNullable<FundingArbitrageState['hedge']>,
  spot: SpotHolding,
  funding: FundingHistory,
  view: MarketView,
  account: AccountView,
  p: FundingArbitrageParams,
): boolean {
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
