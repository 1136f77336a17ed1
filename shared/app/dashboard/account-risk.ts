// The Account and Risk panels: the figures /futures_status and /pnl show, from the same reads (the
// account snapshot over the read model, the equity snapshots, the performance monitor's books), with
// the open orders the position monitor last saw. Numbers are formatted as the bot formats them.
import { liquidationDistancePct, marginRatio } from '../../domain/futures-math.ts';
import { loadAccountSnapshot } from '../account-snapshot.ts';
import { equityFigures, getOwnerBooks } from '../monitors/performance-monitor.ts';
import { ownerOfSymbol } from '../ownership.ts';
import type { OpenOrdersView } from '../read-model.ts';
import { pct, unpricedCoins, usdt } from '../telegram/format.ts';
import { type MarketFormat, marketFormat } from '../telegram/market-format.ts';
import { type DashboardDeps, openOrders } from './deps.ts';

const DAY = 86_400_000;
/** Money within this of another amount is the same amount (quantities are step-rounded upstream). */
const QTY_TOLERANCE = 1e-9;
/** 30 days of 5-minute snapshots are 8,640 points: a phone's chart needs about one an hour. */
const CURVE_POINTS = 720;
function thin<T>(xs: readonly T[], most: number): T[] {
  const step = Math.ceil(xs.length / most);
  return step <= 1 ? [...xs] : xs.filter((_, i) => i % step === 0 || i === xs.length - 1);
}
export const signedUsdt = (x: number) => `${x >= 0 ? '+' : '−'}${usdt(Math.abs(x))}`;

export async function accountPanel(deps: DashboardDeps) {
  const now = deps.clock.now();
  const { snapshot: s, halt, unpricedSpot } = await loadAccountSnapshot(deps);
  const snaps = await deps.store.listEquitySnapshots(now - 30 * DAY, now);
  const fig = equityFigures(snaps, { time: now, equity: s.equity, startOfDayEquity: s.startOfDayEquity });
  const books = Object.values(await getOwnerBooks(deps.store));
  const realised = books.reduce((a, b) => a + b.realizedPnl, 0);
  const fees = books.reduce((a, b) => a + b.fees, 0);
  const funding = books.reduce((a, b) => a + b.funding, 0);
  const unrealised = s.positions.reduce((a, p) => a + p.unrealizedPnl, 0);
  const day = s.equity - s.startOfDayEquity;
  const limit = (deps.config.DAILY_LOSS_LIMIT / 100) * s.startOfDayEquity;
  return {
    equity: usdt(s.equity),
    wallet: usdt(s.walletBalance),
    available: usdt(s.availableBalance),
    // Spot coins counted as 0 in the equity above (no USDT market prices them); '' when none.
    unpricedSpot: unpricedCoins(unpricedSpot, s.spotBalances),
    // Price PnL: realised trades, fees and open positions; funding PnL: settlements — both as the
    // performance monitor booked them since it began (the /futures_status "By strategy" figures).
    pricePnl: signedUsdt(realised - fees + unrealised),
    fundingPnl: signedUsdt(funding),
    today: signedUsdt(day),
    dailyLossLimit: usdt(-limit),
    dailyLossUsedPct: limit > 0 ? Math.max(0, (-day / limit) * 100) : 0,
    dailyLossUsed: pct(limit > 0 ? Math.max(0, (-day / limit) * 100) : 0, 0),
    halted: halt.halted,
    haltReason: halt.halted ? halt.reason : '',
    haltSince: halt.halted ? new Date(halt.since).toISOString() : '',
    drawdown: pct(fig.drawdownPct),
    weekPnl: signedUsdt(fig.weeklyPnl),
    curve: [
      ...thin(snaps, CURVE_POINTS).map((x) => ({ time: x.time, equity: x.equity })),
      { time: now, equity: s.equity },
    ],
  };
}

function protection(
  orders: OpenOrdersView['orders'],
  p: { symbol: string; side: string; quantity: number },
  fmt: MarketFormat,
) {
  const leg = (o: OpenOrdersView['orders'][number]) =>
    `${fmt.price(o.symbol, o.stopPrice ?? o.price ?? 0)} × ${fmt.quantity(o.symbol, o.quantity)}`;
  const closeSide = p.side === 'long' ? 'sell' : 'buy';
  const mine = orders.filter((o) => o.symbol === p.symbol && o.reduceOnly && o.side === closeSide);
  const stops = mine.filter((o) => o.type.startsWith('stop'));
  const targets = mine.filter((o) => o.type.startsWith('take_profit') || o.type === 'limit');
  const biggest = Math.max(0, ...stops.map((o) => o.quantity - o.filledQuantity));
  return {
    stops: stops.map(leg),
    takeProfits: targets.map(leg),
    stopCovers: biggest + QTY_TOLERANCE >= p.quantity,
  };
}

export async function riskPanel(deps: DashboardDeps) {
  const { snapshot: s } = await loadAccountSnapshot(deps);
  const known = await openOrders(deps.store);
  const orders = known ?? [];
  const c = deps.config;
  const fmt = await marketFormat(deps.exchange);
  const mm = s.positions.reduce((a, p) => a + p.maintenanceMargin, 0);
  const ratio = marginRatio({ maintenanceMargin: mm, marginBalance: s.equity }) * 100;
  const positions = s.positions.map((p) => {
    const notional = p.quantity * p.markPrice;
    const distance = liquidationDistancePct({
      side: p.side,
      markPrice: p.markPrice,
      liquidationPrice: p.liquidationPrice,
    });
    const exposurePct = s.equity > 0 ? (notional / s.equity) * 100 : Number.POSITIVE_INFINITY;
    return {
      symbol: p.symbol,
      owner: ownerOfSymbol(c.assignment, p.symbol),
      side: p.side,
      quantity: fmt.quantity(p.symbol, p.quantity),
      entry: fmt.price(p.symbol, p.entryPrice),
      mark: fmt.price(p.symbol, p.markPrice),
      leverage: `${p.leverage}x`,
      marginMode: p.marginMode,
      unrealised: signedUsdt(p.unrealizedPnl),
      liquidation: p.liquidationPrice > 0 ? fmt.price(p.symbol, p.liquidationPrice) : 'none',
      liquidationDistance: pct(distance),
      distanceLevel:
        distance < c.LIQUIDATION_DISTANCE_CRITICAL_PCT
          ? 'critical'
          : distance < c.LIQUIDATION_DISTANCE_WARN_PCT
            ? 'warning'
            : 'ok',
      exposure: `${usdt(notional)} (${pct(exposurePct)} of equity)`,
      overCap: exposurePct > deps.limits.positionSizeLimitPct,
      ...protection(orders, p, fmt),
    };
  });
  const total = s.positions.reduce((a, p) => a + p.quantity * p.markPrice, 0);
  return {
    positions,
    ordersKnown: known !== undefined,
    exposureCap: pct(deps.limits.positionSizeLimitPct, 0),
    totalExposure: `${usdt(total)} (${pct(s.equity > 0 ? (total / s.equity) * 100 : 0)} of equity)`,
    slots: `${s.positions.length} of ${deps.limits.maxPositions}`,
    marginRatio: pct(ratio),
    marginRatioPct: ratio,
    marginWarn: pct(c.MARGIN_RATIO_WARN_PCT, 0),
    marginCritical: pct(c.MARGIN_RATIO_CRITICAL_PCT, 0),
    marginLevel:
      ratio >= c.MARGIN_RATIO_CRITICAL_PCT ? 'critical' : ratio >= c.MARGIN_RATIO_WARN_PCT ? 'warning' : 'ok',
  };
}
