// The backtester: any strategy, through the same strategy interface and the same risk check the live
// system uses, against the simulated exchange. Deterministic: no clock, no randomness.
import type { FillRecord, LiquidationRecord } from '../adapters/sim/ledger.ts';
import type { MarginAdjustmentRecord, TransferRecord } from '../adapters/sim/margin-moves.ts';
import { Simulator, type SymbolData } from '../adapters/sim/simulator.ts';
import { SimSlices } from '../adapters/sim/slices.ts';
import { simAccountSnapshot, simPosition, simTotalEquity } from '../adapters/sim/snapshot.ts';
import {
  type CandleSeries,
  CandleWindow,
  sliceSeries,
  TIMEFRAME_MS,
  type Timeframe,
} from '../domain/candles.ts';
import type { FuturesOrder, OrderIntent } from '../domain/order.ts';
import type { FuturesPosition } from '../domain/position.ts';
import type { MarginMode } from '../domain/primitives.ts';
import { checkIntent, type RiskMarket } from '../domain/risk/check-intent.ts';
import { DEFAULT_RISK_LIMITS, type RiskLimits } from '../domain/risk/limits.ts';
import { precheckBatch } from '../domain/risk/precheck-batch.ts';
import { riskQuantity } from '../domain/slicing.ts';
import { resample } from '../market-data/csv.ts';
import type { Dataset } from '../market-data/dataset.ts';
import { orderRequestFor } from '../ports/exchange.ts';
import { ExchangeError } from '../ports/exchange-errors.ts';
import type { AccountView, MarketView, Strategy } from '../strategies/strategy.ts';
import { applyMarginActions } from './margin-actions.ts';
import { computeMetrics, type Metrics, type Trade, tradesFromFills } from './metrics.ts';

export interface BacktestOptions<P> {
  strategy: Strategy<P, unknown>;
  params: P;
  dataset: Dataset;
  /** Inclusive start and exclusive end, ms UTC; default: the whole dataset after the warm-up. */
  from?: number;
  to?: number;
  initialEquity?: number;
  /** USDT in the spot wallet (the hedge leg of funding arbitrage); counted in equity. */
  initialSpotUsdt?: number;
  makerFee?: number;
  takerFee?: number;
  slippagePct?: number;
  spotBasisPct?: number;
  marginMode?: MarginMode;
  limits?: RiskLimits;
  onProgress?: (done: number, total: number) => void;
  /** Walk every candle's triggers, even when none is in reach (the reference the fast path is tested against). */
  walkEveryCandle?: boolean;
}

export interface Rejection {
  time: number;
  intentId: string;
  reasons: string[];
}

export interface BacktestResult {
  metrics: Metrics;
  trades: Trade[];
  fills: FillRecord[];
  liquidations: LiquidationRecord[];
  rejections: Rejection[];
  /** Margin added to isolated positions and USDT moved between wallets by the strategy's margin actions. */
  marginMoves?: { adds: MarginAdjustmentRecord[]; transfers: TransferRecord[] };
  /** Equity after each simulated bar, with the bar's open time. */
  equity: { time: Float64Array; value: Float64Array };
  /** The price series of the simulated range, for charts. */
  candles: CandleSeries;
  from: number;
  to: number;
  /** What the run used for each series (perp, mark, spot, funding) and what stood in where one was missing. */
  dataNotes: string[];
}

const BARS_PER_YEAR_1H = 365 * 24;

export function runBacktest<P>(o: BacktestOptions<P>): BacktestResult {
  const { strategy, params, dataset } = o;
  const base = dataset.candles;
  const n = base.time.length;
  const lookback = strategy.lookback(params);
  let i0 = 0;
  while (i0 < n && o.from !== undefined && base.time[i0]! < o.from) i0++;
  let i1 = n;
  while (i1 > 0 && o.to !== undefined && base.time[i1 - 1]! >= o.to) i1--;
  const sliceStart = Math.max(0, i0 - lookback);
  const start = Math.max(i0, lookback) - sliceStart;
  const candles = sliceSeries(base, sliceStart, i1);
  const total = candles.time.length - start;
  if (total <= 0) {
    throw new Error(
      `not enough candles: ${strategy.name} needs ${lookback} candles of warm-up before the range`,
    );
  }

  const initialEquity = o.initialEquity ?? 10_000;
  const initialSpotUsdt = o.initialSpotUsdt ?? 0;
  const marginMode = o.marginMode ?? 'isolated';
  const sim = new Simulator({
    data: { [dataset.symbol]: simData(dataset, sliceStart, i1) },
    initialWalletUsdt: initialEquity,
    initialSpot: initialSpotUsdt > 0 ? { USDT: initialSpotUsdt } : {},
    makerFee: o.makerFee ?? 0.0002,
    takerFee: o.takerFee ?? 0.0005,
    slippagePct: o.slippagePct ?? 0,
    spotBasisPct: o.spotBasisPct ?? 0,
    defaultMarginMode: marginMode,
    startIndex: start,
    ...(o.walkEveryCandle ? { walkEveryCandle: true } : {}),
  });
  const limits = o.limits ?? DEFAULT_RISK_LIMITS;
  const slices = new SimSlices();
  const symbol = dataset.symbol;
  const futuresRules = sim.markets.futures[symbol]!;
  const spotRules = sim.markets.spot[symbol]!;
  const baseAsset = symbol.replace(/USDT$/, '');

  // Higher timeframes: resampled once; closed[k] = how many are closed at the open of base candle k.
  const frames = strategy.timeframes.filter((tf) => tf !== '1h');
  const higher = frames.map((tf) => {
    const series = resample(candles, '1h', tf);
    const closed = new Int32Array(candles.time.length + 1);
    let c = 0;
    for (let k = 0; k <= candles.time.length; k++) {
      const now = k < candles.time.length ? candles.time[k]! : Number.POSITIVE_INFINITY;
      while (c < series.time.length && series.time[c]! + TIMEFRAME_MS[tf] <= now) c++;
      closed[k] = c;
    }
    return { tf, series, closed };
  });

  // One view and one account object for the whole run, moved forward each tick (no per-candle
  // allocation): the candle windows grow by setting their end, never by slicing. A strategy must not
  // keep them past its tick (none does: state is what it keeps).
  const baseWindow = new CandleWindow(candles, start);
  const higherWindows = higher.map((h) => new CandleWindow(h.series, h.closed[start]!));
  const candleViews: Partial<Record<Timeframe, CandleSeries>> = { '1h': baseWindow };
  higher.forEach((h, i) => {
    candleViews[h.tf] = higherWindows[i]!;
  });
  const funding = dataset.funding;
  let fundingCursor = 0;
  const equityTime = new Float64Array(total);
  const equityValue = new Float64Array(total);
  const rejections: Rejection[] = [];
  let exposedBars = 0;
  let state: unknown;
  let day = -1;
  let startOfDayEquity = initialEquity + initialSpotUsdt;
  let realizedAtDayStart = 0;
  // Total equity at the clock's instant; after each bar it is the next tick's starting equity.
  let equityNow = simTotalEquity(sim);
  const progressEvery = Math.max(1, Math.floor(total / 100));
  const view: MarketView = {
    symbol,
    time: 0,
    markPrice: 0,
    spotPrice: 0,
    spotTradable: true,
    fundingRate: 0,
    nextFundingTime: 0,
    candles: candleViews,
    futuresRules,
    spotRules,
  };
  // Lazy: a strategy that does not look at its position this tick costs nothing for it. The open
  // orders are the book's listing (sim.frozenOpenOrders): made once per change of the book, not once
  // per tick, each order copied once while it rests. The listing is frozen, orders and array, so a
  // strategy that tried to edit what it was shown fails loudly here instead of seeing its edit on the
  // next tick (live, every tick gets a fresh listing).
  let tick = -1;
  let positionTick = -2;
  let positionNow: FuturesPosition | undefined;
  const account: AccountView = {
    equity: 0,
    get availableBalance() {
      return sim.ledger.available(sim.priceOf);
    },
    get position() {
      if (positionTick !== tick) {
        positionNow = simPosition(sim, symbol);
        positionTick = tick;
      }
      return positionNow;
    },
    // Read from the books when asked, not copied in every tick (most ticks never ask).
    get positionCount() {
      return sim.ledger.positions.size;
    },
    get openOrders() {
      return sim.frozenOpenOrders(symbol) as FuturesOrder[];
    },
    get spotBase() {
      return sim.ledger.spot.get(baseAsset) ?? 0;
    },
    get spotUsdt() {
      return sim.ledger.spot.get('USDT') ?? 0;
    },
    get marginMode() {
      return sim.marginModeOf(symbol);
    },
    orderStatus: (id) => sim.orderStatus(symbol, id),
    order: (id) => orderOf(id),
  };
  const input = { view, account, params, state };

  for (let j = 0; j < total; j++) {
    const k = start + j;
    tick = j;
    const now = candles.time[k]!;
    const today = Math.floor(now / 86_400_000);
    if (today !== day) {
      day = today;
      startOfDayEquity = equityNow;
      realizedAtDayStart = sim.ledger.walletBalance;
    }
    // Sliced entries' slices due at this candle's start (../adapters/sim/slices.ts).
    if (slices.active) for (const r of slices.slot(now, execute)) rejections.push({ time: now, ...r });
    while (fundingCursor < funding.time.length && funding.time[fundingCursor]! <= now) fundingCursor++;
    const hasNext = fundingCursor < funding.time.length;
    view.time = now;
    view.markPrice = sim.price(symbol);
    view.spotPrice = sim.spotPrice(symbol);
    view.spotTradable = sim.spotTradable(symbol);
    view.fundingRate = hasNext ? funding.rate[fundingCursor]! : 0;
    view.nextFundingTime = hasNext
      ? funding.time[fundingCursor]!
      : Math.floor(now / 28_800_000) * 28_800_000 + 28_800_000;
    baseWindow.end = k;
    for (let h = 0; h < higher.length; h++) higherWindows[h]!.end = higher[h]!.closed[k]!;
    account.equity = equityNow;
    input.state = state;
    const out = strategy.evaluate(input);
    state = out.state;
    for (let c = 0; c < out.cancels.length; c++) {
      try {
        sim.cancel(symbol, out.cancels[c]!);
      } catch (err) {
        if (!(err instanceof ExchangeError)) throw err;
      }
    }
    // Margin actions after the cancels, before the intents (./margin-actions.ts).
    if (out.marginActions && out.marginActions.length > 0) {
      const moved = applyMarginActions(sim, out.marginActions, {
        strategy: strategy.name,
        symbol,
        time: now,
      });
      rejections.push(...moved.rejections);
      realizedAtDayStart += moved.intoFutures;
    }
    // Checked and executed in order; an entry and its protective orders stand or fall together, as in
    // the live tick (precheckBatch). The risk check runs per intent: a quiet tick costs none.
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

  function orderOf(id: string) {
    try {
      return sim.orderByClientId(symbol, id);
    } catch (err) {
      if (err instanceof ExchangeError) return undefined;
      throw err;
    }
  }

  function execute(intent: OrderIntent): string[] | undefined {
    if (intent.sliced) {
      const at = { now: sim.now(), candleMs: TIMEFRAME_MS['1h'], mark: sim.price(intent.symbol) };
      return slices.entry(intent, at, futuresRules, execute);
    }
    const rules = intent.market === 'futures' ? futuresRules : spotRules;
    const market: RiskMarket = {
      markPrice: intent.market === 'futures' ? sim.price(intent.symbol) : sim.spotPrice(intent.symbol),
      tickSize: rules.tickSize,
      stepSize: rules.stepSize,
      minQuantity: rules.minQuantity,
      minNotional: rules.minNotional,
      brackets: futuresRules.brackets,
    };
    const snapshot = simAccountSnapshot(sim, {
      startOfDayEquity,
      realizedPnlToday: sim.ledger.walletBalance - realizedAtDayStart,
      halted: false,
    });
    // The backtest account's equity includes the spot wallet, as the live account snapshot will.
    snapshot.equity = simTotalEquity(sim);
    const decision = checkIntent(riskQuantity(intent), snapshot, limits, market);
    if (!decision.accepted) return decision.reasons;
    try {
      if (
        intent.market === 'futures' &&
        !intent.reduceOnly &&
        sim.leverageOf(intent.symbol) !== intent.leverage
      ) {
        sim.setLeverage(intent.symbol, intent.leverage);
      }
      sim.brackets.placed(intent, sim.placeOrder(orderRequestFor(intent)), sim.now());
      return undefined;
    } catch (err) {
      if (err instanceof ExchangeError) return [`${err.name}: ${err.message}`];
      throw err;
    }
  }

  const endTime = candles.time[candles.time.length - 1]! + TIMEFRAME_MS['1h'];
  const trades = tradesFromFills(sim.ledger.fills, { time: endTime, lastPrice: (s) => sim.price(s) });
  const metrics = computeMetrics({
    equity: equityValue,
    initialEquity: initialEquity + initialSpotUsdt,
    trades,
    fees: sim.ledger.feesPaid,
    fundingPnl: sim.ledger.fundingPnl,
    liquidations: sim.ledger.liquidations.length,
    exposedBars,
    barsPerYear: BARS_PER_YEAR_1H,
  });
  return {
    metrics,
    trades,
    fills: sim.ledger.fills,
    liquidations: sim.ledger.liquidations,
    rejections,
    marginMoves: { adds: sim.ledger.marginAdjustments, transfers: sim.ledger.transfers },
    equity: { time: equityTime, value: equityValue },
    candles: sliceSeries(candles, start, candles.time.length),
    from: candles.time[start]!,
    to: endTime,
    dataNotes: sim.dataNotes(),
  };
}

/**
 * The simulator's series for one dataset and span, made once and reused while the dataset still holds
 * the same series: the simulator derives its per-instant prices and its data notes once per series
 * object (../adapters/sim/series.ts, data-notes.ts), so a sweep's runs on one span share that work.
 */
const madeData = new WeakMap<Dataset, Map<string, { from: Dataset; data: SymbolData }>>();

function simData(ds: Dataset, i0: number, i1: number): SymbolData {
  const key = `${i0}:${i1}`;
  let made = madeData.get(ds);
  const hit = made?.get(key);
  // The dataset's series replaced since (a caller editing its dataset object): made again.
  if (hit && sameSeries(hit.from, ds)) return hit.data;
  const data = sliceData(ds, i0, i1);
  if (!made) {
    made = new Map();
    madeData.set(ds, made);
  }
  if (made.size >= 64) made.clear();
  made.set(key, { from: { ...ds }, data });
  return data;
}

const sameSeries = (a: Dataset, b: Dataset) =>
  a.candles === b.candles && a.mark === b.mark && a.spot === b.spot && a.funding === b.funding;

/** The simulator's series for the dataset's bars [i0, i1): candles, funding, mark and spot aligned. */
function sliceData(ds: Dataset, i0: number, i1: number): SymbolData {
  const out: SymbolData = { candles: sliceSeries(ds.candles, i0, i1), funding: ds.funding };
  if (ds.mark) out.mark = sliceSeries(ds.mark, i0, i1);
  if (ds.spot) {
    out.spot = sliceSeries(ds.spot, i0, i1);
    // Spot's value in a gap is its last close: where the slice starts in one, a close before the slice.
    for (let k = i0 - 1; k >= 0; k--) {
      if (!Number.isNaN(ds.spot.close[k]!)) {
        out.spotCloseBefore = ds.spot.close[k]!;
        break;
      }
    }
  }
  return out;
}

export type { Timeframe };
