// funding_arbitrage: short the perpetual and buy the same base quantity spot — delta-neutral, collecting
// the funding shorts receive — while the expected carry pays for the round trip. Entry: the smoothed
// funding rate (the window's settled rates and the predicted one), annualised, reaches `entryAprPct`,
// and that carry over `paybackDays` covers both legs' fees both ways, slippage and any basis paid.
// Exit, after `minHoldHours`: the smoothed rate falls under `exitAprPct`. No stop breaks the hedge: the
// short is kept from liquidation by margin moves (funding-margin.ts), and a stop just short of the
// liquidation price stays on the exchange only as the last resort for when the bot cannot act. A hedge
// missing a leg is never left: the other leg is flattened with an alert. Only the spot coins this
// strategy bought itself (booked from fills in its state) are ever sold. While spot cannot trade
// (`spotTradable === false`) no hedge starts, shrinks or ends: a lone perp order would break it.
// Long perp / short spot (negative funding) needs spot margin, which this product does not use.
import { floorToStep } from '../domain/precision.ts';
import { NONE } from './feed.ts';
import {
  advanceHistory,
  annualisedPct,
  carryOverPct,
  type FundingHistory,
  historyReady,
  hoursSince,
  roundTripCostPct,
  smoothedRate,
} from './funding-carry.ts';
import {
  bracketsOf,
  lastResortStop,
  planMargin,
  shortLiquidation,
  shortLiquidationDistancePct,
} from './funding-margin.ts';
import type { FundingArbitrageParams, FundingArbitrageState } from './funding-params.ts';
import { FundingArbitrageParamsSchema } from './funding-params.ts';
import { quietTick } from './funding-quiet.ts';
import { tradeable } from './sizing.ts';
import { type SpotHolding, sellableSpot, settleSpot, spotShort } from './spot-holding.ts';
import {
  IntentFactory,
  type MarginAction,
  type Strategy,
  type StrategyInput,
  type StrategyOutput,
} from './strategy.ts';

export {
  type FundingArbitrageParams,
  FundingArbitrageParamsSchema,
  type FundingArbitrageState,
} from './funding-params.ts';

/** How long an entry waits for the wallet transfer it asked for before entering with what is there. */
const FUND_WAIT_MS = 2 * 3_600_000;

/** The spot coins booked in a state; a state written before the ledger existed held its hedge quantity. */
function holdingOf(state: FundingArbitrageState | undefined): SpotHolding {
  return state?.spot ?? { quantity: state?.hedge?.quantity ?? 0 };
}

const pct = (x: number) => `${x.toFixed(1)} %`;

export const fundingArbitrage: Strategy<FundingArbitrageParams, FundingArbitrageState> = {
  name: 'funding_arbitrage',
  description:
    'Funding-rate arbitrage: shorts the perpetual (2x by default) and buys the same base quantity spot, a delta-neutral hedge that collects funding, when the funding rate smoothed over the last 3 days reaches 10 % a year and that carry pays both legs’ fees, slippage and basis within 14 days. After at least 72 h it exits both legs when the smoothed rate turns negative. It keeps the short from liquidation by adding margin (moving USDT from the spot wallet, or shrinking both legs alike when none is left), never by a stop that breaks the hedge; a hedge missing a leg is flattened with an alert, and only coins it bought are sold.',
  paramsSchema: FundingArbitrageParamsSchema,
  timeframes: ['1h'],
  lookback: () => 0,
  spotHolding: (state) => holdingOf(state).quantity,
  evaluate({ view, account, params: p, state }): StrategyOutput<FundingArbitrageState> {
    const funding = advanceHistory(state?.funding, view, p.smoothingSettlements);
    if (state && quietTick(state, funding, view, account, p)) {
      // The state the full decision would return: hedge (if any) and coins as they are, the history moved on.
      state.funding = funding;
      if (state.fundAskedAt !== undefined) delete state.fundAskedAt;
      return { intents: NONE, cancels: NONE, state, notes: NONE };
    }
    return actOnFunding({ view, account, params: p, state }, funding);
  },
};

/**
 * The full decision, for every tick that is not a quiet one (./funding-quiet.ts); `funding` is the
 * history already moved to this tick. Exported for the test that holds the quiet answer to it.
 */
export function actOnFunding(
  { view, account, params: p, state }: StrategyInput<FundingArbitrageParams, FundingArbitrageState>,
  funding: FundingHistory,
): StrategyOutput<FundingArbitrageState> {
  const f = new IntentFactory('funding_arbitrage', view, {
    leverage: p.leverage,
    marginMode: account.marginMode,
  });
  const pos = account.position;
  const short = pos?.side === 'short' ? pos : undefined;
  const basisPct = ((view.markPrice - view.spotPrice) / view.spotPrice) * 100;
  const hedge = state?.hedge;
  const openIds = new Set(account.openOrders.map((o) => o.clientOrderId));
  const cancelStop = hedge && openIds.has(hedge.stopId) ? [hedge.stopId] : [];
  const spotOpen = view.spotTradable !== false;

  // The spot leg: book the last spot order's fill first; decide nothing on a leg still in flight.
  const settled = settleSpot(holdingOf(state), account, view.symbol.replace(/USDT$/, ''), view.time);
  let spot = settled.holding;
  const notes = settled.notes;
  const hold = (
    extra: string[] = [],
    actions: MarginAction[] = [],
  ): StrategyOutput<FundingArbitrageState> => ({
    intents: f.intents,
    cancels: [],
    state: { ...(hedge ? { hedge } : {}), spot, funding },
    notes: [...notes, ...extra],
    ...(actions.length ? { marginActions: actions } : {}),
  });
  if (settled.waiting) return hold();
  const sellable = sellableSpot(spot, account.spotBase, view);
  const spotGone = sellable === 0 || spotShort(spot, account.spotBase);

  const closePerp = (reason: string) => {
    if (short) f.closePosition(short, reason);
  };
  /** Sells our own coins only (never more than booked, never more than the wallet holds). */
  const sellSpot = (reason: string, quantity = sellable) => {
    if (quantity === 0) return;
    const sell = f.add({ market: 'spot', side: 'sell', type: 'market', quantity, reason });
    spot = { quantity: spot.quantity, pending: { id: sell.id, side: 'sell', sentAt: view.time } };
  };
  const done = (cancels: string[], extra: string[]): StrategyOutput<FundingArbitrageState> => ({
    intents: f.intents,
    cancels,
    state: { spot, funding },
    notes: [...notes, ...extra],
  });
  const smooth = smoothedRate(funding);
  const apr = annualisedPct(smooth);

  if (hedge) {
    // A leg missing (the short stopped out or liquidated, our coins sold elsewhere): flatten the other.
    if (!short || spotGone) {
      // Selling the spot needs a spot market; closing the perp does not, and waits for nothing.
      if (!short && !spotOpen && sellable > 0)
        return hold(['ALERT hedge perp leg gone, spot not trading: sale waits']);
      closePerp('hedge leg missing: flatten perp');
      if (spotOpen) sellSpot('hedge leg missing: sell the spot this hedge bought');
      return done(cancelStop, [
        `ALERT hedge leg missing (perp ${short ? 'open' : 'gone'}, spot ${spotGone ? 'gone' : 'held'}): flattening`,
      ]);
    }
    const heldHours = hoursSince(hedge.enteredAt ?? view.time, view.time);
    if (spotOpen && heldHours >= p.minHoldHours && apr < p.exitAprPct) {
      const reason = `carry ${pct(apr)} a year under exit ${pct(p.exitAprPct)} after ${Math.floor(heldHours)} h`;
      closePerp(`exit: ${reason}`);
      sellSpot(`exit: ${reason}`);
      return done(cancelStop, [`exit: ${reason}`]);
    }
    return guardMargin();
  }

  // No hedge. Coins this strategy bought and has not sold yet (a sell refused while halted, say) go
  // first; the trader's own coins are not ours and are never sold.
  if (sellable > 0) {
    if (!spotOpen) return hold();
    sellSpot('unwind the spot this strategy bought');
    return done([], [`selling ${sellable} spot left from an earlier hedge`]);
  }
  // A short on this symbol without a hedge of ours (a restart mid-entry): flattened, reduce-only.
  if (short) {
    closePerp('stray perp leg without a hedge: flatten');
    return done([], ['ALERT stray perp leg: flattening']);
  }
  if (pos || !spotOpen || !historyReady(funding, p.smoothingSettlements)) return hold();
  if (!(view.fundingRate > 0) || apr < p.entryAprPct) return hold();
  const costPct = roundTripCostPct({ ...p, basisPct });
  const carryPct = carryOverPct(smooth, p.paybackDays * 24);
  if (carryPct < costPct)
    return hold([`carry ${carryPct.toFixed(3)} % in ${p.paybackDays} d under costs ${costPct.toFixed(3)} %`]);
  return enter();

  /**
   * Margin for the short when its liquidation price comes near; both legs shrink when USDT runs out.
   * The last-resort stop follows the liquidation price the exchange reports (so only margin that
   * really arrived moves it): up by more than 1 %, or down when the stop would no longer come first.
   */
  function guardMargin(): StrategyOutput<FundingArbitrageState> {
    if (!hedge || !short) return hold();
    let next = { ...hedge };
    const cancels: string[] = [];
    const extra: string[] = [];
    const liq = short.liquidationPrice;
    if (liq > 0) {
      const stopPrice = lastResortStop(view, liq, p.stopBeforeLiquidationPct);
      const current = hedge.stopPrice ?? 0;
      // A stop no longer open (refused, expired, cancelled by hand) is placed again: the short is never
      // left without its last resort. A duplicate is harmless: reduce-only, the second finds nothing.
      if (stopPrice > current * 1.01 || current >= liq || !openIds.has(hedge.stopId)) {
        cancels.push(...cancelStop);
        const stop = f.add({
          market: 'futures',
          side: 'buy',
          type: 'stop_market',
          quantity: short.quantity,
          stopPrice,
          reduceOnly: true,
          reason: `last-resort stop ${p.stopBeforeLiquidationPct} % under the liquidation price ${liq}`,
        });
        next = { ...next, stopId: stop.id, stopPrice };
      }
    }
    const distance = shortLiquidationDistancePct(view.markPrice, liq);
    const call = distance < p.marginCallPct;
    const reason = `liquidation ${pct(distance)} away, under ${pct(p.marginCallPct)}: margin to ${pct(p.marginTargetPct)}`;
    const plan = !call
      ? { actions: [], short: false }
      : account.marginMode === 'isolated'
        ? planMargin({
            quantity: short.quantity,
            entryPrice: short.entryPrice,
            markPrice: view.markPrice,
            margin: short.isolatedMargin,
            targetDistancePct: p.marginTargetPct,
            brackets: bracketsOf(view.symbol),
            futuresAvailable: account.availableBalance,
            spotUsdt: account.spotUsdt,
            reason,
          })
        : // Cross margin: the position draws on the whole futures wallet; the spot wallet's USDT moves in.
          account.spotUsdt >= 0.01
          ? {
              actions: [
                {
                  kind: 'transfer' as const,
                  from: 'spot' as const,
                  to: 'futures' as const,
                  amount: Math.floor(account.spotUsdt * 100) / 100,
                  reason,
                },
              ],
              short: false,
            }
          : { actions: [], short: true };
    if (call) extra.push(reason);
    if (plan.short && spotOpen) {
      // Both legs shrink by the same quantity in one tick: the spot sale's USDT pays the margin next tick.
      const coarse = Math.max(view.futuresRules.stepSize, view.spotRules.stepSize);
      const dq = floorToStep(
        floorToStep((short.quantity * p.rebalancePct) / 100, coarse),
        view.spotRules.stepSize,
      );
      const rest = short.quantity - dq;
      if (
        dq > 0 &&
        dq <= sellable &&
        tradeable(view, dq, view.markPrice) &&
        tradeable(view, rest, view.markPrice)
      ) {
        f.add({
          market: 'futures',
          side: 'buy',
          type: 'market',
          quantity: dq,
          reduceOnly: true,
          reason: 'rebalance: shrink the short to fund its margin',
        });
        sellSpot('rebalance: sell as much spot as the short shrank', dq);
        next = { ...next, quantity: rest };
        extra.push(`rebalance: both legs −${dq} to pay for margin`);
      }
    }
    return {
      intents: f.intents,
      cancels,
      state: { hedge: next, spot, funding },
      notes: [...notes, ...extra],
      ...(plan.actions.length ? { marginActions: plan.actions } : {}),
    };
  }

  function enter(): StrategyOutput<FundingArbitrageState> {
    // Equal base quantity on both legs, valid on both markets' step sizes, each leg within its own
    // wallet: spot pays notional and fee, the short's margin is notional / leverage. A transfer never
    // shares a tick with the orders: when the split of the wallets holds the hedge back by more than
    // 5 %, this tick only asks for USDT to move, and the next one enters with whatever is there then
    // (a refused transfer costs size, never a leg).
    const spotCost = 1 + p.spotFeePct / 100;
    const margin = 1 / p.leverage + (2 * p.takerFeePct) / 100;
    const futuresUsdt = Math.max(0, account.availableBalance);
    const spotUsdt = Math.max(0, account.spotUsdt);
    const target = (account.equity * p.positionPct) / 100;
    const notional = Math.min(target, (spotUsdt * 0.99) / spotCost, (futuresUsdt * 0.99) / margin);
    const ideal = Math.min(target, ((futuresUsdt + spotUsdt) * 0.99) / (spotCost + margin));
    const asked = state?.fundAskedAt !== undefined && view.time - state.fundAskedAt < FUND_WAIT_MS;
    if (ideal > notional * 1.05 && !asked) {
      const reason = 'split the wallets as the hedge legs need';
      const toSpot = ideal * spotCost - spotUsdt;
      const action: MarginAction =
        toSpot > 0
          ? { kind: 'transfer', from: 'futures', to: 'spot', amount: up(toSpot), reason }
          : {
              kind: 'transfer',
              from: 'spot',
              to: 'futures',
              amount: up(ideal * margin - futuresUsdt),
              reason,
            };
      return {
        intents: [],
        cancels: [],
        state: { spot, funding, fundAskedAt: view.time },
        notes: [...notes, `${reason}: ${action.amount} USDT ${action.from} → ${action.to}`],
        marginActions: [action],
      };
    }
    const spotStep = view.spotRules.stepSize;
    const coarse = Math.max(view.futuresRules.stepSize, spotStep);
    const quantity = floorToStep(floorToStep(notional / view.markPrice, coarse), spotStep);
    if (!tradeable(view, quantity, view.markPrice) || quantity * view.spotPrice < view.spotRules.minNotional)
      return hold(['funding pays, but the hedge size is not tradeable']);
    const why = `carry ${pct(apr)} a year ≥ ${pct(p.entryAprPct)}, pays ${roundTripCostPct({ ...p, basisPct }).toFixed(3)} % of costs in ${p.paybackDays} d`;
    f.add({ market: 'futures', side: 'sell', type: 'market', quantity, reason: why });
    const buy = f.add({ market: 'spot', side: 'buy', type: 'market', quantity, reason: 'spot hedge leg' });
    const liq = shortLiquidation({
      quantity,
      entryPrice: view.markPrice,
      margin: (quantity * view.markPrice) / p.leverage,
      brackets: bracketsOf(view.symbol),
    });
    const stopPrice = lastResortStop(view, liq, p.stopBeforeLiquidationPct);
    const stop = f.add({
      market: 'futures',
      side: 'buy',
      type: 'stop_market',
      quantity,
      stopPrice,
      reduceOnly: true,
      reason: 'last-resort stop under the liquidation price',
    });
    return {
      intents: f.intents,
      cancels: [],
      state: {
        hedge: { quantity, entryBasisPct: basisPct, stopId: stop.id, stopPrice, enteredAt: view.time },
        spot: { quantity: spot.quantity, pending: { id: buy.id, side: 'buy', sentAt: view.time } },
        funding,
      },
      notes: [...notes, `enter hedge ${quantity}: ${why}`],
    };
  }
}

/** A transfer rounded up to the cent, so the receiving wallet has at least what its leg needs. */
function up(x: number): number {
  return Math.ceil(x * 100) / 100;
}
