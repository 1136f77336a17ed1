// The simulator's books: futures wallet, positions (one-way mode), spot balances, and the fill, funding
// and liquidation records. All money arithmetic of the simulator happens here, through futures-math.
import { fundingFee, maxLeverageForNotional, unrealizedPnl } from '../../domain/futures-math.ts';
import type { LeverageBracket } from '../../domain/market.ts';
import type { ReportedOrderType } from '../../domain/order.ts';
import type { MarginMode, OrderSide, PositionSide } from '../../domain/primitives.ts';
import { InsufficientMargin, InvalidOrder } from '../../ports/exchange-errors.ts';
import { liquidatePosition, liquidationPriceOf } from './liquidation.ts';
import type { MarginAdjustmentRecord, TransferRecord } from './margin-moves.ts';

export interface SimPosition {
  symbol: string;
  side: PositionSide;
  quantity: number;
  entryPrice: number;
  leverage: number;
  marginMode: MarginMode;
  /** Isolated: the position's own wallet (initial margin + funding). 0 for cross. */
  isolatedMargin: number;
  openedAt: number;
  /** Isolated liquidation price memo: valid while quantity, entry and margin are what it was computed for. */
  lpMemo?: { quantity: number; entryPrice: number; isolatedMargin: number; price: number };
}

export interface FillRecord {
  time: number;
  symbol: string;
  market: 'futures' | 'spot';
  side: OrderSide;
  quantity: number;
  price: number;
  fee: number;
  /** Realised PnL of the closing part of this fill (futures), before fees. */
  realizedPnl: number;
  clientOrderId: string;
  liquidation: boolean;
  /** The commission as charged when not in USDT (a spot buy pays it in the coin bought). */
  commission?: { asset: string; amount: number };
  /** Type of the order that filled (a triggered stop is 'stop_market'); absent on liquidation fills. */
  orderType?: ReportedOrderType;
}

export interface FundingRecord {
  time: number;
  symbol: string;
  side: PositionSide;
  quantity: number;
  markPrice: number;
  fundingRate: number;
  /** Received (+) or paid (−), from fundingFee. */
  amount: number;
}

export interface LiquidationRecord {
  time: number;
  symbol: string;
  side: PositionSide;
  quantity: number;
  entryPrice: number;
  liquidationPrice: number;
  /** Wallet change of the liquidation: realised PnL at the liquidation price minus the clearance fee. */
  loss: number;
}

/** Equal enough for quantities: one part in 1e9 of a step is float noise, not size. */
const QTY_EPS = 1e-12;

/**
 * Quantities on the exchange are decimal strings; in binary floats 0.3 - 0.2 is 0.09999999999999998,
 * and a later sell of 0.1 would then look like a flip. Twelve significant digits keep every real step
 * size exact and drop that residue.
 */
function snapQty(q: number): number {
  return Number(q.toPrecision(12));
}

export class Ledger {
  walletBalance: number;
  readonly positions = new Map<string, SimPosition>();
  readonly spot = new Map<string, number>();
  readonly fills: FillRecord[] = [];
  readonly fundings: FundingRecord[] = [];
  readonly liquidations: LiquidationRecord[] = [];
  /** Margin added to isolated positions and USDT moved between wallets (./margin-moves.ts). */
  readonly marginAdjustments: MarginAdjustmentRecord[] = [];
  readonly transfers: TransferRecord[] = [];
  feesPaid = 0;
  /** Margin lost to liquidation clearance (not trading fees). */
  clearanceFees = 0;
  fundingPnl = 0;

  constructor(
    initialWallet: number,
    initialSpot: Record<string, number>,
    readonly bracketsOf: (symbol: string) => readonly LeverageBracket[],
  ) {
    this.walletBalance = initialWallet;
    for (const [asset, amount] of Object.entries(initialSpot)) this.spot.set(asset, amount);
  }

  /** Unrealised PnL of every position at the given prices. */
  unrealized(priceOf: (symbol: string) => number): number {
    let total = 0;
    for (const p of this.positions.values()) {
      total += unrealizedPnl({
        side: p.side,
        entryPrice: p.entryPrice,
        markPrice: priceOf(p.symbol),
        quantity: p.quantity,
      });
    }
    return total;
  }

  /**
   * Binance-style available balance: cross wallet (wallet minus isolated wallets) plus cross unrealised
   * PnL, minus the initial margin cross positions hold.
   */
  available(priceOf: (symbol: string) => number): number {
    let isolated = 0;
    let crossIm = 0;
    let crossUpnl = 0;
    for (const p of this.positions.values()) {
      if (p.marginMode === 'isolated') isolated += p.isolatedMargin;
      else {
        const mark = priceOf(p.symbol);
        crossIm += (p.quantity * mark) / p.leverage;
        crossUpnl += unrealizedPnl({
          side: p.side,
          entryPrice: p.entryPrice,
          markPrice: mark,
          quantity: p.quantity,
        });
      }
    }
    return this.walletBalance - isolated + crossUpnl - crossIm;
  }

  /** Liquidation price of a position given the other positions marked at `priceOf`. */
  liquidationPrice(p: SimPosition, priceOf: (symbol: string) => number): number {
    return liquidationPriceOf(this, p, priceOf);
  }

  /**
   * Apply a futures fill in one-way mode: open, add, reduce, close or flip. Validates everything before
   * changing anything, so a rejected fill leaves the books untouched.
   */
  applyFuturesFill(f: {
    time: number;
    symbol: string;
    side: OrderSide;
    quantity: number;
    price: number;
    feeRate: number;
    reduceOnly: boolean;
    leverage: number;
    marginMode: MarginMode;
    clientOrderId: string;
    priceOf: (symbol: string) => number;
  }): FillRecord {
    const pos = this.positions.get(f.symbol);
    const buying = f.side === 'buy';
    const closing = pos !== undefined && (pos.side === 'long') !== buying;
    if (f.reduceOnly && !closing) {
      throw new InvalidOrder('ReduceOnly Order is rejected: it would not reduce the position');
    }
    const closeQty = closing ? Math.min(f.quantity, pos.quantity) : 0;
    const openQty = f.reduceOnly ? 0 : snapQty(f.quantity - closeQty);
    const fee = (f.reduceOnly ? closeQty : f.quantity) * f.price * f.feeRate;
    const filledQty = closeQty + openQty;

    if (openQty > QTY_EPS) {
      const sameSideQty = closing ? 0 : (pos?.quantity ?? 0);
      const notional = (sameSideQty + openQty) * f.price;
      const brackets = this.bracketsOf(f.symbol);
      const lastCap = brackets[brackets.length - 1]!.notionalCap;
      if (notional > lastCap || maxLeverageForNotional(notional, brackets) < f.leverage) {
        throw new InvalidOrder(
          `Exceeded the maximum allowable position at current leverage (${f.leverage}x for ${notional.toFixed(2)} USDT)`,
        );
      }
      const margin = (openQty * f.price) / f.leverage;
      const releasedByClose = closing && pos.marginMode === 'isolated' ? pos.isolatedMargin : 0;
      const pnlOfClose = closing
        ? unrealizedPnl({
            side: pos.side,
            entryPrice: pos.entryPrice,
            markPrice: f.price,
            quantity: closeQty,
          })
        : 0;
      const available = this.available(f.priceOf) + releasedByClose + pnlOfClose;
      if (margin + fee > available + 1e-9) {
        throw new InsufficientMargin(
          `Margin is insufficient: needs ${(margin + fee).toFixed(2)} USDT, available ${available.toFixed(2)} USDT`,
        );
      }
    }

    let realized = 0;
    if (closing && closeQty > 0) {
      realized = unrealizedPnl({
        side: pos.side,
        entryPrice: pos.entryPrice,
        markPrice: f.price,
        quantity: closeQty,
      });
      this.walletBalance += realized;
      if (closeQty >= pos.quantity - QTY_EPS) {
        this.positions.delete(f.symbol);
      } else {
        const ratio = closeQty / pos.quantity;
        pos.isolatedMargin -= pos.isolatedMargin * ratio;
        pos.quantity = snapQty(pos.quantity - closeQty);
      }
    }
    if (openQty > QTY_EPS) {
      const existing = this.positions.get(f.symbol);
      const margin = f.marginMode === 'isolated' ? (openQty * f.price) / f.leverage : 0;
      if (existing) {
        const qty = snapQty(existing.quantity + openQty);
        existing.entryPrice = (existing.entryPrice * existing.quantity + f.price * openQty) / qty;
        existing.quantity = qty;
        existing.isolatedMargin += margin;
      } else {
        this.positions.set(f.symbol, {
          symbol: f.symbol,
          side: buying ? 'long' : 'short',
          quantity: openQty,
          entryPrice: f.price,
          leverage: f.leverage,
          marginMode: f.marginMode,
          isolatedMargin: margin,
          openedAt: f.time,
        });
      }
    }
    this.walletBalance -= fee;
    this.feesPaid += fee;
    const record: FillRecord = {
      time: f.time,
      symbol: f.symbol,
      market: 'futures',
      side: f.side,
      quantity: filledQty,
      price: f.price,
      fee,
      realizedPnl: realized,
      clientOrderId: f.clientOrderId,
      liquidation: false,
    };
    this.fills.push(record);
    return record;
  }

  /**
   * Spot fill, Binance-style (commission not paid in BNB): a buy pays the price in USDT and receives
   * the coin less the commission (quantity × feeRate of it); a sell pays the commission out of the USDT
   * received. `fee` is the commission valued in USDT either way, so equity falls by exactly `fee`.
   */
  applySpotFill(f: {
    time: number;
    symbol: string;
    baseAsset: string;
    side: OrderSide;
    quantity: number;
    price: number;
    feeRate: number;
    clientOrderId: string;
  }): FillRecord {
    const usdt = this.spot.get('USDT') ?? 0;
    const base = this.spot.get(f.baseAsset) ?? 0;
    const value = f.quantity * f.price;
    const fee = value * f.feeRate;
    let commission: FillRecord['commission'];
    if (f.side === 'buy') {
      if (value > usdt + 1e-9) {
        throw new InsufficientMargin(`Account has insufficient balance: needs ${value.toFixed(2)} USDT`);
      }
      const coinFee = f.quantity * f.feeRate;
      commission = { asset: f.baseAsset, amount: coinFee };
      this.spot.set('USDT', usdt - value);
      this.spot.set(f.baseAsset, snapQty(base + f.quantity - coinFee));
    } else {
      if (f.quantity > base + QTY_EPS) {
        throw new InsufficientMargin(`Account has insufficient balance: needs ${f.quantity} ${f.baseAsset}`);
      }
      this.spot.set(f.baseAsset, Math.max(0, snapQty(base - f.quantity)));
      this.spot.set('USDT', usdt + value - fee);
    }
    this.feesPaid += fee;
    const record: FillRecord = {
      ...f,
      market: 'spot',
      fee,
      realizedPnl: 0,
      liquidation: false,
      ...(commission ? { commission } : {}),
    };
    this.fills.push(record);
    return record;
  }

  /** Settle one funding rate on the symbol's position at the mark price (Binance: nominal × rate). */
  settleFunding(symbol: string, time: number, markPrice: number, fundingRate: number): void {
    const p = this.positions.get(symbol);
    if (!p) return;
    const amount = fundingFee({ side: p.side, quantity: p.quantity, markPrice, fundingRate });
    this.walletBalance += amount;
    if (p.marginMode === 'isolated') p.isolatedMargin += amount;
    this.fundingPnl += amount;
    this.fundings.push({ time, symbol, side: p.side, quantity: p.quantity, markPrice, fundingRate, amount });
  }

  /** Liquidate at `price` (see ./liquidation.ts). */
  liquidate(symbol: string, time: number, price: number): LiquidationRecord {
    return liquidatePosition(this, symbol, time, price);
  }
}
