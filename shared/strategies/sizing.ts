// Sizing and price helpers every strategy shares: quantities floored to the step, prices to the tick.
import { floorToStep, roundToTick } from '../domain/precision.ts';
import type { MarketView } from './strategy.ts';

/** Base quantity for `pct` percent of equity as notional at `price`, floored to the futures step. */
export function quantityForPct(equity: number, pct: number, price: number, stepSize: number): number {
  if (!(equity > 0) || !(price > 0)) return 0;
  return floorToStep((equity * pct) / 100 / price, stepSize);
}

/** A price rounded to the futures tick. */
export function tick(view: MarketView, price: number): number {
  return roundToTick(price, view.futuresRules.tickSize);
}

/** True when the quantity is tradeable: at least the minimum size and notional. */
export function tradeable(view: MarketView, quantity: number, price: number): boolean {
  return quantity >= view.futuresRules.minQuantity && quantity * price >= view.futuresRules.minNotional;
}

/** Client ids of this strategy's open orders (its ids carry no strategy name, so state tracks them). */
export function openIds(orders: readonly { clientOrderId: string }[]): Set<string> {
  return new Set(orders.map((o) => o.clientOrderId));
}
