// A tick's margin actions in a backtest: the same pre-check the live tick runs
// (shared/domain/risk/margin-precheck.ts), then applied to the simulator's books as the executor would
// through the Exchange port (shared/adapters/sim/margin-moves.ts). A refused one is a rejection, like a
// rejected intent. Called after the tick's cancels and before its intents.
import { addIsolatedMargin, transferUsdt } from '../adapters/sim/margin-moves.ts';
import type { Simulator } from '../adapters/sim/simulator.ts';
import { describeMove } from '../domain/margin-move.ts';
import { type MarginActionInput, precheckMarginActions } from '../domain/risk/margin-precheck.ts';
import { ExchangeError } from '../ports/exchange-errors.ts';

export interface MarginActionsApplied {
  rejections: { time: number; intentId: string; reasons: string[] }[];
  /** USDT moved into the futures wallet (− out of it): not profit, so the daily-loss base moves with it. */
  intoFutures: number;
}

export function applyMarginActions(
  sim: Simulator,
  actions: readonly MarginActionInput[] | undefined,
  ctx: { strategy: string; symbol: string; time: number },
): MarginActionsApplied {
  const out: MarginActionsApplied = { rejections: [], intoFutures: 0 };
  if (!actions || actions.length === 0) return out;
  const priceOf = (s: string) => sim.price(s);
  const checked = precheckMarginActions(actions, {
    strategy: ctx.strategy,
    symbol: ctx.symbol,
    tickTime: ctx.time,
    halted: false,
    position: sim.ledger.positions.get(ctx.symbol),
    futuresAvailable: sim.ledger.available(priceOf),
    spotUsdt: sim.ledger.spot.get('USDT') ?? 0,
  });
  for (const r of checked.refused)
    out.rejections.push({ time: ctx.time, intentId: r.id, reasons: r.reasons });
  for (const move of checked.accepted) {
    try {
      if (move.kind === 'add_margin')
        addIsolatedMargin(sim.ledger, { symbol: move.symbol, amount: move.amount, time: ctx.time, priceOf });
      else {
        transferUsdt(sim.ledger, {
          from: move.from,
          to: move.to,
          amount: move.amount,
          time: ctx.time,
          priceOf,
        });
        out.intoFutures += move.to === 'futures' ? move.amount : -move.amount;
      }
    } catch (err) {
      if (!(err instanceof ExchangeError)) throw err;
      out.rejections.push({
        time: ctx.time,
        intentId: move.id,
        reasons: [`${describeMove(move)} refused: ${err.name}: ${err.message}`],
      });
    }
  }
  return out;
}
