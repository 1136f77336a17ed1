// A fast path in front of OrderIntentSchema.parse for the intents a strategy builds (IntentFactory).
// The schema stays the one definition: this check only ever ACCEPTS an input the schema would accept,
// and then returns exactly what the schema would return (same fields, same key order, the reduceOnly
// default); anything else — an unknown key, a value out of range, a rule broken — returns undefined and
// the caller runs the schema itself, which throws its usual error. A property test holds it to that
// (test/unit/domain/intent-fast-path.property.test.ts).
//
// Why: a backtest validates every intent its strategy emits, tens of thousands per run for a grid,
// and zod's parse of this schema (object + refinements) was the largest single cost per intent in the
// engine's profile (~5 µs each). The enums are read from the schemas; the two identifier patterns that
// are the same on every tick (strategy name, symbol) are checked by their own schemas once per value.

import { type Bracket, bracketSideProblem, FRACTION_EPS } from './bracket-schema.ts';
import {
  CLIENT_ORDER_ID_PATTERN,
  IntentSourceSchema,
  MAX_INTENT_LEVERAGE,
  MarketKindSchema,
  type OrderIntent,
  OrderTypeSchema,
} from './order.ts';
import { MarginModeSchema, OrderSideSchema, SymbolSchema } from './primitives.ts';

const KEYS = new Set([
  'id',
  'strategy',
  'symbol',
  'market',
  'side',
  'type',
  'quantity',
  'price',
  'stopPrice',
  'reduceOnly',
  'leverage',
  'marginMode',
  'createdAt',
  'reason',
  'trailingStopPct',
  'bracket',
]);

const goodSources = new Set<string>();
const goodSymbols = new Set<string>();

function memoOk(seen: Set<string>, ok: (v: string) => boolean, v: unknown): boolean {
  if (typeof v !== 'string') return false;
  if (seen.has(v)) return true;
  if (!ok(v)) return false;
  if (seen.size < 1_000) seen.add(v);
  return true;
}

const isSource = (v: string) => IntentSourceSchema.safeParse(v).success;
const isSymbol = (v: string) => SymbolSchema.safeParse(v).success;

/** zod 4's z.number().positive(): finite and > 0. */
const positive = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;
const optionalPositive = (v: unknown) => v === undefined || positive(v);

/** The schema's output for `x` when the fast check can vouch for it; undefined otherwise. */
export function plainlyValidIntent(x: Record<string, unknown>): OrderIntent | undefined {
  for (const k in x) if (!KEYS.has(k)) return undefined;
  const id = x.id;
  if (typeof id !== 'string' || !CLIENT_ORDER_ID_PATTERN.test(id)) return undefined;
  return checkedIntent(id, x.strategy, x.symbol, x.createdAt, x.leverage, x.marginMode, x);
}

/** What a strategy may pass to IntentFactory.add (./strategy.ts) for the fast path to answer: all but
 * what the factory sets itself. */
const STRATEGY_KEYS = new Set([...KEYS].filter((k) => k !== 'id' && k !== 'strategy' && k !== 'createdAt'));

/**
 * The schema's output for the intent IntentFactory.add builds from a strategy's fields `p` — the
 * schema's input `{ leverage, marginMode, ...p, id, strategy, symbol, createdAt }` — without building
 * that input; undefined when the fast check cannot vouch for it (the caller then parses the input).
 * `id` is the factory's own makeIntentId output ('ac-' and 32 hex digits, 35 characters: always a
 * client order id), so it is not tested against the pattern again; everything else is checked as in
 * plainlyValidIntent.
 */
export function factoryIntent(
  id: string,
  strategy: string,
  symbol: string,
  createdAt: number,
  defaults: { leverage: number; marginMode: string },
  p: Record<string, unknown>,
): OrderIntent | undefined {
  // Own keys only, as the spread copies (a plain object: nothing to inherit).
  const proto = Object.getPrototypeOf(p);
  if (proto !== Object.prototype && proto !== null) return undefined;
  for (const k in p) if (!STRATEGY_KEYS.has(k)) return undefined;
  // The spread's rule: a key of `p` wins over the default even when its value is undefined.
  let leverage = p.leverage;
  if (leverage === undefined && !('leverage' in p)) leverage = defaults.leverage;
  let marginMode = p.marginMode;
  if (marginMode === undefined && !('marginMode' in p)) marginMode = defaults.marginMode;
  return checkedIntent(id, strategy, symbol, createdAt, leverage, marginMode, p);
}

/** Which optional keys an intent has (checkedIntent's output shapes). */
const PRICE = 1;
const STOP = 2;
const REASON = 4;
const TRAILING = 8;
const BRACKET = 16;

/**
 * The checks and the output shared by both entries: every field but the id, read from `x` except the
 * ones given (whose source differs: the merged input, or the factory's own values).
 */
function checkedIntent(
  id: string,
  strategy: unknown,
  symbol: unknown,
  createdAt: unknown,
  leverage: unknown,
  marginMode: unknown,
  x: Record<string, unknown>,
): OrderIntent | undefined {
  const { market, side, type, quantity, price, stopPrice, reason } = x;
  const trailing = x.trailingStopPct;
  const reduceOnly = x.reduceOnly === undefined ? false : x.reduceOnly;
  if (
    !memoOk(goodSources, isSource, strategy) ||
    !memoOk(goodSymbols, isSymbol, symbol) ||
    !MarketKindSchema.options.includes(market as never) ||
    !OrderSideSchema.options.includes(side as never) ||
    !OrderTypeSchema.options.includes(type as never) ||
    !positive(quantity) ||
    !optionalPositive(price) ||
    !optionalPositive(stopPrice) ||
    typeof reduceOnly !== 'boolean' ||
    !Number.isSafeInteger(leverage) ||
    (leverage as number) < 1 ||
    (leverage as number) > 125 ||
    !MarginModeSchema.options.includes(marginMode as never) ||
    !Number.isSafeInteger(createdAt) ||
    (createdAt as number) < 0 ||
    (reason !== undefined && (typeof reason !== 'string' || reason.length > 200)) ||
    (trailing !== undefined && !(positive(trailing) && trailing <= 50))
  )
    return undefined;
  // The schema's refinements (shared/domain/order.ts, OrderIntentSchema.superRefine).
  const triggered = type === 'stop_market' || type === 'take_profit_market';
  if ((type === 'limit') !== (price !== undefined)) return undefined;
  if (triggered !== (stopPrice !== undefined)) return undefined;
  if (trailing !== undefined && (type !== 'stop_market' || !reduceOnly || market !== 'futures'))
    return undefined;
  if (!reduceOnly && (leverage as number) > MAX_INTENT_LEVERAGE) return undefined;
  if (market === 'spot' && (reduceOnly || triggered)) return undefined;
  let bracket: Bracket | undefined;
  if (x.bracket !== undefined) {
    // Only a futures market entry carries a bracket (the schema's refinement), its legs on the sides.
    if (type !== 'market' || reduceOnly || market !== 'futures') return undefined;
    bracket = plainBracket(x.bracket);
    if (!bracket || bracketSideProblem(side as 'buy' | 'sell', bracket)) return undefined;
  }
  // The schema's output: its keys in its shape's order, optional ones where the input has them. The
  // shapes strategies build (a limit, a stop, a trailing stop, a market order, a bracketed entry, each
  // with its reason) are one literal each: one allocation, no property added one by one
  // (test/unit/strategies/intent-shapes.property.test.ts holds each literal to the schema parse).
  const shape =
    (price !== undefined || 'price' in x ? PRICE : 0) |
    (stopPrice !== undefined || 'stopPrice' in x ? STOP : 0) |
    (reason !== undefined || 'reason' in x ? REASON : 0) |
    (trailing !== undefined || 'trailingStopPct' in x ? TRAILING : 0) |
    (bracket !== undefined || 'bracket' in x ? BRACKET : 0);
  // biome-ignore format: one line per shape, the keys in the schema's order
  switch (shape) {
    case PRICE | REASON:
      return { id, strategy, symbol, market, side, type, quantity, price, reduceOnly, leverage, marginMode, createdAt, reason } as OrderIntent;
    case STOP | REASON:
      return { id, strategy, symbol, market, side, type, quantity, stopPrice, reduceOnly, leverage, marginMode, createdAt, reason } as OrderIntent;
    case STOP | REASON | TRAILING:
      return { id, strategy, symbol, market, side, type, quantity, stopPrice, reduceOnly, leverage, marginMode, createdAt, reason, trailingStopPct: trailing } as OrderIntent;
    case REASON:
      return { id, strategy, symbol, market, side, type, quantity, reduceOnly, leverage, marginMode, createdAt, reason } as OrderIntent;
    case REASON | BRACKET:
      return { id, strategy, symbol, market, side, type, quantity, reduceOnly, leverage, marginMode, createdAt, reason, bracket } as OrderIntent;
  }
  const out: Record<string, unknown> = { id, strategy, symbol, market, side, type, quantity };
  if (shape & PRICE) out.price = price;
  if (shape & STOP) out.stopPrice = stopPrice;
  out.reduceOnly = reduceOnly;
  out.leverage = leverage;
  out.marginMode = marginMode;
  out.createdAt = createdAt;
  if (shape & REASON) out.reason = reason;
  if (shape & TRAILING) out.trailingStopPct = trailing;
  if (shape & BRACKET) out.bracket = bracket;
  return out as OrderIntent;
}

const BRACKET_KEYS = new Set(['stopPrice', 'takeProfits', 'breakEvenAfterFirst', 'stopTrailingPct']);

/** A plain object with own keys only from `keys`, none of them explicitly undefined. */
function plainWith(v: unknown, keys: Set<string>): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return false;
  for (const k in v) if (!keys.has(k) || (v as Record<string, unknown>)[k] === undefined) return false;
  return true;
}

const LEG_KEYS = new Set(['price', 'fraction']);

/**
 * BracketSchema's output for `b` (./bracket-schema.ts: its defaults applied, keys in its order, fresh
 * objects) when every field is plainly valid; undefined for anything else — an unknown key (which the
 * schema would strip), an explicit undefined, a value out of range — and the caller parses instead.
 */
function plainBracket(b: unknown): Bracket | undefined {
  if (!plainWith(b, BRACKET_KEYS) || !positive(b.stopPrice)) return undefined;
  const legs = b.takeProfits ?? [];
  if (!Array.isArray(legs) || legs.length > 4) return undefined;
  const takeProfits: Bracket['takeProfits'] = [];
  let total = 0;
  for (let i = 0; i < legs.length; i++) {
    const t: unknown = legs[i];
    if (!plainWith(t, LEG_KEYS) || !positive(t.price) || !positive(t.fraction) || t.fraction > 1)
      return undefined;
    total += t.fraction;
    takeProfits.push({ price: t.price, fraction: t.fraction });
  }
  if (total > 1 + FRACTION_EPS) return undefined;
  const breakEvenAfterFirst = b.breakEvenAfterFirst ?? false;
  if (typeof breakEvenAfterFirst !== 'boolean') return undefined;
  const out: Bracket = { stopPrice: b.stopPrice, takeProfits, breakEvenAfterFirst };
  if (b.stopTrailingPct !== undefined) {
    if (!positive(b.stopTrailingPct) || b.stopTrailingPct > 50) return undefined;
    out.stopTrailingPct = b.stopTrailingPct;
  }
  return out;
}
