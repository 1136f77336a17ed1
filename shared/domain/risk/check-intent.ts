// The risk engine: one pure function every order passes — at the producer (pre-check) and again in the
// executor on fresh state (final check). Returns every reason, not just the first, so a trader sees
// all that is wrong at once. Orders that only reduce risk (reduce-only futures, spot sells of the hedge)
// always pass the limit rules; they are still checked for validity.
import {
  bracketForNotional,
  liquidationDistancePct,
  liquidationPriceWithBrackets,
  maintenanceMargin,
  marginRatio,
} from '../futures-math.ts';
import type { LeverageBracket } from '../market.ts';
import type { OrderIntent } from '../order.ts';
import type { AccountSnapshot } from '../position.ts';
import { isMultipleOf } from '../precision.ts';
import type { RiskLimits } from './limits.ts';

export interface RiskMarket {
  markPrice: number;
  tickSize: number;
  stepSize: number;
  minQuantity: number;
  minNotional: number;
  /** Futures brackets of the symbol (unused for spot intents). */
  brackets: readonly LeverageBracket[];
}

export type RiskDecision = { accepted: true; reasons: [] } | { accepted: false; reasons: string[] };

const pct = (x: number) => `${Math.round(x * 100) / 100} %`;

export function checkIntent(
  intent: OrderIntent,
  account: AccountSnapshot,
  limits: RiskLimits,
  market: RiskMarket,
): RiskDecision {
  const reasons: string[] = [];
  const price = intent.price ?? intent.stopPrice ?? market.markPrice;

  // Validity: what the exchange would refuse anyway.
  if (!isMultipleOf(intent.quantity, market.stepSize))
    reasons.push(`quantity ${intent.quantity} is not a multiple of the step ${market.stepSize}`);
  if (intent.quantity < market.minQuantity)
    reasons.push(`quantity ${intent.quantity} is below the minimum ${market.minQuantity}`);
  for (const [name, value] of [
    ['price', intent.price],
    ['stopPrice', intent.stopPrice],
  ] as const) {
    if (value !== undefined && !isMultipleOf(value, market.tickSize))
      reasons.push(`${name} ${value} is not a multiple of the tick ${market.tickSize}`);
  }

  const position = account.positions.find((p) => p.symbol === intent.symbol);
  const reducesFutures =
    intent.market === 'futures' &&
    (intent.reduceOnly ||
      (position !== undefined &&
        (position.side === 'long') !== (intent.side === 'buy') &&
        intent.quantity <= position.quantity));
  // An order that is not reduce-only makes the executor set its leverage on the symbol — also one that
  // only trims the position, whose remainder is re-levered — so its bounds are checked for all of them.
  const setsLeverage = intent.market === 'futures' && !intent.reduceOnly;
  if (setsLeverage && (intent.leverage < 1 || intent.leverage > limits.maxLeverage)) {
    reasons.push(`leverage ${intent.leverage}x is outside 1–${limits.maxLeverage}x`);
  }
  if (setsLeverage && reducesFutures && position) {
    // The position as it stands when the leverage is set (before the trim fills) must fit its bracket.
    checkBracketLeverage(intent.leverage, position.quantity * market.markPrice, market, reasons);
  }
  const reducesSpot = intent.market === 'spot' && intent.side === 'sell';
  if (reducesFutures || reducesSpot) return decide(reasons);

  if (intent.quantity * price < market.minNotional) {
    reasons.push(
      `notional ${(intent.quantity * price).toFixed(2)} USDT is below the minimum ${market.minNotional} USDT`,
    );
  }
  if (account.halted) reasons.push('trading is halted: only reduce-only orders pass');

  const dayLoss = account.startOfDayEquity - account.equity;
  const dayLimit = (limits.dailyLossLimitPct / 100) * account.startOfDayEquity;
  if (account.startOfDayEquity > 0 && dayLoss >= dayLimit) {
    reasons.push(
      `daily loss limit reached: ${dayLoss.toFixed(2)} USDT lost today, limit ${pct(limits.dailyLossLimitPct)} of start-of-day equity (${dayLimit.toFixed(2)} USDT)`,
    );
  }
  // Exposure is counted at the worse of the order's price and the mark: a marketable limit (a sell far
  // below the mark, a buy above it) fills near the mark whatever its limit says, a resting one at its
  // limit; max(price, mark) is never below either, for buys and sells, opening, adding or flipping.
  const exposurePrice = Math.max(price, market.markPrice);
  const sizeLimit = (limits.positionSizeLimitPct / 100) * account.equity;
  if (intent.market === 'spot') {
    // A spot buy is bounded like a new position: the funding-arbitrage hedge's buy matches a futures
    // short that passed this same rule, so it fits; a buy whose short was refused is refused with it
    // (precheckBatch).
    const spotNotional = intent.quantity * exposurePrice;
    if (spotNotional > sizeLimit) {
      reasons.push(
        `spot buy notional ${spotNotional.toFixed(2)} USDT exceeds ${pct(limits.positionSizeLimitPct)} of equity (${sizeLimit.toFixed(2)} USDT)`,
      );
    }
    return decide(reasons);
  }

  const sameSide = position !== undefined && (position.side === 'long') === (intent.side === 'buy');
  const flipQty = position && !sameSide ? intent.quantity - position.quantity : 0;
  const resultingQty = sameSide ? position.quantity + intent.quantity : position ? flipQty : intent.quantity;
  const resultingNotional = resultingQty * exposurePrice;
  if (!position && account.positions.length + 1 > limits.maxPositions) {
    reasons.push(`at most ${limits.maxPositions} positions may be open (${account.positions.length} are)`);
  }
  if (resultingNotional > sizeLimit) {
    reasons.push(
      `position notional ${resultingNotional.toFixed(2)} USDT exceeds ${pct(limits.positionSizeLimitPct)} of equity (${sizeLimit.toFixed(2)} USDT)`,
    );
  }
  if (!checkBracketLeverage(intent.leverage, resultingNotional, market, reasons)) return decide(reasons);

  // Margin ratio after the order: every position's maintenance margin over equity.
  let otherMm = 0;
  for (const p of account.positions) {
    if (p.symbol !== intent.symbol) otherMm += p.maintenanceMargin;
  }
  const newMm = maintenanceMargin({ notional: resultingNotional, brackets: market.brackets });
  const ratioPct = marginRatio({ maintenanceMargin: otherMm + newMm, marginBalance: account.equity }) * 100;
  if (ratioPct >= limits.marginRatioCriticalPct) {
    reasons.push(
      `margin ratio after the order would be ${pct(ratioPct)}, at or above the critical ${pct(limits.marginRatioCriticalPct)}`,
    );
  }

  // Liquidation distance of the resulting position.
  // The resulting quantity is > 0 here: an order against the position no larger than it returned above.
  if (intent.leverage >= 1) {
    // Adding, opening or flipping: the resulting position is on the intent's side.
    const side = intent.side === 'buy' ? 'long' : 'short';
    const entry = sameSide
      ? (position.entryPrice * position.quantity + price * intent.quantity) / resultingQty
      : price;
    const wallet =
      intent.marginMode === 'isolated'
        ? (resultingQty * entry) / intent.leverage
        : account.walletBalance -
          account.positions.reduce((s, p) => s + (p.marginMode === 'isolated' ? p.isolatedMargin : 0), 0);
    const otherUpnl = account.positions.reduce(
      (s, p) => s + (p.symbol !== intent.symbol && p.marginMode === 'cross' ? p.unrealizedPnl : 0),
      0,
    );
    const lp = liquidationPriceWithBrackets({
      side,
      marginMode: intent.marginMode,
      entryPrice: entry,
      quantity: resultingQty,
      walletBalance: wallet,
      otherMaintenanceMargin: otherMm,
      otherUnrealizedPnl: otherUpnl,
      brackets: market.brackets,
    });
    const distance = liquidationDistancePct({ side, markPrice: market.markPrice, liquidationPrice: lp });
    if (distance < limits.liquidationDistanceMinPct) {
      reasons.push(
        `liquidation would be ${pct(distance)} away (price ${lp.toFixed(2)}), under the minimum ${pct(limits.liquidationDistanceMinPct)}`,
      );
    }
  }
  return decide(reasons);
}

/**
 * The symbol's bracket cap for `notional` (Binance refuses a leverage above it). False when the notional
 * is beyond the largest bracket — no leverage fits, and the later rules cannot be evaluated.
 */
function checkBracketLeverage(
  leverage: number,
  notional: number,
  market: RiskMarket,
  reasons: string[],
): boolean {
  const lastCap = market.brackets[market.brackets.length - 1]?.notionalCap ?? 0;
  if (notional > lastCap) {
    reasons.push(`position notional ${notional.toFixed(2)} USDT exceeds the symbol's largest bracket`);
    return false;
  }
  const bracket = bracketForNotional(notional, market.brackets);
  if (leverage > bracket.maxLeverage) {
    reasons.push(
      `leverage ${leverage}x exceeds the bracket maximum ${bracket.maxLeverage}x for ${notional.toFixed(2)} USDT`,
    );
  }
  return true;
}

function decide(reasons: string[]): RiskDecision {
  return reasons.length === 0 ? { accepted: true, reasons: [] } : { accepted: false, reasons };
}
