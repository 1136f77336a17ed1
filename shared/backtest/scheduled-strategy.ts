// The out-of-sample run of a walk-forward evaluation: one continuous backtest in which the strategy's
// parameters change at each window boundary to the set fitted on the window before it. The strategy's
// state and any open position carry across the switch — what happens live when a trader re-tunes a
// running strategy once a month — so no window pays for closing and reopening a position it would
// have kept, and the stitched equity is one real account, not a chain of separate ones.
import type { Strategy } from '../strategies/strategy.ts';

export interface ScheduleEntry<P> {
  /** From this time on (ms UTC), until the next entry, the strategy trades with `params`. */
  from: number;
  params: P;
}

export function scheduledStrategy<P, S>(
  inner: Strategy<P, S>,
  schedule: readonly ScheduleEntry<P>[],
): Strategy<readonly ScheduleEntry<P>[], S> {
  if (schedule.length === 0) throw new Error('scheduledStrategy: empty schedule');
  const paramsAt = (time: number): P => {
    // Last entry with from ≤ time (binary search; before the first entry, the first entry's).
    let lo = 0;
    let hi = schedule.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (schedule[mid]!.from <= time) lo = mid;
      else hi = mid - 1;
    }
    return schedule[lo]!.params;
  };
  // Spread first: members that depend only on state (spotHolding) carry over; every member that takes
  // parameters is overridden below.
  return {
    ...(inner as unknown as Strategy<readonly ScheduleEntry<P>[], S>),
    paramsSchema: inner.paramsSchema as unknown as Strategy<readonly ScheduleEntry<P>[], S>['paramsSchema'],
    timeframes: inner.timeframes,
    // Warm-up for the most demanding set in the schedule.
    lookback: (s) => Math.max(...s.map((e) => inner.lookback(e.params))),
    evaluate: (input) => inner.evaluate({ ...input, params: paramsAt(input.view.time) }),
  };
}
