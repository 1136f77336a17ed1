// The tick's own rules for a strategy's intents, before the shared risk check:
// - spot coins: a strategy sells only what it bought itself (its `spotHolding`), never the trader's;
// - halt: no spot order at all (a spot sell trades the trader's wallet; it waits for the halt to lift);
// - a performance pause: only what reduces passes — reduce-only futures orders, and a spot sell of the
//   strategy's own hedge only together with the close of its futures leg (in the same tick, or with no
//   futures position left), so a paused hedge unwinds whole and never leaves a naked leg. No spot buy.
import type { OrderIntent } from '../domain/order.ts';
import type { FuturesPosition } from '../domain/position.ts';
import type { RiskDecision } from '../domain/risk/check-intent.ts';

/** Spot quantities are compared with this tolerance (satoshi scale; float noise is far below it). */
const NOISE = 1e-9;

export interface GateContext {
  strategy: string;
  baseAsset: string;
  /** Spot coins the strategy holds by its own books. */
  spotHolding: number;
  halted: boolean;
  pause: { reason: string } | undefined;
  /** This symbol's futures position before the tick. */
  position: FuturesPosition | undefined;
  /** Every intent of the tick (a paused spot sell needs the futures leg's close among them). */
  intents: readonly OrderIntent[];
}

/** A stateful check over one tick's intents, in order (spot sells add up against the holding). */
export function tickGate(ctx: GateContext): (intent: OrderIntent) => RiskDecision | undefined {
  let spotSold = 0;
  const pos = ctx.position;
  const closesFutures =
    !pos ||
    ctx.intents.some(
      (i) =>
        i.market === 'futures' &&
        i.reduceOnly &&
        i.type === 'market' &&
        i.side === (pos.side === 'long' ? 'sell' : 'buy') &&
        i.quantity >= pos.quantity - NOISE,
    );
  const refuse = (reason: string): RiskDecision => ({ accepted: false, reasons: [reason] });
  return (intent) => {
    if (intent.market === 'futures') {
      if (ctx.pause && !intent.reduceOnly)
        return refuse(`strategy ${ctx.strategy} is paused: ${ctx.pause.reason}`);
      return undefined;
    }
    if (ctx.halted) return refuse('trading is halted: spot orders wait until the halt is lifted');
    if (intent.side === 'buy') {
      if (ctx.pause) return refuse(`strategy ${ctx.strategy} is paused: ${ctx.pause.reason}`);
      return undefined;
    }
    if (spotSold + intent.quantity > ctx.spotHolding + NOISE)
      return refuse(
        `spot sell of ${intent.quantity} ${ctx.baseAsset} refused: ${ctx.strategy} holds only ${ctx.spotHolding - spotSold} ${ctx.baseAsset} it bought itself (the rest of the wallet is not its to sell)`,
      );
    if (ctx.pause && !closesFutures)
      return refuse(
        `strategy ${ctx.strategy} is paused: ${ctx.pause.reason} (its spot leg is sold only with its futures leg)`,
      );
    spotSold += intent.quantity;
    return undefined;
  };
}
