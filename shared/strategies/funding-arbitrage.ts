// funding_arbitrage: when the predicted funding rate is high, short the perpetual and buy the same base
// quantity spot — delta-neutral, collecting the funding shorts receive. Exit both legs when the rate
// falls under the exit threshold, when the perp-over-spot basis widens against the position beyond a
// limit, or shortly before a funding time whose predicted rate has turned negative. A hedge missing a
// leg is never left silently: the strategy flattens the remaining leg and says so.
// Long perp / short spot (for negative funding) needs spot margin, which this product does not use.
import { z } from 'zod';
import { floorToStep } from '../domain/precision.ts';
import { tick, tradeable } from './sizing.ts';
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
  hedge?: { quantity: number; entryBasisPct: number; stopId: string };
}

export const fundingArbitrage: Strategy<FundingArbitrageParams, FundingArbitrageState> = {
  name: 'funding_arbitrage',
  description:
    'Funding-rate arbitrage: when the predicted funding rate reaches the entry threshold it shorts the perpetual (2x by default) and buys the same base quantity spot, a delta-neutral hedge that collects funding. It exits both legs when the rate falls under the exit threshold, when the perp-spot basis widens against it, or before a funding time whose predicted rate turns negative. A hedge missing a leg is flattened with an alert, never left naked.',
  paramsSchema: FundingArbitrageParamsSchema,
  timeframes: ['1h'],
  lookback: () => 0,
  evaluate({ view, account, params: p, state }): StrategyOutput<FundingArbitrageState> {
    const f = new IntentFactory('funding_arbitrage', view, {
      leverage: p.leverage,
      marginMode: account.marginMode,
    });
    const pos = account.position;
    const spotStep = view.spotRules.stepSize;
    const spotQty = floorToStep(account.spotBase, spotStep);
    const hasSpot = spotQty >= view.spotRules.minQuantity;
    const short = pos?.side === 'short' ? pos : undefined;
    const basisPct = ((view.markPrice - view.spotPrice) / view.spotPrice) * 100;
    const hedge = state?.hedge;
    const openIds = new Set(account.openOrders.map((o) => o.clientOrderId));
    const cancelStop = hedge && openIds.has(hedge.stopId) ? [hedge.stopId] : [];

    const closePerp = (reason: string) => {
      if (short)
        f.add({
          market: 'futures',
          side: 'buy',
          type: 'market',
          quantity: short.quantity,
          reduceOnly: true,
          reason,
        });
    };
    const sellSpot = (reason: string) => {
      if (hasSpot) f.add({ market: 'spot', side: 'sell', type: 'market', quantity: spotQty, reason });
    };

    if (hedge) {
      // A leg missing (the short stopped out or liquidated, the spot sold elsewhere): flatten the other.
      if (!short || !hasSpot) {
        closePerp('hedge leg missing: flatten perp');
        sellSpot('hedge leg missing: flatten spot');
        return {
          intents: f.intents,
          cancels: cancelStop,
          state: {},
          notes: [
            `ALERT hedge leg missing (perp ${short ? 'open' : 'gone'}, spot ${hasSpot ? 'held' : 'gone'}): flattening`,
          ],
        };
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
      if (!reason) return { intents: [], cancels: [], state: { hedge }, notes: [] };
      closePerp(`exit: ${reason}`);
      sellSpot(`exit: ${reason}`);
      return { intents: f.intents, cancels: cancelStop, state: {}, notes: [`exit: ${reason}`] };
    }

    // No hedge of ours. A stray leg on this symbol (e.g. after a restart mid-entry) is flattened too.
    if (short || hasSpot) {
      closePerp('stray leg without a hedge: flatten perp');
      sellSpot('stray leg without a hedge: flatten spot');
      return { intents: f.intents, cancels: [], state: {}, notes: ['ALERT stray hedge leg: flattening'] };
    }
    if (pos || view.fundingRate < p.entryFundingRate)
      return { intents: [], cancels: [], state: {}, notes: [] };

    // Equal base quantity on both legs, valid on both markets' step sizes.
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
        state: {},
        notes: ['funding high, but the hedge size is not tradeable'],
      };
    }
    f.add({
      market: 'futures',
      side: 'sell',
      type: 'market',
      quantity,
      reason: `funding ${view.fundingRate} ≥ ${p.entryFundingRate}`,
    });
    f.add({ market: 'spot', side: 'buy', type: 'market', quantity, reason: 'spot hedge leg' });
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
      state: { hedge: { quantity, entryBasisPct: basisPct, stopId: stop.id } },
      notes: [`enter hedge ${quantity} at funding ${view.fundingRate}`],
    };
  },
};
