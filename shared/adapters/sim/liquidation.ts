// Liquidation on the simulator's books, by Binance's formulas: the liquidation price of a position
// (isolated: its own margin; cross: the cross wallet net of the other positions) and the liquidation.
import { liquidationPriceWithBrackets, maintenanceMargin, unrealizedPnl } from '../../domain/futures-math.ts';
import type { Ledger, LiquidationRecord, SimPosition } from './ledger.ts';

/** Liquidation price of a position given the other positions marked at `priceOf`. */
export function liquidationPriceOf(
  ledger: Ledger,
  p: SimPosition,
  priceOf: (symbol: string) => number,
): number {
  const brackets = ledger.bracketsOf(p.symbol);
  if (p.marginMode === 'isolated') {
    const m = p.lpMemo;
    if (
      m &&
      m.quantity === p.quantity &&
      m.entryPrice === p.entryPrice &&
      m.isolatedMargin === p.isolatedMargin
    ) {
      return m.price;
    }
    const price = liquidationPriceWithBrackets({
      side: p.side,
      marginMode: 'isolated',
      entryPrice: p.entryPrice,
      quantity: p.quantity,
      walletBalance: p.isolatedMargin,
      brackets,
    });
    p.lpMemo = { quantity: p.quantity, entryPrice: p.entryPrice, isolatedMargin: p.isolatedMargin, price };
    return price;
  }
  let crossWallet = ledger.walletBalance;
  let otherMm = 0;
  let otherUpnl = 0;
  for (const o of ledger.positions.values()) {
    if (o.marginMode === 'isolated') {
      crossWallet -= o.isolatedMargin;
      continue;
    }
    if (o === p) continue;
    const mark = priceOf(o.symbol);
    otherMm += maintenanceMargin({ notional: o.quantity * mark, brackets: ledger.bracketsOf(o.symbol) });
    otherUpnl += unrealizedPnl({
      side: o.side,
      entryPrice: o.entryPrice,
      markPrice: mark,
      quantity: o.quantity,
    });
  }
  return liquidationPriceWithBrackets({
    side: p.side,
    marginMode: 'cross',
    entryPrice: p.entryPrice,
    quantity: p.quantity,
    walletBalance: crossWallet,
    otherMaintenanceMargin: otherMm,
    otherUnrealizedPnl: otherUpnl,
    brackets,
  });
}

/**
 * Liquidate at `price`: close the whole position there and charge the rest of its margin as the
 * clearance fee, so an isolated position loses exactly its margin (Binance: the remaining margin of a
 * liquidated position goes to the insurance fund). Cross: the position's maintenance margin is charged.
 */
export function liquidatePosition(
  ledger: Ledger,
  symbol: string,
  time: number,
  price: number,
): LiquidationRecord {
  const p = ledger.positions.get(symbol);
  if (!p) throw new Error(`no position to liquidate on ${symbol}`);
  const pnl = unrealizedPnl({
    side: p.side,
    entryPrice: p.entryPrice,
    markPrice: price,
    quantity: p.quantity,
  });
  // Isolated: the trader loses exactly the position's margin — what is left of it at the liquidation
  // price is the clearance fee, and a loss beyond it (a gap through the price) is the insurance fund's.
  const clearance =
    p.marginMode === 'isolated'
      ? Math.max(0, p.isolatedMargin + pnl)
      : maintenanceMargin({ notional: p.quantity * price, brackets: ledger.bracketsOf(symbol) });
  const walletChange = p.marginMode === 'isolated' ? -p.isolatedMargin : pnl - clearance;
  ledger.walletBalance += walletChange;
  ledger.positions.delete(symbol);
  ledger.fills.push({
    time,
    symbol,
    market: 'futures',
    side: p.side === 'long' ? 'sell' : 'buy',
    quantity: p.quantity,
    price,
    fee: clearance,
    realizedPnl: pnl,
    clientOrderId: `liquidation-${time}`,
    liquidation: true,
  });
  ledger.clearanceFees += clearance;
  const record: LiquidationRecord = {
    time,
    symbol,
    side: p.side,
    quantity: p.quantity,
    entryPrice: p.entryPrice,
    liquidationPrice: price,
    loss: walletChange,
  };
  ledger.liquidations.push(record);
  return record;
}
