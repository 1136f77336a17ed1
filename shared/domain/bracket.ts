// Bracket legs: the reduce-only stop and take-profit intents an entry's bracket (./bracket-schema.ts)
// turns into, each with an id derived from the entry's id — so a producer that runs again, a
// redelivered message or a monitor that re-plans after a crash yields the same ids, and the queue's
// deduplication and the exchange's clientOrderId check turn every repeat into a no-op.
import { createHash } from 'node:crypto';
import { type Bracket, FRACTION_EPS, type TakeProfitLeg } from './bracket-schema.ts';
import { type OrderIntent, OrderIntentSchema } from './order.ts';
import { floorToStep, roundToTick } from './precision.ts';

export { type Bracket, type BracketInput, BracketSchema, type TakeProfitLeg } from './bracket-schema.ts';

/** A bracket's legs do not fit the entry (a take-profit smaller than one step). */
export class BracketInvalid extends Error {
  override name = 'BracketInvalid';
}

/**
 * Deterministic id of something a bracket produces: `stop:0` (the first stop), `stop:<n>` (its n-th
 * resize), `tp:<i>`, `cancel:<clientOrderId>`. 'ac-' + 32 hex = 35 characters, within Binance's 36.
 */
export function bracketLegId(parentId: string, role: string): string {
  return `ac-${createHash('sha256').update(`bracket|${parentId}|${role}`).digest('hex').slice(0, 32)}`;
}

/**
 * Quantities of the take-profits: each its fraction of the entry, floored to the step (never more than
 * asked); when the fractions add up to the whole, the last one takes the remainder, so the legs close
 * exactly the entry.
 */
export function takeProfitQuantities(
  quantity: number,
  legs: readonly TakeProfitLeg[],
  stepSize: number,
): number[] {
  const total = legs.reduce((s, t) => s + t.fraction, 0);
  const whole = total >= 1 - FRACTION_EPS;
  let left = quantity;
  return legs.map((t, i) => {
    const q =
      whole && i === legs.length - 1
        ? floorToStep(left, stepSize)
        : floorToStep(quantity * t.fraction, stepSize);
    left -= q;
    if (!(q >= stepSize * (1 - FRACTION_EPS)))
      throw new BracketInvalid(
        `take-profit ${i + 1} (${t.fraction * 100} % of ${quantity}) is less than one step of ${stepSize}`,
      );
    return q;
  });
}

/** The entry's legs, stop first: a STOP_MARKET for the whole entry and one TAKE_PROFIT_MARKET each. */
export function bracketLegs(parent: OrderIntent, stepSize: number): OrderIntent[] {
  const b = parent.bracket;
  if (!b) return [];
  const closeSide = parent.side === 'buy' ? 'sell' : 'buy';
  const common = {
    strategy: parent.strategy,
    symbol: parent.symbol,
    market: 'futures' as const,
    side: closeSide,
    reduceOnly: true,
    leverage: parent.leverage,
    marginMode: parent.marginMode,
    createdAt: parent.createdAt,
    bracketOf: parent.id,
  };
  const stop = OrderIntentSchema.parse({
    ...common,
    id: bracketLegId(parent.id, 'stop:0'),
    type: 'stop_market',
    quantity: parent.quantity,
    stopPrice: b.stopPrice,
    ...(b.stopTrailingPct !== undefined ? { trailingStopPct: b.stopTrailingPct } : {}),
    reason: b.stopTrailingPct !== undefined ? 'bracket trailing stop' : 'bracket stop',
  });
  const sizes = takeProfitQuantities(parent.quantity, b.takeProfits, stepSize);
  const tps = b.takeProfits.map((t, i) =>
    OrderIntentSchema.parse({
      ...common,
      id: bracketLegId(parent.id, `tp:${i}`),
      type: 'take_profit_market',
      quantity: sizes[i],
      stopPrice: t.price,
      reason: `bracket take-profit ${i + 1} of ${b.takeProfits.length}`,
    }),
  );
  return [stop, ...tps];
}

/**
 * Scaled take-profits in R (multiples of the entry-to-stop distance), e.g. 50 % at 1.5 R and the rest
 * at 3 R: R = |entry − stop| (the risk per unit, the usual definition — Van Tharp, "Trade Your Way to
 * Financial Freedom", ch. 13), take-profit i at entry + side × rMultiple_i × R, rounded to the tick.
 */
export function scaledTakeProfits(p: {
  side: 'long' | 'short';
  entryPrice: number;
  stopPrice: number;
  levels: readonly { r: number; fraction: number }[];
  tickSize: number;
}): TakeProfitLeg[] {
  const dir = p.side === 'long' ? 1 : -1;
  const risk = Math.abs(p.entryPrice - p.stopPrice);
  return p.levels.map((l) => ({
    price: roundToTick(p.entryPrice + dir * l.r * risk, p.tickSize),
    fraction: l.fraction,
  }));
}

/** The bracket a strategy or a command sets: stop and scaled take-profits around an entry. */
export function bracketFor(p: {
  side: 'long' | 'short';
  entryPrice: number;
  stopPrice: number;
  levels: readonly { r: number; fraction: number }[];
  breakEvenAfterFirst?: boolean;
  tickSize: number;
}): Bracket {
  return {
    stopPrice: p.stopPrice,
    takeProfits: scaledTakeProfits(p),
    breakEvenAfterFirst: p.breakEvenAfterFirst ?? false,
  };
}
