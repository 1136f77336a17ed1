// Performance metrics of a run, from its equity curve and its fills. Definitions are stated so users
// can compare them with other tools: returns are per bar, annualised with √(bars per year), risk-free 0.
import type { FillRecord } from '../adapters/sim/ledger.ts';

export interface Trade {
  symbol: string;
  side: 'long' | 'short';
  openedAt: number;
  closedAt: number;
  /** Largest size reached, base asset. */
  quantity: number;
  entryPrice: number;
  exitPrice: number;
  /** Realised PnL minus the fees of the trade's fills (funding excluded; it is reported on its own). */
  netPnl: number;
  liquidated: boolean;
  /** Still open at the end of the run: exit = the last price, PnL includes the unrealised part. */
  openAtEnd: boolean;
}

export interface Metrics {
  initialEquity: number;
  finalEquity: number;
  netPnl: number;
  returnPct: number;
  /** Compound annual growth rate: (final / initial)^(1 / years) − 1, years = bars / bars per year. */
  cagrPct: number;
  maxDrawdownPct: number;
  /** CAGR over max drawdown (Young's Calmar ratio on the run's whole span); 0 without a drawdown. */
  calmar: number;
  sharpe: number;
  sortino: number;
  winRatePct: number;
  trades: number;
  fees: number;
  fundingPnl: number;
  liquidations: number;
  exposurePct: number;
  bars: number;
}

/**
 * Round-trip trades: a trade opens when a symbol's futures position leaves zero and closes when it
 * returns. Positions still open at `end` are marked to `lastPrice` and flagged `openAtEnd`.
 */
export function tradesFromFills(
  fills: readonly FillRecord[],
  end?: { time: number; lastPrice: (symbol: string) => number },
): Trade[] {
  const open = new Map<
    string,
    { trade: Trade; qty: number; cost: number; exitQty: number; exitValue: number }
  >();
  const done: Trade[] = [];
  for (const f of fills) {
    if (f.market !== 'futures') continue;
    const signed = f.side === 'buy' ? f.quantity : -f.quantity;
    let cur = open.get(f.symbol);
    if (!cur) {
      cur = {
        trade: {
          symbol: f.symbol,
          side: signed > 0 ? 'long' : 'short',
          openedAt: f.time,
          closedAt: f.time,
          quantity: 0,
          entryPrice: f.price,
          exitPrice: f.price,
          netPnl: 0,
          liquidated: false,
          openAtEnd: false,
        },
        qty: 0,
        cost: 0,
        exitQty: 0,
        exitValue: 0,
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
    // What is still held keeps its average cost: a later add must not average against sold size.
    cur.cost -= (cur.cost / Math.abs(before)) * closing;
    cur.exitQty += closing;
    cur.exitValue += closing * f.price;
    cur.qty = Math.abs(after) < 1e-12 ? 0 : after;
    if (cur.qty === 0 || Math.sign(after) !== Math.sign(before)) {
      cur.trade.closedAt = f.time;
      cur.trade.exitPrice = cur.exitValue / cur.exitQty;
      done.push(cur.trade);
      open.delete(f.symbol);
      if (cur.qty !== 0) {
        // A flip: the remainder opens a new trade at this fill.
        open.set(f.symbol, {
          trade: {
            symbol: f.symbol,
            side: after > 0 ? 'long' : 'short',
            openedAt: f.time,
            closedAt: f.time,
            quantity: Math.abs(after),
            entryPrice: f.price,
            exitPrice: f.price,
            netPnl: 0,
            liquidated: false,
            openAtEnd: false,
          },
          qty: after,
          cost: Math.abs(after) * f.price,
          exitQty: 0,
          exitValue: 0,
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

export function computeMetrics(p: {
  equity: Float64Array;
  initialEquity: number;
  trades: readonly Trade[];
  fees: number;
  fundingPnl: number;
  liquidations: number;
  exposedBars: number;
  barsPerYear: number;
}): Metrics {
  const n = p.equity.length;
  const finalEquity = n > 0 ? p.equity[n - 1]! : p.initialEquity;
  let peak = p.initialEquity;
  let maxDd = 0;
  let prev = p.initialEquity;
  let sum = 0;
  let sumSq = 0;
  let downSq = 0;
  for (let i = 0; i < n; i++) {
    const e = p.equity[i]!;
    if (e > peak) peak = e;
    if (peak > 0) maxDd = Math.max(maxDd, (peak - e) / peak);
    const r = prev !== 0 ? e / prev - 1 : 0;
    sum += r;
    sumSq += r * r;
    if (r < 0) downSq += r * r;
    prev = e;
  }
  const mean = n > 0 ? sum / n : 0;
  const variance = n > 1 ? (sumSq - n * mean * mean) / (n - 1) : 0;
  const sd = Math.sqrt(Math.max(0, variance));
  const downside = n > 0 ? Math.sqrt(downSq / n) : 0;
  const annual = Math.sqrt(p.barsPerYear);
  const wins = p.trades.filter((t) => t.netPnl > 0).length;
  const cagrPct = cagr(p.initialEquity, finalEquity, n / p.barsPerYear);
  return {
    initialEquity: p.initialEquity,
    finalEquity,
    netPnl: finalEquity - p.initialEquity,
    returnPct: ((finalEquity - p.initialEquity) / p.initialEquity) * 100,
    cagrPct,
    maxDrawdownPct: maxDd * 100,
    calmar: maxDd > 0 ? cagrPct / (maxDd * 100) : 0,
    sharpe: sd > 0 ? (mean / sd) * annual : 0,
    sortino: downside > 0 ? (mean / downside) * annual : 0,
    winRatePct: p.trades.length > 0 ? (wins / p.trades.length) * 100 : 0,
    trades: p.trades.length,
    fees: p.fees,
    fundingPnl: p.fundingPnl,
    liquidations: p.liquidations,
    exposurePct: n > 0 ? (p.exposedBars / n) * 100 : 0,
    bars: n,
  };
}

/** Compound annual growth rate in percent; −100 when the equity is gone, 0 for an empty span. */
export function cagr(initial: number, final: number, years: number): number {
  if (!(years > 0) || !(initial > 0)) return 0;
  if (final <= 0) return -100;
  return ((final / initial) ** (1 / years) - 1) * 100;
}

/** Round for output: stable, readable, and far below any money that matters (1e-8 USDT). */
export function roundMetrics(m: Metrics): Metrics {
  const r = (x: number) => Math.round(x * 1e8) / 1e8;
  return Object.fromEntries(Object.entries(m).map(([k, v]) => [k, r(v)])) as unknown as Metrics;
}
