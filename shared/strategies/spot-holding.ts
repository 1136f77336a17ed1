// The spot coins a strategy bought itself, booked from what actually filled: its only coins to sell.
// A spot wallet also holds what the trader had before the bot started (or bought by hand), and the
// wallet balance cannot tell the two apart — so a strategy keeps this ledger in its state and never
// reads the balance as its own.
import type { FuturesOrder, OrderStatus } from '../domain/order.ts';
import { floorToStep } from '../domain/precision.ts';
import type { AccountView, MarketView } from './strategy.ts';

export interface SpotHolding {
  /** Base coin bought by this strategy and still held: fills, less a commission charged in the coin. */
  quantity: number;
  /** The spot order sent last and not yet seen settled; its fill is booked once the exchange reports it. */
  pending?: { id: string; side: 'buy' | 'sell'; sentAt: number };
}

/**
 * An order still unknown to the exchange this long after it was sent is taken as never placed (its
 * message dead-lettered): the ledger stops waiting for it and says so. The executor drains the queue
 * within seconds, declares an unresolvable outcome unknown within about 10 minutes and SQS dead-letters
 * any other failing message within about a quarter of an hour; two hours leave a wide margin while
 * bounding how long the strategy makes no decision (its hedge paying funding meanwhile).
 */
export const PENDING_GIVE_UP_MS = 2 * 3_600_000;

const TERMINAL: readonly OrderStatus[] = ['filled', 'canceled', 'rejected', 'expired'];

/** Dust below a satoshi-scale tolerance is float noise, not coins. */
const NOISE = 1e-8;

/** Base coin an order put into (+) or took out of (−) the wallet: Binance charges a spot buy's fee in the coin bought. */
export function baseDelta(order: FuturesOrder, baseAsset: string): number {
  const fee = order.commission?.asset === baseAsset ? order.commission.amount : 0;
  return (order.side === 'buy' ? order.filledQuantity : -order.filledQuantity) - fee;
}

/** Books the pending order's fill once it is final; `waiting` while its outcome is not known yet. */
export function settleSpot(
  holding: SpotHolding,
  account: Pick<AccountView, 'order' | 'orderStatus'>,
  baseAsset: string,
  now: number,
): { holding: SpotHolding; waiting: boolean; notes: string[] } {
  const p = holding.pending;
  if (!p) return { holding, waiting: false, notes: [] };
  const status = account.orderStatus(p.id);
  const order = account.order(p.id);
  if (order && status && TERMINAL.includes(status)) {
    const quantity = Math.max(0, round12(holding.quantity + baseDelta(order, baseAsset)));
    return { holding: { quantity }, waiting: false, notes: [] };
  }
  if (status === 'rejected') return { holding: { quantity: holding.quantity }, waiting: false, notes: [] };
  if (!order && now - p.sentAt > PENDING_GIVE_UP_MS) {
    return {
      holding: { quantity: holding.quantity },
      waiting: false,
      notes: [
        `ALERT spot ${p.side} ${p.id} never reached the exchange in ${(now - p.sentAt) / 3_600_000} h: taken as not placed`,
      ],
    };
  }
  return { holding, waiting: true, notes: [`waiting for spot ${p.side} ${p.id} to settle`] };
}

/**
 * What the strategy may sell now: its own coins, never more than the wallet holds, floored to the
 * spot step; 0 when that is below the market's minimum size or notional (dust stays booked).
 */
export function sellableSpot(
  holding: SpotHolding,
  spotBase: number,
  view: Pick<MarketView, 'spotRules' | 'spotPrice'>,
): number {
  const q = floorSpot(Math.min(holding.quantity, spotBase), view.spotRules.stepSize);
  return q >= view.spotRules.minQuantity && q * view.spotPrice >= view.spotRules.minNotional ? q : 0;
}

let memoIn = Number.NaN;
let memoStep = Number.NaN;
let memoOut = Number.NaN;

/** floorToStep, the last answer kept: a held hedge floors the same coins every tick. */
function floorSpot(x: number, step: number): number {
  if (x !== memoIn || step !== memoStep) {
    memoOut = floorToStep(x, step);
    memoIn = x;
    memoStep = step;
  }
  return memoOut;
}

/** True when the wallet no longer holds all the coins booked as ours (sold by hand, withdrawn). */
export function spotShort(holding: SpotHolding, spotBase: number): boolean {
  return spotBase < holding.quantity - NOISE;
}

function round12(x: number): number {
  return Math.round(x * 1e12) / 1e12;
}
