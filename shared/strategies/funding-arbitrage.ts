// funding_arbitrage: when the predicted funding rate is high, short the perpetual and buy the same base
// quantity spot — delta-neutral, collecting the funding shorts receive. Exit both legs when the rate
// falls under the exit threshold, when the perp-over-spot basis widens against the position beyond a
// limit, or shortly before a funding time whose predicted rate has turned negative. A hedge missing a
// leg is never left silently: the strategy flattens the remaining leg and says so. Only the spot coins
// it bought itself (booked from fills in its state) are ever sold: the trader's own coins are not a leg.
// Long perp / short spot (for negative funding) needs spot margin, which this product does not use.
import { z } from 'zod';
import { floorToStep } from '../domain/precision.ts';
import { tick, tradeable } from './sizing.ts';
import { type SpotHolding, sellableSpot, settleSpot, spotShort } from './spot-holding.ts';
import { IntentFactory, type Strategy, type StrategyOutput } from './strategy.ts';

export const FundingArbitrageParamsSchema = z
  .strictObject({
    leverage: z.number().int().min(1).max(20).default(2),
    /** Enter when the predicted rate per interval is at least this fraction (0.0003 = 0.03 %). */
    entryFundingRate: z.number().positive().max(0.01).default(0.0003),
    /** Exit when it falls below this fraction. */
    exitFundingRate: z.number().min(-0.01).max(0.01).default(0.0001),
    /** Exit when the basis (perp over spot, percent) widens this much beyond its value at entry. */
    maxBasisPct: z.number().positive().max(20).default(0.5),
    /** Exit this many minutes before a funding time whose predicted rate is negative. */
    preFundingExitMinutes: z.number().int().min(1).max(480).default(60),
    /** Protective stop on the short leg, percent above entry. */
    stopPct: z.number().positive().max(50).default(15),
    /** Hedge notional per leg, percent of equity. */
    positionPct: z.number().positive().max(100).default(20),
  })
  .refine((p) => p.exitFundingRate < p.entryFundingRate, {
    error: 'exitFundingRate must be below entryFundingRate',
  });
export type FundingArbitrageParams = z.infer<typeof FundingArbitrageParamsSchema>;

export interface FundingArbitrageState {
  /** The open hedge's futures leg. */
  hedge?: { quantity: number; entryBasisPct: number; stopId: string; enteredAt?: number };
  /** The spot leg: the coins this strategy bought, booked from fills — the only coins it ever sells. */
  spot?: SpotHolding;
}

/** The spot coins booked in a state; a state written before the ledger existed held its hedge quantity. */
function holdingOf(state: FundingArbitrageState | undefined): SpotHolding {
  return state?.spot ?? { quantity: state?.hedge?.quantity ?? 0 };
}

export const fundingArbitrage: Strategy<FundingArbitrageParams, FundingArbitrageState> = {
  name: 'funding_arbitrage',
  description:
    'Funding-rate arbitrage: when the predicted funding rate reaches the entry threshold it shorts the perpetual (2x by default) and buys the same base quantity spot, a delta-neutral hedge that collects funding. It exits both legs when the rate falls under the exit threshold, when the perp-spot basis widens against it, or before a funding time whose predicted rate turns negative. A hedge missing a leg is flattened with an alert, never left naked.',
  paramsSchema: FundingArbitrageParamsSchema,
  timeframes: ['1h'],
  lookback: () => 0,
  spotHolding: (state) => holdingOf(state).quantity,
  evaluate({ view, account, params: p, state }): StrategyOutput<FundingArbitrageState> {
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

    // The spot leg: book the last spot order's fill first; decide nothing on a leg still in flight.
    const settled = settleSpot(holdingOf(state), account, view.symbol.replace(/USDT$/, ''), view.time);
    let spot = settled.holding;
    const notes = settled.notes;
    if (settled.waiting)
      return { intents: [], cancels: [], state: { ...(hedge ? { hedge } : {}), spot }, notes };
    const sellable = sellableSpot(spot, account.spotBase, view);
    const spotGone = sellable === 0 || spotShort(spot, account.spotBase);

    const closePerp = (reason: string) => {
      if (short) f.closePosition(short, reason);
    };
    /** Sells our own coins only (never more than booked, never more than the wallet holds). */
    const sellSpot = (reason: string) => {
      if (sellable === 0) return;
      const sell = f.add({ market: 'spot', side: 'sell', type: 'market', quantity: sellable, reason });
      spot = { quantity: spot.quantity, pending: { id: sell.id, side: 'sell', sentAt: view.time } };
    };
    const done = (cancels: string[], extra: string[]): StrategyOutput<FundingArbitrageState> => ({
      intents: f.intents,
      cancels,
      state: { spot },
      notes: [...notes, ...extra],
    });

    if (hedge) {
      // A leg missing (the short stopped out or liquidated, our coins sold elsewhere): flatten the other.
      if (!short || spotGone) {
        closePerp('hedge leg missing: flatten perp');
        sellSpot('hedge leg missing: sell the spot this hedge bought');
        return done(cancelStop, [
          `ALERT hedge leg missing (perp ${short ? 'open' : 'gone'}, spot ${spotGone ? 'gone' : 'held'}): flattening`,
        ]);
      }
      const minutesToFunding = (view.nextFundingTime - view.time) / 60_000;
      const reason =
        view.fundingRate < p.exitFundingRate
          ? `funding ${view.fundingRate} under exit ${p.exitFundingRate}`
          : basisPct - hedge.entryBasisPct > p.maxBasisPct
            ? `basis widened to ${basisPct.toFixed(3)} % from ${hedge.entryBasisPct.toFixed(3)} %`
            : view.fundingRate < 0 && minutesToFunding <= p.preFundingExitMinutes
              ? `predicted rate ${view.fundingRate} negative ${minutesToFunding} min before funding`
              : undefined;
      if (!reason) return { intents: [], cancels: [], state: { hedge, spot }, notes };
      closePerp(`exit: ${reason}`);
      sellSpot(`exit: ${reason}`);
      return done(cancelStop, [`exit: ${reason}`]);
    }

    // No hedge. Coins this strategy bought and has not sold yet (a sell refused while halted, say) go
    // first; the trader's own coins are not ours and are never sold.
    if (sellable > 0) {
      sellSpot('unwind the spot this strategy bought');
      return done([], [`selling ${sellable} spot left from an earlier hedge`]);
    }
    // A short on this symbol without a hedge of ours (a restart mid-entry): flattened, reduce-only.
    if (short) {
      closePerp('stray perp leg without a hedge: flatten');
      return done([], ['ALERT stray perp leg: flattening']);
    }
    if (pos || view.fundingRate < p.entryFundingRate)
      return { intents: [], cancels: [], state: { spot }, notes };

    // Equal base quantity on both legs, valid on both markets' step sizes.
    const spotStep = view.spotRules.stepSize;
    const coarse = Math.max(view.futuresRules.stepSize, spotStep);
    const budget = Math.min((account.equity * p.positionPct) / 100, account.spotUsdt / (1 + 0.002));
    const quantity = floorToStep(floorToStep(budget / view.markPrice, coarse), spotStep);
    if (
      !tradeable(view, quantity, view.markPrice) ||
      quantity * view.spotPrice < view.spotRules.minNotional
    ) {
      return {
        intents: [],
        cancels: [],
        state: { spot },
        notes: [...notes, 'funding high, but the hedge size is not tradeable'],
      };
    }
    f.add({
      market: 'futures',
      side: 'sell',
      type: 'market',
      quantity,
      reason: `funding ${view.fundingRate} ≥ ${p.entryFundingRate}`,
    });
    const buy = f.add({ market: 'spot', side: 'buy', type: 'market', quantity, reason: 'spot hedge leg' });
    const stop = f.add({
      market: 'futures',
      side: 'buy',
      type: 'stop_market',
      quantity,
      stopPrice: tick(view, view.markPrice * (1 + p.stopPct / 100)),
      reduceOnly: true,
      reason: 'protective stop of the short leg',
    });
    return {
      intents: f.intents,
      cancels: [],
      state: {
        hedge: { quantity, entryBasisPct: basisPct, stopId: stop.id, enteredAt: view.time },
        spot: { quantity: spot.quantity, pending: { id: buy.id, side: 'buy', sentAt: view.time } },
      },
      notes: [...notes, `enter hedge ${quantity} at funding ${view.fundingRate}`],
    };
  },
};
