// The base of the daily loss limit: the account's equity at 00:00 UTC, not whatever the day's first
// reader happens to see (a first read at 03:00, after a fall, would move the baseline down with the
// loss). Read from the equity snapshots the performance monitor writes every 5 minutes:
//   1. the last snapshot at or before midnight, no older than the window;
//   2. else the first snapshot after midnight within the window (the monitor was down over midnight);
//   3. else the equity of the moment — the only figure left — with a warning on the log.
import type { StateStore } from '../ports/state-store.ts';

/** How far from midnight a snapshot may be and still stand for it (twelve 5-minute snapshots). */
export const START_OF_DAY_WINDOW_MS = 60 * 60_000;

export type StartOfDaySource = 'snapshot_at_midnight' | 'snapshot_after_midnight' | 'current';

export interface StartOfDay {
  equity: number;
  source: StartOfDaySource;
  /** When the figure was measured. */
  at: number;
}

/** Midnight (00:00 UTC) of a `YYYY-MM-DD` date, epoch ms. */
export function utcMidnight(date: string): number {
  return Date.parse(`${date}T00:00:00.000Z`);
}

export async function startOfDayEquity(
  deps: { store: Pick<StateStore, 'listEquitySnapshots'> },
  date: string,
  current: { now: number; equity: number },
): Promise<StartOfDay> {
  const midnight = utcMidnight(date);
  const series = await deps.store.listEquitySnapshots(
    midnight - START_OF_DAY_WINDOW_MS,
    Math.min(midnight + START_OF_DAY_WINDOW_MS, Math.max(midnight, current.now)),
  );
  const before = series.filter((s) => s.time <= midnight).at(-1);
  if (before) return { equity: before.equity, source: 'snapshot_at_midnight', at: before.time };
  const after = series.find((s) => s.time > midnight);
  if (after) return { equity: after.equity, source: 'snapshot_after_midnight', at: after.time };
  // One structured line (Lambda sends it to CloudWatch Logs): the day's baseline is only an approximation.
  console.warn(
    JSON.stringify({
      level: 'WARN',
      message: 'start-of-day equity: no equity snapshot within an hour of midnight; using the current equity',
      date,
      equity: current.equity,
      at: current.now,
    }),
  );
  return { equity: current.equity, source: 'current', at: current.now };
}
