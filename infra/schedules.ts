// The ONE table of scheduled work: which function runs, at what EventBridge rate, with what inner loop.
// Read by the local runtime's scheduler and by the CDK stack (one EventBridge rule per entry).
// Sub-minute intervals run inside a one-minute invocation (shared/app/loop.ts); the interval is
// configuration (the named variable), the rate is EventBridge's minimum of one minute.
import type { EnvVariableName } from '../shared/config/env.ts';

export interface ScheduleEntry {
  /** functions/<fn>/handler.ts */
  fn: 'strategy-tick' | 'position-monitor' | 'risk-monitor' | 'funding-monitor' | 'performance-monitor';
  /** EventBridge rate, minutes (EventBridge's minimum is 1). */
  rateMinutes: number;
  /** The variable holding the inner-loop interval in seconds; absent = one run per invocation. */
  innerLoopVariable?: EnvVariableName;
  /** One target per (strategy, symbol) of the assignment (the rule's input names them). */
  perStrategySymbol: boolean;
}

export const SCHEDULES: readonly ScheduleEntry[] = [
  { fn: 'strategy-tick', rateMinutes: 60, perStrategySymbol: true },
  {
    fn: 'position-monitor',
    rateMinutes: 1,
    innerLoopVariable: 'POSITION_MONITOR_INTERVAL_SECONDS',
    perStrategySymbol: false,
  },
  {
    fn: 'risk-monitor',
    rateMinutes: 1,
    innerLoopVariable: 'RISK_MONITOR_INTERVAL_SECONDS',
    perStrategySymbol: false,
  },
  { fn: 'funding-monitor', rateMinutes: 60, perStrategySymbol: false },
  { fn: 'performance-monitor', rateMinutes: 5, perStrategySymbol: false },
];
