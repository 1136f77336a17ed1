// Bracket legs: the reduce-only stop and take-profit intents an entry's bracket (./bracket-schema.ts)
// turns into, each with an id derived from the entry's id — so a producer that runs again, a
// redelivered message or a monitor that re-plans after a crash yields the same ids, and the queue's
// deduplication and the exchange's clientOrderId check turn every repeat into a no-op.

import { type Bracket, FRACTION_EPS, type TakeProfitLeg } from './bracket-schema.ts';
import { plainlyValidIntent } from './intent-fast-path.ts';
import { type OrderIntent, OrderIntentSchema, sha256Hex } from './order.ts';
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
  return `ac-${sha256Hex(`bracket|${parentId}|${role}`).slice(0, 32)}`;
}

/** The latest entry's first leg ids (../adapters/sim/brackets.ts asks for them right after its legs). */
let latest: { parentId: string; ids: string[] } = { parentId: '', ids: [] };

/**
 * The ids of an entry's first legs: `stop:0`, then `tp:0` … `tp:<takeProfits − 1>`. The same entry's
 * ids are asked for twice in a row — by bracketLegs, then by newBracketTrack once the entry has filled —
 * so the latest entry's are kept rather than hashed again. Read-only: copy to keep.
 */
export function firstLegIds(parentId: string, takeProfits: number): readonly string[] {
  if (latest.parentId !== parentId) latest = { parentId, ids: [bracketLegId(parentId, 'stop:0')] };
  const ids = latest.ids;
  while (ids.length < takeProfits + 1) ids.push(bracketLegId(parentId, `tp:${ids.length - 1}`));
  return ids.length === takeProfits + 1 ? ids : ids.slice(0, takeProfits + 1);
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
  const ids = firstLegIds(parent.id, b.takeProfits.length);
  const trailing = b.stopTrailingPct;
  const stop = validLeg(
    legFields(
      parent,
      {
        id: ids[0]!,
        type: 'stop_market',
        quantity: parent.quantity,
        stopPrice: b.stopPrice,
        reason: trailing !== undefined ? 'bracket trailing stop' : 'bracket stop',
      },
      trailing,
    ),
    parent.id,
  );
  const sizes = takeProfitQuantities(parent.quantity, b.takeProfits, stepSize);
  const tps = b.takeProfits.map((t, i) =>
    validLeg(
      legFields(parent, {
        id: ids[i + 1]!,
        type: 'take_profit_market',
        quantity: sizes[i]!,
        stopPrice: t.price,
        reason: `bracket take-profit ${i + 1} of ${b.takeProfits.length}`,
      }),
      parent.id,
    ),
  );
  return [stop, ...tps];
}

/**
 * A leg's fields, written out as one literal: in V8 (Node 20) a spread of shared fields followed by
 * more properties costs microseconds per object, more than validating it.
 */
function legFields(
  parent: OrderIntent,
  leg: {
    id: string;
    type: 'stop_market' | 'take_profit_market';
    quantity: number;
    stopPrice: number;
    reason: string;
  },
  trailingStopPct?: number,
): Record<string, unknown> {
  const x: Record<string, unknown> = {
    id: leg.id,
    strategy: parent.strategy,
    symbol: parent.symbol,
    market: 'futures',
    side: parent.side === 'buy' ? 'sell' : 'buy',
    type: leg.type,
    quantity: leg.quantity,
    stopPrice: leg.stopPrice,
    reduceOnly: true,
    leverage: parent.leverage,
    marginMode: parent.marginMode,
    createdAt: parent.createdAt,
    reason: leg.reason,
  };
  if (trailingStopPct !== undefined) x.trailingStopPct = trailingStopPct;
  return x;
}

/**
 * OrderIntentSchema's output for a leg `x` of the entry `bracketOf`, through the intents' fast path
 * (./intent-fast-path.ts: it vouches only for what the schema accepts and returns the
 * schema's output) and the schema itself for anything it will not vouch for. The fast path knows no
 * `bracketOf`: it is checked here as the schema checks it (a string of 1–36 characters, in no
 * refinement) and added last, where the schema's shape puts it (after trailingStopPct; a leg carries
 * no bracket, slice or sliced).
 */
function validLeg(x: Record<string, unknown>, bracketOf: string): OrderIntent {
  const ok = typeof bracketOf === 'string' && bracketOf.length >= 1 && bracketOf.length <= 36;
  const fast = ok ? plainlyValidIntent(x) : undefined;
  if (!fast) return OrderIntentSchema.parse({ ...x, bracketOf });
  fast.bracketOf = bracketOf;
  return fast;
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
