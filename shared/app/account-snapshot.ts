// A fresh view of the account for risk decisions: balances and positions from the exchange, the halt
// flag and the day's starting equity from the state store. The executor reads it before every order.
import type { AccountSnapshot } from '../domain/position.ts';
import type { Clock } from '../ports/clock.ts';
import type { ExchangeReader } from '../ports/exchange.ts';
import { type HaltRecord, type StateStore, utcDate } from '../ports/state-store.ts';
import { startOfDayEquity } from './start-of-day.ts';

export interface SnapshotDeps {
  exchange: ExchangeReader;
  store: StateStore;
  clock: Clock;
}

/**
 * Total equity: futures equity plus the spot wallet at spot prices (the hedge leg is part of what the
 * daily loss limit protects).
 */
export async function totalEquity(
  exchange: ExchangeReader,
): Promise<{ futuresEquity: number; total: number; spot: Record<string, number> }> {
  const balances = await exchange.fetchBalances();
  let total = balances.futures.equity;
  for (const [asset, amount] of Object.entries(balances.spot)) {
    if (amount <= 0) continue;
    total += asset === 'USDT' ? amount : amount * (await exchange.fetchSpotPrice(`${asset}USDT`));
  }
  return { futuresEquity: balances.futures.equity, total, spot: balances.spot };
}

export async function loadAccountSnapshot(
  deps: SnapshotDeps,
): Promise<{ snapshot: AccountSnapshot; halt: HaltRecord }> {
  const now = deps.clock.now();
  const [balances, positions, halt, equity] = await Promise.all([
    deps.exchange.fetchBalances(),
    deps.exchange.fetchPositions(),
    deps.store.getHalt(),
    totalEquity(deps.exchange),
  ]);
  const date = utcDate(now);
  const day =
    (await deps.store.getDay(date)) ??
    (await deps.store.createDay({
      date,
      startOfDayEquity: (await startOfDayEquity(deps, date, { now, equity: equity.total })).equity,
      version: 1,
    }));
  return {
    halt,
    snapshot: {
      takenAt: now,
      walletBalance: balances.futures.walletBalance,
      equity: equity.total,
      startOfDayEquity: day.startOfDayEquity,
      realizedPnlToday: 0,
      availableBalance: balances.futures.availableBalance,
      positions,
      halted: halt.halted,
      spotBalances: balances.spot,
    },
  };
}
