// A fresh view of the account for risk decisions: balances and positions from the exchange, the halt
// flag and the day's starting equity from the state store. The executor reads it before every order.
import type { AccountSnapshot } from '../domain/position.ts';
import type { Clock } from '../ports/clock.ts';
import type { ExchangeReader } from '../ports/exchange.ts';
import { ExchangeError } from '../ports/exchange-errors.ts';
import { type HaltRecord, type StateStore, utcDate } from '../ports/state-store.ts';
import { startOfDayEquity } from './start-of-day.ts';

export interface SnapshotDeps {
  exchange: ExchangeReader;
  store: StateStore;
  clock: Clock;
}

/**
 * Total equity: futures equity plus the spot wallet at spot prices (the hedge leg is part of what the
 * daily loss limit protects). An asset no `<ASSET>USDT` market prices (delisted dust, a coin only
 * quoted in other currencies) counts 0 and is named in `unpriced` and a logged warning: it cannot
 * make the account unreadable. Binance Simple Earn balances (`LD<ASSET>`) are priced as <ASSET>.
 * A transient failure (timeout, rate limit) still throws: it must not undervalue the account.
 */
export async function totalEquity(
  exchange: ExchangeReader,
  warn: (message: string) => void = (m) => console.warn(m),
): Promise<{ futuresEquity: number; total: number; spot: Record<string, number>; unpriced: string[] }> {
  const balances = await exchange.fetchBalances();
  let total = balances.futures.equity;
  const unpriced: string[] = [];
  for (const [asset, amount] of Object.entries(balances.spot)) {
    if (amount <= 0) continue;
    const quote = await usdtQuoteOf(exchange, asset);
    if (quote === undefined) unpriced.push(asset);
    else total += amount * quote.price;
  }
  if (unpriced.length > 0)
    warn(`spot assets valued at 0 USDT (no USDT market prices them): ${unpriced.join(', ')}`);
  return { futuresEquity: balances.futures.equity, total, spot: balances.spot, unpriced };
}

/**
 * The USDT price an asset is valued at and the market it comes from: `<ASSET>USDT`, else for a Simple
 * Earn balance `LD<ASSET>` its asset's; undefined when no USDT market prices it (Binance refuses the
 * symbol: a non-retryable ExchangeError). A retryable failure throws: it is not "no price".
 */
export async function usdtQuoteOf(
  exchange: Pick<ExchangeReader, 'fetchSpotPrice'>,
  asset: string,
): Promise<{ symbol: string; price: number } | undefined> {
  if (asset === 'USDT') return { symbol: 'USDT', price: 1 };
  const symbol = `${asset}USDT`;
  try {
    return { symbol, price: await exchange.fetchSpotPrice(symbol) };
  } catch (err) {
    // No such market is a refusal that will not change on retry; anything else is not ours to hide.
    if (!(err instanceof ExchangeError) || err.retryable) throw err;
  }
  if (asset.startsWith('LD') && asset.length > 2) return usdtQuoteOf(exchange, asset.slice(2));
  return undefined;
}

export async function loadAccountSnapshot(
  deps: SnapshotDeps,
): Promise<{ snapshot: AccountSnapshot; halt: HaltRecord; unpricedSpot: string[] }> {
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
    // Spot coins valued at 0 (no USDT market prices them), for the reports to name.
    unpricedSpot: equity.unpriced,
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

/**
 * The view a reduce-only order is checked against: the exchange's positions and nothing else. No
 * balance, price or day record stands between a position and its stop or its close (a reduce-only
 * order is never limited by equity), so the valuation fields are 0 here, not measured.
 */
export async function loadPositionsSnapshot(
  deps: Pick<SnapshotDeps, 'exchange' | 'clock'>,
): Promise<AccountSnapshot> {
  const positions = await deps.exchange.fetchPositions();
  return {
    takenAt: deps.clock.now(),
    walletBalance: 0,
    equity: 0,
    startOfDayEquity: 0,
    realizedPnlToday: 0,
    availableBalance: 0,
    positions,
    halted: false,
    spotBalances: {},
  };
}
