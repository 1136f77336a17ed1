// The checks Binance applies to an order request before the order exists (exchangeInfo filters and
// order-shape rules); a failed check is an InvalidOrder and leaves no order behind.
import type { OrderType } from '../../domain/order.ts';
import { isMultipleOf } from '../../domain/precision.ts';
import type { MarketRules, OrderRequest } from '../../ports/exchange.ts';
import { InvalidOrder } from '../../ports/exchange-errors.ts';
import type { SimPosition } from './ledger.ts';
import type { PercentPriceBand } from './markets.ts';

/**
 * Binance's request checks that need no account state: quantity, price and stop shape. A valid request
 * (every backtest order) passes with no allocation; the problems are gathered only once one is found.
 */
export function validateShape(
  req: OrderRequest,
  rules: { tickSize: number; stepSize: number; minQuantity: number },
  reduceOnly: boolean,
): void {
  const needsPrice = req.type === 'limit';
  const needsStop = req.type === 'stop_market' || req.type === 'take_profit_market';
  const q = req.quantity;
  if (
    Number.isFinite(q) &&
    q > 0 &&
    isMultipleOf(q, rules.stepSize) &&
    q >= rules.minQuantity &&
    priceOk(req.price, needsPrice, rules.tickSize) &&
    priceOk(req.stopPrice, needsStop, rules.tickSize) &&
    !(req.market === 'spot' && (reduceOnly || needsStop))
  )
    return;
  const problems: string[] = [];
  if (!Number.isFinite(q) || q <= 0) problems.push(`quantity must be > 0 (got ${q})`);
  else {
    if (!isMultipleOf(q, rules.stepSize))
      problems.push(
        `Precision is over the maximum defined for this asset (quantity ${q}, step ${rules.stepSize})`,
      );
    if (q < rules.minQuantity) problems.push(`quantity below the minimum ${rules.minQuantity}`);
  }
  priceProblems(problems, 'price', req.price, needsPrice, req.type, rules.tickSize);
  priceProblems(problems, 'stopPrice', req.stopPrice, needsStop, req.type, rules.tickSize);
  if (req.market === 'spot' && (reduceOnly || needsStop))
    problems.push('spot orders are market or limit, never reduce-only');
  // Nothing found by the full checks (a market whose minimum is not a number): accepted, as before.
  if (problems.length > 0) throw new InvalidOrder(problems.join('; '));
}

/** A price field as the order type wants it: present when needed (positive, on the tick), else absent. */
function priceOk(value: number | undefined, needed: boolean, tick: number): boolean {
  if (value === undefined) return !needed;
  return needed && Number.isFinite(value) && value > 0 && isMultipleOf(value, tick);
}

function priceProblems(
  problems: string[],
  name: 'price' | 'stopPrice',
  value: number | undefined,
  needed: boolean,
  type: string,
  tick: number,
): void {
  if (needed && value === undefined) problems.push(`${name} is required for ${type}`);
  if (!needed && value !== undefined) problems.push(`${name} is not allowed for ${type}`);
  if (value !== undefined && (!Number.isFinite(value) || value <= 0)) problems.push(`${name} must be > 0`);
  else if (value !== undefined && !isMultipleOf(value, tick))
    problems.push(`${name} ${value} is not a multiple of tick ${tick}`);
}

export function triggered(type: OrderType, side: 'buy' | 'sell', stopPrice: number, price: number): boolean {
  const risesTo = (type === 'stop_market') === (side === 'buy');
  return risesTo ? price >= stopPrice : price <= stopPrice;
}

export function marketable(side: 'buy' | 'sell', limit: number, price: number): boolean {
  return side === 'buy' ? limit >= price : limit <= price;
}

/** MIN_NOTIONAL: a non-reduce-only order is worth at least the market's minimum (at its own price). */
export function checkMinNotional(
  req: OrderRequest,
  rules: Pick<MarketRules, 'minNotional'>,
  current: number,
  reduceOnly: boolean,
): void {
  const notional = req.quantity * (req.price ?? req.stopPrice ?? current);
  if (!reduceOnly && notional < rules.minNotional) {
    throw new InvalidOrder(
      `Order's notional must be no smaller than ${rules.minNotional} (got ${notional.toFixed(2)})`,
    );
  }
}

/** A reduce-only order needs a position on the other side to reduce. */
export function checkReduceOnly(req: OrderRequest, pos: SimPosition | undefined): void {
  if (!pos || (pos.side === 'long') === (req.side === 'buy')) {
    throw new InvalidOrder('ReduceOnly Order is rejected: no position to reduce on that side');
  }
}

/**
 * PERCENT_PRICE (USD-M): a futures LIMIT order's price against the mark — BUY ≤ mark × multiplierUp
 * (Binance -4016 "Limit price can't be higher than …"), SELL ≥ mark × multiplierDown (-4024 "Limit price
 * can't be lower than …"). Reduce-only limits are filtered too. The bound is compared with a relative
 * tolerance of 1e-9 so a price exactly on it (mark × 1.05 in binary floats) passes, as on Binance.
 */
export function checkPercentPrice(req: OrderRequest, mark: number, band: PercentPriceBand): void {
  if (req.market !== 'futures' || req.type !== 'limit' || req.price === undefined) return;
  const tolerance = mark * 1e-9;
  if (req.side === 'buy') {
    const max = mark * band.multiplierUp;
    if (req.price > max + tolerance)
      throw new InvalidOrder(`Limit price can't be higher than ${max.toFixed(2)}. (PERCENT_PRICE, -4016)`);
  } else {
    const min = mark * band.multiplierDown;
    if (req.price < min - tolerance)
      throw new InvalidOrder(`Limit price can't be lower than ${min.toFixed(2)}. (PERCENT_PRICE, -4024)`);
  }
}
