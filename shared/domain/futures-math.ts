// Futures math for Binance USD-M perpetuals (USDT-margined, linear, one-way mode).
// Pure functions; every number the product shows or risks money on comes from here.
//
// Sources (Binance support FAQ, USDⓈ-M futures):
//  [PNL]  "How to Calculate Profit and Loss for Futures Contracts":
//         unrealised PnL = side × (mark price − entry price) × size; ROE% = unrealised PnL / initial margin,
//         initial margin = size × entry price × IMR, IMR = 1 / leverage.
//  [MM]   "Leverage and Margin of USDⓈ-M Futures": maintenance margin = notional × maintenance margin rate
//         of the notional's bracket − maintenance amount ("cum") of that bracket.
//  [LIQ]  "How to Calculate Liquidation Price of USDⓈ-M Futures Contracts" (one-way mode, BOTH position):
//         LP = (WB − TMM1 + UPNL1 + cumB − Side1 × Position1 × EP1) / (Position1 × MMR_B − Side1 × Position1)
//         WB: cross wallet balance, or the isolated wallet of the position; TMM1 / UPNL1: maintenance margin
//         and unrealised PnL of all OTHER positions (0 in isolated mode); Side1 = 1 long, −1 short.
//         "If the position at the liquidation price and at the opening price fall in different levels,
//         substitute the maintenance rate and amount of the level at the liquidation price and recalculate."
//  [FUND] "Introduction to Binance Futures Funding Rates": funding amount = nominal value of position ×
//         funding rate, nominal value = mark price × size; positive rate: longs pay shorts.
//  [MR]   "What is Margin Ratio": margin ratio = maintenance margin / margin balance,
//         margin balance = wallet balance + unrealised PnL; liquidation at 100 %.
import type { LeverageBracket } from './market.ts';
import { type MarginMode, type PositionSide, sideSign } from './primitives.ts';

/** A bad argument to a formula: names the argument and what it must be. */
export class FuturesMathInputError extends RangeError {
  override readonly name = 'FuturesMathInputError';
}

function requirePositive(name: string, value: number): void {
  if (!Number.isFinite(value) || value <= 0) {
    throw new FuturesMathInputError(`${name} must be a finite number > 0 (got ${value})`);
  }
}
function requireFinite(name: string, value: number): void {
  if (!Number.isFinite(value))
    throw new FuturesMathInputError(`${name} must be a finite number (got ${value})`);
}
function requireSide(side: PositionSide): void {
  if (side !== 'long' && side !== 'short') {
    throw new FuturesMathInputError(`side must be 'long' or 'short' (got ${String(side)})`);
  }
}

/** [PNL] Unrealised PnL in USDT of a position marked at `markPrice`. */
export function unrealizedPnl(p: {
  side: PositionSide;
  entryPrice: number;
  markPrice: number;
  quantity: number;
}): number {
  requireSide(p.side);
  requirePositive('entryPrice', p.entryPrice);
  requirePositive('markPrice', p.markPrice);
  requirePositive('quantity', p.quantity);
  return sideSign(p.side) * (p.markPrice - p.entryPrice) * p.quantity;
}

/**
 * [FUND] Funding settled on a position at one funding time, in USDT: received (+) or paid (−).
 * A positive rate makes longs pay and shorts receive the same amount (zero-sum).
 */
export function fundingFee(p: {
  side: PositionSide;
  quantity: number;
  markPrice: number;
  fundingRate: number;
}): number {
  requireSide(p.side);
  requirePositive('quantity', p.quantity);
  requirePositive('markPrice', p.markPrice);
  requireFinite('fundingRate', p.fundingRate);
  return -sideSign(p.side) * p.quantity * p.markPrice * p.fundingRate;
}

/** [PNL] Initial margin in USDT: notional at entry / leverage. */
export function initialMargin(p: { quantity: number; entryPrice: number; leverage: number }): number {
  requirePositive('quantity', p.quantity);
  requirePositive('entryPrice', p.entryPrice);
  requirePositive('leverage', p.leverage);
  return (p.quantity * p.entryPrice) / p.leverage;
}

/** The bracket whose [notionalFloor, notionalCap) holds `notional`. Throws beyond the last cap. */
export function bracketForNotional(notional: number, brackets: readonly LeverageBracket[]): LeverageBracket {
  if (!Number.isFinite(notional) || notional < 0) {
    throw new FuturesMathInputError(`notional must be a finite number ≥ 0 (got ${notional})`);
  }
  if (brackets.length === 0) throw new FuturesMathInputError('brackets must not be empty');
  for (const b of brackets) {
    if (notional >= b.notionalFloor && notional < b.notionalCap) return b;
  }
  const last = brackets[brackets.length - 1]!;
  if (notional === last.notionalCap) return last;
  throw new FuturesMathInputError(
    `notional ${notional} USDT is above the symbol's largest bracket (cap ${last.notionalCap} USDT)`,
  );
}

/** [MM] Maintenance margin in USDT for a position of `notional` USDT (absolute value of size × mark). */
export function maintenanceMargin(p: { notional: number; brackets: readonly LeverageBracket[] }): number {
  const b = bracketForNotional(p.notional, p.brackets);
  return Math.max(0, p.notional * b.maintMarginRatio - b.maintAmount);
}

/** Highest leverage Binance allows for a position of `notional` USDT. */
export function maxLeverageForNotional(notional: number, brackets: readonly LeverageBracket[]): number {
  return bracketForNotional(notional, brackets).maxLeverage;
}

export interface LiquidationInput {
  side: PositionSide;
  marginMode: MarginMode;
  entryPrice: number;
  quantity: number;
  /** Isolated: the position's isolated wallet (its margin). Cross: the account's cross wallet balance. */
  walletBalance: number;
  /** Cross only: total maintenance margin of all OTHER positions (TMM1). Ignored in isolated mode. */
  otherMaintenanceMargin?: number;
  /** Cross only: total unrealised PnL of all OTHER positions (UPNL1). Ignored in isolated mode. */
  otherUnrealizedPnl?: number;
}

/**
 * [LIQ] Liquidation price (one-way mode) for given maintenance rate and amount.
 * Returns 0 when the position cannot be liquidated (e.g. a long whose margin covers the whole notional).
 */
export function liquidationPrice(
  p: LiquidationInput & { maintMarginRatio: number; maintAmount: number },
): number {
  requireSide(p.side);
  requirePositive('entryPrice', p.entryPrice);
  requirePositive('quantity', p.quantity);
  requireFinite('walletBalance', p.walletBalance);
  if (!Number.isFinite(p.maintMarginRatio) || p.maintMarginRatio < 0 || p.maintMarginRatio >= 1) {
    throw new FuturesMathInputError(`maintMarginRatio must be in [0, 1) (got ${p.maintMarginRatio})`);
  }
  requireFinite('maintAmount', p.maintAmount);
  const cross = p.marginMode === 'cross';
  if (!cross && p.marginMode !== 'isolated') {
    throw new FuturesMathInputError(`marginMode must be 'isolated' or 'cross' (got ${String(p.marginMode)})`);
  }
  const tmm = cross ? (p.otherMaintenanceMargin ?? 0) : 0;
  const upnl = cross ? (p.otherUnrealizedPnl ?? 0) : 0;
  requireFinite('otherMaintenanceMargin', tmm);
  requireFinite('otherUnrealizedPnl', upnl);
  return lpFormula(
    sideSign(p.side),
    p.quantity,
    p.entryPrice,
    p.walletBalance - tmm + upnl,
    p.maintMarginRatio,
    p.maintAmount,
  );
}

/**
 * [LIQ] The one-way formula itself, on validated numbers. `balance` = WB − TMM1 + UPNL1. Kept free of
 * allocation: the simulator evaluates it on every candle a position is open.
 */
function lpFormula(s: 1 | -1, q: number, entry: number, balance: number, mmr: number, cum: number): number {
  const price = (balance + cum - s * q * entry) / (q * mmr - s * q);
  // Binance shows "--" for a negative result: the price can fall to zero without liquidation.
  return Math.max(price, 0);
}

/**
 * [LIQ] Liquidation price choosing the maintenance tier by the notional AT the liquidation price, as
 * Binance prescribes. Maintenance margin is continuous across tiers (that is what `cum` is for) and the
 * margin balance minus maintenance margin is monotone in price, so exactly one tier is consistent.
 */
export function liquidationPriceWithBrackets(
  p: LiquidationInput & { brackets: readonly LeverageBracket[] },
): number {
  requireSide(p.side);
  requirePositive('entryPrice', p.entryPrice);
  requirePositive('quantity', p.quantity);
  requireFinite('walletBalance', p.walletBalance);
  const cross = p.marginMode === 'cross';
  if (!cross && p.marginMode !== 'isolated') {
    throw new FuturesMathInputError(`marginMode must be 'isolated' or 'cross' (got ${String(p.marginMode)})`);
  }
  const balance =
    p.walletBalance -
    (cross ? (p.otherMaintenanceMargin ?? 0) : 0) +
    (cross ? (p.otherUnrealizedPnl ?? 0) : 0);
  requireFinite('otherMaintenanceMargin / otherUnrealizedPnl', balance);
  const s = sideSign(p.side);
  const q = p.quantity;
  const brackets = p.brackets;
  const entryBracket = bracketForNotional(q * p.entryPrice, brackets);
  // The entry tier is the usual answer; try it first, then the others.
  for (let i = -1; i < brackets.length; i++) {
    const b = i < 0 ? entryBracket : brackets[i]!;
    if (i >= 0 && b === entryBracket) continue;
    const price = lpFormula(s, q, p.entryPrice, balance, b.maintMarginRatio, b.maintAmount);
    if (price === 0) {
      if (b.notionalFloor === 0) return 0;
      continue;
    }
    const notional = price * q;
    if (notional >= b.notionalFloor && notional <= b.notionalCap) return price;
  }
  // Beyond the table (a notional over the last cap at the liquidation price): use the last tier.
  const last = brackets[brackets.length - 1]!;
  return lpFormula(s, q, p.entryPrice, balance, last.maintMarginRatio, last.maintAmount);
}

/**
 * How far the mark price may move against the position before liquidation, in percent of mark.
 * A long with liquidation price 0 is 100 % away (the price would have to reach zero).
 */
export function liquidationDistancePct(p: {
  side: PositionSide;
  markPrice: number;
  liquidationPrice: number;
}): number {
  requireSide(p.side);
  requirePositive('markPrice', p.markPrice);
  if (!Number.isFinite(p.liquidationPrice) || p.liquidationPrice < 0) {
    throw new FuturesMathInputError(
      `liquidationPrice must be a finite number ≥ 0 (got ${p.liquidationPrice})`,
    );
  }
  return (sideSign(p.side) * (p.markPrice - p.liquidationPrice) * 100) / p.markPrice;
}

/**
 * [MR] Margin ratio as a fraction (0.8 = 80 %): maintenance margin / margin balance.
 * A margin balance ≤ 0 means the account is past liquidation: Infinity.
 */
export function marginRatio(p: { maintenanceMargin: number; marginBalance: number }): number {
  if (!Number.isFinite(p.maintenanceMargin) || p.maintenanceMargin < 0) {
    throw new FuturesMathInputError(
      `maintenanceMargin must be a finite number ≥ 0 (got ${p.maintenanceMargin})`,
    );
  }
  requireFinite('marginBalance', p.marginBalance);
  if (p.marginBalance <= 0) return Number.POSITIVE_INFINITY;
  return p.maintenanceMargin / p.marginBalance;
}

/** [PNL] Return on equity in percent: unrealised PnL / initial margin at entry. */
export function roePct(p: {
  side: PositionSide;
  entryPrice: number;
  markPrice: number;
  quantity: number;
  leverage: number;
}): number {
  const pnl = unrealizedPnl(p);
  return (pnl * 100) / initialMargin(p);
}
