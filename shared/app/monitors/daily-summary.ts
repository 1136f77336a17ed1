// The daily summary: once per UTC day, on the performance monitor's first run after midnight, one
// DailySummary event for the day that just ended — equity at its start and end, the day's realised PnL,
// fees and funding (in total and per owner) and the positions open now.
//
// Exactly once, or not at all: each day has a marker item in the state store, created with a conditional
// write (version 1 = "only if absent") BEFORE the event is published — as the fill watcher claims a fill
// before announcing it (fill-watch-monitor.ts). Two runs racing: one wins the marker, the other sends
// nothing. A crash between the marker and the publish loses that day's message; it is never doubled.
// Figures are computed before the marker is written, so a failing exchange call leaves the day to the
// next run. A day whose summary run never happened (the monitor was down past midnight) is sent by the
// next run, marked late; days before the bot's first equity snapshot are never summarised.
//
// The per-owner figures are booked by the same code that books /pnl's (bookFeesAndFunding, ownersOf),
// run over the day's window: /pnl's books are cumulative since the start, so a day's figures cannot be
// read off them (their difference between two runs would span more than a day after a missed run).
import type { DomainEvent } from '../../domain/events.ts';
import type { FuturesPosition } from '../../domain/position.ts';
import type { Exchange } from '../../ports/exchange.ts';
import { ConcurrentModification } from '../../ports/state-store.ts';
import { ownersOf } from '../ownership.ts';
import { publishSafely } from '../publish.ts';
import { bookFeesAndFunding, type FeesFundingBook } from './fees-funding-book.ts';
import type { MonitorDeps } from './monitor-deps.ts';

const DAY = 86_400_000;
const MARKER = 'daily-summary';
/** Days looked back for a summary not sent yet (equity snapshots are kept 35 days). */
const LOOKBACK_DAYS = 7;
/** A summary sent later than this after its day ended says it is late. */
export const LATE_AFTER_MS = 3_600_000;

export type DailySummary = Extract<DomainEvent, { type: 'DailySummary' }>;

export const dayKey = (dayStart: number) => new Date(dayStart).toISOString().slice(0, 10);

/** Send the summaries of the ended days not summarised yet (oldest first); returns their days. */
export async function dailySummariesOnce(
  deps: MonitorDeps,
  slotTime: number,
  positions: readonly FuturesPosition[],
): Promise<string[]> {
  const today = Math.floor(slotTime / DAY) * DAY;
  const snapshots = await deps.store.listEquitySnapshots(today - (LOOKBACK_DAYS + 1) * DAY, slotTime);
  const first = snapshots.reduce((a, s) => Math.min(a, s.time), Number.POSITIVE_INFINITY);
  // Newest first, back to the newest day already marked (usually yesterday: one read per run).
  const pending: number[] = [];
  for (let d = today - DAY; d >= today - LOOKBACK_DAYS * DAY && d + DAY > first; d -= DAY) {
    if (await deps.store.getStrategyState(MARKER, dayKey(d))) break;
    pending.unshift(d);
  }
  const sent: string[] = [];
  for (const d of pending) {
    const event = await summarise(deps, d, slotTime, snapshots, positions);
    try {
      await deps.store.putStrategyState({
        strategy: MARKER,
        symbol: dayKey(d),
        state: { sentAt: slotTime },
        lastTick: slotTime,
        version: 1,
      });
    } catch (err) {
      if (err instanceof ConcurrentModification) continue; // another run claimed (and sends) this day
      throw err;
    }
    await publishSafely(deps.bus, event);
    sent.push(dayKey(d));
  }
  return sent;
}

async function summarise(
  deps: MonitorDeps,
  dayStart: number,
  slotTime: number,
  snapshots: readonly { time: number; equity: number }[],
  positions: readonly FuturesPosition[],
): Promise<DailySummary> {
  const dayEnd = dayStart + DAY;
  // Start: the last snapshot at or before midnight, else the day's first (the bot started that day).
  // End: the last snapshot at or before the next midnight.
  const sorted = [...snapshots].sort((a, b) => a.time - b.time);
  const atOrBefore = (t: number) => sorted.filter((s) => s.time <= t).at(-1);
  const start = atOrBefore(dayStart) ?? sorted.find((s) => s.time < dayEnd);
  const end = atOrBefore(dayEnd);
  const inDay = <E extends { time: number }>(es: readonly E[]) =>
    es.filter((e) => e.time >= dayStart && e.time < dayEnd);

  // Fees and funding: the performance book's own booking over a view of the exchange cut at midnight.
  const dayExchange: Exchange = Object.create(deps.exchange);
  dayExchange.fetchFundingPayments = async (since) => inDay(await deps.exchange.fetchFundingPayments(since));
  if (deps.exchange.fetchCommissions) {
    const fetch = deps.exchange.fetchCommissions.bind(deps.exchange);
    dayExchange.fetchCommissions = async (since) => inDay(await fetch(since));
  }
  const cursor = { since: dayStart, seenAtSince: [] };
  const book: FeesFundingBook = { feeCursor: { ...cursor }, fundingCursor: { ...cursor } };
  await bookFeesAndFunding({ ...deps, exchange: dayExchange }, book, dayEnd);
  const owners: Record<string, { realizedPnl: number; fees: number; funding: number }> = {};
  for (const [owner, o] of Object.entries(book.owners ?? {}))
    owners[owner] = { realizedPnl: 0, fees: o.fees, funding: o.funding };
  // Realised PnL: each entry to the owner of its symbol at its time, as the performance monitor books it.
  const ownerAt = new Map<string, (t: number) => string>();
  for (const e of inDay(await deps.exchange.fetchRealizedPnl(dayStart))) {
    if (!ownerAt.has(e.symbol))
      ownerAt.set(e.symbol, await ownersOf(deps.store, e.symbol, deps.config.assignment));
    const owner = ownerAt.get(e.symbol)!(e.time);
    owners[owner] ??= { realizedPnl: 0, fees: 0, funding: 0 };
    owners[owner].realizedPnl += e.amount;
  }
  const total = (k: 'realizedPnl' | 'fees' | 'funding') =>
    Object.values(owners).reduce((a, o) => a + o[k], 0);
  return {
    type: 'DailySummary',
    time: slotTime,
    day: dayKey(dayStart),
    late: slotTime - dayEnd > LATE_AFTER_MS,
    equityStart: start?.equity ?? 0,
    equityEnd: end?.equity ?? 0,
    realizedPnl: total('realizedPnl'),
    fees: total('fees'),
    funding: total('funding'),
    owners: Object.entries(owners)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([owner, o]) => ({ owner, ...o })),
    positions: positions.map((p) => ({
      symbol: p.symbol,
      side: p.side,
      quantity: p.quantity,
      unrealizedPnl: p.unrealizedPnl,
    })),
  };
}
