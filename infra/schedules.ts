// The ONE table of scheduled work: which function runs, at what EventBridge rate, with what inner loop.
// Read by the CDK stack (one rule per entry and target) and by the local runtime's scheduler.
// Monitors (position 5 s, risk 30 s, funding hourly, performance 5 min) join this table with their
// functions; today the strategy ticks are the scheduled work that exists.

export interface ScheduleEntry {
  /** functions/<name>/handler.ts */
  fn: 'strategy-tick';
  /** EventBridge rate, minutes (EventBridge's minimum is 1). */
  rateMinutes: number;
  /** Sub-minute work loops inside one invocation at this interval; undefined = one run per invocation. */
  innerLoopSeconds?: number;
  /** One target per enabled strategy × symbol (the rule's input carries them). */
  perStrategySymbol: boolean;
}

export const SCHEDULES: readonly ScheduleEntry[] = [
  { fn: 'strategy-tick', rateMinutes: 60, perStrategySymbol: true },
];
