// Keeping a hedged short away from liquidation without breaking the hedge: when the mark climbs toward
// the short's liquidation price, USDT goes into the isolated margin (from the futures wallet, topped up
// from the spot wallet); when both wallets are dry, both legs shrink by the same quantity so the spot
// sale pays for the margin of what is left. A stop close to the liquidation price stays on the exchange
// as the last resort for when the bot cannot act; the margin moves keep it from ever being reached.
import {
  bracketForNotional,
  FuturesMathInputError,
  liquidationPriceWithBrackets,
} from '../domain/futures-math.ts';
import { leverageBracketsFor } from '../domain/leverage-brackets.ts';
import type { LeverageBracket } from '../domain/market.ts';
import { tick } from './sizing.ts';
import type { MarginAction, MarketView } from './strategy.ts';

/**
 * A conservative stand-in for a symbol without shipped tiers: 5 % maintenance on any notional (BTC's
 * first tier is 0.4 %), so the liquidation price estimated from it is lower — the stop earlier — than
 * the exchange's.
 */
const FALLBACK_BRACKETS: readonly LeverageBracket[] = [
  {
    bracket: 1,
    notionalFloor: 0,
    notionalCap: Number.MAX_VALUE,
    maintMarginRatio: 0.05,
    maintAmount: 0,
    maxLeverage: 10,
  },
];

/** The shipped maintenance tiers of `symbol` (domain/leverage-brackets.ts), or the conservative stand-in. */
export function bracketsOf(symbol: string): readonly LeverageBracket[] {
  try {
    return leverageBracketsFor(symbol);
  } catch (err) {
    if (err instanceof FuturesMathInputError) return FALLBACK_BRACKETS;
    throw err;
  }
}

/**
 * Isolated margin a short of `quantity` entered at `entryPrice` needs for its liquidation price to be
 * `target`. Binance's one-way liquidation formula for a short (USD-M FAQ "How to calculate liquidation
 * price"; domain/futures-math.ts [LIQ]): LP = (WB + cum + q·entry) / (q·mmr + q), solved for WB with the
 * maintenance tier of the notional at the target price.
 */
export function marginForShortLiquidation(p: {
  quantity: number;
  entryPrice: number;
  target: number;
  brackets: readonly LeverageBracket[];
}): number {
  const b = bracketForNotional(p.target * p.quantity, p.brackets);
  return p.target * p.quantity * (1 + b.maintMarginRatio) - b.maintAmount - p.quantity * p.entryPrice;
}

/** The isolated short's liquidation price for a given margin (same formula, tiers by Binance's rule). */
export function shortLiquidation(p: {
  quantity: number;
  entryPrice: number;
  margin: number;
  brackets: readonly LeverageBracket[];
}): number {
  return liquidationPriceWithBrackets({
    side: 'short',
    marginMode: 'isolated',
    entryPrice: p.entryPrice,
    quantity: p.quantity,
    walletBalance: p.margin,
    brackets: p.brackets,
  });
}

let memoLiq = Number.NaN;
let memoPct = Number.NaN;
let memoTick = Number.NaN;
let memoStop = Number.NaN;

/**
 * The last-resort stop of a short: `pct` percent under its liquidation price `liq`, on the futures
 * tick. The liquidation price moves only with the short's margin, so the last answer is kept: a held
 * hedge asks the same question every tick (the rounding to the tick costs a logarithm).
 */
export function lastResortStop(view: MarketView, liq: number, pct: number): number {
  const tickSize = view.futuresRules.tickSize;
  if (liq !== memoLiq || pct !== memoPct || tickSize !== memoTick) {
    memoStop = tick(view, liq * (1 - pct / 100));
    memoLiq = liq;
    memoPct = pct;
    memoTick = tickSize;
  }
  return memoStop;
}

/** Percent the mark may rise before the short is liquidated (0 liquidation price: out of reach). */
export function shortLiquidationDistancePct(markPrice: number, liquidationPrice: number): number {
  if (!(liquidationPrice > 0)) return Number.POSITIVE_INFINITY;
  return ((liquidationPrice - markPrice) / markPrice) * 100;
}

export interface MarginPlan {
  actions: MarginAction[];
  /** Margin the short holds after the actions. */
  marginAfter: number;
  /** True when the wallets could not pay all that was needed: the legs must shrink. */
  short: boolean;
}

/**
 * The margin moves that bring an isolated short's liquidation price back to `targetDistancePct` above
 * the mark: the futures wallet's free USDT first, then a transfer of the spot wallet's USDT. Amounts are
 * floored to cents so a move never asks for more than is there.
 */
export function planMargin(p: {
  quantity: number;
  entryPrice: number;
  markPrice: number;
  margin: number;
  targetDistancePct: number;
  brackets: readonly LeverageBracket[];
  futuresAvailable: number;
  spotUsdt: number;
  reason: string;
}): MarginPlan {
  const target = p.markPrice * (1 + p.targetDistancePct / 100);
  const need = cents(marginForShortLiquidation({ ...p, target }) - p.margin);
  if (!(need > 0)) return { actions: [], marginAfter: p.margin, short: false };
  const free = Math.max(0, cents(p.futuresAvailable));
  const fromSpot = Math.min(Math.max(0, cents(p.spotUsdt)), Math.max(0, cents(need - free)));
  const add = Math.min(need, cents(free + fromSpot));
  const actions: MarginAction[] = [];
  if (fromSpot > 0)
    actions.push({ kind: 'transfer', from: 'spot', to: 'futures', amount: fromSpot, reason: p.reason });
  if (add > 0) actions.push({ kind: 'add_margin', amount: add, reason: p.reason });
  return { actions, marginAfter: p.margin + add, short: add < need };
}

/** Floored to the cent; the 1e-6 absorbs float noise (50 + 93.08 is 143.07999… in binary). */
function cents(x: number): number {
  return Math.floor(x * 100 + 1e-6) / 100;
}
