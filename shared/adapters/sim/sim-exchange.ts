// The Exchange port over the simulator: what `npm start` and the executor see. Every call is answered
// from the simulator's state at its clock; nothing here changes the simulation's rules.
import {
  type CandleSeries,
  candleWindow,
  sliceSeries,
  TIMEFRAME_MS,
  type Timeframe,
} from '../../domain/candles.ts';
import type { Wallet } from '../../domain/margin-move.ts';
import type { FundingRate, LeverageBracket } from '../../domain/market.ts';
import type { FuturesOrder, MarketKind } from '../../domain/order.ts';
import type { FuturesPosition } from '../../domain/position.ts';
import type { MarginMode } from '../../domain/primitives.ts';
import { resample } from '../../market-data/csv.ts';
import type {
  Balances,
  CurrentFunding,
  Exchange,
  FundingPayment,
  MarginAdjustment,
  Markets,
  OrderRequest,
  RealizedPnlEntry,
  WalletTransfer,
} from '../../ports/exchange.ts';
import { InvalidOrder } from '../../ports/exchange-errors.ts';
import { addIsolatedMargin, transferUsdt } from './margin-moves.ts';
import type { Simulator } from './simulator.ts';
import { simBalances, simPositions } from './snapshot.ts';

export class SimulatedExchange implements Exchange {
  private readonly resampled = new Map<string, CandleSeries>();

  constructor(readonly sim: Simulator) {}

  async loadMarkets(): Promise<Markets> {
    return this.sim.markets;
  }

  async fetchCandles(symbol: string, timeframe: Timeframe, limit: number): Promise<CandleSeries> {
    const series = this.series(symbol, timeframe);
    const now = this.sim.now();
    // Closed candles only: a candle is closed when its open time + length ≤ now.
    let end = 0;
    const len = TIMEFRAME_MS[timeframe];
    while (end < series.time.length && series.time[end]! + len <= now) end++;
    const window = candleWindow(series, end);
    return sliceSeries(window, Math.max(0, end - limit), end);
  }

  async fetchMarkPrice(symbol: string): Promise<number> {
    return this.sim.price(symbol);
  }

  async fetchSpotPrice(symbol: string): Promise<number> {
    return this.sim.spotPrice(symbol);
  }

  async fetchFundingRate(symbol: string): Promise<CurrentFunding> {
    const f = this.sim.fundingOf(symbol);
    const now = this.sim.now();
    let i = 0;
    if (f) while (i < f.time.length && f.time[i]! <= now) i++;
    const next = f && i < f.time.length ? { time: f.time[i]!, rate: f.rate[i]! } : undefined;
    // The predicted rate: the rate that will settle next (in a replay, the recorded one).
    const nextFundingTime = next?.time ?? Math.floor(now / 28_800_000) * 28_800_000 + 28_800_000;
    return {
      symbol,
      fundingRate: next?.rate ?? 0,
      fundingTime: nextFundingTime,
      nextFundingTime,
      markPrice: this.sim.price(symbol),
      intervalHours: 8,
    };
  }

  async fetchFundingHistory(symbol: string, since: number, limit: number): Promise<FundingRate[]> {
    const f = this.sim.fundingOf(symbol);
    if (!f) return [];
    const now = this.sim.now();
    const out: FundingRate[] = [];
    for (let i = 0; i < f.time.length && out.length < limit; i++) {
      const t = f.time[i]!;
      if (t >= since && t <= now)
        out.push({ symbol, fundingRate: f.rate[i]!, fundingTime: t, intervalHours: 8 });
    }
    return out;
  }

  async fetchFundingPayments(since: number): Promise<FundingPayment[]> {
    return this.sim.ledger.fundings
      .filter((f) => f.time >= since)
      .map((f) => ({ symbol: f.symbol, time: f.time, amount: f.amount }));
  }

  async fetchRealizedPnl(since: number): Promise<RealizedPnlEntry[]> {
    const out: RealizedPnlEntry[] = [];
    this.sim.ledger.fills.forEach((f, i) => {
      if (f.time >= since && f.market === 'futures' && f.realizedPnl !== 0)
        out.push({ id: `fill-${i}`, symbol: f.symbol, time: f.time, amount: f.realizedPnl });
    });
    return out;
  }

  async fetchCommissions(since: number): Promise<RealizedPnlEntry[]> {
    const out: RealizedPnlEntry[] = [];
    this.sim.ledger.fills.forEach((f, i) => {
      if (f.time >= since && f.market === 'futures' && f.fee > 0)
        out.push({ id: `fee-${i}`, symbol: f.symbol, time: f.time, amount: -f.fee });
    });
    return out;
  }

  async fetchBalances(): Promise<Balances> {
    return simBalances(this.sim);
  }

  async fetchPositions(): Promise<FuturesPosition[]> {
    return simPositions(this.sim);
  }

  async fetchOpenOrders(symbol?: string, market: MarketKind = 'futures'): Promise<FuturesOrder[]> {
    return this.sim.openOrders(symbol).filter((o) => o.market === market);
  }

  async createOrder(request: OrderRequest): Promise<FuturesOrder> {
    return this.sim.createOrder(request);
  }

  async cancelOrder(symbol: string, clientOrderId: string, _market?: MarketKind): Promise<FuturesOrder> {
    return this.sim.cancelOrder(symbol, clientOrderId);
  }

  async fetchOrderByClientId(
    symbol: string,
    clientOrderId: string,
    _market?: MarketKind,
  ): Promise<FuturesOrder> {
    return this.sim.orderByClientId(symbol, clientOrderId);
  }

  async setLeverage(symbol: string, leverage: number): Promise<number> {
    return this.sim.setLeverage(symbol, leverage);
  }

  async setMarginMode(symbol: string, mode: MarginMode): Promise<void> {
    this.sim.setMarginMode(symbol, mode);
  }

  async fetchLeverageBrackets(symbol: string): Promise<readonly LeverageBracket[]> {
    return this.sim.futuresMarket(symbol).brackets;
  }

  async addMargin(symbol: string, amount: number): Promise<{ symbol: string; amount: number }> {
    this.sim.futuresMarket(symbol);
    const r = addIsolatedMargin(this.sim.ledger, {
      symbol,
      amount,
      time: this.sim.now(),
      priceOf: (s) => this.sim.price(s),
    });
    return { symbol, amount: r.amount };
  }

  async fetchMarginAdjustments(symbol: string, since: number): Promise<MarginAdjustment[]> {
    return this.sim.ledger.marginAdjustments
      .filter((a) => a.symbol === symbol && a.time >= since)
      .map((a) => ({ symbol, type: 'add' as const, amount: a.amount, time: a.time }));
  }

  async transfer(r: { from: Wallet; to: Wallet; amount: number }): Promise<WalletTransfer> {
    const t = transferUsdt(this.sim.ledger, {
      ...r,
      time: this.sim.now(),
      priceOf: (s) => this.sim.price(s),
    });
    return { ...t, status: 'confirmed' };
  }

  async fetchTransfers(from: Wallet, to: Wallet, since: number): Promise<WalletTransfer[]> {
    return this.sim.ledger.transfers
      .filter((t) => t.from === from && t.to === to && t.time >= since)
      .map((t) => ({ ...t, status: 'confirmed' as const }));
  }

  private series(symbol: string, timeframe: Timeframe): CandleSeries {
    const base = this.sim.candlesOf(symbol);
    if (timeframe === '1h') return base;
    if (timeframe === '15m')
      throw new InvalidOrder('15m candles are not available in this replay (base is 1h)');
    const key = `${symbol}:${timeframe}`;
    let s = this.resampled.get(key);
    if (!s) {
      s = resample(base, '1h', timeframe);
      this.resampled.set(key, s);
    }
    return s;
  }
}
