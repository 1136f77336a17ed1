// Filling an order on the simulator's books: the ledger applies the trade (futures: margin checks,
// position change; spot: balances), the order takes the fill's status, quantity, price and fee.
import type { MarginMode } from '../../domain/primitives.ts';
import type { FillRecord, Ledger } from './ledger.ts';
import type { SimOrder } from './order-book.ts';

export function fillOrder(
  ledger: Ledger,
  order: SimOrder,
  price: number,
  feeRate: number,
  at: { now: number; leverage: number; marginMode: MarginMode; priceOf: (symbol: string) => number },
): FillRecord {
  let record: FillRecord;
  try {
    record =
      order.market === 'futures'
        ? ledger.applyFuturesFill({
            time: at.now,
            symbol: order.symbol,
            side: order.side,
            quantity: order.quantity,
            price,
            feeRate,
            reduceOnly: order.reduceOnly,
            leverage: at.leverage,
            marginMode: at.marginMode,
            clientOrderId: order.clientOrderId,
            priceOf: at.priceOf,
          })
        : ledger.applySpotFill({
            time: at.now,
            symbol: order.symbol,
            baseAsset: order.symbol.replace(/USDT$/, ''),
            side: order.side,
            quantity: order.quantity,
            price,
            feeRate,
            clientOrderId: order.clientOrderId,
          });
  } catch (err) {
    // A rejected order keeps its id taken (Binance also refuses to reuse it) but holds no state.
    order.status = 'rejected';
    throw err;
  }
  record.orderType = order.type;
  order.status = 'filled';
  order.filledQuantity = record.quantity;
  order.averagePrice = price;
  order.fee = record.fee;
  if (record.commission) order.commission = { ...record.commission };
  order.updatedAt = at.now;
  return record;
}
