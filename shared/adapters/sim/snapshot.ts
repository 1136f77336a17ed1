// Views of the simulator's books in the domain's shapes: positions, balances, account snapshot.
import { maintenanceMargin, unrealizedPnl } from '../../domain/futures-math.ts';
import type { AccountSnapshot, FuturesPosition } from '../../domain/position.ts';
import type { Balances } from '../../ports/exchange.ts';
import type { Simulator } from './simulator.ts';

export function simPositions(sim: Simulator): FuturesPosition[] {
  const out: FuturesPosition[] = [];
  for (const symbol of sim.ledger.positions.keys()) out.push(simPosition(sim, symbol)!);
  return out;
}

/** One symbol's position in the domain's shape; undefined when there is none. */
export function simPosition(sim: Simulator, symbol: string): FuturesPosition | undefined {
  const p = sim.ledger.positions.get(symbol);
  if (!p) return undefined;
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
      quantity: p.quantity,
    }),
    liquidationPrice: sim.ledger.liquidationPrice(p, sim.priceOf),
    maintenanceMargin: maintenanceMargin({
      notional: p.quantity * mark,
      brackets: sim.futuresMarket(p.symbol).brackets,
    }),
    openedAt: p.openedAt,
  };
}

export function simBalances(sim: Simulator): Balances {
  const priceOf = (s: string) => sim.price(s);
  const upnl = sim.ledger.unrealized(priceOf);
  return {
    futures: {
      walletBalance: sim.ledger.walletBalance,
      unrealizedPnl: upnl,
      equity: sim.ledger.walletBalance + upnl,
      availableBalance: sim.ledger.available(priceOf),
    },
    spot: Object.fromEntries(sim.ledger.spot),
  };
}

/** Total account value: futures equity plus the spot wallet valued at spot prices. */
export function simTotalEquity(sim: Simulator): number {
  let total = sim.ledger.walletBalance + sim.ledger.unrealized(sim.priceOf);
  for (const [asset, amount] of sim.ledger.spot) {
    if (asset === 'USDT') total += amount;
    else if (amount !== 0) total += amount * sim.spotPrice(usdtPair(asset));
  }
  return total;
}

/** `${asset}USDT`, made once per asset: the backtester values the spot wallet after every candle. */
const pairs = new Map<string, string>();
function usdtPair(asset: string): string {
  let p = pairs.get(asset);
  if (p === undefined) {
    p = `${asset}USDT`;
    if (pairs.size < 10_000) pairs.set(asset, p);
  }
  return p;
}

export function simAccountSnapshot(
  sim: Simulator,
  day: { startOfDayEquity: number; realizedPnlToday: number; halted: boolean },
): AccountSnapshot {
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
    spotBalances: balances.spot,
  };
}
