// Built-in reference strategy for the backtester: buy once, hold to the end, with a protective stop.
// It is the baseline every strategy is compared with, and the "trivial strategy" of the benchmark.
import { z } from 'zod';
import { floorToStep, roundToTick } from '../domain/precision.ts';
import { NONE } from '../strategies/feed.ts';
import { IntentFactory, type Strategy } from '../strategies/strategy.ts';

export const BuyAndHoldParamsSchema = z.strictObject({
  leverage: z.number().int().min(1).max(20).default(1),
  /** Notional bought, percent of equity (the risk limit caps it at 30 %). */
  positionPct: z.number().positive().max(100).default(25),
  /** Protective reduce-only stop, percent below entry. */
  stopLossPct: z.number().positive().max(95).default(50),
});
export type BuyAndHoldParams = z.infer<typeof BuyAndHoldParamsSchema>;

export const buyAndHold: Strategy<BuyAndHoldParams, { entered: boolean }> = {
  name: 'buy_and_hold',
  description:
    'Baseline: buys a fixed share of equity on the first tick with a wide protective stop and holds to the end.',
  paramsSchema: BuyAndHoldParamsSchema,
  timeframes: ['1h'],
  lookback: () => 0,
  evaluate({ view, account, params, state }) {
    // Every tick after the first: nothing to do, nothing allocated but the output record.
    if (state?.entered) return { intents: NONE, cancels: NONE, state, notes: NONE };
    const f = new IntentFactory('buy_and_hold', view, {
      leverage: params.leverage,
      marginMode: account.marginMode,
    });
    const quantity = floorToStep(
      (account.equity * params.positionPct) / 100 / view.markPrice,
      view.futuresRules.stepSize,
    );
    if (quantity <= 0)
      return { intents: [], cancels: [], state: { entered: true }, notes: ['equity too small to buy'] };
    f.add({ market: 'futures', side: 'buy', type: 'market', quantity, reason: 'buy and hold' });
    f.add({
      market: 'futures',
      side: 'sell',
      type: 'stop_market',
      quantity,
      stopPrice: roundToTick(view.markPrice * (1 - params.stopLossPct / 100), view.futuresRules.tickSize),
      reduceOnly: true,
      reason: 'protective stop',
    });
    return { intents: f.intents, cancels: [], state: { entered: true }, notes: ['entered'] };
  },
};
