// shared/domain/order.ts
import { createHash } from "node:crypto";
import { z as z2 } from "zod";

// shared/domain/primitives.ts
import { z } from "zod";
var SymbolSchema = z.string().regex(/^[A-Z0-9]{2,20}USDT$/, { error: "must be an upper-case USDT-quoted symbol such as BTCUSDT" });
var PositionSideSchema = z.enum(["long", "short"]);
var OrderSideSchema = z.enum(["buy", "sell"]);
var MarginModeSchema = z.enum(["isolated", "cross"]);
var StrategyNameSchema = z.enum([
  "funding_arbitrage",
  "grid",
  "long_short_switch",
  "volatility_breakout"
]);
var STRATEGY_NAMES = StrategyNameSchema.options;
var positive = () => z.number().positive();
var nonNegative = () => z.number().nonnegative();
var EpochMsSchema = z.number().int().nonnegative();
function sideSign(side) {
  return side === "long" ? 1 : -1;
}

// shared/domain/order.ts
var OrderTypeSchema = z2.enum(["market", "limit", "stop_market", "take_profit_market"]);
var ReportedOrderTypeSchema = z2.enum([
  ...OrderTypeSchema.options,
  "stop_limit",
  "take_profit_limit",
  "trailing_stop_market"
]);
var MarketKindSchema = z2.enum(["futures", "spot"]);
var ClientOrderIdSchema = z2.string().regex(/^[.A-Z:/a-z0-9_-]{1,36}$/, { error: "must be 1\u201336 characters of A-Z a-z 0-9 . : / _ -" });
var IntentSourceSchema = z2.string().regex(/^[a-z][a-z0-9_:-]{0,39}$/, {
  error: "must be a lower-case identifier such as grid, position-monitor or telegram"
});
var MAX_INTENT_LEVERAGE = 20;
var OrderIntentSchema = z2.object({
  id: ClientOrderIdSchema,
  strategy: IntentSourceSchema,
  symbol: SymbolSchema,
  market: MarketKindSchema,
  side: OrderSideSchema,
  type: OrderTypeSchema,
  /** Base-asset quantity, > 0. */
  quantity: positive(),
  /** Limit price (limit orders only). */
  price: positive().optional(),
  /** Trigger price (stop_market / take_profit_market only). */
  stopPrice: positive().optional(),
  reduceOnly: z2.boolean().default(false),
  leverage: z2.number().int().min(1).max(125),
  marginMode: MarginModeSchema,
  createdAt: EpochMsSchema,
  /** Free-text reason shown to the trader ("grid level 3", "trailing stop"). */
  reason: z2.string().max(200).optional(),
  /**
   * A trailing stop: the position monitor moves this reduce-only stop to this distance (percent) from
   * the mark whenever the mark moves in the position's favour — never back.
   */
  trailingStopPct: positive().max(50).optional()
}).superRefine((intent, ctx) => {
  if (intent.type === "limit" && intent.price === void 0) {
    ctx.addIssue({ code: "custom", path: ["price"], message: "a limit order needs a price" });
  }
  if (intent.type !== "limit" && intent.price !== void 0) {
    ctx.addIssue({
      code: "custom",
      path: ["price"],
      message: `a ${intent.type} order takes no limit price`
    });
  }
  const triggered2 = intent.type === "stop_market" || intent.type === "take_profit_market";
  if (triggered2 && intent.stopPrice === void 0) {
    ctx.addIssue({
      code: "custom",
      path: ["stopPrice"],
      message: `a ${intent.type} order needs a stopPrice`
    });
  }
  if (!triggered2 && intent.stopPrice !== void 0) {
    ctx.addIssue({
      code: "custom",
      path: ["stopPrice"],
      message: `a ${intent.type} order takes no stopPrice`
    });
  }
  if (intent.trailingStopPct !== void 0 && (intent.type !== "stop_market" || !intent.reduceOnly || intent.market !== "futures")) {
    ctx.addIssue({
      code: "custom",
      path: ["trailingStopPct"],
      message: "only a reduce-only futures stop_market can trail"
    });
  }
  if (!intent.reduceOnly && intent.leverage > MAX_INTENT_LEVERAGE) {
    ctx.addIssue({
      code: "custom",
      path: ["leverage"],
      message: `leverage ${intent.leverage}x is above the ${MAX_INTENT_LEVERAGE}x maximum`
    });
  }
  if (intent.market === "spot" && (intent.reduceOnly || triggered2)) {
    ctx.addIssue({
      code: "custom",
      path: ["market"],
      message: "spot orders are market or limit and never reduce-only"
    });
  }
});
function makeIntentId(parts) {
  const key = `${parts.source}|${parts.symbol}|${parts.tickTime}|${parts.sequence}`;
  return `ac-${createHash("sha256").update(key).digest("hex").slice(0, 32)}`;
}
var OrderStatusSchema = z2.enum([
  "new",
  "partially_filled",
  "filled",
  "canceled",
  "rejected",
  "expired"
]);
var FuturesOrderSchema = z2.object({
  clientOrderId: ClientOrderIdSchema,
  exchangeOrderId: z2.string().min(1),
  symbol: SymbolSchema,
  market: MarketKindSchema,
  side: OrderSideSchema,
  type: ReportedOrderTypeSchema,
  status: OrderStatusSchema,
  quantity: positive(),
  filledQuantity: nonNegative(),
  price: positive().optional(),
  stopPrice: positive().optional(),
  averagePrice: positive().optional(),
  reduceOnly: z2.boolean(),
  /** Fees paid, valued in USDT (commission), ≥ 0. */
  fee: nonNegative(),
  /**
   * The commission as charged, when not in USDT: a spot buy pays its fee in the coin bought (unless BNB
   * pays it), so the wallet receives `filledQuantity − commission` of it. Absent: charged in USDT.
   */
  commission: z2.object({ asset: z2.string().min(1), amount: nonNegative() }).optional(),
  createdAt: EpochMsSchema,
  updatedAt: EpochMsSchema
});

// shared/ports/exchange-errors.ts
var ExchangeError = class extends Error {
  retryable = false;
};
var InsufficientMargin = class extends ExchangeError {
  name = "InsufficientMargin";
};
var InvalidOrder = class extends ExchangeError {
  name = "InvalidOrder";
};
var DuplicateClientOrderId = class extends InvalidOrder {
  name = "DuplicateClientOrderId";
};
var OrderNotFound = class extends ExchangeError {
  name = "OrderNotFound";
};

// shared/adapters/sim/funding-clock.ts
var FundingClock = class {
  constructor(symbols, fundingOf, startAt) {
    this.symbols = symbols;
    this.fundingOf = fundingOf;
    for (const s2 of symbols) {
      const f = fundingOf(s2);
      let c = 0;
      if (f) while (c < f.time.length && f.time[c] <= startAt) c++;
      this.cursor.push(c);
    }
    this.nextAt = this.earliest();
  }
  symbols;
  fundingOf;
  /** Per symbol (in `symbols` order): index of the next unsettled funding record. */
  cursor = [];
  nextAt = Number.POSITIVE_INFINITY;
  /** Settle every funding due at or before `now` on the ledger's positions, at `priceOf` marks. */
  settleDue(now, ledger, priceOf) {
    if (now < this.nextAt) return;
    for (let i = 0; i < this.symbols.length; i++) {
      const symbol = this.symbols[i];
      const f = this.fundingOf(symbol);
      if (!f) continue;
      let c = this.cursor[i];
      while (c < f.time.length && f.time[c] <= now) {
        ledger.settleFunding(symbol, f.time[c], priceOf(symbol), f.rate[c]);
        c++;
      }
      this.cursor[i] = c;
    }
    this.nextAt = this.earliest();
  }
  save() {
    return {
      fundingCursor: [...this.cursor],
      nextFundingAt: Number.isFinite(this.nextAt) ? this.nextAt : null
    };
  }
  load(s2) {
    if (s2.fundingCursor.length !== this.symbols.length)
      throw new Error("the saved simulator state is for other symbols");
    this.cursor.splice(0, this.cursor.length, ...s2.fundingCursor);
    this.nextAt = s2.nextFundingAt ?? Number.POSITIVE_INFINITY;
  }
  earliest() {
    let next = Number.POSITIVE_INFINITY;
    for (let i = 0; i < this.symbols.length; i++) {
      const f = this.fundingOf(this.symbols[i]);
      const c = this.cursor[i];
      if (f && c < f.time.length) next = Math.min(next, f.time[c]);
    }
    return next;
  }
};

// shared/domain/futures-math.ts
var FuturesMathInputError = class extends RangeError {
  name = "FuturesMathInputError";
};
function requirePositive(name2, value) {
  if (!Number.isFinite(value) || value <= 0) {
    throw new FuturesMathInputError(`${name2} must be a finite number > 0 (got ${value})`);
  }
}
function requireFinite(name2, value) {
  if (!Number.isFinite(value))
    throw new FuturesMathInputError(`${name2} must be a finite number (got ${value})`);
}
function requireSide(side) {
  if (side !== "long" && side !== "short") {
    throw new FuturesMathInputError(`side must be 'long' or 'short' (got ${String(side)})`);
  }
}
function unrealizedPnl(p) {
  requireSide(p.side);
  requirePositive("entryPrice", p.entryPrice);
  requirePositive("markPrice", p.markPrice);
  requirePositive("quantity", p.quantity);
  return sideSign(p.side) * (p.markPrice - p.entryPrice) * p.quantity;
}
function fundingFee(p) {
  requireSide(p.side);
  requirePositive("quantity", p.quantity);
  requirePositive("markPrice", p.markPrice);
  requireFinite("fundingRate", p.fundingRate);
  return -sideSign(p.side) * p.quantity * p.markPrice * p.fundingRate;
}
function bracketForNotional(notional, brackets) {
  if (!Number.isFinite(notional) || notional < 0) {
    throw new FuturesMathInputError(`notional must be a finite number \u2265 0 (got ${notional})`);
  }
  if (brackets.length === 0) throw new FuturesMathInputError("brackets must not be empty");
  for (const b of brackets) {
    if (notional >= b.notionalFloor && notional < b.notionalCap) return b;
  }
  const last = brackets[brackets.length - 1];
  if (notional === last.notionalCap) return last;
  throw new FuturesMathInputError(
    `notional ${notional} USDT is above the symbol's largest bracket (cap ${last.notionalCap} USDT)`
  );
}
function maintenanceMargin(p) {
  const b = bracketForNotional(p.notional, p.brackets);
  return Math.max(0, p.notional * b.maintMarginRatio - b.maintAmount);
}
function maxLeverageForNotional(notional, brackets) {
  return bracketForNotional(notional, brackets).maxLeverage;
}
function lpFormula(s2, q, entry, balance, mmr, cum) {
  const price = (balance + cum - s2 * q * entry) / (q * mmr - s2 * q);
  return Math.max(price, 0);
}
function liquidationPriceWithBrackets(p) {
  requireSide(p.side);
  requirePositive("entryPrice", p.entryPrice);
  requirePositive("quantity", p.quantity);
  requireFinite("walletBalance", p.walletBalance);
  const cross = p.marginMode === "cross";
  if (!cross && p.marginMode !== "isolated") {
    throw new FuturesMathInputError(`marginMode must be 'isolated' or 'cross' (got ${String(p.marginMode)})`);
  }
  const balance = p.walletBalance - (cross ? p.otherMaintenanceMargin ?? 0 : 0) + (cross ? p.otherUnrealizedPnl ?? 0 : 0);
  requireFinite("otherMaintenanceMargin / otherUnrealizedPnl", balance);
  const s2 = sideSign(p.side);
  const q = p.quantity;
  const brackets = p.brackets;
  const entryBracket = bracketForNotional(q * p.entryPrice, brackets);
  for (let i = -1; i < brackets.length; i++) {
    const b = i < 0 ? entryBracket : brackets[i];
    if (i >= 0 && b === entryBracket) continue;
    const price = lpFormula(s2, q, p.entryPrice, balance, b.maintMarginRatio, b.maintAmount);
    if (price === 0) {
      if (b.notionalFloor === 0) return 0;
      continue;
    }
    const notional = price * q;
    if (notional >= b.notionalFloor && notional <= b.notionalCap) return price;
  }
  const last = brackets[brackets.length - 1];
  return lpFormula(s2, q, p.entryPrice, balance, last.maintMarginRatio, last.maintAmount);
}
function liquidationDistancePct(p) {
  requireSide(p.side);
  requirePositive("markPrice", p.markPrice);
  if (!Number.isFinite(p.liquidationPrice) || p.liquidationPrice < 0) {
    throw new FuturesMathInputError(
      `liquidationPrice must be a finite number \u2265 0 (got ${p.liquidationPrice})`
    );
  }
  return sideSign(p.side) * (p.markPrice - p.liquidationPrice) * 100 / p.markPrice;
}
function marginRatio(p) {
  if (!Number.isFinite(p.maintenanceMargin) || p.maintenanceMargin < 0) {
    throw new FuturesMathInputError(
      `maintenanceMargin must be a finite number \u2265 0 (got ${p.maintenanceMargin})`
    );
  }
  requireFinite("marginBalance", p.marginBalance);
  if (p.marginBalance <= 0) return Number.POSITIVE_INFINITY;
  return p.maintenanceMargin / p.marginBalance;
}

// shared/adapters/sim/liquidation.ts
function liquidationPriceOf(ledger, p, priceOf) {
  const brackets = ledger.bracketsOf(p.symbol);
  if (p.marginMode === "isolated") {
    const m = p.lpMemo;
    if (m && m.quantity === p.quantity && m.entryPrice === p.entryPrice && m.isolatedMargin === p.isolatedMargin) {
      return m.price;
    }
    const price = liquidationPriceWithBrackets({
      side: p.side,
      marginMode: "isolated",
      entryPrice: p.entryPrice,
      quantity: p.quantity,
      walletBalance: p.isolatedMargin,
      brackets
    });
    p.lpMemo = { quantity: p.quantity, entryPrice: p.entryPrice, isolatedMargin: p.isolatedMargin, price };
    return price;
  }
  let crossWallet = ledger.walletBalance;
  let otherMm = 0;
  let otherUpnl = 0;
  for (const o of ledger.positions.values()) {
    if (o.marginMode === "isolated") {
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
      quantity: o.quantity
    });
  }
  return liquidationPriceWithBrackets({
    side: p.side,
    marginMode: "cross",
    entryPrice: p.entryPrice,
    quantity: p.quantity,
    walletBalance: crossWallet,
    otherMaintenanceMargin: otherMm,
    otherUnrealizedPnl: otherUpnl,
    brackets
  });
}
function liquidatePosition(ledger, symbol, time, price) {
  const p = ledger.positions.get(symbol);
  if (!p) throw new Error(`no position to liquidate on ${symbol}`);
  const pnl = unrealizedPnl({
    side: p.side,
    entryPrice: p.entryPrice,
    markPrice: price,
    quantity: p.quantity
  });
  const clearance = p.marginMode === "isolated" ? Math.max(0, p.isolatedMargin + pnl) : maintenanceMargin({ notional: p.quantity * price, brackets: ledger.bracketsOf(symbol) });
  const walletChange = p.marginMode === "isolated" ? -p.isolatedMargin : pnl - clearance;
  ledger.walletBalance += walletChange;
  ledger.positions.delete(symbol);
  ledger.fills.push({
    time,
    symbol,
    market: "futures",
    side: p.side === "long" ? "sell" : "buy",
    quantity: p.quantity,
    price,
    fee: clearance,
    realizedPnl: pnl,
    clientOrderId: `liquidation-${time}`,
    liquidation: true
  });
  ledger.clearanceFees += clearance;
  const record = {
    time,
    symbol,
    side: p.side,
    quantity: p.quantity,
    entryPrice: p.entryPrice,
    liquidationPrice: price,
    loss: walletChange
  };
  ledger.liquidations.push(record);
  return record;
}

// shared/adapters/sim/ledger.ts
var QTY_EPS = 1e-12;
function snapQty(q) {
  return Number(q.toPrecision(12));
}
var Ledger = class {
  constructor(initialWallet, initialSpot, bracketsOf) {
    this.bracketsOf = bracketsOf;
    this.walletBalance = initialWallet;
    for (const [asset, amount] of Object.entries(initialSpot)) this.spot.set(asset, amount);
  }
  bracketsOf;
  walletBalance;
  positions = /* @__PURE__ */ new Map();
  spot = /* @__PURE__ */ new Map();
  fills = [];
  fundings = [];
  liquidations = [];
  feesPaid = 0;
  /** Margin lost to liquidation clearance (not trading fees). */
  clearanceFees = 0;
  fundingPnl = 0;
  /** Unrealised PnL of every position at the given prices. */
  unrealized(priceOf) {
    let total = 0;
    for (const p of this.positions.values()) {
      total += unrealizedPnl({
        side: p.side,
        entryPrice: p.entryPrice,
        markPrice: priceOf(p.symbol),
        quantity: p.quantity
      });
    }
    return total;
  }
  /**
   * Binance-style available balance: cross wallet (wallet minus isolated wallets) plus cross unrealised
   * PnL, minus the initial margin cross positions hold.
   */
  available(priceOf) {
    let isolated = 0;
    let crossIm = 0;
    let crossUpnl = 0;
    for (const p of this.positions.values()) {
      if (p.marginMode === "isolated") isolated += p.isolatedMargin;
      else {
        const mark = priceOf(p.symbol);
        crossIm += p.quantity * mark / p.leverage;
        crossUpnl += unrealizedPnl({
          side: p.side,
          entryPrice: p.entryPrice,
          markPrice: mark,
          quantity: p.quantity
        });
      }
    }
    return this.walletBalance - isolated + crossUpnl - crossIm;
  }
  /** Liquidation price of a position given the other positions marked at `priceOf`. */
  liquidationPrice(p, priceOf) {
    return liquidationPriceOf(this, p, priceOf);
  }
  /**
   * Apply a futures fill in one-way mode: open, add, reduce, close or flip. Validates everything before
   * changing anything, so a rejected fill leaves the books untouched.
   */
  applyFuturesFill(f) {
    const pos = this.positions.get(f.symbol);
    const buying = f.side === "buy";
    const closing = pos !== void 0 && pos.side === "long" !== buying;
    if (f.reduceOnly && !closing) {
      throw new InvalidOrder("ReduceOnly Order is rejected: it would not reduce the position");
    }
    const closeQty = closing ? Math.min(f.quantity, pos.quantity) : 0;
    const openQty = f.reduceOnly ? 0 : snapQty(f.quantity - closeQty);
    const fee = (f.reduceOnly ? closeQty : f.quantity) * f.price * f.feeRate;
    const filledQty = closeQty + openQty;
    if (openQty > QTY_EPS) {
      const sameSideQty = closing ? 0 : pos?.quantity ?? 0;
      const notional = (sameSideQty + openQty) * f.price;
      const brackets = this.bracketsOf(f.symbol);
      const lastCap = brackets[brackets.length - 1].notionalCap;
      if (notional > lastCap || maxLeverageForNotional(notional, brackets) < f.leverage) {
        throw new InvalidOrder(
          `Exceeded the maximum allowable position at current leverage (${f.leverage}x for ${notional.toFixed(2)} USDT)`
        );
      }
      const margin = openQty * f.price / f.leverage;
      const releasedByClose = closing && pos.marginMode === "isolated" ? pos.isolatedMargin : 0;
      const pnlOfClose = closing ? unrealizedPnl({
        side: pos.side,
        entryPrice: pos.entryPrice,
        markPrice: f.price,
        quantity: closeQty
      }) : 0;
      const available = this.available(f.priceOf) + releasedByClose + pnlOfClose;
      if (margin + fee > available + 1e-9) {
        throw new InsufficientMargin(
          `Margin is insufficient: needs ${(margin + fee).toFixed(2)} USDT, available ${available.toFixed(2)} USDT`
        );
      }
    }
    let realized = 0;
    if (closing && closeQty > 0) {
      realized = unrealizedPnl({
        side: pos.side,
        entryPrice: pos.entryPrice,
        markPrice: f.price,
        quantity: closeQty
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
      const margin = f.marginMode === "isolated" ? openQty * f.price / f.leverage : 0;
      if (existing) {
        const qty = snapQty(existing.quantity + openQty);
        existing.entryPrice = (existing.entryPrice * existing.quantity + f.price * openQty) / qty;
        existing.quantity = qty;
        existing.isolatedMargin += margin;
      } else {
        this.positions.set(f.symbol, {
          symbol: f.symbol,
          side: buying ? "long" : "short",
          quantity: openQty,
          entryPrice: f.price,
          leverage: f.leverage,
          marginMode: f.marginMode,
          isolatedMargin: margin,
          openedAt: f.time
        });
      }
    }
    this.walletBalance -= fee;
    this.feesPaid += fee;
    const record = {
      time: f.time,
      symbol: f.symbol,
      market: "futures",
      side: f.side,
      quantity: filledQty,
      price: f.price,
      fee,
      realizedPnl: realized,
      clientOrderId: f.clientOrderId,
      liquidation: false
    };
    this.fills.push(record);
    return record;
  }
  /**
   * Spot fill, Binance-style (commission not paid in BNB): a buy pays the price in USDT and receives
   * the coin less the commission (quantity × feeRate of it); a sell pays the commission out of the USDT
   * received. `fee` is the commission valued in USDT either way, so equity falls by exactly `fee`.
   */
  applySpotFill(f) {
    const usdt = this.spot.get("USDT") ?? 0;
    const base = this.spot.get(f.baseAsset) ?? 0;
    const value = f.quantity * f.price;
    const fee = value * f.feeRate;
    let commission;
    if (f.side === "buy") {
      if (value > usdt + 1e-9) {
        throw new InsufficientMargin(`Account has insufficient balance: needs ${value.toFixed(2)} USDT`);
      }
      const coinFee = f.quantity * f.feeRate;
      commission = { asset: f.baseAsset, amount: coinFee };
      this.spot.set("USDT", usdt - value);
      this.spot.set(f.baseAsset, snapQty(base + f.quantity - coinFee));
    } else {
      if (f.quantity > base + QTY_EPS) {
        throw new InsufficientMargin(`Account has insufficient balance: needs ${f.quantity} ${f.baseAsset}`);
      }
      this.spot.set(f.baseAsset, Math.max(0, snapQty(base - f.quantity)));
      this.spot.set("USDT", usdt + value - fee);
    }
    this.feesPaid += fee;
    const record = {
      ...f,
      market: "spot",
      fee,
      realizedPnl: 0,
      liquidation: false,
      ...commission ? { commission } : {}
    };
    this.fills.push(record);
    return record;
  }
  /** Settle one funding rate on the symbol's position at the mark price (Binance: nominal × rate). */
  settleFunding(symbol, time, markPrice, fundingRate) {
    const p = this.positions.get(symbol);
    if (!p) return;
    const amount = fundingFee({ side: p.side, quantity: p.quantity, markPrice, fundingRate });
    this.walletBalance += amount;
    if (p.marginMode === "isolated") p.isolatedMargin += amount;
    this.fundingPnl += amount;
    this.fundings.push({ time, symbol, side: p.side, quantity: p.quantity, markPrice, fundingRate, amount });
  }
  /** Liquidate at `price` (see ./liquidation.ts). */
  liquidate(symbol, time, price) {
    return liquidatePosition(this, symbol, time, price);
  }
};

// shared/adapters/sim/margin-settings.ts
var MarginSettings = class {
  leverage = /* @__PURE__ */ new Map();
  marginMode = /* @__PURE__ */ new Map();
  constructor(symbols, defaultLeverage, defaultMode) {
    for (const s2 of symbols) {
      this.leverage.set(s2, defaultLeverage);
      this.marginMode.set(s2, defaultMode);
    }
  }
  /** Binance: the leverage must be allowed by the bracket of the position's current notional. */
  setLeverage(symbol, leverage, positionNotional, brackets) {
    if (!Number.isInteger(leverage) || leverage < 1)
      throw new InvalidOrder(`Leverage ${leverage} is not valid`);
    const allowed = brackets.find((b) => positionNotional < b.notionalCap)?.maxLeverage ?? 1;
    if (leverage > allowed)
      throw new InvalidOrder(`Leverage ${leverage} is above the bracket maximum ${allowed}`);
    this.leverage.set(symbol, leverage);
    return leverage;
  }
  setMarginMode(symbol, mode, busy) {
    if (this.marginMode.get(symbol) === mode) return;
    if (busy) {
      throw new InvalidOrder("Margin type cannot be changed if there exists position or open orders");
    }
    this.marginMode.set(symbol, mode);
  }
  save() {
    return { leverage: [...this.leverage], marginMode: [...this.marginMode] };
  }
  load(s2) {
    this.leverage.clear();
    for (const [k, v] of s2.leverage) this.leverage.set(k, v);
    this.marginMode.clear();
    for (const [k, v] of s2.marginMode) this.marginMode.set(k, v);
  }
};

// shared/domain/leverage-brackets.ts
import { z as z4 } from "zod";

// shared/domain/data/binance-leverage-brackets.json
var binance_leverage_brackets_default = {
  source: "Binance USD-M leverage-bracket endpoint, as stored in freqtrade/exchange/binance_leverage_tiers.json; reshaped copy of ../shared/data/binance-leverage-brackets.json (snapshot stored 2024-10-24). Binance revises tiers from time to time.",
  symbols: {
    BTCUSDT: [
      {
        bracket: 1,
        notionalFloor: 0,
        notionalCap: 5e4,
        maintMarginRatio: 4e-3,
        maintAmount: 0,
        maxLeverage: 125
      },
      {
        bracket: 2,
        notionalFloor: 5e4,
        notionalCap: 6e5,
        maintMarginRatio: 5e-3,
        maintAmount: 50,
        maxLeverage: 100
      },
      {
        bracket: 3,
        notionalFloor: 6e5,
        notionalCap: 3e6,
        maintMarginRatio: 65e-4,
        maintAmount: 950,
        maxLeverage: 75
      },
      {
        bracket: 4,
        notionalFloor: 3e6,
        notionalCap: 12e6,
        maintMarginRatio: 0.01,
        maintAmount: 11450,
        maxLeverage: 50
      },
      {
        bracket: 5,
        notionalFloor: 12e6,
        notionalCap: 7e7,
        maintMarginRatio: 0.02,
        maintAmount: 131450,
        maxLeverage: 25
      },
      {
        bracket: 6,
        notionalFloor: 7e7,
        notionalCap: 1e8,
        maintMarginRatio: 0.025,
        maintAmount: 481450,
        maxLeverage: 20
      },
      {
        bracket: 7,
        notionalFloor: 1e8,
        notionalCap: 23e7,
        maintMarginRatio: 0.05,
        maintAmount: 2981450,
        maxLeverage: 10
      },
      {
        bracket: 8,
        notionalFloor: 23e7,
        notionalCap: 48e7,
        maintMarginRatio: 0.1,
        maintAmount: 14481450,
        maxLeverage: 5
      },
      {
        bracket: 9,
        notionalFloor: 48e7,
        notionalCap: 6e8,
        maintMarginRatio: 0.125,
        maintAmount: 26481450,
        maxLeverage: 4
      },
      {
        bracket: 10,
        notionalFloor: 6e8,
        notionalCap: 8e8,
        maintMarginRatio: 0.15,
        maintAmount: 41481450,
        maxLeverage: 3
      },
      {
        bracket: 11,
        notionalFloor: 8e8,
        notionalCap: 12e8,
        maintMarginRatio: 0.25,
        maintAmount: 121481450,
        maxLeverage: 2
      },
      {
        bracket: 12,
        notionalFloor: 12e8,
        notionalCap: 18e8,
        maintMarginRatio: 0.5,
        maintAmount: 421481450,
        maxLeverage: 1
      }
    ],
    ETHUSDT: [
      {
        bracket: 1,
        notionalFloor: 0,
        notionalCap: 5e4,
        maintMarginRatio: 4e-3,
        maintAmount: 0,
        maxLeverage: 125
      },
      {
        bracket: 2,
        notionalFloor: 5e4,
        notionalCap: 6e5,
        maintMarginRatio: 5e-3,
        maintAmount: 50,
        maxLeverage: 100
      },
      {
        bracket: 3,
        notionalFloor: 6e5,
        notionalCap: 3e6,
        maintMarginRatio: 65e-4,
        maintAmount: 950,
        maxLeverage: 75
      },
      {
        bracket: 4,
        notionalFloor: 3e6,
        notionalCap: 12e6,
        maintMarginRatio: 0.01,
        maintAmount: 11450,
        maxLeverage: 50
      },
      {
        bracket: 5,
        notionalFloor: 12e6,
        notionalCap: 5e7,
        maintMarginRatio: 0.02,
        maintAmount: 131450,
        maxLeverage: 25
      },
      {
        bracket: 6,
        notionalFloor: 5e7,
        notionalCap: 65e6,
        maintMarginRatio: 0.025,
        maintAmount: 381450,
        maxLeverage: 20
      },
      {
        bracket: 7,
        notionalFloor: 65e6,
        notionalCap: 15e7,
        maintMarginRatio: 0.05,
        maintAmount: 2006450,
        maxLeverage: 10
      },
      {
        bracket: 8,
        notionalFloor: 15e7,
        notionalCap: 32e7,
        maintMarginRatio: 0.1,
        maintAmount: 9506450,
        maxLeverage: 5
      },
      {
        bracket: 9,
        notionalFloor: 32e7,
        notionalCap: 4e8,
        maintMarginRatio: 0.125,
        maintAmount: 17506450,
        maxLeverage: 4
      },
      {
        bracket: 10,
        notionalFloor: 4e8,
        notionalCap: 53e7,
        maintMarginRatio: 0.15,
        maintAmount: 27506450,
        maxLeverage: 3
      },
      {
        bracket: 11,
        notionalFloor: 53e7,
        notionalCap: 8e8,
        maintMarginRatio: 0.25,
        maintAmount: 80506450,
        maxLeverage: 2
      },
      {
        bracket: 12,
        notionalFloor: 8e8,
        notionalCap: 12e8,
        maintMarginRatio: 0.5,
        maintAmount: 280506450,
        maxLeverage: 1
      }
    ],
    XRPUSDT: [
      {
        bracket: 1,
        notionalFloor: 0,
        notionalCap: 1e4,
        maintMarginRatio: 5e-3,
        maintAmount: 0,
        maxLeverage: 75
      },
      {
        bracket: 2,
        notionalFloor: 1e4,
        notionalCap: 2e4,
        maintMarginRatio: 65e-4,
        maintAmount: 15,
        maxLeverage: 50
      },
      {
        bracket: 3,
        notionalFloor: 2e4,
        notionalCap: 16e4,
        maintMarginRatio: 0.01,
        maintAmount: 85,
        maxLeverage: 40
      },
      {
        bracket: 4,
        notionalFloor: 16e4,
        notionalCap: 8e5,
        maintMarginRatio: 0.02,
        maintAmount: 1685,
        maxLeverage: 25
      },
      {
        bracket: 5,
        notionalFloor: 8e5,
        notionalCap: 16e5,
        maintMarginRatio: 0.025,
        maintAmount: 5685,
        maxLeverage: 20
      },
      {
        bracket: 6,
        notionalFloor: 16e5,
        notionalCap: 8e6,
        maintMarginRatio: 0.05,
        maintAmount: 45685,
        maxLeverage: 10
      },
      {
        bracket: 7,
        notionalFloor: 8e6,
        notionalCap: 16e6,
        maintMarginRatio: 0.1,
        maintAmount: 445685,
        maxLeverage: 5
      },
      {
        bracket: 8,
        notionalFloor: 16e6,
        notionalCap: 2e7,
        maintMarginRatio: 0.125,
        maintAmount: 845685,
        maxLeverage: 4
      },
      {
        bracket: 9,
        notionalFloor: 2e7,
        notionalCap: 4e7,
        maintMarginRatio: 0.25,
        maintAmount: 3345685,
        maxLeverage: 2
      },
      {
        bracket: 10,
        notionalFloor: 4e7,
        notionalCap: 8e7,
        maintMarginRatio: 0.5,
        maintAmount: 13345685,
        maxLeverage: 1
      }
    ],
    BNBUSDT: [
      {
        bracket: 1,
        notionalFloor: 0,
        notionalCap: 1e4,
        maintMarginRatio: 5e-3,
        maintAmount: 0,
        maxLeverage: 75
      },
      {
        bracket: 2,
        notionalFloor: 1e4,
        notionalCap: 5e4,
        maintMarginRatio: 6e-3,
        maintAmount: 10,
        maxLeverage: 50
      },
      {
        bracket: 3,
        notionalFloor: 5e4,
        notionalCap: 2e5,
        maintMarginRatio: 0.01,
        maintAmount: 210,
        maxLeverage: 40
      },
      {
        bracket: 4,
        notionalFloor: 2e5,
        notionalCap: 15e5,
        maintMarginRatio: 0.02,
        maintAmount: 2210,
        maxLeverage: 25
      },
      {
        bracket: 5,
        notionalFloor: 15e5,
        notionalCap: 3e6,
        maintMarginRatio: 0.025,
        maintAmount: 9710,
        maxLeverage: 20
      },
      {
        bracket: 6,
        notionalFloor: 3e6,
        notionalCap: 15e6,
        maintMarginRatio: 0.05,
        maintAmount: 84710,
        maxLeverage: 10
      },
      {
        bracket: 7,
        notionalFloor: 15e6,
        notionalCap: 3e7,
        maintMarginRatio: 0.1,
        maintAmount: 834710,
        maxLeverage: 5
      },
      {
        bracket: 8,
        notionalFloor: 3e7,
        notionalCap: 375e5,
        maintMarginRatio: 0.125,
        maintAmount: 1584710,
        maxLeverage: 4
      },
      {
        bracket: 9,
        notionalFloor: 375e5,
        notionalCap: 75e6,
        maintMarginRatio: 0.25,
        maintAmount: 6272210,
        maxLeverage: 2
      },
      {
        bracket: 10,
        notionalFloor: 75e6,
        notionalCap: 15e7,
        maintMarginRatio: 0.5,
        maintAmount: 25022210,
        maxLeverage: 1
      }
    ],
    SOLUSDT: [
      {
        bracket: 1,
        notionalFloor: 0,
        notionalCap: 2e4,
        maintMarginRatio: 5e-3,
        maintAmount: 0,
        maxLeverage: 100
      },
      {
        bracket: 2,
        notionalFloor: 2e4,
        notionalCap: 1e5,
        maintMarginRatio: 65e-4,
        maintAmount: 30,
        maxLeverage: 75
      },
      {
        bracket: 3,
        notionalFloor: 1e5,
        notionalCap: 8e5,
        maintMarginRatio: 0.01,
        maintAmount: 380,
        maxLeverage: 50
      },
      {
        bracket: 4,
        notionalFloor: 8e5,
        notionalCap: 4e6,
        maintMarginRatio: 0.02,
        maintAmount: 8380,
        maxLeverage: 25
      },
      {
        bracket: 5,
        notionalFloor: 4e6,
        notionalCap: 8e6,
        maintMarginRatio: 0.025,
        maintAmount: 28380,
        maxLeverage: 20
      },
      {
        bracket: 6,
        notionalFloor: 8e6,
        notionalCap: 4e7,
        maintMarginRatio: 0.05,
        maintAmount: 228380,
        maxLeverage: 10
      },
      {
        bracket: 7,
        notionalFloor: 4e7,
        notionalCap: 8e7,
        maintMarginRatio: 0.1,
        maintAmount: 2228380,
        maxLeverage: 5
      },
      {
        bracket: 8,
        notionalFloor: 8e7,
        notionalCap: 1e8,
        maintMarginRatio: 0.125,
        maintAmount: 4228380,
        maxLeverage: 4
      },
      {
        bracket: 9,
        notionalFloor: 1e8,
        notionalCap: 2e8,
        maintMarginRatio: 0.25,
        maintAmount: 16728380,
        maxLeverage: 2
      },
      {
        bracket: 10,
        notionalFloor: 2e8,
        notionalCap: 4e8,
        maintMarginRatio: 0.5,
        maintAmount: 66728380,
        maxLeverage: 1
      }
    ],
    LTCUSDT: [
      {
        bracket: 1,
        notionalFloor: 0,
        notionalCap: 1e4,
        maintMarginRatio: 5e-3,
        maintAmount: 0,
        maxLeverage: 75
      },
      {
        bracket: 2,
        notionalFloor: 1e4,
        notionalCap: 5e4,
        maintMarginRatio: 0.01,
        maintAmount: 50,
        maxLeverage: 50
      },
      {
        bracket: 3,
        notionalFloor: 5e4,
        notionalCap: 1e5,
        maintMarginRatio: 0.015,
        maintAmount: 300,
        maxLeverage: 40
      },
      {
        bracket: 4,
        notionalFloor: 1e5,
        notionalCap: 75e4,
        maintMarginRatio: 0.02,
        maintAmount: 800,
        maxLeverage: 25
      },
      {
        bracket: 5,
        notionalFloor: 75e4,
        notionalCap: 1e6,
        maintMarginRatio: 0.025,
        maintAmount: 4550,
        maxLeverage: 20
      },
      {
        bracket: 6,
        notionalFloor: 1e6,
        notionalCap: 5e6,
        maintMarginRatio: 0.05,
        maintAmount: 29550,
        maxLeverage: 10
      },
      {
        bracket: 7,
        notionalFloor: 5e6,
        notionalCap: 1e7,
        maintMarginRatio: 0.1,
        maintAmount: 279550,
        maxLeverage: 5
      },
      {
        bracket: 8,
        notionalFloor: 1e7,
        notionalCap: 2e7,
        maintMarginRatio: 0.125,
        maintAmount: 529550,
        maxLeverage: 4
      },
      {
        bracket: 9,
        notionalFloor: 2e7,
        notionalCap: 3e7,
        maintMarginRatio: 0.25,
        maintAmount: 3029550,
        maxLeverage: 2
      },
      {
        bracket: 10,
        notionalFloor: 3e7,
        notionalCap: 5e7,
        maintMarginRatio: 0.5,
        maintAmount: 10529550,
        maxLeverage: 1
      }
    ]
  }
};

// shared/domain/market.ts
import { z as z3 } from "zod";
var LeverageBracketSchema = z3.object({
  bracket: z3.number().int().positive(),
  notionalFloor: nonNegative(),
  notionalCap: positive(),
  maintMarginRatio: z3.number().positive().lt(1),
  maintAmount: nonNegative(),
  maxLeverage: z3.number().int().min(1).max(125)
}).refine((b) => b.notionalCap > b.notionalFloor, { error: "notionalCap must be above notionalFloor" });
var LeverageBracketTableSchema = z3.array(LeverageBracketSchema).min(1).superRefine((rows, ctx) => {
  if (rows[0] && rows[0].notionalFloor !== 0) {
    ctx.addIssue({ code: "custom", message: "the first bracket must start at notional 0" });
  }
  for (let i = 1; i < rows.length; i++) {
    const prev = rows[i - 1];
    const row = rows[i];
    if (row.notionalFloor !== prev.notionalCap) {
      ctx.addIssue({
        code: "custom",
        path: [i],
        message: "brackets must be contiguous (floor = previous cap)"
      });
    }
    if (row.maxLeverage > prev.maxLeverage) {
      ctx.addIssue({ code: "custom", path: [i], message: "max leverage must not rise with notional" });
    }
  }
});
var FundingRateSchema = z3.object({
  symbol: SymbolSchema,
  /** Fraction per funding interval (8 h on BTCUSDT); positive = longs pay shorts. */
  fundingRate: z3.number().gt(-1).lt(1),
  /** When this rate settles (the next funding time for a current rate). */
  fundingTime: EpochMsSchema,
  markPrice: positive().optional(),
  intervalHours: z3.number().positive().default(8)
});

// shared/domain/leverage-brackets.ts
var FileSchema = z4.object({
  source: z4.string().min(1),
  symbols: z4.record(z4.string(), LeverageBracketTableSchema)
});
var table = FileSchema.parse(binance_leverage_brackets_default).symbols;
var BRACKET_SYMBOLS = Object.keys(table);
function leverageBracketsFor(symbol) {
  const rows = table[symbol];
  if (!rows) {
    throw new FuturesMathInputError(
      `no leverage brackets shipped for ${symbol}; known: ${BRACKET_SYMBOLS.join(", ")}`
    );
  }
  return rows;
}

// shared/adapters/sim/markets.ts
var FUTURES_FILTERS = {
  // USD-M exchangeInfo: PRICE_FILTER tickSize, LOT_SIZE stepSize/minQty, MIN_NOTIONAL notional.
  BTCUSDT: { tickSize: 0.1, stepSize: 1e-3, minQuantity: 1e-3, minNotional: 100 },
  ETHUSDT: { tickSize: 0.01, stepSize: 1e-3, minQuantity: 1e-3, minNotional: 20 }
};
var SPOT_FILTERS = {
  // Spot exchangeInfo: PRICE_FILTER, LOT_SIZE, NOTIONAL minNotional.
  BTCUSDT: { tickSize: 0.01, stepSize: 1e-5, minQuantity: 1e-5, minNotional: 5 },
  ETHUSDT: { tickSize: 0.01, stepSize: 1e-4, minQuantity: 1e-4, minNotional: 5 }
};
var GENERIC = { tickSize: 1e-4, stepSize: 0.1, minQuantity: 0.1, minNotional: 5 };
function defaultMarkets(symbols) {
  const futures = {};
  const spot = {};
  for (const symbol of symbols) {
    futures[symbol] = {
      symbol,
      market: "futures",
      ...FUTURES_FILTERS[symbol] ?? GENERIC,
      brackets: leverageBracketsFor(symbol)
    };
    spot[symbol] = { symbol, market: "spot", ...SPOT_FILTERS[symbol] ?? GENERIC };
  }
  return { futures, spot };
}
var PERCENT_PRICE = {
  BTCUSDT: { multiplierUp: 1.05, multiplierDown: 0.95 },
  ETHUSDT: { multiplierUp: 1.05, multiplierDown: 0.95 }
};
var GENERIC_PERCENT_PRICE = { multiplierUp: 1.15, multiplierDown: 0.85 };
function percentPriceBand(symbol) {
  return PERCENT_PRICE[symbol] ?? GENERIC_PERCENT_PRICE;
}

// shared/adapters/sim/order-book.ts
var OrderBook = class {
  /** Every order accepted, by clientOrderId (Binance refuses a repeated id). */
  orders = /* @__PURE__ */ new Map();
  /** The resting (open) ones, in arrival order. */
  open = /* @__PURE__ */ new Map();
  seq = 0;
  has(clientOrderId) {
    return this.orders.has(clientOrderId);
  }
  nextSeq() {
    return ++this.seq;
  }
  rest(order) {
    this.orders.set(order.clientOrderId, order);
    this.open.set(order.clientOrderId, order);
  }
  /** Record an order that fills at once (it never rests). */
  record(order) {
    this.orders.set(order.clientOrderId, order);
  }
  /** Forget an order Binance would never have created (a request rejected at placement). */
  forget(clientOrderId) {
    this.orders.delete(clientOrderId);
  }
  /** Take a resting order off the book (it is about to fill or fail). */
  take(order) {
    this.open.delete(order.clientOrderId);
  }
  close(order, status, now) {
    order.status = status;
    order.updatedAt = now;
    this.open.delete(order.clientOrderId);
  }
  openOrders(symbol) {
    return [...this.open.values()].filter((o) => symbol === void 0 || o.symbol === symbol).map(strip);
  }
  hasOpenOrders(symbol) {
    for (const o of this.open.values()) if (o.symbol === symbol) return true;
    return false;
  }
  byClientId(symbol, clientOrderId) {
    const o = this.orders.get(clientOrderId);
    if (!o || o.symbol !== symbol) throw new OrderNotFound(`Order does not exist: ${clientOrderId}`);
    return strip(o);
  }
  cancel(symbol, clientOrderId, now) {
    const o = this.open.get(clientOrderId);
    if (!o || o.symbol !== symbol) throw new OrderNotFound(`Unknown order sent: ${clientOrderId}`);
    this.close(o, "canceled", now);
    return strip(o);
  }
  /** Binance cancels a symbol's reduce-only orders when its position closes or is liquidated. */
  cancelReduceOnly(symbol, now) {
    for (const o of [...this.open.values()])
      if (o.symbol === symbol && o.reduceOnly) this.close(o, "canceled", now);
  }
  save() {
    return {
      orders: [...this.orders.values()].map((o) => ({ ...o })),
      open: [...this.open.keys()],
      seq: this.seq
    };
  }
  load(s2) {
    this.orders.clear();
    this.open.clear();
    for (const o of s2.orders) this.orders.set(o.clientOrderId, { ...o });
    for (const id of s2.open) this.open.set(id, this.orders.get(id));
    this.seq = s2.seq;
  }
};
function newSimOrder(req, seq, reduceOnly, now) {
  return {
    clientOrderId: req.clientOrderId,
    exchangeOrderId: String(seq),
    seq,
    symbol: req.symbol,
    market: req.market,
    side: req.side,
    type: req.type,
    status: "new",
    quantity: req.quantity,
    filledQuantity: 0,
    ...req.price !== void 0 ? { price: req.price } : {},
    ...req.stopPrice !== void 0 ? { stopPrice: req.stopPrice } : {},
    reduceOnly,
    fee: 0,
    createdAt: now,
    updatedAt: now
  };
}
function strip(o) {
  const { seq: _seq, ...rest } = o;
  return { ...rest };
}

// shared/adapters/sim/order-fill.ts
function fillOrder(ledger, order, price, feeRate, at) {
  let record;
  try {
    record = order.market === "futures" ? ledger.applyFuturesFill({
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
      priceOf: at.priceOf
    }) : ledger.applySpotFill({
      time: at.now,
      symbol: order.symbol,
      baseAsset: order.symbol.replace(/USDT$/, ""),
      side: order.side,
      quantity: order.quantity,
      price,
      feeRate,
      clientOrderId: order.clientOrderId
    });
  } catch (err) {
    order.status = "rejected";
    throw err;
  }
  order.status = "filled";
  order.filledQuantity = record.quantity;
  order.averagePrice = price;
  order.fee = record.fee;
  if (record.commission) order.commission = { ...record.commission };
  order.updatedAt = at.now;
  return record;
}

// shared/domain/precision.ts
var EPS = 1e-9;
function floorToStep(value, step) {
  const n2 = Math.floor(value / step + EPS);
  return roundNoise(n2 * step, step);
}
function roundToTick(value, tick2) {
  return roundNoise(Math.round(value / tick2) * tick2, tick2);
}
function isMultipleOf(value, step) {
  const n2 = value / step;
  return Math.abs(n2 - Math.round(n2)) < EPS * Math.max(1, Math.abs(n2));
}
function roundNoise(value, step) {
  const decimals = Math.min(12, Math.max(0, Math.ceil(-Math.log10(step) - EPS)));
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}

// shared/adapters/sim/order-rules.ts
function validateShape(req, rules, reduceOnly) {
  const problems = [];
  if (!Number.isFinite(req.quantity) || req.quantity <= 0)
    problems.push(`quantity must be > 0 (got ${req.quantity})`);
  else {
    if (!isMultipleOf(req.quantity, rules.stepSize))
      problems.push(
        `Precision is over the maximum defined for this asset (quantity ${req.quantity}, step ${rules.stepSize})`
      );
    if (req.quantity < rules.minQuantity) problems.push(`quantity below the minimum ${rules.minQuantity}`);
  }
  const needsPrice = req.type === "limit";
  const needsStop = req.type === "stop_market" || req.type === "take_profit_market";
  for (const [name2, value, needed] of [
    ["price", req.price, needsPrice],
    ["stopPrice", req.stopPrice, needsStop]
  ]) {
    if (needed && value === void 0) problems.push(`${name2} is required for ${req.type}`);
    if (!needed && value !== void 0) problems.push(`${name2} is not allowed for ${req.type}`);
    if (value !== void 0 && (!Number.isFinite(value) || value <= 0)) problems.push(`${name2} must be > 0`);
    else if (value !== void 0 && !isMultipleOf(value, rules.tickSize))
      problems.push(`${name2} ${value} is not a multiple of tick ${rules.tickSize}`);
  }
  if (req.market === "spot" && (reduceOnly || needsStop))
    problems.push("spot orders are market or limit, never reduce-only");
  if (problems.length > 0) throw new InvalidOrder(problems.join("; "));
}
function triggered(type, side, stopPrice, price) {
  const risesTo = type === "stop_market" === (side === "buy");
  return risesTo ? price >= stopPrice : price <= stopPrice;
}
function marketable(side, limit, price) {
  return side === "buy" ? limit >= price : limit <= price;
}
function checkMinNotional(req, rules, current, reduceOnly) {
  const notional = req.quantity * (req.price ?? req.stopPrice ?? current);
  if (!reduceOnly && notional < rules.minNotional) {
    throw new InvalidOrder(
      `Order's notional must be no smaller than ${rules.minNotional} (got ${notional.toFixed(2)})`
    );
  }
}
function checkReduceOnly(req, pos) {
  if (!pos || pos.side === "long" === (req.side === "buy")) {
    throw new InvalidOrder("ReduceOnly Order is rejected: no position to reduce on that side");
  }
}
function checkPercentPrice(req, mark, band) {
  if (req.market !== "futures" || req.type !== "limit" || req.price === void 0) return;
  const tolerance = mark * 1e-9;
  if (req.side === "buy") {
    const max = mark * band.multiplierUp;
    if (req.price > max + tolerance)
      throw new InvalidOrder(`Limit price can't be higher than ${max.toFixed(2)}. (PERCENT_PRICE, -4016)`);
  } else {
    const min = mark * band.multiplierDown;
    if (req.price < min - tolerance)
      throw new InvalidOrder(`Limit price can't be lower than ${min.toFixed(2)}. (PERCENT_PRICE, -4024)`);
  }
}

// shared/adapters/sim/sim-state.ts
function saveLedger(l) {
  return {
    walletBalance: l.walletBalance,
    positions: [...l.positions.values()].map(({ lpMemo: _memo, ...p }) => ({ ...p })),
    spot: [...l.spot],
    fills: l.fills.map((f) => ({ ...f })),
    fundings: l.fundings.map((f) => ({ ...f })),
    liquidations: l.liquidations.map((x) => ({ ...x })),
    feesPaid: l.feesPaid,
    clearanceFees: l.clearanceFees,
    fundingPnl: l.fundingPnl
  };
}
function loadLedger(l, s2) {
  l.walletBalance = s2.walletBalance;
  l.positions.clear();
  for (const p of s2.positions) l.positions.set(p.symbol, { ...p });
  l.spot.clear();
  for (const [k, v] of s2.spot) l.spot.set(k, v);
  l.fills.splice(0, l.fills.length, ...s2.fills);
  l.fundings.splice(0, l.fundings.length, ...s2.fundings);
  l.liquidations.splice(0, l.liquidations.length, ...s2.liquidations);
  l.feesPaid = s2.feesPaid;
  l.clearanceFees = s2.clearanceFees;
  l.fundingPnl = s2.fundingPnl;
}

// shared/adapters/sim/triggers.ts
function tradeCandle(host, symbol, bar) {
  const pos = host.position(symbol);
  const lowFirst = pos ? pos.side === "long" : bar.open - bar.low <= bar.high - bar.open;
  const first = lowFirst ? bar.low : bar.high;
  const second = lowFirst ? bar.high : bar.low;
  walkSegment(host, symbol, bar.open, first, true);
  walkSegment(host, symbol, first, second, false);
  walkSegment(host, symbol, second, bar.close, false);
}
function mayTrigger(host, symbol, bar) {
  for (const o of host.openOrders()) {
    if (o.symbol !== symbol) continue;
    if (o.type === "limit") {
      if (o.side === "buy" ? bar.low < o.price : bar.high > o.price) return true;
    } else {
      const risesTo = o.type === "stop_market" === (o.side === "buy");
      if (risesTo ? bar.high >= o.stopPrice : bar.low <= o.stopPrice) return true;
    }
  }
  const pos = host.position(symbol);
  if (pos) {
    const lp = host.liquidationPrice(pos);
    if (lp > 0 && (pos.side === "long" ? bar.low <= lp : bar.high >= lp)) return true;
  }
  return false;
}
function walkSegment(host, symbol, a, b, atOpen) {
  let from = a;
  for (let guard = 0; guard < 1e3; guard++) {
    const next = nextEvent(host, symbol, from, b);
    if (!next) return;
    const level = next.distance === 0 && atOpen ? from : next.level;
    if (next.kind === "liquidation") host.liquidate(symbol, next.level);
    else host.fire(next.order, level);
    from = next.level;
  }
  throw new Error("too many events in one candle segment");
}
function nextEvent(host, symbol, a, b) {
  const up = b >= a;
  const lo = up ? a : b;
  const hi = up ? b : a;
  let best;
  let bestRank = 0;
  for (const o of host.openOrders()) {
    if (o.symbol !== symbol) continue;
    let level;
    let rank;
    if (o.type === "limit") {
      const limit = o.price;
      if (!(o.side === "buy" ? lo < limit : hi > limit)) continue;
      level = Math.min(Math.max(limit, lo), hi);
      rank = 2 + o.seq * 1e-9;
    } else {
      const stop = o.stopPrice;
      const risesTo = o.type === "stop_market" === (o.side === "buy");
      if (risesTo ? a >= stop : a <= stop) level = a;
      else if (risesTo ? up && hi >= stop : !up && lo <= stop) level = stop;
      else continue;
      rank = o.seq * 1e-9;
    }
    const distance = Math.abs(level - a);
    if (!best || distance < best.distance || distance === best.distance && rank < bestRank) {
      best = { kind: "order", level, distance, order: o };
      bestRank = rank;
    }
  }
  const pos = host.position(symbol);
  if (pos) {
    const lp = host.liquidationPrice(pos);
    let level = -1;
    if (lp > 0) {
      if (pos.side === "long" ? a <= lp : a >= lp) level = a;
      else if (pos.side === "long" ? !up && lo <= lp : up && hi >= lp) level = lp;
    }
    if (level >= 0) {
      const distance = Math.abs(level - a);
      if (!best || distance < best.distance || distance === best.distance && 1 < bestRank) {
        best = { kind: "liquidation", level, distance };
      }
    }
  }
  return best;
}

// shared/adapters/sim/simulator.ts
var Simulator = class {
  ledger;
  markets;
  symbols;
  data;
  n;
  k;
  funding;
  margin;
  book = new OrderBook();
  makerFee;
  takerFee;
  spotFee;
  slip;
  spotFactor;
  priceOf = (symbol) => this.price(symbol);
  triggerHost;
  walkEveryCandle;
  constructor(o) {
    this.data = o.data;
    this.symbols = Object.keys(o.data);
    const first = this.data[this.symbols[0]];
    if (!first) throw new Error("the simulator needs data for at least one symbol");
    this.n = first.candles.time.length;
    for (const s2 of this.symbols) {
      const t = this.data[s2].candles.time;
      if (t.length !== this.n || t[0] !== first.candles.time[0] || t[this.n - 1] !== first.candles.time[this.n - 1]) {
        throw new Error(`all symbols must share one candle time grid (${s2} differs)`);
      }
    }
    this.markets = o.markets ?? defaultMarkets(this.symbols);
    this.makerFee = o.makerFee ?? 2e-4;
    this.takerFee = o.takerFee ?? 5e-4;
    this.spotFee = o.spotFee ?? 1e-3;
    this.slip = (o.slippagePct ?? 0) / 100;
    this.spotFactor = 1 - (o.spotBasisPct ?? 0) / 100;
    this.k = o.startIndex ?? 0;
    this.walkEveryCandle = o.walkEveryCandle ?? false;
    this.margin = new MarginSettings(this.symbols, o.defaultLeverage ?? 5, o.defaultMarginMode ?? "isolated");
    this.funding = new FundingClock(this.symbols, (s2) => this.data[s2]?.funding, this.now());
    this.ledger = new Ledger(
      o.initialWalletUsdt ?? 1e4,
      o.initialSpot ?? {},
      (s2) => this.futuresMarket(s2).brackets
    );
    this.triggerHost = {
      openOrders: () => this.book.open.values(),
      position: (symbol) => this.ledger.positions.get(symbol),
      liquidationPrice: (p) => this.ledger.liquidationPrice(p, this.priceOf),
      fire: (order, level) => this.fireResting(order, level),
      liquidate: (symbol, level) => {
        this.book.cancelReduceOnly(symbol, this.now());
        this.ledger.liquidate(symbol, this.now(), level);
      }
    };
  }
  /**
   * Everything that changes as the simulation runs, as plain JSON: the local runtime's `--persist`
   * writes it after every step, so a restart continues the same exchange (the market data is not in
   * it: the same data must be loaded again).
   */
  saveState() {
    return {
      k: this.k,
      ...this.funding.save(),
      ...this.margin.save(),
      ...this.book.save(),
      ledger: saveLedger(this.ledger)
    };
  }
  /** Continue from a `saveState()` of a simulator over the same data. */
  loadState(s2) {
    this.funding.load(s2);
    this.k = s2.k;
    this.margin.load(s2);
    this.book.load(s2);
    loadLedger(this.ledger, s2.ledger);
  }
  /** Index of the candle the clock stands at the open of (= number of closed candles). */
  get index() {
    return this.k;
  }
  get length() {
    return this.n;
  }
  get finished() {
    return this.k >= this.n;
  }
  /** Open time of the current candle; after the last candle, that candle's close time. */
  now() {
    const t = this.data[this.symbols[0]].candles.time;
    if (this.k < this.n) return t[this.k];
    const step = this.n > 1 ? t[this.n - 1] - t[this.n - 2] : 36e5;
    return t[this.n - 1] + step;
  }
  /** The price available now: open of the current candle, or the last close at the end. */
  price(symbol) {
    const c = this.candlesOf(symbol);
    return this.k < this.n ? c.open[this.k] : c.close[this.n - 1];
  }
  spotPrice(symbol) {
    return this.price(symbol) * this.spotFactor;
  }
  candlesOf(symbol) {
    const d = this.data[symbol];
    if (!d) throw new InvalidOrder(`Invalid symbol ${symbol}`);
    return d.candles;
  }
  fundingOf(symbol) {
    return this.data[symbol]?.funding;
  }
  futuresMarket(symbol) {
    const m = this.markets.futures[symbol];
    if (!m) throw new InvalidOrder(`Invalid symbol ${symbol}`);
    return m;
  }
  leverageOf(symbol) {
    this.futuresMarket(symbol);
    return this.margin.leverage.get(symbol);
  }
  marginModeOf(symbol) {
    this.futuresMarket(symbol);
    return this.margin.marginMode.get(symbol);
  }
  setLeverage(symbol, leverage) {
    const m = this.futuresMarket(symbol);
    const pos = this.ledger.positions.get(symbol);
    const notional = pos ? pos.quantity * this.price(symbol) : 0;
    this.margin.setLeverage(symbol, leverage, notional, m.brackets);
    if (pos) pos.leverage = leverage;
    return leverage;
  }
  setMarginMode(symbol, mode) {
    this.futuresMarket(symbol);
    const busy = this.ledger.positions.has(symbol) || this.book.hasOpenOrders(symbol);
    this.margin.setMarginMode(symbol, mode, busy);
  }
  openOrders(symbol) {
    return this.book.openOrders(symbol);
  }
  orderByClientId(symbol, clientOrderId) {
    return this.book.byClientId(symbol, clientOrderId);
  }
  cancelOrder(symbol, clientOrderId) {
    return this.book.cancel(symbol, clientOrderId, this.now());
  }
  /** Place an order, Binance-style: validated, idempotent on clientOrderId, market orders fill now. */
  createOrder(req) {
    if (!ClientOrderIdSchema.safeParse(req.clientOrderId).success) {
      throw new InvalidOrder(
        `Illegal characters found in parameter 'newClientOrderId': ${req.clientOrderId}`
      );
    }
    if (this.book.has(req.clientOrderId)) {
      throw new DuplicateClientOrderId(`ClientOrderId is duplicated: ${req.clientOrderId}`);
    }
    if (this.finished) throw new InvalidOrder("the simulation has ended");
    const rules = req.market === "futures" ? this.futuresMarket(req.symbol) : this.markets.spot[req.symbol];
    if (!rules) throw new InvalidOrder(`Invalid symbol ${req.symbol}`);
    const reduceOnly = req.reduceOnly ?? false;
    validateShape(req, rules, reduceOnly);
    const now = this.now();
    const seq = this.book.nextSeq();
    const order = newSimOrder(req, seq, reduceOnly, now);
    const current = req.market === "futures" ? this.price(req.symbol) : this.spotPrice(req.symbol);
    checkPercentPrice(req, current, percentPriceBand(req.symbol));
    checkMinNotional(req, rules, current, reduceOnly);
    if (reduceOnly) checkReduceOnly(req, this.ledger.positions.get(req.symbol));
    if (req.type === "stop_market" || req.type === "take_profit_market") {
      if (triggered(req.type, req.side, req.stopPrice, current)) {
        throw new InvalidOrder("Order would immediately trigger.");
      }
      this.book.rest(order);
    } else if (req.type === "limit" && !marketable(req.side, req.price, current)) {
      this.book.rest(order);
    } else {
      const px = req.type === "limit" ? current : this.slipped(req.side, current);
      this.book.record(order);
      try {
        this.fill(order, px, this.feeFor(order, false));
      } catch (err) {
        this.book.forget(order.clientOrderId);
        throw err;
      }
    }
    return strip(order);
  }
  /** Trade through the current candle, then move the clock to the next one and settle funding. */
  advance() {
    if (this.finished) return;
    for (const symbol of this.symbols) {
      if (this.ledger.positions.has(symbol) || this.book.hasOpenOrders(symbol)) {
        const c = this.candlesOf(symbol);
        const k = this.k;
        const bar = { open: c.open[k], high: c.high[k], low: c.low[k], close: c.close[k] };
        if (this.walkEveryCandle || mayTrigger(this.triggerHost, symbol, bar))
          tradeCandle(this.triggerHost, symbol, bar);
      }
    }
    this.k++;
    if (!this.finished) this.funding.settleDue(this.now(), this.ledger, this.priceOf);
  }
  /** A resting order the price reached: fill it (a limit at its price, a stop at the level, slipped). */
  fireResting(order, level) {
    const px = order.type === "limit" ? order.price : this.slipped(order.side, level);
    this.book.take(order);
    try {
      this.fill(order, px, this.feeFor(order, order.type === "limit"));
    } catch (err) {
      order.status = order.reduceOnly ? "expired" : "rejected";
      order.updatedAt = this.now();
      if (!(err instanceof ExchangeError)) throw err;
    }
  }
  feeFor(order, maker) {
    if (order.market === "spot") return this.spotFee;
    return maker ? this.makerFee : this.takerFee;
  }
  slipped(side, price) {
    return side === "buy" ? price * (1 + this.slip) : price * (1 - this.slip);
  }
  fill(order, price, feeRate) {
    fillOrder(this.ledger, order, price, feeRate, {
      now: this.now(),
      leverage: this.margin.leverage.get(order.symbol),
      marginMode: this.margin.marginMode.get(order.symbol),
      priceOf: this.priceOf
    });
    if (order.market === "futures" && !this.ledger.positions.has(order.symbol))
      this.book.cancelReduceOnly(order.symbol, this.now());
  }
};

// shared/adapters/sim/snapshot.ts
function simPositions(sim) {
  const priceOf = (s2) => sim.price(s2);
  return [...sim.ledger.positions.values()].map((p) => {
    const mark = sim.price(p.symbol);
    return {
      symbol: p.symbol,
      side: p.side,
      quantity: p.quantity,
      entryPrice: p.entryPrice,
      markPrice: mark,
      leverage: p.leverage,
      marginMode: p.marginMode,
      isolatedMargin: p.isolatedMargin,
      unrealizedPnl: unrealizedPnl({
        side: p.side,
        entryPrice: p.entryPrice,
        markPrice: mark,
        quantity: p.quantity
      }),
      liquidationPrice: sim.ledger.liquidationPrice(p, priceOf),
      maintenanceMargin: maintenanceMargin({
        notional: p.quantity * mark,
        brackets: sim.futuresMarket(p.symbol).brackets
      }),
      openedAt: p.openedAt
    };
  });
}
function simBalances(sim) {
  const priceOf = (s2) => sim.price(s2);
  const upnl = sim.ledger.unrealized(priceOf);
  return {
    futures: {
      walletBalance: sim.ledger.walletBalance,
      unrealizedPnl: upnl,
      equity: sim.ledger.walletBalance + upnl,
      availableBalance: sim.ledger.available(priceOf)
    },
    spot: Object.fromEntries(sim.ledger.spot)
  };
}
function simTotalEquity(sim) {
  let total = sim.ledger.walletBalance + sim.ledger.unrealized((s2) => sim.price(s2));
  for (const [asset, amount] of sim.ledger.spot) {
    if (asset === "USDT") total += amount;
    else if (amount !== 0) total += amount * sim.spotPrice(`${asset}USDT`);
  }
  return total;
}
function simAccountSnapshot(sim, day) {
  const balances = simBalances(sim);
  return {
    takenAt: sim.now(),
    walletBalance: balances.futures.walletBalance,
    equity: balances.futures.equity,
    startOfDayEquity: day.startOfDayEquity,
    realizedPnlToday: day.realizedPnlToday,
    availableBalance: balances.futures.availableBalance,
    positions: simPositions(sim),
    halted: day.halted,
    spotBalances: balances.spot
  };
}

// shared/domain/candles.ts
import { z as z5 } from "zod";
var TimeframeSchema = z5.enum(["1h", "4h", "1d", "15m"]);
var TIMEFRAME_MS = {
  "15m": 15 * 6e4,
  "1h": 36e5,
  "4h": 4 * 36e5,
  "1d": 24 * 36e5
};
function emptySeries(n2) {
  return {
    time: new Float64Array(n2),
    open: new Float64Array(n2),
    high: new Float64Array(n2),
    low: new Float64Array(n2),
    close: new Float64Array(n2),
    volume: new Float64Array(n2)
  };
}
function sliceSeries(s2, from, to) {
  return {
    time: s2.time.subarray(from, to),
    open: s2.open.subarray(from, to),
    high: s2.high.subarray(from, to),
    low: s2.low.subarray(from, to),
    close: s2.close.subarray(from, to),
    volume: s2.volume.subarray(from, to)
  };
}
var CandleWindow = class {
  constructor(source, end) {
    this.source = source;
    this.end = end;
  }
  source;
  end;
  get time() {
    return this.source.time.subarray(0, this.end);
  }
  get open() {
    return this.source.open.subarray(0, this.end);
  }
  get high() {
    return this.source.high.subarray(0, this.end);
  }
  get low() {
    return this.source.low.subarray(0, this.end);
  }
  get close() {
    return this.source.close.subarray(0, this.end);
  }
  get volume() {
    return this.source.volume.subarray(0, this.end);
  }
};
function seriesSource(s2) {
  return s2 instanceof CandleWindow ? s2.source : s2;
}
function seriesLength(s2) {
  return s2 instanceof CandleWindow ? s2.end : s2.time.length;
}

// shared/domain/risk/check-intent.ts
var pct = (x) => `${Math.round(x * 100) / 100} %`;
function checkIntent(intent, account, limits, market) {
  const reasons = [];
  const price = intent.price ?? intent.stopPrice ?? market.markPrice;
  if (!isMultipleOf(intent.quantity, market.stepSize))
    reasons.push(`quantity ${intent.quantity} is not a multiple of the step ${market.stepSize}`);
  if (intent.quantity < market.minQuantity)
    reasons.push(`quantity ${intent.quantity} is below the minimum ${market.minQuantity}`);
  for (const [name2, value] of [
    ["price", intent.price],
    ["stopPrice", intent.stopPrice]
  ]) {
    if (value !== void 0 && !isMultipleOf(value, market.tickSize))
      reasons.push(`${name2} ${value} is not a multiple of the tick ${market.tickSize}`);
  }
  const position = account.positions.find((p) => p.symbol === intent.symbol);
  const reducesFutures = intent.market === "futures" && (intent.reduceOnly || position !== void 0 && position.side === "long" !== (intent.side === "buy") && intent.quantity <= position.quantity);
  const setsLeverage = intent.market === "futures" && !intent.reduceOnly;
  if (setsLeverage && (intent.leverage < 1 || intent.leverage > limits.maxLeverage)) {
    reasons.push(`leverage ${intent.leverage}x is outside 1\u2013${limits.maxLeverage}x`);
  }
  if (setsLeverage && reducesFutures && position) {
    checkBracketLeverage(intent.leverage, position.quantity * market.markPrice, market, reasons);
  }
  const reducesSpot = intent.market === "spot" && intent.side === "sell";
  if (reducesFutures || reducesSpot) return decide(reasons);
  if (intent.quantity * price < market.minNotional) {
    reasons.push(
      `notional ${(intent.quantity * price).toFixed(2)} USDT is below the minimum ${market.minNotional} USDT`
    );
  }
  if (account.halted) reasons.push("trading is halted: only reduce-only orders pass");
  const dayLoss = account.startOfDayEquity - account.equity;
  const dayLimit = limits.dailyLossLimitPct / 100 * account.startOfDayEquity;
  if (account.startOfDayEquity > 0 && dayLoss >= dayLimit) {
    reasons.push(
      `daily loss limit reached: ${dayLoss.toFixed(2)} USDT lost today, limit ${pct(limits.dailyLossLimitPct)} of start-of-day equity (${dayLimit.toFixed(2)} USDT)`
    );
  }
  const exposurePrice = Math.max(price, market.markPrice);
  const sizeLimit = limits.positionSizeLimitPct / 100 * account.equity;
  if (intent.market === "spot") {
    const spotNotional = intent.quantity * exposurePrice;
    if (spotNotional > sizeLimit) {
      reasons.push(
        `spot buy notional ${spotNotional.toFixed(2)} USDT exceeds ${pct(limits.positionSizeLimitPct)} of equity (${sizeLimit.toFixed(2)} USDT)`
      );
    }
    return decide(reasons);
  }
  const sameSide = position !== void 0 && position.side === "long" === (intent.side === "buy");
  const flipQty = position && !sameSide ? intent.quantity - position.quantity : 0;
  const resultingQty = sameSide ? position.quantity + intent.quantity : position ? flipQty : intent.quantity;
  const resultingNotional = resultingQty * exposurePrice;
  if (!position && account.positions.length + 1 > limits.maxPositions) {
    reasons.push(`at most ${limits.maxPositions} positions may be open (${account.positions.length} are)`);
  }
  if (resultingNotional > sizeLimit) {
    reasons.push(
      `position notional ${resultingNotional.toFixed(2)} USDT exceeds ${pct(limits.positionSizeLimitPct)} of equity (${sizeLimit.toFixed(2)} USDT)`
    );
  }
  if (!checkBracketLeverage(intent.leverage, resultingNotional, market, reasons)) return decide(reasons);
  let otherMm = 0;
  for (const p of account.positions) {
    if (p.symbol !== intent.symbol) otherMm += p.maintenanceMargin;
  }
  const newMm = maintenanceMargin({ notional: resultingNotional, brackets: market.brackets });
  const ratioPct = marginRatio({ maintenanceMargin: otherMm + newMm, marginBalance: account.equity }) * 100;
  if (ratioPct >= limits.marginRatioCriticalPct) {
    reasons.push(
      `margin ratio after the order would be ${pct(ratioPct)}, at or above the critical ${pct(limits.marginRatioCriticalPct)}`
    );
  }
  if (intent.leverage >= 1) {
    const side = intent.side === "buy" ? "long" : "short";
    const entry = sameSide ? (position.entryPrice * position.quantity + price * intent.quantity) / resultingQty : price;
    const wallet = intent.marginMode === "isolated" ? resultingQty * entry / intent.leverage : account.walletBalance - account.positions.reduce((s2, p) => s2 + (p.marginMode === "isolated" ? p.isolatedMargin : 0), 0);
    const otherUpnl = account.positions.reduce(
      (s2, p) => s2 + (p.symbol !== intent.symbol && p.marginMode === "cross" ? p.unrealizedPnl : 0),
      0
    );
    const lp = liquidationPriceWithBrackets({
      side,
      marginMode: intent.marginMode,
      entryPrice: entry,
      quantity: resultingQty,
      walletBalance: wallet,
      otherMaintenanceMargin: otherMm,
      otherUnrealizedPnl: otherUpnl,
      brackets: market.brackets
    });
    const distance = liquidationDistancePct({ side, markPrice: market.markPrice, liquidationPrice: lp });
    if (distance < limits.liquidationDistanceMinPct) {
      reasons.push(
        `liquidation would be ${pct(distance)} away (price ${lp.toFixed(2)}), under the minimum ${pct(limits.liquidationDistanceMinPct)}`
      );
    }
  }
  return decide(reasons);
}
function checkBracketLeverage(leverage, notional, market, reasons) {
  const lastCap = market.brackets[market.brackets.length - 1]?.notionalCap ?? 0;
  if (notional > lastCap) {
    reasons.push(`position notional ${notional.toFixed(2)} USDT exceeds the symbol's largest bracket`);
    return false;
  }
  const bracket = bracketForNotional(notional, market.brackets);
  if (leverage > bracket.maxLeverage) {
    reasons.push(
      `leverage ${leverage}x exceeds the bracket maximum ${bracket.maxLeverage}x for ${notional.toFixed(2)} USDT`
    );
  }
  return true;
}
function decide(reasons) {
  return reasons.length === 0 ? { accepted: true, reasons: [] } : { accepted: false, reasons };
}

// shared/domain/risk/limits.ts
var DEFAULT_RISK_LIMITS = {
  maxLeverage: 20,
  maxPositions: 3,
  positionSizeLimitPct: 30,
  dailyLossLimitPct: 5,
  marginRatioCriticalPct: 80,
  liquidationDistanceMinPct: 5
};

// shared/domain/risk/precheck-batch.ts
function precheckBatch(intents, check) {
  const out = { accepted: [], rejected: [] };
  const failedEntry = /* @__PURE__ */ new Map();
  for (const intent of intents) {
    const triggered2 = intent.type === "stop_market" || intent.type === "take_profit_market";
    const protective = intent.reduceOnly && triggered2;
    const hedgeLeg = intent.market === "spot" && intent.side === "buy";
    const orphanOf = protective || hedgeLeg ? failedEntry.get(intent.symbol) : void 0;
    if (orphanOf) {
      out.rejected.push({ intent, reasons: [`its entry ${orphanOf} was rejected`] });
      continue;
    }
    const d = check(intent);
    if (d.accepted) out.accepted.push(intent);
    else {
      out.rejected.push({ intent, reasons: d.reasons });
      if (!intent.reduceOnly && intent.market === "futures") failedEntry.set(intent.symbol, intent.id);
    }
  }
  return out;
}

// shared/market-data/csv.ts
var MarketDataError = class extends Error {
  constructor(origin, problems) {
    const shown = problems.slice(0, 10);
    const more = problems.length > shown.length ? `
  \u2026 and ${problems.length - shown.length} more` : "";
    super(`${origin}: ${problems.length} problem(s)
  ${shown.join("\n  ")}${more}`);
    this.origin = origin;
    this.problems = problems;
  }
  origin;
  problems;
  name = "MarketDataError";
};
var CANDLE_HEADER = "timestamp,open,high,low,close,volume";
function lines(text) {
  return text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0);
}
function parseCandleCsv(text, timeframe, origin) {
  const rows = lines(text);
  const problems = [];
  if (rows[0] !== CANDLE_HEADER) {
    throw new MarketDataError(origin, [`header must be "${CANDLE_HEADER}" (got "${rows[0] ?? ""}")`]);
  }
  const n2 = rows.length - 1;
  if (n2 === 0) throw new MarketDataError(origin, ["no candles"]);
  const s2 = emptySeries(n2);
  const step = TIMEFRAME_MS[timeframe];
  const gaps = [];
  for (let i = 0; i < n2; i++) {
    const line = i + 2;
    const cells = rows[i + 1].split(",");
    if (cells.length !== 6) {
      problems.push(`line ${line}: expected 6 columns, got ${cells.length}`);
      continue;
    }
    const [t, o, h, l, c, v] = cells.map(Number);
    if (!Number.isInteger(t) || t < 0)
      problems.push(`line ${line}: timestamp must be integer ms (got "${cells[0]}")`);
    else if (t % step !== 0) problems.push(`line ${line}: timestamp ${t} is not on the ${timeframe} grid`);
    for (const [name2, value] of [
      ["open", o],
      ["high", h],
      ["low", l],
      ["close", c]
    ]) {
      if (!Number.isFinite(value) || value <= 0)
        problems.push(`line ${line}: ${name2} must be a price > 0 (got "${value}")`);
    }
    if (!Number.isFinite(v) || v < 0) problems.push(`line ${line}: volume must be \u2265 0 (got "${cells[5]}")`);
    if (h < Math.max(o, c) || l > Math.min(o, c) || l > h) {
      problems.push(`line ${line}: high/low inconsistent with open/close (o ${o} h ${h} l ${l} c ${c})`);
    }
    if (i > 0) {
      const prev = s2.time[i - 1];
      if (t <= prev) problems.push(`line ${line}: timestamp ${t} is not after the previous one (${prev})`);
      else if (t - prev > step) gaps.push({ after: prev, missing: (t - prev) / step - 1 });
    }
    s2.time[i] = t;
    s2.open[i] = o;
    s2.high[i] = h;
    s2.low[i] = l;
    s2.close[i] = c;
    s2.volume[i] = v;
  }
  if (problems.length > 0) throw new MarketDataError(origin, problems);
  return { series: s2, timeframe, gaps };
}
function parseFundingCsv(text, origin) {
  const rows = lines(text);
  if (rows[0] !== "timestamp,fundingRate") {
    throw new MarketDataError(origin, [`header must be "timestamp,fundingRate" (got "${rows[0] ?? ""}")`]);
  }
  const n2 = rows.length - 1;
  const time = new Float64Array(n2);
  const rate = new Float64Array(n2);
  const problems = [];
  for (let i = 0; i < n2; i++) {
    const line = i + 2;
    const cells = rows[i + 1].split(",");
    const t = Number(cells[0]);
    const r = Number(cells[1]);
    if (cells.length !== 2) problems.push(`line ${line}: expected 2 columns`);
    if (!Number.isInteger(t) || t < 0) problems.push(`line ${line}: timestamp must be integer ms`);
    if (!Number.isFinite(r) || Math.abs(r) >= 0.1)
      problems.push(`line ${line}: fundingRate must be a fraction in (\u22120.1, 0.1)`);
    time[i] = Math.round(t / 36e5) * 36e5;
    rate[i] = r;
    if (i > 0 && time[i] <= time[i - 1])
      problems.push(`line ${line}: timestamp not after the previous settlement`);
  }
  if (problems.length > 0) throw new MarketDataError(origin, problems);
  return { time, rate };
}
function resample(s2, from, to) {
  const fromMs = TIMEFRAME_MS[from];
  const toMs = TIMEFRAME_MS[to];
  if (toMs % fromMs !== 0 || toMs < fromMs) throw new Error(`cannot resample ${from} to ${to}`);
  const per = toMs / fromMs;
  const n2 = s2.time.length;
  const out = emptySeries(Math.ceil(n2 / per) + 1);
  let m = 0;
  let i = 0;
  while (i < n2) {
    const bucket = Math.floor(s2.time[i] / toMs) * toMs;
    let j = i;
    let high = -Infinity;
    let low = Infinity;
    let volume = 0;
    while (j < n2 && s2.time[j] < bucket + toMs) {
      high = Math.max(high, s2.high[j]);
      low = Math.min(low, s2.low[j]);
      volume += s2.volume[j];
      j++;
    }
    if (j - i === per && s2.time[i] === bucket) {
      out.time[m] = bucket;
      out.open[m] = s2.open[i];
      out.high[m] = high;
      out.low[m] = low;
      out.close[m] = s2.close[j - 1];
      out.volume[m] = volume;
      m++;
    }
    i = j;
  }
  return {
    time: out.time.slice(0, m),
    open: out.open.slice(0, m),
    high: out.high.slice(0, m),
    low: out.low.slice(0, m),
    close: out.close.slice(0, m),
    volume: out.volume.slice(0, m)
  };
}

// shared/ports/exchange.ts
function orderRequestFor(intent) {
  return {
    clientOrderId: intent.id,
    symbol: intent.symbol,
    market: intent.market,
    side: intent.side,
    type: intent.type,
    quantity: intent.quantity,
    ...intent.price !== void 0 ? { price: intent.price } : {},
    ...intent.stopPrice !== void 0 ? { stopPrice: intent.stopPrice } : {},
    reduceOnly: intent.reduceOnly
  };
}

// shared/backtest/metrics.ts
function tradesFromFills(fills, end) {
  const open = /* @__PURE__ */ new Map();
  const done = [];
  for (const f of fills) {
    if (f.market !== "futures") continue;
    const signed = f.side === "buy" ? f.quantity : -f.quantity;
    let cur = open.get(f.symbol);
    if (!cur) {
      cur = {
        trade: {
          symbol: f.symbol,
          side: signed > 0 ? "long" : "short",
          openedAt: f.time,
          closedAt: f.time,
          quantity: 0,
          entryPrice: f.price,
          exitPrice: f.price,
          netPnl: 0,
          liquidated: false,
          openAtEnd: false
        },
        qty: 0,
        cost: 0,
        exitQty: 0,
        exitValue: 0
      };
      open.set(f.symbol, cur);
    }
    const before = cur.qty;
    const after = before + signed;
    cur.trade.netPnl += f.realizedPnl - f.fee;
    cur.trade.liquidated ||= f.liquidation;
    const adding = before === 0 || Math.sign(signed) === Math.sign(before);
    if (adding) {
      cur.cost += Math.abs(signed) * f.price;
      cur.qty = after;
      cur.trade.quantity = Math.max(cur.trade.quantity, Math.abs(after));
      cur.trade.entryPrice = cur.cost / Math.abs(after);
      continue;
    }
    const closing = Math.min(Math.abs(signed), Math.abs(before));
    cur.exitQty += closing;
    cur.exitValue += closing * f.price;
    cur.qty = Math.abs(after) < 1e-12 ? 0 : after;
    if (cur.qty === 0 || Math.sign(after) !== Math.sign(before)) {
      cur.trade.closedAt = f.time;
      cur.trade.exitPrice = cur.exitValue / cur.exitQty;
      done.push(cur.trade);
      open.delete(f.symbol);
      if (cur.qty !== 0) {
        open.set(f.symbol, {
          trade: {
            symbol: f.symbol,
            side: after > 0 ? "long" : "short",
            openedAt: f.time,
            closedAt: f.time,
            quantity: Math.abs(after),
            entryPrice: f.price,
            exitPrice: f.price,
            netPnl: 0,
            liquidated: false,
            openAtEnd: false
          },
          qty: after,
          cost: Math.abs(after) * f.price,
          exitQty: 0,
          exitValue: 0
        });
      }
    }
  }
  if (end) {
    for (const cur of open.values()) {
      const last = end.lastPrice(cur.trade.symbol);
      const sign = cur.qty > 0 ? 1 : -1;
      cur.trade.netPnl += sign * (last - cur.trade.entryPrice) * Math.abs(cur.qty);
      cur.trade.exitPrice = last;
      cur.trade.closedAt = end.time;
      cur.trade.openAtEnd = true;
      done.push(cur.trade);
    }
  }
  return done;
}
function computeMetrics(p) {
  const n2 = p.equity.length;
  const finalEquity = n2 > 0 ? p.equity[n2 - 1] : p.initialEquity;
  let peak = p.initialEquity;
  let maxDd = 0;
  let prev = p.initialEquity;
  let sum = 0;
  let sumSq = 0;
  let downSq = 0;
  for (let i = 0; i < n2; i++) {
    const e = p.equity[i];
    if (e > peak) peak = e;
    if (peak > 0) maxDd = Math.max(maxDd, (peak - e) / peak);
    const r = prev !== 0 ? e / prev - 1 : 0;
    sum += r;
    sumSq += r * r;
    if (r < 0) downSq += r * r;
    prev = e;
  }
  const mean = n2 > 0 ? sum / n2 : 0;
  const variance = n2 > 1 ? (sumSq - n2 * mean * mean) / (n2 - 1) : 0;
  const sd = Math.sqrt(Math.max(0, variance));
  const downside = n2 > 0 ? Math.sqrt(downSq / n2) : 0;
  const annual = Math.sqrt(p.barsPerYear);
  const wins = p.trades.filter((t) => t.netPnl > 0).length;
  return {
    initialEquity: p.initialEquity,
    finalEquity,
    netPnl: finalEquity - p.initialEquity,
    returnPct: (finalEquity - p.initialEquity) / p.initialEquity * 100,
    maxDrawdownPct: maxDd * 100,
    sharpe: sd > 0 ? mean / sd * annual : 0,
    sortino: downside > 0 ? mean / downside * annual : 0,
    winRatePct: p.trades.length > 0 ? wins / p.trades.length * 100 : 0,
    trades: p.trades.length,
    fees: p.fees,
    fundingPnl: p.fundingPnl,
    liquidations: p.liquidations,
    exposurePct: n2 > 0 ? p.exposedBars / n2 * 100 : 0,
    bars: n2
  };
}

// shared/backtest/engine.ts
var BARS_PER_YEAR_1H = 365 * 24;
function runBacktest(o) {
  const { strategy, params: params2, dataset } = o;
  const base = dataset.candles;
  const n2 = base.time.length;
  const lookback = strategy.lookback(params2);
  let i0 = 0;
  while (i0 < n2 && o.from !== void 0 && base.time[i0] < o.from) i0++;
  let i1 = n2;
  while (i1 > 0 && o.to !== void 0 && base.time[i1 - 1] >= o.to) i1--;
  const sliceStart = Math.max(0, i0 - lookback);
  const start = Math.max(i0, lookback) - sliceStart;
  const candles = sliceSeries(base, sliceStart, i1);
  const total = candles.time.length - start;
  if (total <= 0) {
    throw new Error(
      `not enough candles: ${strategy.name} needs ${lookback} candles of warm-up before the range`
    );
  }
  const initialEquity = o.initialEquity ?? 1e4;
  const initialSpotUsdt = o.initialSpotUsdt ?? 0;
  const marginMode = o.marginMode ?? "isolated";
  const sim = new Simulator({
    data: { [dataset.symbol]: { candles, funding: dataset.funding } },
    initialWalletUsdt: initialEquity,
    initialSpot: initialSpotUsdt > 0 ? { USDT: initialSpotUsdt } : {},
    makerFee: o.makerFee ?? 2e-4,
    takerFee: o.takerFee ?? 5e-4,
    slippagePct: o.slippagePct ?? 0,
    spotBasisPct: o.spotBasisPct ?? 0,
    defaultMarginMode: marginMode,
    startIndex: start,
    ...o.walkEveryCandle ? { walkEveryCandle: true } : {}
  });
  const limits = o.limits ?? DEFAULT_RISK_LIMITS;
  const symbol = dataset.symbol;
  const futuresRules = sim.markets.futures[symbol];
  const spotRules = sim.markets.spot[symbol];
  const baseAsset = symbol.replace(/USDT$/, "");
  const frames = strategy.timeframes.filter((tf) => tf !== "1h");
  const higher = frames.map((tf) => {
    const series = resample(candles, "1h", tf);
    const closed = new Int32Array(candles.time.length + 1);
    let c = 0;
    for (let k = 0; k <= candles.time.length; k++) {
      const now = k < candles.time.length ? candles.time[k] : Number.POSITIVE_INFINITY;
      while (c < series.time.length && series.time[c] + TIMEFRAME_MS[tf] <= now) c++;
      closed[k] = c;
    }
    return { tf, series, closed };
  });
  const baseWindow = new CandleWindow(candles, start);
  const higherWindows = higher.map((h) => new CandleWindow(h.series, h.closed[start]));
  const candleViews = { "1h": baseWindow };
  higher.forEach((h, i) => {
    candleViews[h.tf] = higherWindows[i];
  });
  const funding = dataset.funding;
  let fundingCursor = 0;
  const equityTime = new Float64Array(total);
  const equityValue = new Float64Array(total);
  const rejections = [];
  let exposedBars = 0;
  let state;
  let day = -1;
  let startOfDayEquity = initialEquity + initialSpotUsdt;
  let realizedAtDayStart = 0;
  let equityNow = simTotalEquity(sim);
  const priceOf = (s2) => sim.price(s2);
  const progressEvery = Math.max(1, Math.floor(total / 100));
  const view = {
    symbol,
    time: 0,
    markPrice: 0,
    spotPrice: 0,
    fundingRate: 0,
    nextFundingTime: 0,
    candles: candleViews,
    futuresRules,
    spotRules
  };
  let tick2 = -1;
  let openOrdersTick = -2;
  let openOrdersNow = [];
  const account = {
    equity: 0,
    get availableBalance() {
      return sim.ledger.available(priceOf);
    },
    get position() {
      return sim.ledger.positions.has(symbol) ? simPositions(sim).find((p) => p.symbol === symbol) : void 0;
    },
    positionCount: 0,
    get openOrders() {
      if (openOrdersTick !== tick2) {
        openOrdersNow = sim.openOrders(symbol);
        openOrdersTick = tick2;
      }
      return openOrdersNow;
    },
    spotBase: 0,
    spotUsdt: 0,
    marginMode,
    orderStatus: (id) => orderStatus(id),
    order: (id) => orderOf(id)
  };
  const input = { view, account, params: params2, state };
  for (let j = 0; j < total; j++) {
    const k = start + j;
    tick2 = j;
    const now = candles.time[k];
    const today = Math.floor(now / 864e5);
    if (today !== day) {
      day = today;
      startOfDayEquity = equityNow;
      realizedAtDayStart = sim.ledger.walletBalance;
    }
    while (fundingCursor < funding.time.length && funding.time[fundingCursor] <= now) fundingCursor++;
    const hasNext = fundingCursor < funding.time.length;
    view.time = now;
    view.markPrice = sim.price(symbol);
    view.spotPrice = sim.spotPrice(symbol);
    view.fundingRate = hasNext ? funding.rate[fundingCursor] : 0;
    view.nextFundingTime = hasNext ? funding.time[fundingCursor] : Math.floor(now / 288e5) * 288e5 + 288e5;
    baseWindow.end = k;
    for (let h = 0; h < higher.length; h++) higherWindows[h].end = higher[h].closed[k];
    account.equity = equityNow;
    account.positionCount = sim.ledger.positions.size;
    account.spotBase = sim.ledger.spot.get(baseAsset) ?? 0;
    account.spotUsdt = sim.ledger.spot.get("USDT") ?? 0;
    account.marginMode = sim.marginModeOf(symbol);
    input.state = state;
    const out = strategy.evaluate(input);
    state = out.state;
    for (const id of out.cancels) {
      try {
        sim.cancelOrder(symbol, id);
      } catch (err) {
        if (!(err instanceof ExchangeError)) throw err;
      }
    }
    if (out.intents.length > 0) {
      const batch = precheckBatch(out.intents, (intent) => {
        const reasons = execute(intent);
        return reasons ? { accepted: false, reasons } : { accepted: true, reasons: [] };
      });
      for (const r of batch.rejected)
        rejections.push({ time: now, intentId: r.intent.id, reasons: r.reasons });
    }
    sim.advance();
    if (sim.ledger.positions.size > 0) exposedBars++;
    equityTime[j] = now;
    equityNow = simTotalEquity(sim);
    equityValue[j] = equityNow;
    if (o.onProgress && (j % progressEvery === 0 || j === total - 1)) o.onProgress(j + 1, total);
  }
  function orderOf(id) {
    try {
      return sim.orderByClientId(symbol, id);
    } catch (err) {
      if (err instanceof ExchangeError) return void 0;
      throw err;
    }
  }
  function orderStatus(id) {
    try {
      return sim.orderByClientId(symbol, id).status;
    } catch (err) {
      if (err instanceof ExchangeError) return void 0;
      throw err;
    }
  }
  function execute(intent) {
    const rules = intent.market === "futures" ? futuresRules : spotRules;
    const market = {
      markPrice: intent.market === "futures" ? sim.price(intent.symbol) : sim.spotPrice(intent.symbol),
      tickSize: rules.tickSize,
      stepSize: rules.stepSize,
      minQuantity: rules.minQuantity,
      minNotional: rules.minNotional,
      brackets: futuresRules.brackets
    };
    const snapshot = simAccountSnapshot(sim, {
      startOfDayEquity,
      realizedPnlToday: sim.ledger.walletBalance - realizedAtDayStart,
      halted: false
    });
    snapshot.equity = simTotalEquity(sim);
    const decision = checkIntent(intent, snapshot, limits, market);
    if (!decision.accepted) return decision.reasons;
    try {
      if (intent.market === "futures" && !intent.reduceOnly && sim.leverageOf(intent.symbol) !== intent.leverage) {
        sim.setLeverage(intent.symbol, intent.leverage);
      }
      sim.createOrder(orderRequestFor(intent));
      return void 0;
    } catch (err) {
      if (err instanceof ExchangeError) return [`${err.name}: ${err.message}`];
      throw err;
    }
  }
  const endTime = candles.time[candles.time.length - 1] + TIMEFRAME_MS["1h"];
  const trades = tradesFromFills(sim.ledger.fills, { time: endTime, lastPrice: (s2) => sim.price(s2) });
  const metrics = computeMetrics({
    equity: equityValue,
    initialEquity: initialEquity + initialSpotUsdt,
    trades,
    fees: sim.ledger.feesPaid,
    fundingPnl: sim.ledger.fundingPnl,
    liquidations: sim.ledger.liquidations.length,
    exposedBars,
    barsPerYear: BARS_PER_YEAR_1H
  });
  return {
    metrics,
    trades,
    fills: sim.ledger.fills,
    liquidations: sim.ledger.liquidations,
    rejections,
    equity: { time: equityTime, value: equityValue },
    candles: sliceSeries(candles, start, candles.time.length),
    from: candles.time[start],
    to: endTime
  };
}

// test/bench/data.ts
import { existsSync } from "node:fs";
import { join as join2 } from "node:path";

// shared/market-data/dataset.ts
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
var SHIPPED_DATA_DIR = join(dirname(fileURLToPath(import.meta.url)), "data");
function loadDataset(symbol, dir = SHIPPED_DATA_DIR) {
  const candlePath = join(dir, `${symbol}-1h.csv`);
  let text;
  try {
    text = readFileSync(candlePath, "utf8");
  } catch {
    throw new Error(
      `no candles for ${symbol}: ${candlePath} not found (see shared/market-data/data/README.md)`
    );
  }
  const { series, gaps } = parseCandleCsv(text, "1h", candlePath);
  const fundingPath = join(dir, `${symbol}-funding-8h.csv`);
  let funding = { time: new Float64Array(0), rate: new Float64Array(0) };
  try {
    funding = parseFundingCsv(readFileSync(fundingPath, "utf8"), fundingPath);
  } catch (err) {
    if (err.code !== "ENOENT") throw err;
  }
  return { symbol, timeframe: "1h", candles: series, funding, gaps };
}

// test/bench/data.ts
var REFERENCE_DIR = "/work/shared/data";
var YEAR_OF_HOURS = 365 * 24;
function multiYearDataset(symbol = "BTCUSDT") {
  const dir = existsSync(SHIPPED_DATA_DIR) ? SHIPPED_DATA_DIR : join2(process.cwd(), "shared/market-data/data");
  const shipped = loadDataset(symbol, dir);
  if (shipped.candles.time.length >= 2 * YEAR_OF_HOURS || !existsSync(REFERENCE_DIR)) return shipped;
  return loadDataset(symbol, REFERENCE_DIR);
}

// shared/strategies/funding-arbitrage.ts
import { z as z6 } from "zod";

// shared/strategies/sizing.ts
function quantityForPct(equity, pct2, price, stepSize) {
  if (!(equity > 0) || !(price > 0)) return 0;
  return floorToStep(equity * pct2 / 100 / price, stepSize);
}
function tick(view, price) {
  return roundToTick(price, view.futuresRules.tickSize);
}
function tradeable(view, quantity, price) {
  return quantity >= view.futuresRules.minQuantity && quantity * price >= view.futuresRules.minNotional;
}

// shared/strategies/spot-holding.ts
var PENDING_GIVE_UP_MS = 2 * 36e5;
var TERMINAL = ["filled", "canceled", "rejected", "expired"];
var NOISE = 1e-8;
function baseDelta(order, baseAsset) {
  const fee = order.commission?.asset === baseAsset ? order.commission.amount : 0;
  return (order.side === "buy" ? order.filledQuantity : -order.filledQuantity) - fee;
}
function settleSpot(holding, account, baseAsset, now) {
  const p = holding.pending;
  if (!p) return { holding, waiting: false, notes: [] };
  const status = account.orderStatus(p.id);
  const order = account.order(p.id);
  if (order && status && TERMINAL.includes(status)) {
    const quantity = Math.max(0, round12(holding.quantity + baseDelta(order, baseAsset)));
    return { holding: { quantity }, waiting: false, notes: [] };
  }
  if (status === "rejected") return { holding: { quantity: holding.quantity }, waiting: false, notes: [] };
  if (!order && now - p.sentAt > PENDING_GIVE_UP_MS) {
    return {
      holding: { quantity: holding.quantity },
      waiting: false,
      notes: [
        `ALERT spot ${p.side} ${p.id} never reached the exchange in ${(now - p.sentAt) / 36e5} h: taken as not placed`
      ]
    };
  }
  return { holding, waiting: true, notes: [`waiting for spot ${p.side} ${p.id} to settle`] };
}
function sellableSpot(holding, spotBase, view) {
  const q = floorToStep(Math.min(holding.quantity, spotBase), view.spotRules.stepSize);
  return q >= view.spotRules.minQuantity && q * view.spotPrice >= view.spotRules.minNotional ? q : 0;
}
function spotShort(holding, spotBase) {
  return spotBase < holding.quantity - NOISE;
}
function round12(x) {
  return Math.round(x * 1e12) / 1e12;
}

// shared/strategies/strategy.ts
var IntentFactory = class {
  constructor(strategy, view, defaults) {
    this.strategy = strategy;
    this.view = view;
    this.defaults = defaults;
  }
  strategy;
  view;
  defaults;
  sequence = 0;
  intents = [];
  add(p) {
    const symbol = p.symbol ?? this.view.symbol;
    const intent = OrderIntentSchema.parse({
      leverage: this.defaults.leverage,
      marginMode: this.defaults.marginMode,
      ...p,
      id: makeIntentId({
        source: this.strategy,
        symbol,
        tickTime: this.view.time,
        sequence: this.sequence++
      }),
      strategy: this.strategy,
      symbol,
      createdAt: this.view.time
    });
    this.intents.push(intent);
    return intent;
  }
  /** A reduce-only market order closing the whole position: the one way every strategy exits. */
  closePosition(position, reason) {
    return this.add({
      market: "futures",
      side: position.side === "long" ? "sell" : "buy",
      type: "market",
      quantity: position.quantity,
      reduceOnly: true,
      reason
    });
  }
};

// shared/strategies/funding-arbitrage.ts
var FundingArbitrageParamsSchema = z6.strictObject({
  leverage: z6.number().int().min(1).max(20).default(2),
  /** Enter when the predicted rate per interval is at least this fraction (0.0003 = 0.03 %). */
  entryFundingRate: z6.number().positive().max(0.01).default(3e-4),
  /** Exit when it falls below this fraction. */
  exitFundingRate: z6.number().min(-0.01).max(0.01).default(1e-4),
  /** Exit when the basis (perp over spot, percent) widens this much beyond its value at entry. */
  maxBasisPct: z6.number().positive().max(20).default(0.5),
  /** Exit this many minutes before a funding time whose predicted rate is negative. */
  preFundingExitMinutes: z6.number().int().min(1).max(480).default(60),
  /** Protective stop on the short leg, percent above entry. */
  stopPct: z6.number().positive().max(50).default(15),
  /** Hedge notional per leg, percent of equity. */
  positionPct: z6.number().positive().max(100).default(20)
}).refine((p) => p.exitFundingRate < p.entryFundingRate, {
  error: "exitFundingRate must be below entryFundingRate"
});
function holdingOf(state) {
  return state?.spot ?? { quantity: state?.hedge?.quantity ?? 0 };
}
var fundingArbitrage = {
  name: "funding_arbitrage",
  description: "Funding-rate arbitrage: when the predicted funding rate reaches the entry threshold it shorts the perpetual (2x by default) and buys the same base quantity spot, a delta-neutral hedge that collects funding. It exits both legs when the rate falls under the exit threshold, when the perp-spot basis widens against it, or before a funding time whose predicted rate turns negative. A hedge missing a leg is flattened with an alert, never left naked.",
  paramsSchema: FundingArbitrageParamsSchema,
  timeframes: ["1h"],
  lookback: () => 0,
  spotHolding: (state) => holdingOf(state).quantity,
  evaluate({ view, account, params: p, state }) {
    const f = new IntentFactory("funding_arbitrage", view, {
      leverage: p.leverage,
      marginMode: account.marginMode
    });
    const pos = account.position;
    const short = pos?.side === "short" ? pos : void 0;
    const basisPct = (view.markPrice - view.spotPrice) / view.spotPrice * 100;
    const hedge = state?.hedge;
    const openIds = new Set(account.openOrders.map((o) => o.clientOrderId));
    const cancelStop = hedge && openIds.has(hedge.stopId) ? [hedge.stopId] : [];
    const settled = settleSpot(holdingOf(state), account, view.symbol.replace(/USDT$/, ""), view.time);
    let spot = settled.holding;
    const notes = settled.notes;
    if (settled.waiting)
      return { intents: [], cancels: [], state: { ...hedge ? { hedge } : {}, spot }, notes };
    const sellable = sellableSpot(spot, account.spotBase, view);
    const spotGone = sellable === 0 || spotShort(spot, account.spotBase);
    const closePerp = (reason) => {
      if (short) f.closePosition(short, reason);
    };
    const sellSpot = (reason) => {
      if (sellable === 0) return;
      const sell = f.add({ market: "spot", side: "sell", type: "market", quantity: sellable, reason });
      spot = { quantity: spot.quantity, pending: { id: sell.id, side: "sell", sentAt: view.time } };
    };
    const done = (cancels, extra) => ({
      intents: f.intents,
      cancels,
      state: { spot },
      notes: [...notes, ...extra]
    });
    if (hedge) {
      if (!short || spotGone) {
        closePerp("hedge leg missing: flatten perp");
        sellSpot("hedge leg missing: sell the spot this hedge bought");
        return done(cancelStop, [
          `ALERT hedge leg missing (perp ${short ? "open" : "gone"}, spot ${spotGone ? "gone" : "held"}): flattening`
        ]);
      }
      const minutesToFunding = (view.nextFundingTime - view.time) / 6e4;
      const reason = view.fundingRate < p.exitFundingRate ? `funding ${view.fundingRate} under exit ${p.exitFundingRate}` : basisPct - hedge.entryBasisPct > p.maxBasisPct ? `basis widened to ${basisPct.toFixed(3)} % from ${hedge.entryBasisPct.toFixed(3)} %` : view.fundingRate < 0 && minutesToFunding <= p.preFundingExitMinutes ? `predicted rate ${view.fundingRate} negative ${minutesToFunding} min before funding` : void 0;
      if (!reason) return { intents: [], cancels: [], state: { hedge, spot }, notes };
      closePerp(`exit: ${reason}`);
      sellSpot(`exit: ${reason}`);
      return done(cancelStop, [`exit: ${reason}`]);
    }
    if (sellable > 0) {
      sellSpot("unwind the spot this strategy bought");
      return done([], [`selling ${sellable} spot left from an earlier hedge`]);
    }
    if (short) {
      closePerp("stray perp leg without a hedge: flatten");
      return done([], ["ALERT stray perp leg: flattening"]);
    }
    if (pos || view.fundingRate < p.entryFundingRate)
      return { intents: [], cancels: [], state: { spot }, notes };
    const spotStep = view.spotRules.stepSize;
    const coarse = Math.max(view.futuresRules.stepSize, spotStep);
    const budget = Math.min(account.equity * p.positionPct / 100, account.spotUsdt / (1 + 2e-3));
    const quantity = floorToStep(floorToStep(budget / view.markPrice, coarse), spotStep);
    if (!tradeable(view, quantity, view.markPrice) || quantity * view.spotPrice < view.spotRules.minNotional) {
      return {
        intents: [],
        cancels: [],
        state: { spot },
        notes: [...notes, "funding high, but the hedge size is not tradeable"]
      };
    }
    f.add({
      market: "futures",
      side: "sell",
      type: "market",
      quantity,
      reason: `funding ${view.fundingRate} \u2265 ${p.entryFundingRate}`
    });
    const buy = f.add({ market: "spot", side: "buy", type: "market", quantity, reason: "spot hedge leg" });
    const stop = f.add({
      market: "futures",
      side: "buy",
      type: "stop_market",
      quantity,
      stopPrice: tick(view, view.markPrice * (1 + p.stopPct / 100)),
      reduceOnly: true,
      reason: "protective stop of the short leg"
    });
    return {
      intents: f.intents,
      cancels: [],
      state: {
        hedge: { quantity, entryBasisPct: basisPct, stopId: stop.id, enteredAt: view.time },
        spot: { quantity: spot.quantity, pending: { id: buy.id, side: "buy", sentAt: view.time } }
      },
      notes: [...notes, `enter hedge ${quantity} at funding ${view.fundingRate}`]
    };
  }
};

// shared/strategies/grid.ts
import { z as z7 } from "zod";

// shared/strategies/feed.ts
function firstUnfed(s2, lastTime) {
  const time = seriesSource(s2).time;
  let i = seriesLength(s2);
  while (i > 0 && time[i - 1] > lastTime) i--;
  return i > 0 && time[i - 1] === lastTime ? i : -1;
}
var fingerprints = /* @__PURE__ */ new WeakMap();
function fingerprint(params2, keys) {
  let fp = fingerprints.get(params2);
  if (fp === void 0) {
    fp = keys.map((k) => `${String(k)}=${JSON.stringify(params2[k])}`).join(";");
    fingerprints.set(params2, fp);
  }
  return fp;
}
var NONE = Object.freeze([]);

// shared/strategies/streaming.ts
var newEma = (period) => ({ period, count: 0, value: 0 });
function updateEma(s2, x) {
  const k = 2 / (s2.period + 1);
  s2.value = s2.count === 0 ? x : x * k + s2.value * (1 - k);
  s2.count++;
}
var emaValue = (s2) => s2.count >= s2.period ? s2.value : Number.NaN;
var newWilder = (period) => ({ period, count: 0, value: 0 });
function updateWilder(s2, x) {
  if (s2.count < s2.period - 1) s2.value += x;
  else if (s2.count === s2.period - 1) s2.value = (s2.value + x) / s2.period;
  else s2.value += (x - s2.value) / s2.period;
  s2.count++;
}
var wilderValue = (s2) => s2.count >= s2.period ? s2.value : Number.NaN;
var newAtr = (period) => ({ prevClose: null, tr: newWilder(period) });
function updateAtr(s2, high, low, close) {
  const hl = high - low;
  const p = s2.prevClose;
  updateWilder(s2.tr, p === null ? hl : Math.max(hl, Math.abs(high - p), Math.abs(low - p)));
  s2.prevClose = close;
}
var atrValue = (s2) => wilderValue(s2.tr);
var newRsi = (period) => ({
  prevClose: null,
  gain: newWilder(period),
  loss: newWilder(period)
});
function updateRsi(s2, close) {
  if (s2.prevClose !== null) {
    const d = close - s2.prevClose;
    updateWilder(s2.gain, Math.max(d, 0));
    updateWilder(s2.loss, Math.max(-d, 0));
  }
  s2.prevClose = close;
}
function rsiValue(s2) {
  if (s2.loss.count < s2.loss.period) return Number.NaN;
  const avgLoss = s2.loss.value;
  return avgLoss === 0 ? 100 : 100 - 100 / (s2.gain.value / avgLoss + 1);
}
var newRing = (size) => ({
  size,
  count: 0,
  head: 0,
  values: new Array(size).fill(0)
});
function pushRing(r, x) {
  const old = r.values[r.head];
  r.values[r.head] = x;
  r.head = r.head + 1 === r.size ? 0 : r.head + 1;
  if (r.count < r.size) r.count++;
  return old;
}
var newSma = (period) => ({ ring: newRing(period), sum: 0 });
function updateSma(s2, x) {
  const old = pushRing(s2.ring, x);
  s2.sum += x - old;
  if (s2.ring.head === 0) {
    let sum = 0;
    for (let j = 0; j < s2.ring.size; j++) sum += s2.ring.values[j];
    s2.sum = sum;
  }
}
var smaValue = (s2) => s2.ring.count === s2.ring.size ? s2.sum / s2.ring.size : Number.NaN;
var newBollinger = (period, k) => ({
  k,
  ring: newRing(period),
  mean: 0,
  m2: 0
});
function updateBollinger(s2, x) {
  const r = s2.ring;
  const full = r.count === r.size;
  const old = pushRing(r, x);
  if (full) {
    const mean = s2.mean + (x - old) / r.size;
    s2.m2 += (x - old) * (x - mean + old - s2.mean);
    s2.mean = mean;
  } else {
    const d = x - s2.mean;
    s2.mean += d / r.count;
    s2.m2 += d * (x - s2.mean);
  }
  if (r.head === 0) {
    let sum = 0;
    for (let j = 0; j < r.size; j++) sum += r.values[j];
    const m = sum / r.size;
    let v = 0;
    for (let j = 0; j < r.size; j++) v += (r.values[j] - m) ** 2;
    s2.mean = m;
    s2.m2 = v;
  }
}
var bollingerReady = (s2) => s2.ring.count === s2.ring.size;
var bollingerSd = (s2) => Math.sqrt(Math.max(0, s2.m2) / s2.ring.size);
var bollingerUpper = (s2) => bollingerReady(s2) ? s2.mean + s2.k * bollingerSd(s2) : Number.NaN;
var bollingerLower = (s2) => bollingerReady(s2) ? s2.mean - s2.k * bollingerSd(s2) : Number.NaN;
var bollingerBandwidth = (s2) => bollingerReady(s2) ? 2 * s2.k * bollingerSd(s2) / s2.mean : Number.NaN;
var newPercentileRank = (size) => ({ ring: newRing(size), sorted: [] });
function upperBound(a, n2, x) {
  let lo = 0;
  let hi = n2;
  while (lo < hi) {
    const mid = lo + hi >>> 1;
    if (a[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
function updatePercentileRank(s2, x) {
  const r = s2.ring;
  const a = s2.sorted;
  const full = r.count === r.size;
  const old = pushRing(r, x);
  let n2 = a.length;
  if (full) {
    let at = upperBound(a, n2, old) - 1;
    for (; at < n2 - 1; at++) a[at] = a[at + 1];
    n2--;
  } else {
    a.push(0);
  }
  const pos = upperBound(a, n2, x);
  for (let j = n2; j > pos; j--) a[j] = a[j - 1];
  a[pos] = x;
  if (!full && r.count < r.size) return Number.NaN;
  return (pos + 1) / r.size * 100;
}

// shared/strategies/grid.ts
var GridParamsSchema = z7.strictObject({
  leverage: z7.number().int().min(1).max(20).default(3),
  levels: z7.number().int().min(2).max(50).default(10),
  /** Range half-width in ATRs around the centre. */
  atrMultiple: z7.number().positive().max(20).default(3),
  atrPeriod: z7.number().int().min(2).max(200).default(14),
  /** Notional of the whole grid at normal volatility and volume, percent of equity. */
  positionPct: z7.number().positive().max(100).default(20),
  /** Volatility norm: ATR averaged over this many bars. */
  normPeriod: z7.number().int().min(10).max(2e3).default(100),
  volumePeriod: z7.number().int().min(2).max(500).default(20)
}).refine((p) => p.levels % 2 === 0, { error: "levels must be even (half below, half above the centre)" });
var INDICATOR_PARAMS = ["atrPeriod", "normPeriod", "volumePeriod"];
var isLaid = (s2) => s2 !== void 0 && "orders" in s2;
function feedGrid(ind, c, p) {
  if (!c) return void 0;
  const fp = fingerprint(p, INDICATOR_PARAMS);
  const end = seriesLength(c);
  let from = ind && ind.fp === fp ? firstUnfed(c, ind.t) : -1;
  let s2 = ind;
  if (from < 0 || !s2) {
    const window = grid.lookback(p);
    if (end < window) return void 0;
    from = end - window;
    s2 = {
      fp,
      t: 0,
      atr: newAtr(p.atrPeriod),
      atrNorm: newSma(p.normPeriod),
      volume: newSma(p.volumePeriod),
      volumeNorm: newSma(p.volumePeriod * 5)
    };
  }
  const src = seriesSource(c);
  for (let j = from; j < end; j++) {
    updateAtr(s2.atr, src.high[j], src.low[j], src.close[j]);
    const a = atrValue(s2.atr);
    if (!Number.isNaN(a)) updateSma(s2.atrNorm, a);
    updateSma(s2.volume, src.volume[j]);
    updateSma(s2.volumeNorm, src.volume[j]);
    s2.t = src.time[j];
  }
  return s2;
}
var grid = {
  name: "grid",
  description: "ATR grid: lays 10 levels (configurable) across centre \xB1 k\xB7ATR \u2014 buy limits below the centre, sell limits above \u2014 and re-arms the neighbouring level after every fill, harvesting oscillation. When the price leaves the range it cancels the stale orders, closes the inventory and re-centres. Spacing follows ATR; size adapts to volatility and volume; the inventory always has a hard stop beyond the range on the exchange.",
  paramsSchema: GridParamsSchema,
  timeframes: ["1h"],
  lookback: (p) => Math.max(p.normPeriod + p.atrPeriod, p.volumePeriod * 5) + 1,
  evaluate({ view, account, params: p, state: stored }) {
    const f = new IntentFactory("grid", view, { leverage: p.leverage, marginMode: account.marginMode });
    const ind = feedGrid(stored?.ind, view.candles["1h"], p);
    const state = isLaid(stored) ? stored : void 0;
    if (state) {
      if (ind) state.ind = ind;
      else delete state.ind;
    }
    if (!ind) return { intents: [], cancels: [], state, notes: ["warming up"] };
    const price = view.markPrice;
    const pos = account.position;
    const openIds = new Set(account.openOrders.map((o) => o.clientOrderId));
    const cancels = [];
    const notes = [];
    const rebuild = (reason) => {
      if (state) {
        for (const id of Object.keys(state.orders)) if (openIds.has(id)) cancels.push(id);
        if (state.stop && openIds.has(state.stop.id)) cancels.push(state.stop.id);
      }
      if (pos) {
        f.closePosition(pos, `grid re-centre: ${reason}`);
      }
      const atrNow = atrValue(ind.atr);
      const atrNorm = smaValue(ind.atrNorm);
      const volumeRatio = smaValue(ind.volume) / smaValue(ind.volumeNorm);
      const sizeFactor = Math.min(
        1.5,
        Math.max(0.5, atrNorm / atrNow * Math.min(1.5, Math.max(0.5, volumeRatio)))
      );
      const half = p.atrMultiple * atrNow;
      const spacing = 2 * half / p.levels;
      const quantity = quantityForPct(
        account.equity,
        p.positionPct / p.levels * sizeFactor,
        price,
        view.futuresRules.stepSize
      );
      if (!(atrNow > 0) || !tradeable(view, quantity, price - half)) {
        return {
          intents: f.intents,
          cancels,
          state: { ind },
          notes: [`${reason}; grid size not tradeable, standing aside`]
        };
      }
      const orders2 = {};
      for (let j = 1; j <= p.levels / 2; j++) {
        const buy = tick(view, price - j * spacing);
        const sell = tick(view, price + j * spacing);
        orders2[f.add({
          market: "futures",
          side: "buy",
          type: "limit",
          quantity,
          price: buy,
          reason: `grid buy ${j}`
        }).id] = { price: buy, side: "buy" };
        orders2[f.add({
          market: "futures",
          side: "sell",
          type: "limit",
          quantity,
          price: sell,
          reason: `grid sell ${j}`
        }).id] = { price: sell, side: "sell" };
      }
      notes.push(`${reason}: grid ${p.levels} levels around ${price}, spacing ${spacing.toFixed(2)}`);
      return {
        intents: f.intents,
        cancels,
        state: { centre: price, lower: price - half, upper: price + half, spacing, quantity, orders: orders2, ind },
        notes
      };
    };
    if (!state) return rebuild("new grid");
    if (price > state.upper || price < state.lower)
      return rebuild(`price ${price} left [${state.lower.toFixed(1)}, ${state.upper.toFixed(1)}]`);
    const orders = {};
    for (const [id, o] of Object.entries(state.orders)) {
      if (openIds.has(id)) {
        orders[id] = o;
        continue;
      }
      if (account.orderStatus(id) !== "filled") continue;
      const side = o.side === "buy" ? "sell" : "buy";
      const at = tick(view, o.side === "buy" ? o.price + state.spacing : o.price - state.spacing);
      if (side === "sell" ? at <= price : at >= price) continue;
      orders[f.add({
        market: "futures",
        side,
        type: "limit",
        quantity: state.quantity,
        price: at,
        reason: `grid re-arm after ${o.side} at ${o.price}`
      }).id] = { price: at, side };
    }
    let stop = state.stop;
    const needStop = pos && (!stop || stop.side !== pos.side || stop.quantity !== pos.quantity || !openIds.has(stop.id));
    if (stop && (!pos || needStop) && openIds.has(stop.id)) cancels.push(stop.id);
    if (!pos) stop = void 0;
    if (pos && needStop) {
      const long = pos.side === "long";
      const level = tick(view, long ? state.lower - state.spacing : state.upper + state.spacing);
      const s2 = f.add({
        market: "futures",
        side: long ? "sell" : "buy",
        type: "stop_market",
        quantity: pos.quantity,
        stopPrice: level,
        reduceOnly: true,
        reason: "grid hard stop"
      });
      stop = { id: s2.id, side: pos.side, quantity: pos.quantity };
    }
    return {
      intents: f.intents,
      cancels,
      state: { ...state, orders, ...stop ? { stop } : { stop: void 0 } },
      notes
    };
  }
};

// shared/strategies/long-short-switch.ts
import { z as z8 } from "zod";
var LongShortSwitchParamsSchema = z8.strictObject({
  leverage: z8.number().int().min(1).max(20).default(3),
  /** Trend timeframes; all must agree. 1h is the execution timeframe. */
  timeframes: z8.array(TimeframeSchema.exclude(["15m"])).min(1).max(3).default(["1h", "4h"]),
  fastEma: z8.number().int().min(2).max(200).default(12),
  slowEma: z8.number().int().min(3).max(400).default(26),
  rsiPeriod: z8.number().int().min(2).max(100).default(14),
  /** Longs need RSI above this, shorts below 100 − this. */
  rsiThreshold: z8.number().min(0).max(100).default(50),
  volumePeriod: z8.number().int().min(2).max(500).default(20),
  /** Entry needs the last volume at least this multiple of its average. */
  volumeMultiple: z8.number().min(0).max(20).default(0.8),
  /** A flip counts once it has held this many consecutive ticks. */
  confirmBars: z8.number().int().min(1).max(24).default(2),
  trailingStopPct: z8.number().positive().max(50).default(3),
  positionPct: z8.number().positive().max(100).default(20)
}).refine((p) => p.fastEma < p.slowEma, { error: "fastEma must be below slowEma" });
var INDICATOR_PARAMS2 = ["timeframes", "fastEma", "slowEma", "rsiPeriod", "volumePeriod"];
var TF_HOURS = { "1h": 1, "4h": 4, "1d": 24 };
function feedFrame(f, c, p) {
  if (!c) return void 0;
  const end = seriesLength(c);
  let from = f ? firstUnfed(c, f.t) : -1;
  let s2 = f;
  if (from < 0 || !s2) {
    if (end < p.slowEma * 3) return void 0;
    from = end - p.slowEma * 3;
    s2 = { t: 0, fast: newEma(p.fastEma), slow: newEma(p.slowEma) };
  }
  const src = seriesSource(c);
  for (let j = from; j < end; j++) {
    updateEma(s2.fast, src.close[j]);
    updateEma(s2.slow, src.close[j]);
    s2.t = src.time[j];
  }
  return s2;
}
function feedSwitch(ind, view, p) {
  const c = view.candles["1h"];
  if (!c) return void 0;
  const fp = fingerprint(p, INDICATOR_PARAMS2);
  let s2 = ind && ind.fp === fp ? ind : void 0;
  const end = seriesLength(c);
  let from = s2 ? firstUnfed(c, s2.t) : -1;
  if (from < 0 || !s2) {
    from = Math.max(0, end - longShortSwitch.lookback(p));
    s2 = {
      fp,
      t: 0,
      rsi: newRsi(p.rsiPeriod),
      volume: newSma(p.volumePeriod),
      volumeBefore: null,
      frames: {}
    };
  }
  const src = seriesSource(c);
  for (let j = from; j < end; j++) {
    updateRsi(s2.rsi, src.close[j]);
    const before = smaValue(s2.volume);
    s2.volumeBefore = Number.isNaN(before) ? null : before;
    updateSma(s2.volume, src.volume[j]);
    s2.t = src.time[j];
  }
  for (const tf of p.timeframes) {
    const frame = feedFrame(s2.frames[tf], view.candles[tf], p);
    if (frame) s2.frames[tf] = frame;
    else delete s2.frames[tf];
  }
  return s2;
}
function trendOf(ind, p) {
  if (!ind) return "none";
  let up = 0;
  let down = 0;
  for (const tf of p.timeframes) {
    const f = ind.frames[tf];
    if (!f) return "none";
    const fast = emaValue(f.fast);
    const slow = emaValue(f.slow);
    if (fast > slow) up++;
    else if (fast < slow) down++;
  }
  return up === p.timeframes.length ? "up" : down === p.timeframes.length ? "down" : "none";
}
var longShortSwitch = {
  name: "long_short_switch",
  description: "Long/short switching: reads the trend on several timeframes (fast EMA above or below slow EMA on 1h and 4h by default) and holds the side they agree on, entering only when momentum (RSI) and volume confirm. A flip that holds for N bars closes the position and opens the other side; a trailing stop on the exchange follows the best price and never moves back.",
  paramsSchema: LongShortSwitchParamsSchema,
  timeframes: ["1h", "4h", "1d"],
  lookback: (p) => Math.max(...p.timeframes.map((tf) => TF_HOURS[tf])) * p.slowEma * 3 + 1,
  evaluate({ view, account, params: p, state }) {
    const ind = feedSwitch(state?.ind, view, p);
    const prev = state ?? { signal: "none", held: 0 };
    const trend = trendOf(ind, p);
    const held = trend === prev.signal ? prev.held + 1 : 1;
    const confirmed = held >= p.confirmBars ? trend : "none";
    const pos = account.position;
    const price = view.markPrice;
    if (!pos && !prev.stop && confirmed === "none" && state) {
      state.signal = trend;
      state.held = held;
      if (ind) state.ind = ind;
      else delete state.ind;
      return { intents: NONE, cancels: NONE, state, notes: NONE };
    }
    const f = new IntentFactory("long_short_switch", view, {
      leverage: p.leverage,
      marginMode: account.marginMode
    });
    const cancels = [];
    const notes = [];
    let stop = prev.stop;
    if (stop && pos && pos.side === stop.side && !account.openOrders.some((o) => o.clientOrderId === stop.id)) {
      const dir = stop.side === "long" ? 1 : -1;
      const closeSide = stop.side === "long" ? "sell" : "buy";
      const best = account.openOrders.filter(
        (o) => o.symbol === pos.symbol && o.type === "stop_market" && o.reduceOnly && o.side === closeSide && o.stopPrice !== void 0
      ).sort((a, b) => (b.stopPrice - a.stopPrice) * dir)[0];
      stop = best ? { ...stop, id: best.clientOrderId, price: best.stopPrice } : void 0;
    } else if (stop && (!pos || pos.side !== stop.side)) {
      if (account.openOrders.some((o) => o.clientOrderId === stop.id)) cancels.push(stop.id);
      stop = void 0;
    }
    const want = confirmed === "up" ? "long" : confirmed === "down" ? "short" : void 0;
    let flat = !pos;
    if (pos && want && pos.side !== want) {
      f.closePosition(pos, `trend flipped ${confirmed}`);
      if (stop) cancels.push(stop.id);
      stop = void 0;
      flat = true;
      notes.push(`close ${pos.side}: trend ${confirmed}`);
    }
    if (flat && want) {
      const c = view.candles["1h"];
      const r = ind ? rsiValue(ind.rsi) : Number.NaN;
      const lastVolume = seriesSource(c).volume[seriesLength(c) - 1];
      const volumeOk = ind?.volumeBefore !== null && ind?.volumeBefore !== void 0 && lastVolume >= p.volumeMultiple * ind.volumeBefore;
      const momentumOk = want === "long" ? r > p.rsiThreshold : r < 100 - p.rsiThreshold;
      const quantity = quantityForPct(account.equity, p.positionPct, price, view.futuresRules.stepSize);
      if (momentumOk && volumeOk && tradeable(view, quantity, price)) {
        const dir = want === "long" ? 1 : -1;
        f.add({
          market: "futures",
          side: want === "long" ? "buy" : "sell",
          type: "market",
          quantity,
          reason: `trend ${confirmed} on ${p.timeframes.join("/")}`
        });
        const stopPrice = tick(view, price * (1 - dir * p.trailingStopPct / 100));
        const s2 = f.add({
          market: "futures",
          side: want === "long" ? "sell" : "buy",
          type: "stop_market",
          quantity,
          stopPrice,
          reduceOnly: true,
          trailingStopPct: p.trailingStopPct,
          reason: "trailing stop"
        });
        stop = { id: s2.id, price: stopPrice, extreme: price, side: want };
        notes.push(`open ${want}`);
      } else {
        notes.push(
          `trend ${confirmed}, filters not met (RSI ${r.toFixed(1)}, volume ${volumeOk ? "ok" : "low"})`
        );
      }
    } else if (pos && stop && pos.side === stop.side) {
      const dir = pos.side === "long" ? 1 : -1;
      const extreme = dir > 0 ? Math.max(stop.extreme, price) : Math.min(stop.extreme, price);
      const wanted = tick(view, extreme * (1 - dir * p.trailingStopPct / 100));
      if ((wanted - stop.price) * dir >= view.futuresRules.tickSize) {
        cancels.push(stop.id);
        const s2 = f.add({
          market: "futures",
          side: dir > 0 ? "sell" : "buy",
          type: "stop_market",
          quantity: pos.quantity,
          stopPrice: wanted,
          reduceOnly: true,
          trailingStopPct: p.trailingStopPct,
          reason: "trailing stop moved"
        });
        stop = { id: s2.id, price: wanted, extreme, side: pos.side };
      } else {
        stop = { ...stop, extreme };
      }
    } else if (pos && !stop) {
      const dir = pos.side === "long" ? 1 : -1;
      const stopPrice = tick(view, price * (1 - dir * p.trailingStopPct / 100));
      const s2 = f.add({
        market: "futures",
        side: dir > 0 ? "sell" : "buy",
        type: "stop_market",
        quantity: pos.quantity,
        stopPrice,
        reduceOnly: true,
        trailingStopPct: p.trailingStopPct,
        reason: "restore protective stop"
      });
      stop = { id: s2.id, price: stopPrice, extreme: price, side: pos.side };
    }
    return {
      intents: f.intents,
      cancels,
      state: { signal: trend, held, ...stop ? { stop } : {}, ...ind ? { ind } : {} },
      notes
    };
  }
};

// shared/strategies/volatility-breakout.ts
import { z as z9 } from "zod";
var VolatilityBreakoutParamsSchema = z9.strictObject({
  leverage: z9.number().int().min(1).max(20).default(10),
  bbPeriod: z9.number().int().min(5).max(200).default(20),
  bbStdDev: z9.number().positive().max(5).default(2),
  /** Bandwidth look-back for the percentile, in bars. */
  squeezeLookback: z9.number().int().min(20).max(2e3).default(120),
  /** A squeeze: bandwidth at or below this percentile of the look-back. */
  squeezePercentile: z9.number().positive().max(100).default(20),
  /** The squeeze must have happened within this many bars before the breakout. */
  squeezeWithinBars: z9.number().int().min(1).max(100).default(6),
  volumePeriod: z9.number().int().min(2).max(500).default(20),
  /** Breakout volume at least this multiple of the average. */
  volumeMultiple: z9.number().positive().max(20).default(1.2),
  atrPeriod: z9.number().int().min(2).max(200).default(14),
  stopAtr: z9.number().positive().max(20).default(1.5),
  targetAtr: z9.number().positive().max(50).default(3),
  maxBarsInTrade: z9.number().int().min(1).max(1e3).default(24),
  /** Position notional, percent of equity. */
  positionPct: z9.number().positive().max(100).default(10)
});
var FAR = 1e9;
var INDICATOR_PARAMS3 = [
  "bbPeriod",
  "bbStdDev",
  "squeezeLookback",
  "squeezePercentile",
  "volumePeriod",
  "atrPeriod"
];
function feedBreakout(ind, c, p) {
  if (!c) return void 0;
  const fp = fingerprint(p, INDICATOR_PARAMS3);
  const end = seriesLength(c);
  let from = ind && ind.fp === fp ? firstUnfed(c, ind.t) : -1;
  let s2 = ind;
  if (from < 0 || !s2) {
    const window = volatilityBreakout.lookback(p);
    if (end < window) return void 0;
    from = end - window;
    s2 = {
      fp,
      t: 0,
      bands: newBollinger(p.bbPeriod, p.bbStdDev),
      bandwidthRank: newPercentileRank(p.squeezeLookback),
      sinceSqueeze: FAR,
      squeezeBefore: FAR,
      volume: newSma(p.volumePeriod),
      volumeBefore: null,
      atr: newAtr(p.atrPeriod)
    };
  }
  const src = seriesSource(c);
  for (let j = from; j < end; j++) {
    const close = src.close[j];
    updateBollinger(s2.bands, close);
    s2.squeezeBefore = Math.min(s2.sinceSqueeze + 1, FAR);
    s2.sinceSqueeze = s2.squeezeBefore;
    if (bollingerReady(s2.bands)) {
      const rank = updatePercentileRank(s2.bandwidthRank, bollingerBandwidth(s2.bands));
      if (rank <= p.squeezePercentile) s2.sinceSqueeze = 0;
    }
    const before = smaValue(s2.volume);
    s2.volumeBefore = Number.isNaN(before) ? null : before;
    updateSma(s2.volume, src.volume[j]);
    updateAtr(s2.atr, src.high[j], src.low[j], close);
    s2.t = src.time[j];
  }
  return s2;
}
var HOUR = 36e5;
var fresh = (ind) => ind ? { ind } : {};
function same(state, ind) {
  if (!state) return fresh(ind);
  if (ind) state.ind = ind;
  else delete state.ind;
  return state;
}
var factoryFor = (view, account, p) => new IntentFactory("volatility_breakout", view, { leverage: p.leverage, marginMode: account.marginMode });
var volatilityBreakout = {
  name: "volatility_breakout",
  description: "Volatility breakout: waits for a Bollinger Band squeeze (bandwidth in its lowest percentile over a look-back), then enters on a close outside the band confirmed by above-average volume, at 10x by default (capped by the risk limits). Every entry carries an ATR-based stop-loss and take-profit on the exchange; a trade still open after N bars is closed.",
  paramsSchema: VolatilityBreakoutParamsSchema,
  timeframes: ["1h"],
  lookback: (p) => p.squeezeLookback + p.bbPeriod + p.squeezeWithinBars + 1,
  evaluate({ view, account, params: p, state }) {
    const ind = feedBreakout(state?.ind, view.candles["1h"], p);
    const pos = account.position;
    const trade = state?.trade;
    if (trade && !pos) {
      const open = new Set(account.openOrders.map((o) => o.clientOrderId));
      return {
        intents: [],
        cancels: trade.protectiveIds.filter((id) => open.has(id)),
        state: fresh(ind),
        notes: ["trade closed on the exchange"]
      };
    }
    if (pos) {
      if (trade && view.time - trade.enteredAt >= p.maxBarsInTrade * HOUR) {
        const f2 = factoryFor(view, account, p);
        f2.closePosition(pos, `time exit after ${p.maxBarsInTrade} bars`);
        return { intents: f2.intents, cancels: trade.protectiveIds, state: fresh(ind), notes: ["time exit"] };
      }
      const stopId = trade?.protectiveIds[0];
      if (trade && stopId && !account.openOrders.some((o) => o.clientOrderId === stopId)) {
        const f2 = factoryFor(view, account, p);
        const exitSide2 = pos.side === "long" ? "sell" : "buy";
        const past = pos.side === "long" ? view.markPrice <= trade.stopPrice : view.markPrice >= trade.stopPrice;
        if (past) {
          f2.closePosition(pos, "stop missing and passed: close");
          return {
            intents: f2.intents,
            cancels: trade.protectiveIds.slice(1),
            state: fresh(ind),
            notes: ["stop missing and passed"]
          };
        }
        const s2 = f2.add({
          market: "futures",
          side: exitSide2,
          type: "stop_market",
          quantity: pos.quantity,
          stopPrice: trade.stopPrice,
          reduceOnly: true,
          reason: "restore ATR stop"
        });
        return {
          intents: f2.intents,
          cancels: [],
          state: { ...fresh(ind), trade: { ...trade, protectiveIds: [s2.id, ...trade.protectiveIds.slice(1)] } },
          notes: ["stop restored"]
        };
      }
      return { intents: NONE, cancels: NONE, state: same(state, ind), notes: NONE };
    }
    if (!ind) return { intents: [], cancels: [], state: {}, notes: ["warming up"] };
    const c = view.candles["1h"];
    const last = seriesLength(c) - 1;
    const close = seriesSource(c).close[last];
    const squeezed = ind.squeezeBefore <= p.squeezeWithinBars;
    const volumeOk = ind.volumeBefore !== null && seriesSource(c).volume[last] >= p.volumeMultiple * ind.volumeBefore;
    const side = close > bollingerUpper(ind.bands) ? "long" : close < bollingerLower(ind.bands) ? "short" : void 0;
    if (!squeezed || !volumeOk || !side) return { intents: NONE, cancels: NONE, state: same(state, ind), notes: NONE };
    const a = atrValue(ind.atr);
    const price = view.markPrice;
    const quantity = quantityForPct(account.equity, p.positionPct, price, view.futuresRules.stepSize);
    if (!(a > 0) || !tradeable(view, quantity, price))
      return { intents: [], cancels: [], state: fresh(ind), notes: ["breakout, but size or ATR unusable"] };
    const f = factoryFor(view, account, p);
    const notes = [];
    const dir = side === "long" ? 1 : -1;
    const exitSide = side === "long" ? "sell" : "buy";
    f.add({
      market: "futures",
      side: side === "long" ? "buy" : "sell",
      type: "market",
      quantity,
      reason: `squeeze breakout ${side}`
    });
    const stopPrice = tick(view, price - dir * p.stopAtr * a);
    const stop = f.add({
      market: "futures",
      side: exitSide,
      type: "stop_market",
      quantity,
      stopPrice,
      reduceOnly: true,
      reason: "ATR stop"
    });
    const target = f.add({
      market: "futures",
      side: exitSide,
      type: "take_profit_market",
      quantity,
      stopPrice: tick(view, price + dir * p.targetAtr * a),
      reduceOnly: true,
      reason: "ATR target"
    });
    notes.push(`breakout ${side} at ${price}`);
    return {
      intents: f.intents,
      cancels: [],
      state: {
        ...fresh(ind),
        trade: { enteredAt: view.time, side, protectiveIds: [stop.id, target.id], stopPrice }
      },
      notes
    };
  }
};

// shared/strategies/registry.ts
var STRATEGIES = {
  funding_arbitrage: fundingArbitrage,
  grid,
  long_short_switch: longShortSwitch,
  volatility_breakout: volatilityBreakout
};

// shared/backtest/buy-and-hold.ts
import { z as z10 } from "zod";
var BuyAndHoldParamsSchema = z10.strictObject({
  leverage: z10.number().int().min(1).max(20).default(1),
  /** Notional bought, percent of equity (the risk limit caps it at 30 %). */
  positionPct: z10.number().positive().max(100).default(25),
  /** Protective reduce-only stop, percent below entry. */
  stopLossPct: z10.number().positive().max(95).default(50)
});
var buyAndHold = {
  name: "buy_and_hold",
  description: "Baseline: buys a fixed share of equity on the first tick with a wide protective stop and holds to the end.",
  paramsSchema: BuyAndHoldParamsSchema,
  timeframes: ["1h"],
  lookback: () => 0,
  evaluate({ view, account, params: params2, state }) {
    if (state?.entered) return { intents: [], cancels: [], state, notes: [] };
    const f = new IntentFactory("buy_and_hold", view, {
      leverage: params2.leverage,
      marginMode: account.marginMode
    });
    const quantity = floorToStep(
      account.equity * params2.positionPct / 100 / view.markPrice,
      view.futuresRules.stepSize
    );
    if (quantity <= 0)
      return { intents: [], cancels: [], state: { entered: true }, notes: ["equity too small to buy"] };
    f.add({ market: "futures", side: "buy", type: "market", quantity, reason: "buy and hold" });
    f.add({
      market: "futures",
      side: "sell",
      type: "stop_market",
      quantity,
      stopPrice: roundToTick(view.markPrice * (1 - params2.stopLossPct / 100), view.futuresRules.tickSize),
      reduceOnly: true,
      reason: "protective stop"
    });
    return { intents: f.intents, cancels: [], state: { entered: true }, notes: ["entered"] };
  }
};

// ../../../tmp/speed/prof2.ts
var ds = multiYearDataset();
var name = process.argv[2];
var reps = Number(process.argv[3] ?? 10);
var s = name === "buy_and_hold" ? buyAndHold : STRATEGIES[name];
var params = s.paramsSchema.parse({});
var t0 = performance.now();
var n = 0;
for (let i = 0; i < reps; i++) n += runBacktest({ strategy: s, params, dataset: ds, slippagePct: 0.01 }).equity.time.length;
console.log(name, Math.round(n / (performance.now() - t0) * 1e3), "c/s");
