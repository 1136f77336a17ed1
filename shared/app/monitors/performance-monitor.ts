// performance (every 5 min): an equity snapshot; daily and weekly PnL and drawdown from the snapshots;
// per-strategy win rate, loss streak and drawdown of realised PnL from the exchange's REALIZED_PNL
// entries (each counted once). A strategy beyond PERFORMANCE_MAX_LOSS_STREAK or
// PERFORMANCE_MAX_DRAWDOWN_PCT is degraded: one StrategyPaused event, and — with PERFORMANCE_AUTO_PAUSE —
// a pause the strategy tick honours (only reduce-only orders pass) until the trader resumes it.
//
// Attribution: the exchange reports realised PnL per symbol, not per order; each symbol has one owner
// (a strategy, or `manual`), so an entry belongs to the owner of its symbol at its time — asked of the
// ownership module (shared/app/ownership.ts), exact, never "latest entrant".
import type { EquitySnapshot, StateStore } from '../../ports/state-store.ts';
import { ConcurrentModification } from '../../ports/state-store.ts';
import { loadAccountSnapshot } from '../account-snapshot.ts';
import { MANUAL, ownersOf } from '../ownership.ts';
import { publishSafely } from '../publish.ts';
import { dailySummariesOnce } from './daily-summary.ts';
import { bookFeesAndFunding, type FeesFundingBook } from './fees-funding-book.ts';
import type { MonitorDeps } from './position-monitor.ts';

const DAY = 86_400_000;
const SNAPSHOT_TTL_MS = 35 * DAY;
const PERF = 'performance';
const PAUSE = 'strategy-pause';
/** Sources that are not strategies: never paused, still measured. */
const NOT_STRATEGIES = new Set<string>([MANUAL]);

export interface StrategyPerformance {
  trades: number;
  wins: number;
  losses: number;
  /** Consecutive losing closes, most recent last. */
  lossStreak: number;
  realizedPnl: number;
  /** Best cumulative realised PnL so far: the base of the strategy's drawdown. */
  peakPnl: number;
  degraded: boolean;
}

interface PerformanceBook extends FeesFundingBook {
  cursor: {
    /** Entries at or after this time are fetched again; ids already counted at it are skipped. */
    since: number;
    seenAtSince: string[];
  };
  strategies: Record<string, StrategyPerformance>;
}

export interface PauseRecord {
  paused: boolean;
  reason: string;
  since: number;
}

export async function getStrategyPause(
  store: StateStore,
  strategy: string,
): Promise<PauseRecord | undefined> {
  const r = await store.getStrategyState(PAUSE, strategy);
  const p = r?.state as PauseRecord | undefined;
  return p?.paused ? p : undefined;
}

/** Set or clear a strategy's pause; returns whether anything changed. */
export async function setStrategyPause(
  store: StateStore,
  strategy: string,
  pause: PauseRecord,
): Promise<boolean> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const stored = await store.getStrategyState(PAUSE, strategy);
    if (((stored?.state as PauseRecord | undefined)?.paused ?? false) === pause.paused) return false;
    try {
      await store.putStrategyState({
        strategy: PAUSE,
        symbol: strategy,
        state: pause,
        lastTick: pause.since,
        version: (stored?.version ?? 0) + 1,
      });
      return true;
    } catch (err) {
      if (!(err instanceof ConcurrentModification)) throw err;
    }
  }
  throw new ConcurrentModification(`pause of ${strategy} kept changing`);
}

export async function getStrategyPerformance(
  store: StateStore,
): Promise<Record<string, StrategyPerformance>> {
  return (
    ((await store.getStrategyState(PERF, 'all'))?.state as PerformanceBook | undefined)?.strategies ?? {}
  );
}

/** Each owner's realised PnL, fees and funding as the performance monitor last booked them. */
export async function getOwnerBooks(
  store: StateStore,
): Promise<Record<string, { realizedPnl: number; fees: number; funding: number }>> {
  const book = (await store.getStrategyState(PERF, 'all'))?.state as PerformanceBook | undefined;
  const out: Record<string, { realizedPnl: number; fees: number; funding: number }> = {};
  for (const [owner, p] of Object.entries(book?.strategies ?? {}))
    out[owner] = { realizedPnl: p.realizedPnl, fees: 0, funding: 0 };
  for (const [owner, o] of Object.entries(book?.owners ?? {}))
    out[owner] = { realizedPnl: out[owner]?.realizedPnl ?? 0, fees: o.fees, funding: o.funding };
  return out;
}

/** Daily and weekly PnL and drawdown from the snapshots (the newest is `now`'s). */
export function equityFigures(
  snapshots: EquitySnapshot[],
  now: { time: number; equity: number; startOfDayEquity: number },
): { dailyPnl: number; weeklyPnl: number; drawdownPct: number; peak: number } {
  const weekAgo = now.time - 7 * DAY;
  const base = snapshots.find((s) => s.time >= weekAgo)?.equity ?? now.equity;
  let peak = now.equity;
  for (const s of snapshots) if (s.time >= weekAgo && s.equity > peak) peak = s.equity;
  return {
    dailyPnl: now.equity - now.startOfDayEquity,
    weeklyPnl: now.equity - base,
    drawdownPct: peak > 0 ? ((peak - now.equity) / peak) * 100 : 0,
    peak,
  };
}

export async function performanceMonitorOnce(
  deps: MonitorDeps,
  slotTime: number,
): Promise<{
  equity: number;
  dailyPnl: number;
  weeklyPnl: number;
  drawdownPct: number;
  counted: number;
  paused: string[];
  /** Days whose DailySummary this run sent (daily-summary.ts). */
  daily: string[];
}> {
  const { snapshot } = await loadAccountSnapshot(deps);
  const upnl = snapshot.positions.reduce((a, p) => a + p.unrealizedPnl, 0);
  await deps.store.putEquitySnapshot(
    {
      time: slotTime,
      equity: snapshot.equity,
      unrealizedPnl: upnl,
      openPositions: snapshot.positions.length,
    },
    slotTime + SNAPSHOT_TTL_MS,
  );
  const history = await deps.store.listEquitySnapshots(slotTime - 7 * DAY, slotTime);
  const fig = equityFigures(history, {
    time: slotTime,
    equity: snapshot.equity,
    startOfDayEquity: snapshot.startOfDayEquity,
  });

  // Realised PnL since the cursor, each entry once. Statistics and cursor live in ONE item written with
  // a version check: a crash or a concurrent run can neither count an entry twice nor skip one.
  const stored = await deps.store.getStrategyState(PERF, 'all');
  const book = (stored?.state as PerformanceBook | undefined) ?? {
    cursor: { since: slotTime - DAY, seenAtSince: [] },
    strategies: {},
  };
  const { cursor } = book;
  const entries = (await deps.exchange.fetchRealizedPnl(cursor.since)).filter(
    (e) => !(e.time === cursor.since && cursor.seenAtSince.includes(e.id)),
  );
  const owners = new Map<string, (time: number) => string>();
  for (const e of entries) {
    if (!owners.has(e.symbol))
      owners.set(e.symbol, await ownersOf(deps.store, e.symbol, deps.config.assignment));
    const strategy = owners.get(e.symbol)!(e.time);
    book.strategies[strategy] ??= {
      trades: 0,
      wins: 0,
      losses: 0,
      lossStreak: 0,
      realizedPnl: 0,
      peakPnl: 0,
      degraded: false,
    };
    const s = book.strategies[strategy];
    s.trades++;
    if (e.amount > 0) {
      s.wins++;
      s.lossStreak = 0;
    } else {
      s.losses++;
      s.lossStreak++;
    }
    s.realizedPnl += e.amount;
    s.peakPnl = Math.max(s.peakPnl, s.realizedPnl);
  }
  await bookFeesAndFunding(deps, book, slotTime);
  const newest = entries.reduce((a, e) => Math.max(a, e.time), cursor.since);
  book.cursor = {
    since: newest,
    seenAtSince: [
      ...(newest === cursor.since ? cursor.seenAtSince : []),
      ...entries.filter((e) => e.time === newest).map((e) => e.id),
    ],
  };

  const degradedNow: { strategy: string; perf: StrategyPerformance; reason: string; drawdownPct: number }[] =
    [];
  const c = deps.config;
  for (const [strategy, perf] of Object.entries(book.strategies)) {
    const drawdownPct = snapshot.equity > 0 ? ((perf.peakPnl - perf.realizedPnl) / snapshot.equity) * 100 : 0;
    const reasons: string[] = [];
    if (perf.lossStreak >= c.PERFORMANCE_MAX_LOSS_STREAK)
      reasons.push(`${perf.lossStreak} losing trades in a row (limit ${c.PERFORMANCE_MAX_LOSS_STREAK})`);
    if (drawdownPct >= c.PERFORMANCE_MAX_DRAWDOWN_PCT)
      reasons.push(
        `realised PnL ${drawdownPct.toFixed(2)} % of equity below its best (limit ${c.PERFORMANCE_MAX_DRAWDOWN_PCT} %)`,
      );
    const degraded = reasons.length > 0;
    if (degraded && !perf.degraded && !NOT_STRATEGIES.has(strategy))
      degradedNow.push({ strategy, perf, reason: reasons.join('; '), drawdownPct });
    perf.degraded = degraded;
    deps.metrics.add('WinRatePct', perf.trades > 0 ? (perf.wins / perf.trades) * 100 : 0, 'Percent', {
      strategy,
    });
    deps.metrics.add('StrategyRealizedPnl', perf.realizedPnl, 'None', { strategy });
    deps.metrics.add('LossStreak', perf.lossStreak, 'Count', { strategy });
  }
  // Saved before acting: a lost race means another run counted these entries (and acts on them).
  await deps.store.putStrategyState({
    strategy: PERF,
    symbol: 'all',
    state: book,
    lastTick: slotTime,
    version: (stored?.version ?? 0) + 1,
  });
  const paused: string[] = [];
  for (const d of degradedNow) {
    const pause = c.PERFORMANCE_AUTO_PAUSE;
    if (pause)
      await setStrategyPause(deps.store, d.strategy, { paused: true, reason: d.reason, since: slotTime });
    await publishSafely(deps.bus, {
      type: 'StrategyPaused',
      time: slotTime,
      strategy: d.strategy,
      paused: pause,
      reason: d.reason,
      lossStreak: d.perf.lossStreak,
      drawdownPct: d.drawdownPct,
    });
    paused.push(d.strategy);
  }

  // After the book is saved: the summary's marker is written before its publish, once per day.
  const daily = await dailySummariesOnce(deps, slotTime, snapshot.positions);

  deps.metrics.add('Equity', snapshot.equity, 'None');
  deps.metrics.add('DailyPnl', fig.dailyPnl, 'None');
  deps.metrics.add('WeeklyPnl', fig.weeklyPnl, 'None');
  deps.metrics.add('DrawdownPct', fig.drawdownPct, 'Percent');
  deps.metrics.add('Heartbeat', 1, 'Count', { function: 'performance-monitor' });
  return {
    equity: snapshot.equity,
    dailyPnl: fig.dailyPnl,
    weeklyPnl: fig.weeklyPnl,
    drawdownPct: fig.drawdownPct,
    counted: entries.length,
    paused,
    daily,
  };
}
